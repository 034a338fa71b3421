package dev.halt.cli;

import dev.halt.core.Sandbox;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs halt with {@code args}; returns the exit status instead of exiting. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean run = invokesRun(args);
        // Linking the first native call (~35 ms) overlaps parsing and the config files.
        if (run) Sandbox.prepare();
        Logging.configure(0, System.err);
        var root = new HaltCommand();
        var cli = new CommandLine(root.spec());
        cli.addSubcommand(new CommandLine(new RunCommand(err).spec()));
        // Reflection over the annotated commands costs ~40 ms: `halt run` leaves them out. Help
        // and errors elsewhere see every subcommand.
        if (!run) {
            for (var type : List.of(CheckCommand.class, ConfigCommand.class, ExplainCommand.class, CommandLine.HelpCommand.class)) {
                cli.addSubcommand(new CommandLine(type));
            }
        }
        cli.setExecutionStrategy(parsed -> {
            root.applyVerbosity(parsed);
            // A run whose halt was killed left its temporary directory and perhaps repairs to do.
            Sandbox.recoverKilledRuns(System.getenv());
            return new CommandLine.RunLast().execute(parsed);
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, ignored) -> {
            // picocli checks required parameters before it reports unknown options: name the
            // unknown one, the likelier mistake ("halt run --netwrok proxy" without a command).
            var unmatched = ex.getCommandLine().getUnmatchedArguments();
            var message = ex instanceof CommandLine.MissingParameterException && !unmatched.isEmpty()
                ? "Unknown option: '" + unmatched.getFirst() + "'" : ex.getMessage();
            err.println("halt: " + message);
            // The full path of the command that refused the input: "halt config show".
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.HALT_FAILED;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("halt: " + ex.getMessage());
            if (Logging.verbosity() >= 2) ex.printStackTrace(err);
            else err.println("(run with -vv for the stack trace)");
            return ExitCodes.HALT_FAILED;
        });
        return cli.execute(args);
    }

    /** Whether the first argument that is not one of halt's own options names {@code run}. */
    static boolean invokesRun(String[] args) {
        for (var arg : args) {
            if (!arg.startsWith("-")) return arg.equals("run");
            if (arg.equals("--")) return false;
        }
        return false;
    }
}
