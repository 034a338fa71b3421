# Sourced by the bench scripts: a free loopback port, nginx serving $WORK/www on 127.0.0.1 only (the
# network rule: nothing but loopback; the caller starts nginx and stops it by its PID), and the
# config of the `halt run --network proxy_only` rows.

# A TCP port nothing listens on, or 0 when 50 tries found none.
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        ss -ltnH "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
    done
    echo 0
}

# write_nginx_conf PORT: $WORK/cfg/nginx.conf, one worker serving $WORK/www on 127.0.0.1:PORT, its
# files in $WORK/ngx; sendfile on (the transfer rows read a sparse file from the page cache).
write_nginx_conf() {
    mkdir -p "$WORK/cfg" "$WORK/ngx"
    cat > "$WORK/cfg/nginx.conf" <<CONF
user root;
worker_processes 1;
daemon off;
pid $WORK/ngx/nginx.pid;
error_log $WORK/ngx/error.log error;
events { worker_connections 8192; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    default_type application/octet-stream;
    client_body_temp_path $WORK/ngx/body;
    proxy_temp_path $WORK/ngx/proxy;
    fastcgi_temp_path $WORK/ngx/fastcgi;
    uwsgi_temp_path $WORK/ngx/uwsgi;
    scgi_temp_path $WORK/ngx/scgi;
    server { listen 127.0.0.1:$1; root $WORK/www; }
}
CONF
    # `user` is for root alone; nginx started by another user runs as that user.
    [ "$(id -u)" = 0 ] || sed -i '1d' "$WORK/cfg/nginx.conf"
}

# wait_port PORT PID: until something listens on PORT (true), PID died or 10 s passed (false).
wait_port() {
    for _ in $(seq 1 100); do
        ss -ltnH "sport = :$1" 2>/dev/null | grep -q . && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# write_run_proxy_config DNS_PORT: $WORK/cfg/run-proxy.toml, proxy_only allowing `localhost` (local
# destinations allowed), its upstream DNS a loopback port nothing answers on.
write_run_proxy_config() {
    cat > "$WORK/cfg/run-proxy.toml" <<CONF
[sandbox]
network = { mode = "proxy_only" }
[proxy]
domain_allowlist = ["localhost"]
upstream_dns = ["127.0.0.1:$1"]
allow_local_destinations = true
max_connections = 100000
CONF
}
