#!/usr/bin/env bash
# The rootless supervisor's cost per connection (issue 13), alone: compare.sh's rows "new connections
# rootless, supervisor / without", for one or two builds, in more rounds. A rootless
# `halt run --network proxy_only` (as user 65534 when run as root) whose curl makes REQUESTS requests
# of 1 KiB from a local nginx through the proxy's CONNECT, each on a new connection
# (`Connection: close`); with halt's supervisor and without it (-Dhalt.supervisor=off: Landlock's
# port rule alone). Every round runs each build both ways, in an order that rotates from round to
# round (a shared 2-vCPU VM drifts within a minute); a fresh halt per run, as compare.sh does. Prints
# each round's rates (requests / the sum of curl's times) and, per build, each round's ratio of with to
# without and their median.
#
#   bench/supervisor.sh [ROUNDS [REQUESTS [OTHER_HALT_JAR]]]   (defaults 20, 100: ~1 minute here)
#
# OTHER_HALT_JAR: another build's cli/target/halt.jar (e.g. the one before a change), measured in the
# same rounds. Network rule: nginx and the proxy on 127.0.0.1 only; halt's upstream DNS a closed
# loopback port. Touches nothing outside a temporary directory it makes and removes; stops nginx by PID.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-20}
REQUESTS=${2:-100}
OTHER=${3:-}
. "$ROOT/bin/jdk.sh"
JDK=$(halt_find_jdk) || { echo "no JDK >= 22" >&2; exit 125; }
HALT_JAR=$ROOT/cli/target/halt.jar
if [ ! -f "$HALT_JAR" ]; then
    (cd "$ROOT" && JAVA_HOME=$JDK mvn -B -q -DskipTests -pl cli -am package) >&2 || exit 125
fi
[ -z "$OTHER" ] || [ -f "$OTHER" ] || { echo "$0: no such jar: $OTHER" >&2; exit 2; }
command -v nginx >/dev/null && command -v curl >/dev/null || { echo "$0: needs nginx and curl" >&2; exit 125; }
# The same JVM flags as bin/halt and compare.sh's rootless rows (no start-up cache).
JFLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
AS=(env HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent)
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "setpriv is missing (root drops to user 65534 with it)" >&2; exit 125; }
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups "${AS[@]}")
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/halt-supervisor-bench.XXXXXX")
chmod 755 "$WORK"
NGINX_PID=""
cleanup() {
    if [ -n "$NGINX_PID" ]; then
        kill "$NGINX_PID" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$NGINX_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK" || exit 1
mkdir -p www cfg ngx
head -c 1024 /dev/zero > www/small

. "$ROOT/bench/setup.sh"
NGINX_PORT=$(free_port)
DNS_PORT=$(free_port)   # nothing listens there
write_nginx_conf "$NGINX_PORT"
nginx -c "$WORK/cfg/nginx.conf" 2>"$WORK/ngx/stderr" &
NGINX_PID=$!
wait_port "$NGINX_PORT" "$NGINX_PID" || { echo "$0: nginx did not start: $(head -c 200 ngx/stderr)" >&2; exit 125; }

write_run_proxy_config "$DNS_PORT"
for _ in $(seq 1 "$REQUESTS"); do echo "url = \"http://localhost:$NGINX_PORT/small\""; echo 'output = "/dev/null"'; done > cfg/urls

# Variants: this build with and without the supervisor, then the other build's.
VARIANTS=("this:on" "this:off")
declare -A JAR=([this]=$HALT_JAR)
if [ -n "$OTHER" ]; then VARIANTS+=("other:on" "other:off"); JAR[other]=$OTHER; fi
n=${#VARIANTS[@]}

# One run: its rate (requests/s), or "fail".
rate() {
    local build=$1 way=$2 off=() out
    [ "$way" = off ] && off=(-Dhalt.supervisor=off)
    out=$(timeout 120 "${AS[@]}" "$JDK/bin/java" "${JFLAGS[@]}" "${off[@]}" -jar "${JAR[$build]}" run --no-config \
        --config cfg/run-proxy.toml -- sh -c 'exec curl --noproxy "" -p -x "$HTTP_PROXY" "$@"' curl \
        -s -H 'Connection: close' -K cfg/urls -w '%{http_code} %{time_total}\n' 2>/dev/null)
    if [ "$(echo "$out" | awk '$1 == 200' | wc -l)" -ne "$REQUESTS" ]; then echo fail; return; fi
    echo "$out" | awk '{ t += $2 } END { printf "%.1f", NR / t }'
}

printf 'round'; printf '\t%s' "${VARIANTS[@]}"; echo
for round in $(seq 1 "$ROUNDS"); do
    declare -A got=()
    for i in $(seq 0 $((n - 1))); do
        v=${VARIANTS[$(( (i + round) % n ))]}
        got[$v]=$(rate "${v%:*}" "${v#*:}")
    done
    printf '%s' "$round"
    for v in "${VARIANTS[@]}"; do printf '\t%s' "${got[$v]}"; echo "${got[$v]}" >> "$WORK/$v"; done
    echo
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for build in this ${OTHER:+other}; do
    ratios=$(paste "$WORK/$build:on" "$WORK/$build:off" | awk '$1 != "fail" && $2 != "fail" { printf "%.3f\n", $1 / $2 }')
    echo "$build (${JAR[$build]}): with / without per round: $(echo "$ratios" | tr '\n' ' ')"
    echo "  median $(echo "$ratios" | median)x; rates, medians: with $(grep -v fail "$WORK/$build:on" | median), without $(grep -v fail "$WORK/$build:off" | median) req/s"
done
