# shellcheck shell=sh
# Sourced by bin/halt for `bin/halt install`: puts halt on PATH and installs shell completion. POSIX sh.

halt_install_usage() {
    cat <<'EOF'
Usage: bin/halt install [--prefix DIR] [--force] [--no-completion]
Links DIR/bin/halt (DIR defaults to ~/.local) to this clone's bin/halt, and installs the
completion script of your shell ($SHELL: bash, zsh or fish) where that shell finds it.
A file already there that is not a link to a halt clone is replaced only if you say so
(asked on a terminal; --force replaces without asking).
  --prefix DIR      install into DIR/bin and DIR/share instead of ~/.local
  --force           replace what is there without asking
  --no-completion   the link only
EOF
}

# Whether $1 is a symbolic link to the bin/halt of a halt clone (this one or another): ours to replace.
halt_install_ours() {
    [ -L "$1" ] || return 1
    _target=$(readlink "$1") || return 1
    case $_target in /*) ;; *) _target=$(dirname "$1")/$_target ;; esac
    [ "$(basename "$_target")" = halt ] && [ -f "$(dirname "$_target")/jdk.sh" ] && [ -f "$(dirname "$_target")/install.sh" ]
}

# Whether $1 may be replaced: absent, ours, --force, or the user says yes on a terminal.
# $2 describes what would be put there.
halt_install_may_replace() {
    [ -e "$1" ] || [ -L "$1" ] || return 0
    [ "$_force" = 1 ] && return 0
    if [ -t 0 ] && [ -t 2 ]; then
        printf 'halt install: %s exists and is not halt'"'"'s; replace it with %s? [y/N] ' "$1" "$2" >&2
        read -r _answer || _answer=n
        case $_answer in y|Y|yes|YES) return 0 ;; esac
    fi
    echo "halt install: $1 exists and is not halt's: left as it is (--force replaces it)" >&2
    return 1
}

# Writes the completion script of shell $1 to file $2 (replacing only a script of halt's own).
halt_install_completion() {
    _file=$2
    if [ -e "$_file" ] && ! grep -q 'printed by `halt completion' "$_file" 2>/dev/null; then
        halt_install_may_replace "$_file" "halt's completion script" || return 1
    fi
    mkdir -p "$(dirname "$_file")" || return 1
    if ! "$HALT_HOME/bin/halt" completion "$1" > "$_file.tmp.$$"; then
        rm -f "$_file.tmp.$$"
        echo "halt install: could not make the $1 completion script (halt completion $1 failed)" >&2
        return 1
    fi
    mv -f "$_file.tmp.$$" "$_file" && echo "halt install: $1 completion in $_file"
}

halt_install() {
    _prefix=""
    _force=0
    _completion=1
    while [ $# -gt 0 ]; do
        case $1 in
            --prefix) [ $# -ge 2 ] || { echo "halt install: --prefix needs a directory" >&2; return 125; }; _prefix=$2; shift ;;
            --prefix=*) _prefix=${1#--prefix=} ;;
            --force) _force=1 ;;
            --no-completion) _completion=0 ;;
            -h|--help) halt_install_usage; return 0 ;;
            *) echo "halt install: unknown option '$1'" >&2; halt_install_usage >&2; return 125 ;;
        esac
        shift
    done
    if [ -z "$_prefix" ]; then
        [ -n "${HOME:-}" ] || { echo "halt install: HOME is not set; give --prefix DIR" >&2; return 125; }
        _prefix=$HOME/.local
    fi
    _bin=$_prefix/bin
    _link=$_bin/halt
    _self=$HALT_HOME/bin/halt
    _status=0
    mkdir -p "$_bin" || return 1
    if [ -L "$_link" ] && [ "$(readlink "$_link")" = "$_self" ]; then
        echo "halt install: $_link already links to $_self"
    elif halt_install_ours "$_link" || halt_install_may_replace "$_link" "a link to $_self"; then
        rm -f "$_link" && ln -s "$_self" "$_link" || return 1
        echo "halt install: $_link -> $_self"
    else
        return 1
    fi
    case ":${PATH:-}:" in
        *":$_bin:"*) ;;
        *) echo "halt install: $_bin is not on your PATH; add it, for example in ~/.profile: export PATH=\"$_bin:\$PATH\"" ;;
    esac
    [ "$_completion" = 1 ] || return 0

    # Where each shell finds completion scripts by itself: the user's data and config directories
    # for the default prefix, the prefix's share directory (as packages install them) for another.
    _shell=$(basename "${SHELL:-sh}")
    _data=${XDG_DATA_HOME:-${HOME:-}/.local/share}
    [ "$_prefix" = "${HOME:-}/.local" ] || _data=$_prefix/share
    case $_shell in
        bash)
            halt_install_completion bash "$_data/bash-completion/completions/halt" || _status=1
            echo "halt install: bash-completion loads it; without that package, add to ~/.bashrc: source <(halt completion bash)" ;;
        zsh)
            halt_install_completion zsh "$_data/zsh/site-functions/_halt" || _status=1
            echo "halt install: zsh loads it from \$fpath: in ~/.zshrc, before compinit: fpath=($_data/zsh/site-functions \$fpath)" ;;
        fish)
            if [ "$_prefix" = "${HOME:-}/.local" ]; then _fish=${XDG_CONFIG_HOME:-${HOME:-}/.config}/fish/completions/halt.fish
            else _fish=$_prefix/share/fish/vendor_completions.d/halt.fish; fi
            halt_install_completion fish "$_fish" || _status=1 ;;
        *)
            echo "halt install: no completion for $_shell; halt completion bash|zsh|fish prints one" ;;
    esac
    return $_status
}
