# shellcheck shell=sh
# Sourced by bin/halt and bin/test: finds a JDK >= 22 and Maven options for it. POSIX sh.

HALT_MIN_JAVA=22

# Sets _release_version and _release_runtime from the JDK release file of home $1 (JAVA_VERSION
# and JAVA_RUNTIME_VERSION). Shell builtins only: the launcher runs this on every start.
halt_read_release() {
    _release_version=""
    _release_runtime=""
    [ -r "$1/release" ] || return 0
    while IFS= read -r _line || [ -n "$_line" ]; do
        case $_line in
            JAVA_VERSION=*) _release_version=${_line#JAVA_VERSION=} ;;
            JAVA_RUNTIME_VERSION=*) _release_runtime=${_line#JAVA_RUNTIME_VERSION=} ;;
        esac
    done < "$1/release"
    _release_version=${_release_version#\"}; _release_version=${_release_version%\"}
    _release_runtime=${_release_runtime#\"}; _release_runtime=${_release_runtime%\"}
}

# The major version of the JDK whose home is $1, from its release file, else from `java -version`.
halt_jdk_major() {
    halt_read_release "$1"
    _v=$_release_version
    if [ -z "$_v" ] && [ -x "$1/bin/java" ]; then
        _v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    case $_v in
        1.*) _v=${_v#1.} ;;
    esac
    _v=${_v%%[!0-9]*}
    [ -n "$_v" ] && echo "$_v"
}

# The home of a JDK (java and javac) for the `java` executable $1, following symlinks.
halt_home_of() {
    _real=$1
    if command -v readlink >/dev/null 2>&1; then _real=$(readlink -f "$1" 2>/dev/null || echo "$1"); fi
    _dir=${_real%/*}
    (cd "$_dir/.." 2>/dev/null && pwd)
}

# Where JDKs are installed, as globs; HALT_JDK_DIRS (a glob list) replaces them (the launcher's
# tests use it).
halt_jdk_globs() {
    _jdk_globs=${HALT_JDK_DIRS:-"/usr/lib/jvm/* ${HOME:-/nonexistent}/.sdkman/candidates/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home"}
}

# Prints the home of the first JDK >= 22 found in: JAVA_HOME, `java` on PATH, /usr/lib/jvm/*,
# ~/.sdkman/candidates/java/*, /Library/Java/JavaVirtualMachines/*/Contents/Home. Among the
# directories, the newest wins. Returns 1 when there is none.
halt_find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        _m=$(halt_jdk_major "$JAVA_HOME")
        if [ -n "$_m" ] && [ "$_m" -ge "$HALT_MIN_JAVA" ]; then echo "$JAVA_HOME"; return 0; fi
    fi
    if command -v java >/dev/null 2>&1; then
        _h=$(halt_home_of "$(command -v java)")
        if [ -n "$_h" ] && [ -x "$_h/bin/javac" ]; then
            _m=$(halt_jdk_major "$_h")
            if [ -n "$_m" ] && [ "$_m" -ge "$HALT_MIN_JAVA" ]; then echo "$_h"; return 0; fi
        fi
    fi
    _best=""
    _best_m=0
    halt_jdk_globs
    for _h in $_jdk_globs; do
        [ -x "$_h/bin/java" ] && [ -x "$_h/bin/javac" ] || continue
        [ -L "$_h" ] && continue
        _m=$(halt_jdk_major "$_h")
        [ -n "$_m" ] || continue
        if [ "$_m" -ge "$HALT_MIN_JAVA" ] && [ "$_m" -gt "$_best_m" ]; then
            _best=$_h
            _best_m=$_m
        fi
    done
    if [ -n "$_best" ]; then echo "$_best"; return 0; fi
    return 1
}

# halt_find_jdk, remembered in file $1: finding a JDK forks several processes (~10 ms of every
# start). The answer is reused while what decides it is unchanged: JAVA_HOME, PATH, HALT_JDK_DIRS, HOME,
# the directories JDKs are installed in (not modified since) and the chosen JDK's java.
# Builtins only on a hit.
halt_find_jdk_cached() {
    halt_jdk_key
    if [ -f "$1" ]; then
        _fresh=1
        # The directory each glob lists: installing or removing a JDK there changes its mtime.
        halt_jdk_globs
        set -f
        for _glob in $_jdk_globs; do
            if [ "${_glob%%/\**}" -nt "$1" ]; then _fresh=0; break; fi
        done
        set +f
        if [ $_fresh = 1 ] && { IFS= read -r _cached_key && IFS= read -r _cached_jdk; } < "$1" \
                && [ "$_cached_key" = "$_key" ] && [ -x "$_cached_jdk/bin/java" ]; then
            echo "$_cached_jdk"
            return 0
        fi
    fi
    _found=$(halt_find_jdk) || return 1
    # Only next to a built jar (the directory exists; bin/halt writes it after a first build).
    if [ -d "${1%/*}" ]; then halt_remember_jdk "$1" "$_found"; fi
    echo "$_found"
}

# Writes the file halt_find_jdk_cached reads: JDK $2 for this environment. A failed write leaves
# halt as slow as before, not wrong.
halt_remember_jdk() {
    halt_jdk_key
    # The braces: sh reports a redirection it cannot make before a 2>/dev/null on the same command applies.
    { printf '%s\n%s\n' "$_key" "$2" > "$1"; } 2>/dev/null || true
}

# Sets _key: what the search depends on, besides the install directories.
halt_jdk_key() {
    _key="${JAVA_HOME:-}|$PATH|${HALT_JDK_DIRS:-}|${HOME:-}"
}

halt_no_jdk() {
    cat >&2 <<MSG
halt: no JDK >= $HALT_MIN_JAVA found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm, ~/.sdkman/candidates/java,
/Library/Java/JavaVirtualMachines). halt calls the kernel through java.lang.foreign, final in JDK 22.
Install one, for example:
  Debian/Ubuntu:  apt-get install openjdk-25-jdk   (or Temurin 25 from adoptium.net)
  SDKMAN:         sdk install java 25-tem
  macOS:          brew install openjdk@25
or point JAVA_HOME at an existing JDK >= $HALT_MIN_JAVA.
MSG
}

# MAVEN_OPTS for running Maven on JDK $1 (major): JDK 24+ warns about Maven's own use of
# sun.misc.Unsafe on every build; that noise says nothing about halt.
halt_maven_opts() {
    if [ "$1" -ge 24 ]; then echo "--sun-misc-unsafe-memory-access=allow ${MAVEN_OPTS:-}"; else echo "${MAVEN_OPTS:-}"; fi
}

# The start-up cache's training run: `halt run` in proxy mode with one request, as a user runs it.
# $1: an empty directory to work in; the rest: java and its options up to the main jar or class.
# It reads a global config file the way a user's is read (the TOML parser is a third of a cold
# start), from a config home outside its working directory (halt refuses a writable working
# directory that holds its config), in a git repository (the protection of hooks and config is
# trained too). The child sends one CONNECT through the proxy when curl is there: to localhost's
# port 9, refused or not, so the proxy's request path is trained; every address is loopback, and
# the upstream DNS is a loopback port. Returns halt's status.
halt_train() {
    _train_dir=$1; shift
    mkdir -p "$_train_dir/config/halt" "$_train_dir/work" || return 125
    git init -q "$_train_dir/work" >/dev/null 2>&1 || true
    printf '%s\n' '[sandbox]' 'network = { mode = "proxy_only" }' '[proxy]' 'domain_allowlist = ["localhost"]' \
        'upstream_dns = ["127.0.0.1:9"]' 'allow_local_destinations = true' > "$_train_dir/config/halt/halt.toml"
    (cd "$_train_dir/work" && XDG_CONFIG_HOME=$_train_dir/config "$@" run -- sh -c \
        'if command -v curl >/dev/null; then curl -s -o /dev/null -m 5 --noproxy "" -p -x "$HTTP_PROXY" http://localhost:9/; fi; exit 0')
}
