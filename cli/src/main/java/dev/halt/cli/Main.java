package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.Sandbox;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;

/** Entry point of the runnable jar. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        var out = new PrintWriter(System.out, true);
        var err = new PrintWriter(System.err, true);
        int status = execute(args, out, err);
        out.flush();
        err.flush();
        Sandbox.exit(status);
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
            for (var type : List.of(CheckCommand.class, ConfigCommand.class, ExplainCommand.class, PsCommand.class,
                    AllowCommand.class, DenyCommand.class, WatchCommand.class, StopCommand.class, CompletionCommand.class,
                    CommandLine.HelpCommand.class)) {
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
            var separated = ex.getCommandLine().getCommandName().equals("run")
                ? withSeparator(args, ex.getCommandLine().getCommandSpec()) : null;
            if (separated != null) {
                err.println("halt: did you mean: " + separated
                    + "  (the command goes after --, so that its options are not read as halt's)");
            }
            // The full path of the command that refused the input: "halt config show".
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitStatus.HALT_FAILED;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("halt: " + ex.getMessage());
            if (Logging.verbosity() >= 2) ex.printStackTrace(err);
            else err.println("(run with -vv for the stack trace)");
            return ExitStatus.HALT_FAILED;
        });
        return cli.execute(args);
    }

    /**
     * For {@code halt run ls -la}, where an option of the command was read as halt's: the same
     * command line with {@code --} before the command ({@code halt run -- ls -la}); null when the
     * mistake is another (an unknown option before any command word, a {@code --} already there).
     *
     * @param run the model of {@code run}, which says which of its options take a value
     */
    static String withSeparator(String[] args, CommandLine.Model.CommandSpec run) {
        int i = 0;
        while (i < args.length && !args[i].equals("run")) {
            if (!args[i].startsWith("-")) return null;
            i++;
        }
        int commandStart = -1;
        for (i++; i < args.length; i++) {
            var arg = args[i];
            if (arg.equals("--")) return null;
            if (!arg.startsWith("-") || arg.equals("-")) {
                commandStart = i;
                break;
            }
            int eq = arg.indexOf('=');
            var option = run.findOption(eq > 0 ? arg.substring(0, eq) : arg);
            if (option == null) {
                if (arg.matches("-v+")) continue;
                return null;
            }
            if (option.arity().max() > 0 && eq < 0) i++;
        }
        if (commandStart < 0) return null;
        var words = new java.util.ArrayList<String>();
        words.add("halt");
        for (int k = 0; k < args.length; k++) {
            if (k == commandStart) words.add("--");
            words.add(shellWord(args[k]));
        }
        return String.join(" ", words);
    }

    /** {@code word} as a shell reads it back: quoted when it holds anything but safe characters. */
    private static String shellWord(String word) {
        if (!word.isEmpty() && word.matches("[A-Za-z0-9_./:=@%+,~^-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
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
