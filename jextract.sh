#!/bin/sh
# Regenerates the Linux bindings of ffm-bindings from the system headers with jextract
# (https://jdk.java.net/jextract, not on Maven Central or in Debian: put it on PATH or set JEXTRACT).
#
# jextract writes its own classes into ffm-bindings/target/jextract; with --apply, the struct
# classes (the pure layouts) replace those in src/main/java. What jextract cannot express stays
# hand-written and is never touched here: errno capture (Errno, LibC, the *_h function holders),
# the variadic syscall(2) (unistd_h), per-architecture numbers (Syscalls), Landlock values newer
# than the installed headers (marked "by hand" in landlock_h), and macOS sandbox_h. The header
# probe test (HeaderProbeTest) checks every value either way.
set -eu

cd "$(dirname "$0")"
JEXTRACT=${JEXTRACT:-jextract}
if ! command -v "$JEXTRACT" >/dev/null 2>&1; then
    echo "jextract.sh: jextract not found; download it from https://jdk.java.net/jextract and put it on PATH" >&2
    exit 1
fi
apply=false
[ "${1:-}" = "--apply" ] && apply=true

out=ffm-bindings/target/jextract
pkg=dev.halt.ffm.linux
rm -rf "$out"
mkdir -p "$out"
hdr=$(mktemp "${TMPDIR:-/tmp}/halt-headers.XXXXXX.h")
trap 'rm -f "$hdr"' EXIT

gen() { # gen HEADER_CLASS HEADER... -- jextract include options...
    cls=$1; shift
    : >"$hdr"
    while [ "$1" != "--" ]; do echo "#include <$1>" >>"$hdr"; shift; done
    shift
    "$JEXTRACT" --output "$out" --target-package "$pkg" --header-class-name "$cls" "$@" "$hdr"
}

gen landlock_h linux/landlock.h -- \
    --include-struct landlock_ruleset_attr --include-struct landlock_path_beneath_attr \
    --include-struct landlock_net_port_attr --include-constant LANDLOCK_CREATE_RULESET_VERSION \
    --include-constant LANDLOCK_RULE_PATH_BENEATH
gen seccomp_h linux/seccomp.h linux/audit.h -- --include-struct seccomp_data --include-struct seccomp_notif \
    --include-struct seccomp_notif_resp --include-struct seccomp_notif_sizes \
    --include-constant SECCOMP_SET_MODE_FILTER --include-constant SECCOMP_RET_ERRNO \
    --include-constant SECCOMP_RET_ALLOW --include-constant AUDIT_ARCH_X86_64 --include-constant AUDIT_ARCH_AARCH64
gen filter_h linux/filter.h -- --include-struct sock_filter --include-struct sock_fprog
gen capability_h linux/capability.h -- --include-struct __user_cap_header_struct --include-struct __user_cap_data_struct
gen socket_h sys/socket.h sys/time.h netinet/in.h linux/netlink.h -- --include-struct sockaddr_nl --include-struct sockaddr_in \
    --include-struct sockaddr_in6 --include-struct nlmsghdr --include-struct nlmsgerr --include-struct timeval
gen mount_h linux/mount.h -- --include-struct mount_attr
gen rtnetlink_h linux/rtnetlink.h linux/if_addr.h -- --include-struct rtattr --include-struct ifinfomsg \
    --include-struct ifaddrmsg --include-struct rtmsg
gen inotify_h sys/inotify.h -- --include-struct inotify_event
gen poll_h poll.h sys/eventfd.h sys/uio.h -- --include-struct pollfd --include-struct iovec
gen audit_h linux/audit.h -- --include-struct audit_status --include-constant AUDIT_GET --include-constant AUDIT_SET

echo "jextract.sh: generated into $out" >&2
if $apply; then
    for f in "$out/$(echo "$pkg" | tr . /)"/*.java; do
        name=$(basename "$f")
        case $name in
            *_h.java|*_h\$*.java) continue ;;   # constant holders stay hand-maintained
        esac
        cp "$f" "ffm-bindings/src/main/java/$(echo "$pkg" | tr . /)/$name"
    done
    echo "jextract.sh: struct classes copied; run bin/test to compare them with the headers" >&2
fi
