#!/usr/bin/env bash
# Side-by-side comparison of halt with public peers (issue 6), loopback only.
#
#   bench/compare.sh [--no-install] [--quick] [--before DIR]
#
# Installs what is missing (Debian: hyperfine curl nginx-light tinyproxy socat bubblewrap ripgrep
# time; npm: @anthropic-ai/sandbox-runtime for srt, into bench/target/npm), builds halt when its
# jars are missing, then measures and prints one table with ratios halt / peer:
#   - start of `X -- true`: halt (each network mode; also through bin/halt and with a JDK AOT
#     cache), srt, bwrap, unshare --net, a bare JVM Hello, plain true (hyperfine);
#   - a 1 GiB HTTP GET from a local nginx: direct, through halt's proxy (CONNECT and plain HTTP,
#     standalone and as `halt run --network proxy`), tinyproxy, srt (curl; 5 rounds, every path
#     once per round, best kept);
#   - a new connection per request: the same paths, requests/s and p50/p99 (curl, one process
#     per path and round, `Connection: close`, so every request opens a new connection and,
#     through a proxy, a new tunnel or proxied request; 20 rounds in rotating order), and the
#     same for three minimal proxies that show this measurement's floor (FloorProxy);
#   - the same connection rate through a rootless `halt run --network proxy_only` (as user 65534
#     when run as root), with halt's supervisor and without it (-Dhalt.supervisor=off: Landlock's
#     port rule alone), and the time of such a run with one request, start to exit, both ways;
#   - one request through `bin/halt run --network proxy_only`, start to exit, against `-- true`
#     (issue 14: no delay at exit; target at most 20 ms apart);
#   - peak RSS (sum over the process tree, curl excluded) of halt run vs srt during the GET;
#   - with --before DIR (a checkout of an earlier halt, e.g. `git worktree add --detach DIR REV`):
#     `bin/halt run -- true` of that build and of this one in every network mode, as this user and,
#     as root, as user 65534 too, in alternating order, medians of BEFORE_ROUNDS rounds.
# A peer that cannot be installed or run gets a row saying so, never a number.
#
# Network rule: every socket is on 127.0.0.1 or inside a namespace a sandbox creates. Names:
# only `localhost`, which /etc/hosts maps to 127.0.0.1 (no DNS query); halt's proxies get an
# explicit upstream DNS of 127.0.0.1:<closed port>, never the host's resolv.conf nameserver.
# Proxy variables of the caller are unset. Every background process is stopped by PID (trap).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
INSTALL=1
QUICK=0
BEFORE=""
while [ $# -gt 0 ]; do
    case $1 in
        --no-install) INSTALL=0 ;;
        --quick) QUICK=1 ;;
        --before) shift; BEFORE=${1:-}
            [ -x "$BEFORE/bin/halt" ] || { echo "$0: --before needs a halt checkout (DIR/bin/halt), got '$BEFORE'" >&2; exit 2; } ;;
        *) echo "usage: $0 [--no-install] [--quick] [--before DIR]" >&2; exit 2 ;;
    esac
    shift
done

# Hard bound on the whole run (issue: under 10 minutes); each step also has its own timeout.
BUDGET=570
START_SECONDS=$SECONDS
RUNS=10; WARMUP=3; GET_RUNS=5; CONN_REQS=2000; CONN_ROUNDS=20
if [ $QUICK = 1 ]; then RUNS=5; WARMUP=1; GET_RUNS=1; CONN_REQS=500; CONN_ROUNDS=4; fi

unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

WORK=$(mktemp -d /tmp/halt-compare.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    for p in "${PIDS[@]}"; do
        # bounded wait: a process that ignores SIGTERM gets SIGKILL after ~2 s
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$p" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '== %s\n' "$*" >&2; }
left() { echo $((BUDGET - (SECONDS - START_SECONDS))); }
over_budget() { [ "$(left)" -le 0 ]; }

# ---------------------------------------------------------------- install
if [ $INSTALL = 1 ]; then
    missing=()
    for pair in hyperfine:hyperfine curl:curl nginx:nginx-light tinyproxy:tinyproxy socat:socat \
                bwrap:bubblewrap rg:ripgrep /usr/bin/time:time; do
        cmd=${pair%%:*}; pkg=${pair#*:}
        command -v "$cmd" >/dev/null 2>&1 || [ -x "$cmd" ] || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]}"
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 \
            || say "apt-get install failed: rows needing ${missing[*]} will say so"
    fi
    SRT=$ROOT/bench/target/npm/node_modules/.bin/srt
    if [ ! -x "$SRT" ] && command -v npm >/dev/null 2>&1; then
        say "installing @anthropic-ai/sandbox-runtime (srt) into bench/target/npm"
        mkdir -p "$ROOT/bench/target/npm"
        timeout 180 npm install --no-audit --no-fund --prefix "$ROOT/bench/target/npm" \
            @anthropic-ai/sandbox-runtime >&2 || say "npm install of srt failed"
    fi
fi
SRT=${SRT:-$ROOT/bench/target/npm/node_modules/.bin/srt}
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- halt
. "$ROOT/bin/jdk.sh"
JDK=$(halt_find_jdk) || { echo "no JDK >= 22" >&2; exit 125; }
HALT_JAR=$ROOT/cli/target/halt.jar
BENCH_JAR=$ROOT/bench/target/benchmarks.jar
if [ ! -f "$HALT_JAR" ] || [ ! -f "$BENCH_JAR" ]; then
    say "building halt.jar and benchmarks.jar"
    (cd "$ROOT" && JAVA_HOME=$JDK mvn -B -q -DskipTests -pl cli,bench -am package) >&2 || exit 125
fi
# The same JVM flags as bin/halt (the standalone proxy and the no-cache start row use them).
JFLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
HALT=("$JDK/bin/java" "${JFLAGS[@]}" -jar "$HALT_JAR")

# ---------------------------------------------------------------- results
RES=$WORK/results.tsv   # key <TAB> value <TAB> unit <TAB> note
: > "$RES"
put() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >> "$RES"; }
get() { awk -F'\t' -v k="$1" '$1==k {print $2; exit}' "$RES"; }
note() { awk -F'\t' -v k="$1" '$1==k {print $4; exit}' "$RES"; }

. "$ROOT/bench/setup.sh"
DNS_PORT=$(free_port)   # nothing listens there: an explicit, loopback, dead upstream DNS

cd "$WORK" || exit 1
mkdir -p www cfg

# halt configs: upstream DNS pinned to loopback in every mode.
cat > cfg/start.toml <<EOF
[proxy]
upstream_dns = ["127.0.0.1:$DNS_PORT"]
EOF

# ---------------------------------------------------------------- start times
hf() { # key, command...
    local key=$1; shift
    if over_budget; then put "$key" "" ms "skipped: time budget"; return; fi
    if ! "$@" >/dev/null 2>"$WORK/hf.err"; then
        put "$key" "" ms "does not run here: $(head -c 160 "$WORK/hf.err" | tr '\n\t' '  ')"
        return
    fi
    if timeout 120 hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/hf.json" \
            -- "$(printf '%q ' "$@")" >/dev/null 2>"$WORK/hf.err"; then
        local mean sd
        mean=$(sed -n 's/.*"mean": *\([0-9.e-]*\).*/\1/p' "$WORK/hf.json" | head -1)
        sd=$(sed -n 's/.*"stddev": *\([0-9.e-]*\).*/\1/p' "$WORK/hf.json" | head -1)
        put "$key" "$(awk -v m="$mean" 'BEGIN{printf "%.1f", m*1000}')" ms \
            "± $(awk -v m="$sd" 'BEGIN{printf "%.1f", m*1000}') ms, $RUNS runs"
    else
        put "$key" "" ms "hyperfine failed: $(head -c 160 "$WORK/hf.err" | tr '\n\t' '  ')"
    fi
}

if have hyperfine; then
    say "start times (hyperfine, $WARMUP warm-up, $RUNS runs each)"
    hf start.true /bin/true
    cat > Hello.java <<'EOF'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
EOF
    "$JDK/bin/javac" -d "$WORK" Hello.java 2>/dev/null
    hf start.jvm "$JDK/bin/java" -XX:+UseSerialGC -cp "$WORK" Hello
    # What a user runs: bin/halt, with the start-up cache it makes once per build (the first,
    # unmeasured call below makes it). One row without the cache, for the JVM's cold cost.
    for mode in unrestricted blocked localhost_only proxy_only; do
        hf "start.halt.$mode" "$ROOT/bin/halt" run --no-config --config cfg/start.toml --network "$mode" -- /bin/true
    done
    hf start.halt_nocache.unrestricted "${HALT[@]}" run --no-config --config cfg/start.toml --network unrestricted -- /bin/true
    if have bwrap; then
        hf start.bwrap bwrap --ro-bind / / --dev /dev --proc /proc --unshare-net -- /bin/true
    else put start.bwrap "" ms "bubblewrap not installed"; fi
    hf start.unshare unshare --net -- /bin/true
    if [ -x "$SRT" ]; then
        cat > cfg/srt-start.json <<EOF
{"network":{"allowedDomains":[],"deniedDomains":[]},"filesystem":{"denyRead":[],"allowWrite":["."],"denyWrite":[]}}
EOF
        hf start.srt "$SRT" -s cfg/srt-start.json -- /bin/true
    else put start.srt "" ms "srt not installed (npm @anthropic-ai/sandbox-runtime)"; fi
else
    put start.true "" ms "hyperfine not installed"
fi

# ---------------------------------------------------------------- servers
NGINX_PORT=$(free_port)
truncate -s 1G www/1g     # sparse: served from the page cache, the disk is not what we measure
# Fill the page cache once: otherwise the first path measured (direct) pays for it (seen with
# --quick: 288 MB/s direct on a cold cache vs ~1700 warm).
cat www/1g > /dev/null
head -c 1024 /dev/zero > www/small
write_nginx_conf "$NGINX_PORT"


NGINX_OK=0
if have nginx; then
    nginx -c "$WORK/cfg/nginx.conf" 2>"$WORK/ngx/stderr" &
    PIDS+=($!)
    wait_port "$NGINX_PORT" $! && NGINX_OK=1
fi
[ $NGINX_OK = 1 ] || say "nginx did not start: transfer and connection rows skipped"

# halt's proxy alone (dev.halt.bench.ProxyMain): allows `localhost` only.
printf '127.0.0.1 localhost\n' > cfg/hosts
HP_OK=0
"$JDK/bin/java" "${JFLAGS[@]}" -cp "$BENCH_JAR" dev.halt.bench.ProxyMain "$WORK/cfg/hosts" "$DNS_PORT" "$WORK/halt.port" \
    2>"$WORK/haltproxy.err" &
HP_PID=$!
PIDS+=($HP_PID)
for _ in $(seq 1 100); do [ -s "$WORK/halt.port" ] && break; sleep 0.1; done
if [ -s "$WORK/halt.port" ]; then HP_OK=1; HALT_PROXY=127.0.0.1:$(cat "$WORK/halt.port"); fi

# The floor of the connection rows (dev.halt.bench.FloorProxy): the least a proxy can do
# per request, without policy, resolver or log; it dials 127.0.0.1 only. `loop` is one thread with
# a selector, `early` the same answering 200 before its upstream connect completes, `virtual` a
# virtual thread per connection (halt's structure without halt's work).
declare -A FLOOR=()
for mode in loop early virtual; do
    "$JDK/bin/java" "${JFLAGS[@]}" -cp "$BENCH_JAR" dev.halt.bench.FloorProxy "$mode" "$WORK/floor.$mode.port" \
        2>"$WORK/floor.$mode.err" &
    PIDS+=($!)
done
for mode in loop early virtual; do
    for _ in $(seq 1 100); do [ -s "$WORK/floor.$mode.port" ] && break; sleep 0.1; done
    [ -s "$WORK/floor.$mode.port" ] && FLOOR[$mode]=127.0.0.1:$(cat "$WORK/floor.$mode.port")
done

TP_OK=0
if have tinyproxy; then
    TP_PORT=$(free_port)
    cat > cfg/tinyproxy.conf <<EOF
User nobody
Group nogroup
Port $TP_PORT
Listen 127.0.0.1
Timeout 600
MaxClients 1024
LogLevel Critical
Allow 127.0.0.1
DisableViaHeader Yes
EOF
    tinyproxy -d -c "$WORK/cfg/tinyproxy.conf" >/dev/null 2>"$WORK/tinyproxy.err" &
    TP_PID=$!
    PIDS+=($TP_PID)
    wait_port "$TP_PORT" $TP_PID && TP_OK=1
fi

# srt: allow localhost and the nginx port literal (srt refuses names resolving to loopback otherwise).
cat > cfg/srt.json <<EOF
{"network":{"allowedDomains":["localhost","127.0.0.1:$NGINX_PORT"],"deniedDomains":[]},
 "filesystem":{"denyRead":[],"allowWrite":["."],"denyWrite":[]}}
EOF
# halt run in proxy_only: the child's curl goes through halt's proxy (netns + veth with root).
write_run_proxy_config "$DNS_PORT"

# Rootless runs: as user 65534 when this script runs as root; halt's config directory outside the
# working directory (halt refuses a write grant over it).
ROOTLESS=(env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent)
[ "$(id -u)" = 0 ] && ROOTLESS=(setpriv --reuid=65534 --regid=65534 --clear-groups "${ROOTLESS[@]}")

URL_BIG=http://localhost:$NGINX_PORT/1g
URL_SMALL=http://localhost:$NGINX_PORT/small
# curl flags per path; for the sandboxed ones curl runs inside and uses the proxy the sandbox
# gives it ($HTTP_PROXY); --noproxy '' overrides NO_PROXY, which lists localhost.
declare -A PATHS=(
    [direct]="curl"
    [halt_connect]="curl -p -x http://${HALT_PROXY:-none}"
    [halt_http]="curl -x http://${HALT_PROXY:-none}"
    [tinyproxy_connect]="curl -p -x http://127.0.0.1:${TP_PORT:-0}"
    [tinyproxy_http]="curl -x http://127.0.0.1:${TP_PORT:-0}"
    [halt_run_connect]="HALT_RUN"
    [halt_rootless_connect]="HALT_ROOTLESS"
    [halt_rootless_nosup_connect]="HALT_ROOTLESS_NOSUP"
    [srt_connect]="SRT"
    [floor_loop_connect]="curl -p -x http://${FLOOR[loop]:-none}"
    [floor_loop_http]="curl -x http://${FLOOR[loop]:-none}"
    [floor_early_connect]="curl -p -x http://${FLOOR[early]:-none}"
    [floor_virtual_connect]="curl -p -x http://${FLOOR[virtual]:-none}"
    [floor_virtual_http]="curl -x http://${FLOOR[virtual]:-none}"
)
ORDER=(direct halt_connect halt_http tinyproxy_connect tinyproxy_http halt_run_connect srt_connect)
# The connection rows add the floor proxies (not the GET: they are no peer, only a yardstick) and
# the rootless runs with and without the supervisor (its cost is per connection, not per byte).
CONN_ORDER=("${ORDER[@]}" floor_loop_connect floor_loop_http floor_early_connect floor_virtual_connect floor_virtual_http
    halt_rootless_connect halt_rootless_nosup_connect)

path_ok() {
    case $1 in
        direct) [ $NGINX_OK = 1 ] ;;
        halt_connect|halt_http) [ $NGINX_OK = 1 ] && [ $HP_OK = 1 ] ;;
        tinyproxy_*) [ $NGINX_OK = 1 ] && [ $TP_OK = 1 ] ;;
        halt_run_connect) [ $NGINX_OK = 1 ] ;;
        halt_rootless_*) [ $NGINX_OK = 1 ] && { [ "$(id -u)" != 0 ] || have setpriv; } ;;
        srt_connect) [ $NGINX_OK = 1 ] && [ -x "$SRT" ] ;;
        floor_*) local mode=${1#floor_}; [ $NGINX_OK = 1 ] && [ -n "${FLOOR[${mode%_*}]:-}" ] ;;
    esac
}
why_not() {
    case $1 in
        halt_connect|halt_http) echo "halt proxy did not start: $(head -c 120 "$WORK/haltproxy.err")" ;;
        tinyproxy_*) echo "tinyproxy not installed or did not start" ;;
        srt_connect) echo "srt not installed" ;;
        halt_rootless_*) echo "nginx did not start, or setpriv is missing (root drops to user 65534 with it)" ;;
        floor_*) echo "FloorProxy did not start: $(cat "$WORK"/floor.*.err | head -c 120)" ;;
        *) echo "nginx did not start" ;;
    esac
}

# Runs `curl ARGS...` on path $1 (after a timeout in s), in the sandbox for the sandboxed paths.
run_curl() {
    local p=$1 tmo=$2; shift 2
    case ${PATHS[$p]} in
        HALT_RUN)
            timeout "$tmo" "${HALT[@]}" run --no-config --config cfg/run-proxy.toml -- \
                sh -c 'exec curl --noproxy "" -p -x "$HTTP_PROXY" "$@"' curl "$@" ;;
        HALT_ROOTLESS|HALT_ROOTLESS_NOSUP)
            local off=()
            [ "${PATHS[$p]}" = HALT_ROOTLESS_NOSUP ] && off=(-Dhalt.supervisor=off)
            timeout "$tmo" "${ROOTLESS[@]}" "$JDK/bin/java" "${JFLAGS[@]}" "${off[@]}" -jar "$HALT_JAR" \
                run --no-config --config cfg/run-proxy.toml -- sh -c 'exec curl --noproxy "" -p -x "$HTTP_PROXY" "$@"' curl "$@" ;;
        SRT)
            timeout "$tmo" "$SRT" -s cfg/srt.json -- sh -c 'exec curl --noproxy "" -p -x "$HTTP_PROXY" "$@"' curl "$@" ;;
        *)
            # shellcheck disable=SC2086
            timeout "$tmo" ${PATHS[$p]} "$@" ;;
    esac
}

# Peak RSS (KiB) of the process tree under $1 (a subshell: itself, timeout and curl excluded, so
# what is left is the sandbox tool's own processes), sampled every 50 ms until it exits.
peak_rss() {
    local root=$1 peak=0 now
    while kill -0 "$root" 2>/dev/null; do
        now=$(ps -eo pid=,ppid=,rss=,comm= | awk -v r="$root" '
            { pp[$1]=$2; rss[$1]=$3; c[$1]=$4 }
            END { for (p in pp) { if (p == r || c[p] == "curl" || c[p] == "timeout") continue;
                  q=p; while (q != "" && q != 0 && q != r) q=pp[q];
                  if (q == r) s += rss[p] } print s+0 }')
        [ "$now" -gt "$peak" ] && peak=$now
        sleep 0.05
    done
    echo "$peak"
}

# ---------------------------------------------------------------- 1 GiB GET
# Paths $2... rotated by round $1 (1-based), a path a line: over n rounds each goes first once.
rotated_order() {
    local r=$1; shift
    local paths=("$@") n=$# i
    for i in $(seq 0 $((n - 1))); do echo "${paths[$(( (i + r - 1) % n ))]}"; done
}

# In rounds, every path once per round in a rotating order (see the connection rate below: the
# VM's speed drifts; the direct limit alone moved between 1.3 and 2.2 GB/s in one afternoon).
say "1 GiB GET ($GET_RUNS rounds, every path once per round, best kept)"
declare -A GET_BEST=() GET_ERR=()
for round in $(seq 1 "$GET_RUNS"); do
    for p in $(rotated_order "$round" "${ORDER[@]}"); do
        path_ok "$p" || continue
        if over_budget; then GET_ERR[$p]="skipped: time budget"; continue; fi
        run_curl "$p" 60 -s -o /dev/null -w '%{http_code} %{size_download} %{speed_download}' "$URL_BIG" \
            > "$WORK/get.out" 2>"$WORK/get.err" &
        cpid=$!
        if [ "$p" = halt_run_connect ] || [ "$p" = srt_connect ]; then peak_rss $cpid > "$WORK/rss.$p.$RANDOM"; fi
        wait $cpid
        out=$(cat "$WORK/get.out")
        set -- $out
        if [ "${1:-}" = 200 ] && [ "${2:-0}" = 1073741824 ]; then
            GET_BEST[$p]=$(awk -v a="${GET_BEST[$p]:-0}" -v b="$3" 'BEGIN{print (b>a)?b:a}')
        else
            GET_ERR[$p]="status ${1:-none}, $(head -c 160 "$WORK/get.err" | tr '\n\t' '  ')"
        fi
    done
done
for p in "${ORDER[@]}"; do
    if ! path_ok "$p"; then put "get.$p" "" MB/s "$(why_not "$p")"; continue; fi
    if [ -n "${GET_BEST[$p]:-}" ]; then
        put "get.$p" "$(awk -v b="${GET_BEST[$p]}" 'BEGIN{printf "%.0f", b/1e6}')" MB/s \
            "best of $GET_RUNS rounds${GET_ERR[$p]:+; a round failed: ${GET_ERR[$p]}}"
    else
        put "get.$p" "" MB/s "failed: ${GET_ERR[$p]:-no run}"
    fi
done
for p in halt_run_connect srt_connect; do
    peak=$(cat "$WORK"/rss.$p.* 2>/dev/null | sort -n | tail -1)
    if [ -n "$peak" ] && [ "$peak" -gt 0 ] && [ -n "$(get get.$p)" ]; then
        put "rss.$p" "$(awk -v k="$peak" 'BEGIN{printf "%.0f", k/1024}')" MiB "process tree during the GET, curl excluded"
    else
        put "rss.$p" "" MiB "no successful run to sample"
    fi
done

# ---------------------------------------------------------------- connection rate
# In rounds, every path once per round in a rotating order: on a VM with CPU steal the machine's
# speed drifts within a run, and paths measured minutes apart compared that drift, not the
# proxies (the same script gave halt/tinyproxy 0.60x and 1.37x an hour apart). A ratio is the
# median of the per-round ratios. Rate = requests / the sum of their curl times: the sandboxed
# paths' wall time would also hold the sandbox's own start, once per round. Those paths start a
# fresh sandbox each round, so their rows include 20 warm-ups of its proxy.
say "new connection per request ($CONN_REQS requests per path, in $CONN_ROUNDS rounds)"
per_round=$((CONN_REQS / CONN_ROUNDS))
for _ in $(seq 1 "$per_round"); do echo "url = \"$URL_SMALL\""; echo 'output = "/dev/null"'; done > cfg/urls
declare -A CONN_FAILED=()
for round in $(seq 1 "$CONN_ROUNDS"); do
    for p in $(rotated_order "$round" "${CONN_ORDER[@]}"); do
        path_ok "$p" || continue
        [ -n "${CONN_FAILED[$p]:-}" ] && continue
        if over_budget; then CONN_FAILED[$p]="skipped: time budget"; continue; fi
        run_curl "$p" 120 -s -H 'Connection: close' -K cfg/urls -w '%{http_code} %{time_total} %{num_connects}\n' \
            > "$WORK/conn.$p.$round" 2>"$WORK/conn.err"
        ok=$(awk '$1==200' "$WORK/conn.$p.$round" | wc -l)
        if [ "$ok" -ne "$per_round" ]; then
            CONN_FAILED[$p]="failed: $ok/$per_round OK in round $round; $(head -c 160 "$WORK/conn.err" | tr '\n\t' '  ')"
            continue
        fi
        awk '{ t += $2 } END { printf "%.1f\n", NR / t }' "$WORK/conn.$p.$round" >> "$WORK/conn.$p.rates"
    done
done
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for p in "${CONN_ORDER[@]}"; do
    if ! path_ok "$p"; then put "conn.$p" "" req/s "$(why_not "$p")"; continue; fi
    if [ -n "${CONN_FAILED[$p]:-}" ]; then put "conn.$p" "" req/s "${CONN_FAILED[$p]}"; continue; fi
    rate=$(median < "$WORK/conn.$p.rates")
    read -r p50 p99 newc < <(cat "$WORK"/conn."$p".[0-9]* | awk '{print $2*1000, $3}' | sort -n | awk '
        { t[NR]=$1; c+=$2 } END { printf "%.2f %.2f %d", t[int(NR*0.5)], t[int(NR*0.99)], c }')
    put "conn.$p" "$(printf '%.0f' "$rate")" req/s "median of $CONN_ROUNDS rounds; p50 $p50 ms, p99 $p99 ms, $newc new connections"
done
# The supervisor's cost: with / without, per round, then the median.
a=$WORK/conn.halt_rootless_connect.rates b=$WORK/conn.halt_rootless_nosup_connect.rates
if [ -s "$a" ] && [ -s "$b" ] && [ "$(wc -l < "$a")" = "$(wc -l < "$b")" ]; then
    put "conn.ratio.supervisor" "$(paste "$a" "$b" | awk '{ printf "%.4f\n", $1 / $2 }' | median)" x \
        "rootless proxy_only, with / without the supervisor, median of per-round ratios: $(paste "$a" "$b" | awk '{ printf "%.2f ", $1 / $2 }')"
fi
# A rootless proxy_only run with one request, start to exit, with and without the supervisor: a
# thread left blocked in native code at exit would add up to 300 ms (HotSpot waits for it).
if have hyperfine && path_ok halt_rootless_connect && ! over_budget; then
    for who in halt_rootless halt_rootless_nosup; do
        off=""
        [ $who = halt_rootless_nosup ] && off=-Dhalt.supervisor=off
        hf "once.$who" "${ROOTLESS[@]}" "$JDK/bin/java" "${JFLAGS[@]}" $off -jar "$HALT_JAR" run --no-config \
            --config cfg/run-proxy.toml -- sh -c 'exec curl -s -o /dev/null --noproxy "" -p -x "$HTTP_PROXY" "$1"' curl "$URL_SMALL"
    done
fi

# One request through the proxy, start to exit, against `-- true` (issue 14): HotSpot's own exit waits up
# to 300 ms for threads in native code, and after a proxied request the JDK's I/O poller is one; halt ends
# with exit_group instead. bin/halt as a user runs it, proxy_only (netns as root), in ONCE_PAIRS pairs of
# runs, the two in alternating order (a loaded 2-core VM drifts by more than the gap within a minute); the
# gap is the median of the per-pair gaps. It holds curl's own start and request (the bare curl row) and
# the proxy's first request in a fresh JVM.
ONCE_PAIRS=21
[ $QUICK = 1 ] && ONCE_PAIRS=9
ms_of() { # command...: its wall time in ms (output discarded), or nothing when it failed
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || return 1
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f\n", (b - a) / 1e6 }'
}
if [ $NGINX_OK = 1 ]; then
    say "one request through halt's proxy, start to exit, against -- true ($ONCE_PAIRS pairs)"
    once_true=("$ROOT/bin/halt" run --no-config --config cfg/run-proxy.toml -- /bin/true)
    once_request=("$ROOT/bin/halt" run --no-config --config cfg/run-proxy.toml -- sh -c \
        'exec curl -s -o /dev/null --noproxy "" -p -x "$HTTP_PROXY" "$1"' curl "$URL_SMALL")
    : > "$WORK/once.gaps"; : > "$WORK/once.true"; : > "$WORK/once.request"
    if "${once_request[@]}" >/dev/null 2>"$WORK/once.err" && "${once_true[@]}" >/dev/null 2>&1; then
        for pair in $(seq 1 "$ONCE_PAIRS"); do
            over_budget && break
            if [ $((pair % 2)) = 1 ]; then
                a=$(ms_of "${once_true[@]}") && b=$(ms_of "${once_request[@]}") || continue
            else
                b=$(ms_of "${once_request[@]}") && a=$(ms_of "${once_true[@]}") || continue
            fi
            echo "$a" >> "$WORK/once.true"; echo "$b" >> "$WORK/once.request"
            awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f\n", b - a }' >> "$WORK/once.gaps"
        done
        if [ -s "$WORK/once.gaps" ]; then
            n=$(wc -l < "$WORK/once.gaps")
            put once.proxy.true "$(median < "$WORK/once.true")" ms "bin/halt run proxy_only -- true; median of $n"
            put once.proxy.request "$(median < "$WORK/once.request")" ms "the same with one curl GET through the proxy; median of $n"
            put once.proxy.gap "$(median < "$WORK/once.gaps")" ms "median of $n per-pair gaps; $(sort -g "$WORK/once.gaps" | awk '{ v[NR] = $1 } END { printf "quartiles %s / %s", v[int((NR + 3) / 4)], v[int((3 * NR + 3) / 4)] }')"
        else
            put once.proxy.gap "" ms "skipped: time budget"
        fi
        if have hyperfine; then hf once.curl curl -s -o /dev/null "$URL_SMALL"; fi
    else
        put once.proxy.gap "" ms "halt run with a request failed: $(head -c 160 "$WORK/once.err" | tr '\n\t' '  ')"
    fi
fi

# ---------------------------------------------------------------- start, before and after
# --before DIR: what a change did to start time. Two builds measured one after the other drift apart
# on this VM by more than a 10 ms change, so each round runs both, in alternating order.
BEFORE_ROUNDS=20
[ $QUICK = 1 ] && BEFORE_ROUNDS=6
if [ -n "$BEFORE" ]; then
    say "start before ($BEFORE, $(git -C "$BEFORE" rev-parse --short HEAD 2>/dev/null)) and after, $BEFORE_ROUNDS rounds"
    "$BEFORE/bin/halt" --version >/dev/null 2>&1   # builds it and its start-up cache once, unmeasured
    mkdir -p "$WORK/ab-run" "$WORK/ab-home"
    chmod 777 "$WORK/ab-run" "$WORK/ab-home"
    identities=(self)
    [ "$(id -u)" = 0 ] && identities+=(rootless)
    for who in "${identities[@]}"; do
        as=(env HOME="$WORK/ab-home" XDG_CONFIG_HOME="$WORK/ab-home/.config" XDG_STATE_HOME="$WORK/ab-home/.state")
        [ "$who" = rootless ] && as=(setpriv --reuid=65534 --regid=65534 --clear-groups "${as[@]}")
        for mode in unrestricted blocked localhost_only proxy_only; do
            over_budget && break
            : > "$WORK/ab.before"; : > "$WORK/ab.after"
            b=("${as[@]}" "$BEFORE/bin/halt" run --no-config --config "$WORK/cfg/start.toml" --network "$mode" -- /bin/true)
            a=("${as[@]}" "$ROOT/bin/halt" run --no-config --config "$WORK/cfg/start.toml" --network "$mode" -- /bin/true)
            if ! (cd "$WORK/ab-run" && "${b[@]}" >/dev/null 2>&1 && "${a[@]}" >/dev/null 2>&1); then
                put "ab.$who.$mode" "" ms "a run failed: $(cd "$WORK/ab-run" && "${a[@]}" 2>&1 >/dev/null | head -c 160 | tr '\n\t' '  ')"
                continue
            fi
            for round in $(seq 1 "$BEFORE_ROUNDS"); do
                if [ $((round % 2)) = 1 ]; then
                    x=$(cd "$WORK/ab-run" && ms_of "${b[@]}") && y=$(cd "$WORK/ab-run" && ms_of "${a[@]}") || continue
                else
                    y=$(cd "$WORK/ab-run" && ms_of "${a[@]}") && x=$(cd "$WORK/ab-run" && ms_of "${b[@]}") || continue
                fi
                echo "$x" >> "$WORK/ab.before"; echo "$y" >> "$WORK/ab.after"
            done
            n=$(wc -l < "$WORK/ab.after")
            put "ab.$who.$mode.before" "$(median < "$WORK/ab.before")" ms "bin/halt run -- true, $who, before; median of $n"
            put "ab.$who.$mode.after" "$(median < "$WORK/ab.after")" ms "the same, this build; median of $n"
        done
    done
fi

# X / tinyproxy per round, then the median: both measured within seconds of each other.
for pair in halt:connect halt:http floor_loop:connect floor_loop:http floor_early:connect floor_virtual:connect floor_virtual:http; do
    who=${pair%:*} kind=${pair#*:}
    a=$WORK/conn.${who}_$kind.rates b=$WORK/conn.tinyproxy_$kind.rates
    if [ -s "$a" ] && [ -s "$b" ] && [ "$(wc -l < "$a")" = "$(wc -l < "$b")" ]; then
        put "conn.ratio.$who.$kind" "$(paste "$a" "$b" | awk '{ printf "%.4f\n", $1 / $2 }' | median)" x \
            "$who / tinyproxy, median of per-round ratios: $(paste "$a" "$b" | awk '{ printf "%.2f ", $1 / $2 }')"
    fi
done

# ---------------------------------------------------------------- table
ratio() { # a b -> a/b or "n/a"
    local a=$1 b=$2
    if [ -z "$a" ] || [ -z "$b" ] || [ "$b" = 0 ]; then echo "n/a"; else awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2fx", a/b}'; fi
}
verdict() { # value op target
    local v=${1%x}
    [ "$1" = n/a ] && { echo "not measured"; return; }
    awk -v v="$v" -v op="$2" -v t="$3" 'BEGIN{ ok = (op=="<=") ? v<=t : v>=t; print ok ? "MET" : "MISSED" }'
}

{
echo "halt compare.sh -- $(date -u '+%Y-%m-%d %H:%M UTC') -- $(uname -srm), $(nproc) cores, \
$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $("$JDK/bin/java" -version 2>&1 | head -1)"
echo
printf '%-34s %12s %-6s  %s\n' "measurement" "value" "unit" "note"
printf '%-34s %12s %-6s  %s\n' "----------------------------------" "------------" "------" "----"
while IFS=$'\t' read -r k v u n; do
    printf '%-34s %12s %-6s  %s\n' "$k" "${v:--}" "$u" "$n"
done < "$RES"
echo
echo "targets (issue 6), ratios halt / peer:"
t1=$(ratio "$(get start.halt.unrestricted)" "$(get start.srt)")
t2=$(ratio "$(get start.halt.unrestricted)" "$(get start.jvm)")
t1p=$(ratio "$(get start.halt.proxy_only)" "$(get start.srt)")
t3=$(ratio "$(get get.halt_connect)" "$(get get.srt_connect)")
t3r=$(ratio "$(get get.halt_run_connect)" "$(get get.srt_connect)")
t4=$(ratio "$(get get.halt_connect)" "$(get get.tinyproxy_connect)")
t5=$(ratio "$(get get.halt_connect)" "$(get get.direct)")
t6=$(ratio "$(get conn.ratio.halt.connect)" 1)
t6h=$(ratio "$(get conn.ratio.halt.http)" 1)
t7=$(ratio "$(get rss.halt_run_connect)" "$(get rss.srt_connect)")
printf '  %-52s %8s  %s\n' "start unrestricted / srt            (<= 0.25)" "$t1" "$(verdict "$t1" '<=' 0.25)"
printf '  %-52s %8s  %s\n' "start proxy_only / srt             (<= 0.25)" "$t1p" "$(verdict "$t1p" '<=' 0.25)"
printf '  %-52s %8s  %s\n' "start unrestricted / JVM Hello     (<= 1.6)" "$t2" "$(verdict "$t2" '<=' 1.6)"
printf '  %-52s %8s  %s\n' "GET via CONNECT / srt              (>= 3)" "$t3" "$(verdict "$t3" '>=' 3)"
printf '  %-52s %8s  %s\n' "GET halt run / srt (both sandboxed) (>= 3)" "$t3r" "$(verdict "$t3r" '>=' 3)"
printf '  %-52s %8s  %s\n' "GET via CONNECT / tinyproxy        (>= 2)" "$t4" "$(verdict "$t4" '>=' 2)"
printf '  %-52s %8s  %s\n' "GET via CONNECT / direct           (>= 0.6)" "$t5" "$(verdict "$t5" '>=' 0.6)"
printf '  %-52s %8s  %s\n' "new connections CONNECT / tinyproxy (>= 1.2)" "$t6" "$(verdict "$t6" '>=' 1.2)"
printf '  %-52s %8s  %s\n' "new connections plain HTTP / tinyproxy (>= 1.2)" "$t6h" "$(verdict "$t6h" '>=' 1.2)"
printf '  %-52s %8s  %s\n' "peak RSS halt run / srt            (<= 1)" "$t7" "$(verdict "$t7" '<=' 1)"
gap=$(get once.proxy.gap)
printf '  %-52s %8s  %s\n' "one request, start to exit, minus -- true (<= 20 ms)" "${gap:-n/a}" \
    "$( [ -n "$gap" ] && awk -v g="$gap" 'BEGIN{ print (g <= 20) ? "MET" : "MISSED" }' || echo "not measured")"
t8=$(ratio "$(get conn.ratio.supervisor)" 1)
printf '  %-52s %8s  %s\n' "new connections rootless, supervisor / without (>= 0.8)" "$t8" "$(verdict "$t8" '>=' 0.8)"
printf '  %-52s %8s\n' "one request rootless, start to exit, supervisor / without" "$(ratio "$(get once.halt_rootless)" "$(get once.halt_rootless_nosup)")"
if [ -n "$BEFORE" ]; then
    echo
    echo "start of bin/halt run -- true, before ($(git -C "$BEFORE" rev-parse --short HEAD 2>/dev/null)) -> after ($(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)), medians:"
    for who in self rootless; do
        for mode in unrestricted blocked localhost_only proxy_only; do
            x=$(get "ab.$who.$mode.before") y=$(get "ab.$who.$mode.after")
            [ -n "$x" ] && [ -n "$y" ] || continue
            printf '  %-10s %-16s %8s ms -> %8s ms  %s\n' "$who" "$mode" "$x" "$y" \
                "$(awk -v a="$x" -v b="$y" 'BEGIN { printf "%+.1f%%", (b - a) / a * 100 }')"
        done
    done
fi
echo
echo "the floor of the connection rows (FloorProxy: no policy, resolver or log) / tinyproxy:"
printf '  %-52s %8s\n' "event loop, CONNECT" "$(ratio "$(get conn.ratio.floor_loop.connect)" 1)"
printf '  %-52s %8s\n' "event loop, plain HTTP" "$(ratio "$(get conn.ratio.floor_loop.http)" 1)"
printf '  %-52s %8s\n' "event loop, 200 before the upstream connect, CONNECT" "$(ratio "$(get conn.ratio.floor_early.connect)" 1)"
printf '  %-52s %8s\n' "a virtual thread per connection, CONNECT" "$(ratio "$(get conn.ratio.floor_virtual.connect)" 1)"
printf '  %-52s %8s\n' "a virtual thread per connection, plain HTTP" "$(ratio "$(get conn.ratio.floor_virtual.http)" 1)"
echo
echo "elapsed: $((SECONDS - START_SECONDS)) s"
} | tee "$ROOT/bench/target/compare-last.txt"
