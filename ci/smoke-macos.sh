#!/bin/sh
# Smoke test of halt on macOS (Seatbelt): the real bin/halt (or $HALT) as the user who runs it,
# on a macOS runner of the GitHub workflow (nothing here can run it on Linux). The checks of
# ci/smoke-linux.sh -- a write outside the grants, a fake ~/.ssh/id_rsa, the proxy's allowlist
# against a server on 127.0.0.1, a raw-IP connect, exit statuses 0/1/125/126/127 -- plus:
# `open` and `osascript` refused (they would start programs outside the sandbox: lsopen, Apple
# events), and `ps -E` from inside showing none of halt's environment (kern.procargs2). The
# scratch directory lies under $HALT_SMOKE_DIR, else $RUNNER_TEMP, else $HOME: never under
# $TMPDIR, which halt grants on macOS. Needs python3 and curl. POSIX sh.
set -eu
HALT_HOME=$(cd "$(dirname "$0")/.." && pwd -P)
. "$HALT_HOME/ci/smoke-common.sh"

HALT_SMOKE_DIR=${HALT_SMOKE_DIR:-${RUNNER_TEMP:-$HOME}}
smoke_setup smoke-macos
tmpdir=$(cd "${TMPDIR:-/tmp}" && pwd -P)
case $(cd "$base" && pwd -P)/ in
    "$tmpdir"/*)
        echo "smoke-macos: $base lies under \$TMPDIR ($tmpdir), which halt grants: set HALT_SMOKE_DIR elsewhere" >&2
        exit 1
        ;;
esac

# `open` asks LaunchServices to start an app outside the sandbox; an Apple event asks a running
# app (Terminal) to run a command there. Either would be a way out.
smoke_launchers() {
    HALT_SMOKE_TIMEOUT=20 smoke_run -- open -a TextEdit
    if [ "$rc" != 0 ] && [ "$rc" != 127 ] && [ "$rc" != 143 ]; then
        smoke_ok "open -a TextEdit is refused (exit $rc)"
    else
        smoke_fail "open -a TextEdit: exit $rc (127: no open here; 143: it hung until killed)"
    fi
    for pid in $(pgrep -x TextEdit 2>/dev/null || true); do
        smoke_fail "TextEdit runs (pid $pid): open got out of the sandbox"
        kill "$pid" 2>/dev/null || true
    done
    HALT_SMOKE_TIMEOUT=20 smoke_run -- osascript -e \
        "tell application \"Terminal\" to do script \"touch '$outside/escaped'\""
    sleep 2
    if [ "$rc" != 0 ] && [ "$rc" != 127 ] && [ "$rc" != 143 ] && [ ! -e "$outside/escaped" ]; then
        smoke_ok "osascript cannot make Terminal run a command outside the sandbox (exit $rc)"
    else
        smoke_fail "osascript to Terminal: exit $rc (127: no osascript here; 143: it hung until killed), file made outside: $([ -e "$outside/escaped" ] && echo yes || echo no)"
    fi
}

# kern.procargs2 hands out another process's argv and environment; halt's environment holds
# what it does not pass to the command (API keys). The pattern "HALT_SMOKE_TOKE[N]=" does not
# match itself in ps's listing of grep.
smoke_environment() {
    HALT_SMOKE_TOKEN=smoke-$$
    export HALT_SMOKE_TOKEN
    # shellcheck disable=SC2016 # $PPID is the sandboxed shell's
    smoke_run -- sh -c 'ps -E -ww -p "$PPID" -o command=; ps -E -ww -ax -o command= | grep -c "HALT_SMOKE_TOKE[N]="'
    if ! out_has 'HALT_SMOKE_TOKEN='; then
        smoke_ok "ps -E from inside shows none of halt's environment (exit $rc)"
    else
        smoke_fail "ps -E from inside showed halt's environment"
    fi
    # The same from outside, while halt runs: whether there was anything to hide at all.
    (cd "$ws" && exec "$HALT" run --no-config -- sleep 5) </dev/null >/dev/null 2>&1 &
    halt_pid=$!
    sleep 3
    if ps -E -ww -p "$halt_pid" -o command= 2>/dev/null | grep -q 'HALT_SMOKE_TOKEN='; then
        echo "      (outside the sandbox, ps -E shows halt's environment: the check above is meaningful)"
    else
        echo "      note: ps -E does not show halt's environment even outside the sandbox; the check above proves nothing here"
    fi
    wait "$halt_pid" || true
    unset HALT_SMOKE_TOKEN
}

smoke_exit_codes
smoke_writes
smoke_secret
smoke_proxy
smoke_launchers
smoke_environment
smoke_finish
