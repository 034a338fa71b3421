#!/bin/sh
# What halt adds to an agent CLI's start: `AGENT --version` bare and under
# `halt run --no-config --config configs/AGENT.toml`, the median of N runs of each (default 7),
# alternating, as whoever runs it (as root: halt's privileged mode). The CLIs come from the agent
# tests' cache (bin/test-agents installs them: $HALT_AGENTS_CACHE, else /var/cache/halt-agents as
# root, else ~/.cache/halt-agents). halt runs as bin/halt does (its start-up cache included), with
# a scratch home holding each profile's state directories. POSIX sh; python3 for the clock.
set -eu
self=$0
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f "$0" 2>/dev/null || echo "$0"); fi
HALT_HOME=$(cd "$(dirname "$self")/.." && pwd)
runs=${1:-7}
if [ -n "${HALT_AGENTS_CACHE:-}" ]; then cache=$HALT_AGENTS_CACHE
elif [ "$(id -u)" = 0 ]; then cache=/var/cache/halt-agents
else cache=$HOME/.cache/halt-agents; fi
"$HALT_HOME/bin/halt" --version >/dev/null    # builds halt and its start-up cache first
scratch=$(mktemp -d "$cache/bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/work"
for dir in .claude .codex .gemini .qwen .copilot .cache/copilot .config/opencode .local/share/opencode \
    .local/state/opencode .cache/opencode; do mkdir -p "$scratch/home/$dir"; done
cp /etc/skel/.profile /etc/skel/.bashrc "$scratch/home/" 2>/dev/null || true
# The reference row: /bin/true under a proxy-mode profile of its own, what halt alone costs.
printf '[sandbox]\nnetwork = { mode = "proxy_only" }\n' >"$scratch/true.toml"
mkdir -p "$scratch/true/node_modules/.bin"
ln -s /bin/true "$scratch/true/node_modules/.bin/true"
printf '%-9s %-28s %9s %9s %9s\n' agent version bare halt added
for profile in "$scratch/true.toml" "$HALT_HOME"/configs/*.toml; do
    name=$(basename "$profile" .toml)
    if [ "$name" = true ]; then install=$scratch/true
    else install=$(for d in "$cache"/npm/*; do [ -x "$d/node_modules/.bin/$name" ] && echo "$d"; done | tail -1); fi
    if [ -z "$install" ]; then echo "$name: not in $cache (run bin/test-agents first)" >&2; continue; fi
    (cd "$scratch/work" && HOME=$scratch/home JAVA_TOOL_OPTIONS=-Duser.home=$scratch/home \
        PATH=$install/node_modules/.bin:/usr/local/bin:/usr/bin:/bin python3 - "$runs" "$name" "$install" "$profile" \
        "$HALT_HOME/bin/halt" <<'PY'
import os, statistics, subprocess, sys, time
runs, name, install, profile, halt = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
args = [] if name == "true" else ["--version"]
bare = [name] + args
halted = [halt, "run", "--no-config", "--config", profile, "--read", install, "--", name] + args
def once(cmd):
    start = time.monotonic()
    out = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    if out.returncode != 0:
        sys.exit("%s: exit %d: %s" % (" ".join(cmd), out.returncode, out.stderr.decode()[-400:]))
    lines = out.stdout.decode().strip().splitlines()
    return (time.monotonic() - start) * 1000, lines[0] if lines else "(none)"
once(bare); once(halted)   # warm the page cache
times = {"bare": [], "halt": []}
for _ in range(runs):
    times["bare"].append(once(bare)[0])
    times["halt"].append(once(halted)[0])
b, h = statistics.median(times["bare"]), statistics.median(times["halt"])
print("%-9s %-28s %7.0f ms %7.0f ms %7.0f ms" % (name, once(bare)[1][:28], b, h, h - b))
PY
    ) 2>&1 | grep -v '^Picked up JAVA_TOOL_OPTIONS'
done
