#!/usr/bin/env bash
# The cost of halt's supervisor for metadata calls (issue 13), rootless (as user 65534 when run as
# root): in the run's workspace (a write grant), the mode of 10,000 files changed by
# `find -type f -exec chmod 644 {} +` and by a Python loop of os.chmod, and a tar of 5,000 files
# unpacked with their modes and times (`tar -xpf`, an npm-like install), each timed inside the
# command (halt's start is not counted). Three ways per round, in turn: no sandbox, halt with its
# supervisor, halt without it (-Dhalt.supervisor=off: metadata not checked); medians of ROUNDS.
#
#   bench/metadata.sh [ROUNDS]        (default 5; ~1 minute here)
#
# Touches nothing outside a temporary directory it makes and removes.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
. "$ROOT/bin/jdk.sh"
JDK=$(halt_find_jdk) || { echo "no JDK >= 22" >&2; exit 125; }
HALT_JAR=$ROOT/cli/target/halt.jar
if [ ! -f "$HALT_JAR" ]; then
    (cd "$ROOT" && JAVA_HOME=$JDK mvn -B -q -DskipTests -pl cli -am package) >&2 || exit 125
fi
JFLAGS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/halt-metadata-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
[ "$(id -u)" = 0 ] && chown 65534:65534 "$WORK"
# halt's state and config outside the workspace (the run's working directory, a write grant).
AS=(env HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/home/.local/state" PATH=/usr/bin:/bin)
if [ "$(id -u)" = 0 ]; then
    command -v setpriv >/dev/null || { echo "setpriv is missing (root drops to user 65534 with it)" >&2; exit 125; }
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups "${AS[@]}")
fi

# The files: 100 directories of 100 files to chmod, and a tar of 50 directories of 100 files with
# assorted modes and old times.
"${AS[@]}" python3 - "$WORK" <<'PY'
import os, sys, tarfile
work = sys.argv[1] + '/ws'
os.makedirs(sys.argv[1] + '/home')
for d in range(100):
    os.makedirs(f'{work}/files/d{d:02}')
    for f in range(100):
        open(f'{work}/files/d{d:02}/f{f:02}', 'w').close()
os.makedirs(f'{work}/src')
for d in range(50):
    os.makedirs(f'{work}/src/pkg{d:02}/lib')
    for f in range(100):
        p = f'{work}/src/pkg{d:02}/lib/m{f:02}.js'
        with open(p, 'w') as out:
            out.write('module.exports = %d;\n' % f)
        os.chmod(p, 0o755 if f % 10 == 0 else 0o644)
        os.utime(p, (1_600_000_000 + f, 1_600_000_000 + f))
with tarfile.open(f'{work}/src.tar', 'w') as tar:
    tar.add(f'{work}/src', arcname='package')
PY

# One measurement inside the command: milliseconds of each of the three workloads.
MEASURE='
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
t=$(date +%s%N); find files -type f -exec chmod 644 {} +; echo "find=$(ms $t)"
python3 -c "
import os, time
paths = [os.path.join(d, f) for d, _, fs in os.walk(\"files\") for f in fs]
t = time.perf_counter()
for p in paths: os.chmod(p, 0o600)
print(\"python=%d\" % ((time.perf_counter() - t) * 1000))"
rm -rf out; mkdir out; t=$(date +%s%N); tar -xpf src.tar -C out; echo "tar=$(ms $t)"
n=$(find out -type f | wc -l); [ "$n" = 5000 ] || echo "tar unpacked $n files" >&2
'

declare -A R
for ((i = 0; i < ROUNDS; i++)); do
    for way in native supervised unsupervised; do
        case $way in
            native) out=$(cd "$WORK/ws" && "${AS[@]}" sh -c "$MEASURE") ;;
            supervised) out=$(cd "$WORK/ws" && "${AS[@]}" "$JDK/bin/java" "${JFLAGS[@]}" -jar "$HALT_JAR" run --no-config -- sh -c "$MEASURE") ;;
            unsupervised) out=$(cd "$WORK/ws" && "${AS[@]}" "$JDK/bin/java" "${JFLAGS[@]}" -Dhalt.supervisor=off -jar "$HALT_JAR" \
                run --no-config -- sh -c "$MEASURE") ;;
        esac
        for kv in $out; do R[$way.${kv%%=*}]+="${kv#*=} "; done
    done
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
printf '%-44s %10s %12s %14s %8s\n' "workload (ms, median of $ROUNDS)" native supervised unsupervised "sup/uns"
for w in find python tar; do
    n=$(echo "${R[native.$w]}" | median); s=$(echo "${R[supervised.$w]}" | median); u=$(echo "${R[unsupervised.$w]}" | median)
    case $w in
        find) label="find -exec chmod 644 {} +, 10k files" ;;
        python) label="python os.chmod loop, 10k files" ;;
        tar) label="tar -xpf, 5k files (modes, times)" ;;
    esac
    printf '%-44s %10s %12s %14s %8s\n' "$label" "$n" "$s" "$u" "$(awk -v a="$s" -v b="$u" 'BEGIN { printf "%.1fx", a / (b > 0 ? b : 1) }')"
    echo "  rounds: native ${R[native.$w]}| supervised ${R[supervised.$w]}| unsupervised ${R[unsupervised.$w]}"
done
