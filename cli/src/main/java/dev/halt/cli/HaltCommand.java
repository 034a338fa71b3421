package dev.halt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The top-level {@code halt} command: global options; {@link Main} adds the subcommands. */
@Command(name = "halt",
    mixinStandardHelpOptions = true,
    versionProvider = HaltCommand.Version.class,
    description = "Run a command (an AI coding agent, a build, anything) with only the files and network it is granted.",
    footer = {"", "Exit status of run: the command's; 128+N if signal N killed it; 125 halt failed (nothing was run);",
        "126 the command cannot be executed; 127 it was not found. check: 0 everything enforceable, 1 not."})
final class HaltCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    private int verbosity;

    @Option(names = "-v", scope = ScopeType.INHERIT,
        description = "More output: -v info, -vv debug (with stack traces), -vvv trace. Repeatable.")
    void verbose(boolean[] flags) {
        verbosity = flags.length;
        Logging.configure(verbosity, System.err);
    }

    int verbosity() {
        return verbosity;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'halt run -- COMMAND', 'halt check' or 'halt --help'");
    }

    /** The version, from the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"halt " + version(), "JDK " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            try (InputStream in = HaltCommand.class.getResourceAsStream("version.properties")) {
                var props = new Properties();
                if (in != null) props.load(in);
                return props.getProperty("version", "unknown");
            } catch (IOException e) {
                return "unknown";
            }
        }
    }
}
