package dev.halt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Shell completion scripts for bash, zsh and fish, printed from halt's own command model (the one
 * picocli parses with), so they list exactly the commands and options halt has.
 *
 * <p>Not picocli's {@code AutoComplete}: its {@code main} builds the model from an annotated class,
 * and halt's root and {@code run} commands are built programmatically (so nothing is found); given
 * the model, it writes bash only (zsh through {@code bashcompinit}, no fish), takes halt's
 * repeatable {@code -v} for an option with a value, completes no path for options typed as
 * strings, and offers nothing for the command after {@code run --}.
 *
 * <p>All three scripts work the same way: a table per command path ({@code halt},
 * {@code halt config show}) of subcommands, options and what each option's value is, and one
 * function that walks the words typed so far through it. After {@code halt run}'s options (or its
 * {@code --}) the words are a command of their own, completed as the shell completes that command.
 */
final class CompletionScript {
    private CompletionScript() {}

    /** One command of the model. */
    private record Node(String path, List<String> subcommands, List<Option> options, String positional, String description) {}

    /**
     * One option.
     *
     * @param value what it takes: empty for a flag, {@code text}, {@code files}, {@code env} (a
     *              variable name) or {@code choices:WORD WORD...}
     */
    private record Option(List<String> names, String value, String description, boolean repeatable) {}

    /** The script for {@code shell} ({@code bash}, {@code zsh}, {@code fish}) over the model of {@code root}. */
    static String forShell(String shell, CommandSpec root) {
        var nodes = new ArrayList<Node>();
        collect(root, root.name(), nodes);
        return switch (shell.toLowerCase(Locale.ROOT)) {
            case "bash" -> bash(nodes);
            case "zsh" -> zsh(nodes);
            case "fish" -> fish(nodes);
            default -> throw new IllegalArgumentException("no completion for " + shell + ": use bash, zsh or fish");
        };
    }

    /** The shells {@link #forShell} writes for, as picocli completion candidates. */
    static final class Shells extends ArrayList<String> {
        Shells() {
            super(List.of("bash", "zsh", "fish"));
        }
    }

    private static void collect(CommandSpec spec, String path, List<Node> nodes) {
        var subcommands = new ArrayList<String>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && sub.getCommandName().equals(name)) subcommands.add(name);
        });
        var options = new ArrayList<Option>();
        for (var option : spec.options()) {
            if (!option.hidden()) options.add(new Option(List.of(option.names()), value(option), firstLine(option.description()),
                option.typeInfo().isMultiValue()));
        }
        String positional = "";
        if (spec.userObject() instanceof CommandLine.HelpCommand) {
            positional = "subcommands";
        } else if (!spec.positionalParameters().isEmpty()) {
            var first = spec.positionalParameters().getFirst();
            if (first.completionCandidates() != null) positional = "choices:" + String.join(" ", first.completionCandidates());
            else if (first.paramLabel().equals("COMMAND")) positional = "command";
        }
        nodes.add(new Node(path, subcommands, options, positional, firstLine(spec.usageMessage().description())));
        spec.subcommands().forEach((name, sub) -> {
            if (subcommands.contains(name)) collect(sub.getCommandSpec(), path + " " + name, nodes);
        });
    }

    private static String value(OptionSpec option) {
        if (option.arity().max() == 0) return "";
        if (option.completionCandidates() != null) return "choices:" + String.join(" ", option.completionCandidates());
        var label = option.paramLabel().toUpperCase(Locale.ROOT);
        if (label.equals("PATH") || label.equals("FILE") || label.equals("DIR")) return "files";
        if (label.startsWith("KEY")) return "env";
        return "text";
    }

    private static String firstLine(String[] description) {
        return description.length == 0 ? "" : description[0].strip();
    }

    // ---------------------------------------------------------------- bash

    private static String bash(List<Node> nodes) {
        var sb = new StringBuilder("""
            # bash completion for halt, printed by `halt completion bash` from halt's own command model.
            # Load it with: source <(halt completion bash); `bin/halt install` puts it where bash-completion finds it.

            """);
        sb.append(table("_halt_subcommands", nodes, n -> n.subcommands().isEmpty() ? null : String.join(" ", n.subcommands())));
        sb.append(table("_halt_options", nodes, n -> String.join(" ", n.options().stream().flatMap(o -> o.names().stream()).toList())));
        sb.append(table("_halt_positional", nodes, n -> n.positional().isEmpty() ? null : n.positional()));
        sb.append("# What option $2 of command $1 takes: nothing (a flag), text, files, env or choices:WORDS.\n_halt_value() {\n");
        sb.append("    case \"$1 $2\" in\n");
        for (var node : nodes) {
            for (var option : node.options()) {
                if (option.value().isEmpty()) continue;
                var keys = option.names().stream().map(name -> sh(node.path() + " " + name)).toList();
                sb.append("        ").append(String.join("|", keys)).append(") echo ").append(sh(option.value())).append(" ;;\n");
            }
        }
        sb.append("    esac\n}\n\n");
        sb.append("""
            _halt_words() { # kind current-word: the candidates of a value or a positional
                case $1 in
                    files) type compopt >/dev/null 2>&1 && compopt -o filenames; compgen -f -- "$2" ;;
                    env) compgen -e -- "$2" ;;
                    choices:*) compgen -W "${1#choices:}" -- "$2" ;;
                esac
            }

            _halt() {
                local cur=${COMP_WORDS[COMP_CWORD]} prev= cmdpath=halt i w kind start=0
                # Walk the words before the current one: subcommands deepen the path, an option's value
                # is skipped, and after run's options (or its --) the rest is a command of its own.
                for ((i = 1; i < COMP_CWORD; i++)); do
                    w=${COMP_WORDS[i]}
                    if [[ $w == -- ]]; then
                        [[ $(_halt_positional "$cmdpath") == command ]] && { start=$((i + 1)); break; }
                        continue
                    fi
                    if [[ $w == -?* ]]; then
                        kind=$(_halt_value "$cmdpath" "$w")
                        if [[ -n $kind ]]; then
                            # --opt value, or --opt = value (bash splits words at =)
                            if [[ ${COMP_WORDS[i + 1]} == = ]]; then ((i += 2)); else ((i++)); fi
                        fi
                        continue
                    fi
                    if [[ " $(_halt_subcommands "$cmdpath") " == *" $w "* ]]; then cmdpath="$cmdpath $w"; continue; fi
                    if [[ $(_halt_positional "$cmdpath") == command ]]; then start=$i; break; fi
                done
                if ((start > 0)); then
                    if ((COMP_CWORD == start)); then
                        COMPREPLY=($(compgen -c -- "$cur"))
                    elif declare -F _command_offset >/dev/null; then
                        _command_offset "$start"
                    else
                        type compopt >/dev/null 2>&1 && compopt -o default
                        COMPREPLY=()
                    fi
                    return 0
                fi
                prev=${COMP_WORDS[COMP_CWORD - 1]}
                [[ $prev == = ]] && prev=${COMP_WORDS[COMP_CWORD - 2]}
                [[ $cur == = ]] && cur=
                if ((COMP_CWORD > 1)) && [[ $prev == -?* ]]; then
                    kind=$(_halt_value "$cmdpath" "$prev")
                    if [[ -n $kind ]]; then COMPREPLY=($(_halt_words "$kind" "$cur")); return 0; fi
                fi
                if [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$(_halt_options "$cmdpath")" -- "$cur"))
                    return 0
                fi
                kind=$(_halt_positional "$cmdpath")
                case $kind in
                    command) COMPREPLY=($(compgen -c -- "$cur")) ;;
                    subcommands) COMPREPLY=($(compgen -W "$(_halt_subcommands halt)" -- "$cur")) ;;
                    choices:*) COMPREPLY=($(_halt_words "$kind" "$cur")) ;;
                    *) COMPREPLY=($(compgen -W "$(_halt_subcommands "$cmdpath")" -- "$cur")) ;;
                esac
                return 0
            }

            complete -F _halt halt
            """);
        return sb.toString();
    }

    /** A shell function {@code name PATH} that prints {@code value} of the node at PATH (nothing where null). */
    private static String table(String name, List<Node> nodes, Function<Node, String> value) {
        var sb = new StringBuilder(name).append("() {\n    case $1 in\n");
        for (var node : nodes) {
            var v = value.apply(node);
            if (v != null) sb.append("        ").append(sh(node.path())).append(") echo ").append(sh(v)).append(" ;;\n");
        }
        return sb.append("    esac\n}\n\n").toString();
    }

    /** {@code text} single-quoted for sh, bash and zsh. */
    private static String sh(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    // ---------------------------------------------------------------- zsh

    private static String zsh(List<Node> nodes) {
        var sb = new StringBuilder("""
            #compdef halt
            # zsh completion for halt, printed by `halt completion zsh` from halt's own command model.
            # As a file named _halt in a directory of $fpath (`bin/halt install` makes one), or loaded
            # after compinit with: source <(halt completion zsh)

            """);
        sb.append(zshTable("_halt_subcommands", nodes, n -> n.subcommands().isEmpty() ? null
            : n.subcommands().stream().map(s -> s + ":" + zshDescription(describe(nodes, n.path() + " " + s))).toList()));
        sb.append(zshTable("_halt_options", nodes, n -> n.options().stream()
            .flatMap(o -> o.names().stream().map(name -> name + ":" + zshDescription(o.description()))).toList()));
        sb.append(zshTable("_halt_positional", nodes, n -> n.positional().isEmpty() ? null : List.of(n.positional())));
        sb.append("_halt_value() { # what option $2 of command $1 takes: nothing, text, files, env or choices:WORDS\n");
        sb.append("    case \"$1 $2\" in\n");
        for (var node : nodes) {
            for (var option : node.options()) {
                if (option.value().isEmpty()) continue;
                var keys = option.names().stream().map(name -> sh(node.path() + " " + name)).toList();
                sb.append("        ").append(String.join("|", keys)).append(") print -r -- ").append(sh(option.value())).append(" ;;\n");
            }
        }
        sb.append("    esac\n}\n\n");
        sb.append("""
            _halt_add() { # kind: the candidates of a value or a positional
                case $1 in
                    files) _files ;;
                    env) _parameters -g '*export*' ;;
                    choices:*) local -a words=(${=${1#choices:}}); compadd -a words ;;
                esac
            }

            _halt() {
                local cmdpath=halt kind w i start=0
                # The words before the current one: subcommands deepen the path, an option's value is
                # skipped, and after run's options (or its --) the rest is a command of its own.
                for ((i = 2; i < CURRENT; i++)); do
                    w=$words[i]
                    if [[ $w == -- ]]; then
                        [[ $(_halt_positional $cmdpath) == command ]] && { start=$((i + 1)); break; }
                        continue
                    fi
                    if [[ $w == -?* ]]; then
                        [[ $w != *=* && -n $(_halt_value $cmdpath $w) ]] && ((i++))
                        continue
                    fi
                    if (( ${${(f)"$(_halt_subcommands $cmdpath)"}[(I)${w}:*]} )); then cmdpath="$cmdpath $w"; continue; fi
                    if [[ $(_halt_positional $cmdpath) == command ]]; then start=$i; break; fi
                done
                if ((start > 0)); then
                    shift $((start - 1)) words
                    ((CURRENT -= start - 1))
                    _normal
                    return
                fi
                w=$words[CURRENT]
                if [[ $w == --*=* ]]; then
                    kind=$(_halt_value $cmdpath ${w%%=*})
                    if [[ -n $kind ]]; then compset -P '*='; _halt_add $kind; return; fi
                fi
                if ((CURRENT > 2)) && [[ $words[CURRENT-1] == -?* ]]; then
                    kind=$(_halt_value $cmdpath $words[CURRENT-1])
                    if [[ -n $kind ]]; then _halt_add $kind; return; fi
                fi
                if [[ $w == -* ]]; then
                    local -a options=(${(f)"$(_halt_options $cmdpath)"})
                    _describe -t options option options
                    return
                fi
                kind=$(_halt_positional $cmdpath)
                case $kind in
                    command) _command_names -e ;;
                    subcommands) local -a commands=(${(f)"$(_halt_subcommands halt)"}); _describe -t commands command commands ;;
                    choices:*) _halt_add $kind ;;
                    *)
                        local -a commands=(${(f)"$(_halt_subcommands $cmdpath)"})
                        (( $#commands )) && _describe -t commands command commands
                        ;;
                esac
            }

            if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
                _halt "$@"
            else
                compdef _halt halt
            fi
            """);
        return sb.toString();
    }

    /** A function {@code name PATH} that prints each of {@code lines} of the node at PATH on a line of its own. */
    private static String zshTable(String name, List<Node> nodes, Function<Node, List<String>> lines) {
        var sb = new StringBuilder(name).append("() {\n    case $1 in\n");
        for (var node : nodes) {
            var v = lines.apply(node);
            if (v == null || v.isEmpty()) continue;
            sb.append("        ").append(sh(node.path())).append(") print -rl -- ");
            sb.append(String.join(" ", v.stream().map(CompletionScript::sh).toList())).append(" ;;\n");
        }
        return sb.append("    esac\n}\n\n").toString();
    }

    /** A description for {@code _describe}, where a colon separates the word from it. */
    private static String zshDescription(String text) {
        return text.replace("\\", "\\\\").replace(":", "\\:");
    }

    private static String describe(List<Node> nodes, String path) {
        return nodes.stream().filter(n -> n.path().equals(path)).map(Node::description).findFirst().orElse("");
    }

    // ---------------------------------------------------------------- fish

    private static String fish(List<Node> nodes) {
        var sb = new StringBuilder("""
            # fish completion for halt, printed by `halt completion fish` from halt's own command model.
            # As ~/.config/fish/completions/halt.fish (`bin/halt install` writes it), or: halt completion fish | source

            """);
        sb.append("function __halt_subcommands\n    switch $argv[1]\n");
        for (var node : nodes) {
            if (node.subcommands().isEmpty()) continue;
            sb.append("        case ").append(fishQuote(node.path())).append("\n");
            for (var s : node.subcommands()) {
                sb.append("            printf '%s\\t%s\\n' ").append(fishQuote(s)).append(' ')
                    .append(fishQuote(describe(nodes, node.path() + " " + s))).append('\n');
            }
        }
        sb.append("    end\nend\n\n");
        sb.append("function __halt_options\n    switch $argv[1]\n");
        for (var node : nodes) {
            sb.append("        case ").append(fishQuote(node.path())).append("\n");
            for (var option : node.options()) {
                for (var name : option.names()) {
                    sb.append("            printf '%s\\t%s\\n' ").append(fishQuote(name)).append(' ')
                        .append(fishQuote(option.description())).append('\n');
                }
            }
        }
        sb.append("    end\nend\n\n");
        sb.append("function __halt_positional\n    switch $argv[1]\n");
        for (var node : nodes) {
            if (node.positional().isEmpty()) continue;
            sb.append("        case ").append(fishQuote(node.path())).append("\n            echo ")
                .append(fishQuote(node.positional())).append('\n');
        }
        sb.append("    end\nend\n\n");
        sb.append("# What option $argv[2] of command $argv[1] takes: nothing, text, files, env or choices:WORDS.\n");
        sb.append("function __halt_value\n    switch \"$argv[1] $argv[2]\"\n");
        for (var node : nodes) {
            for (var option : node.options()) {
                if (option.value().isEmpty()) continue;
                sb.append("        case ").append(String.join(" ", option.names().stream().map(n -> fishQuote(node.path() + " " + n)).toList()))
                    .append("\n            echo ").append(fishQuote(option.value())).append('\n');
            }
        }
        sb.append("    end\nend\n\n");
        sb.append("""
            function __halt_add --argument-names kind current
                switch $kind
                    case files
                        __fish_complete_path $current
                    case env
                        set --names --export
                    case 'choices:*'
                        string split ' ' -- (string replace 'choices:' '' -- $kind)
                end
            end

            function __halt_complete
                set -l words (commandline -opc)
                set -l current (commandline -ct)
                set -l cmdpath halt
                set -l start 0
                set -l i 2
                # The words before the current one: subcommands deepen the path, an option's value is
                # skipped, and after run's options (or its --) the rest is a command of its own.
                while test $i -le (count $words)
                    set -l w $words[$i]
                    set -l positional (__halt_positional $cmdpath)
                    if test "$w" = --
                        if test "$positional" = command
                            set start (math $i + 1)
                            break
                        end
                    else if string match -q -- '-?*' $w
                        set -l kind (__halt_value $cmdpath $w)
                        if not string match -q -- '*=*' $w; and test -n "$kind"
                            set i (math $i + 1)
                        end
                    else if contains -- $w (__halt_subcommands $cmdpath | string replace -r '\\t.*' '')
                        set cmdpath "$cmdpath $w"
                    else if test "$positional" = command
                        set start $i
                        break
                    end
                    set i (math $i + 1)
                end
                if test $start -gt 0
                    if test $start -gt (count $words)
                        __fish_complete_command $current
                    else
                        complete -C (string join ' ' -- (string escape -- $words[$start..-1]) $current)
                    end
                    return
                end
                if string match -q -- '--*=*' $current
                    set -l option (string replace -r '=.*' '' -- $current)
                    set -l kind (__halt_value $cmdpath $option)
                    if test -n "$kind"
                        __halt_add $kind (string replace -r '^[^=]*=' '' -- $current) | string replace -r '^' -- "$option="
                        return
                    end
                end
                if test (count $words) -gt 1; and string match -q -- '-?*' $words[-1]
                    set -l kind (__halt_value $cmdpath $words[-1])
                    if test -n "$kind"
                        __halt_add $kind $current
                        return
                    end
                end
                if string match -q -- '-*' $current
                    __halt_options $cmdpath
                    return
                end
                set -l kind (__halt_positional $cmdpath)
                switch "$kind"
                    case command
                        __fish_complete_command $current
                    case subcommands
                        __halt_subcommands halt
                    case 'choices:*'
                        __halt_add $kind $current
                    case '*'
                        __halt_subcommands $cmdpath
                end
            end

            complete -c halt -f -a '(__halt_complete)'
            """);
        return sb.toString();
    }

    /** {@code text} single-quoted for fish (only backslash and quote are special there). */
    private static String fishQuote(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
