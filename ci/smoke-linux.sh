#!/bin/sh
# Smoke test of halt on Linux: the real bin/halt (or $HALT) as whoever runs this script. CI runs
# it as the runner user (rootless: Landlock, seccomp and the supervisor) and as root through sudo
# (namespaces; the command runs as the runner user); `setpriv --reuid=65534 --regid=65534
# --clear-groups` runs it as an unprivileged user from root. Checks: a write outside the grants,
# a fake ~/.ssh/id_rsa, the proxy's allowlist against a server on 127.0.0.1, a raw-IP connect,
# exit statuses 0/1/125/126/127. Needs python3 and curl. POSIX sh.
set -eu
HALT_HOME=$(cd "$(dirname "$0")/.." && pwd -P)
. "$HALT_HOME/ci/smoke-common.sh"

smoke_setup smoke-linux
smoke_exit_codes
smoke_writes
smoke_secret
smoke_proxy
smoke_finish
