package dev.halt.cli;

import dev.halt.core.ExitStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code halt completion bash|zsh|fish}: prints the shell's completion script for halt. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print the completion script of a shell for halt: bash, zsh or fish.",
        "bash: source <(halt completion bash). zsh: a file _halt in a directory of $fpath, or source <(halt completion zsh)"
            + " after compinit. fish: halt completion fish > ~/.config/fish/completions/halt.fish. bin/halt install does this"
            + " for your shell."})
final class CompletionCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SHELL", completionCandidates = CompletionScript.Shells.class, description = "bash, zsh or fish.")
    String shell;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!new CompletionScript.Shells().contains(shell)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no completion for '" + shell + "': use bash, zsh or fish");
        }
        var out = spec.commandLine().getOut();
        out.print(CompletionScript.forShell(shell, spec.root()));
        out.flush();
        return ExitStatus.OK;
    }
}
