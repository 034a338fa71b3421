package dev.halt.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The top-level {@code halt} command: global options; {@link Main} adds the subcommands.
 *
 * <p>Its model, like {@code run}'s, is built with picocli's programmatic API rather than
 * annotations: reading annotations makes the JVM define a dynamic proxy class per annotation
 * type, which no start-up cache keeps (~30 ms of every {@code halt run}).
 */
final class HaltCommand implements Runnable {

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    HaltCommand() {
        spec.name("halt").versionProvider(new Version());
        spec.usageMessage()
            .description("Run a command (an AI coding agent, a build, anything) with only the files and network it is granted.")
            .footer("", "Exit status of run: the command's; 128+N if signal N killed it; 125 halt failed (nothing was run);"
                    + " 126 the command cannot be executed; 127 it was not found.",
                "Exit status of check: 0 when no line is FAIL, else 1.",
                "Put halt on PATH, with completion for your shell: bin/halt install (in halt's clone).");
        addStandardHelpOptions(spec);
        spec.addOption(OptionSpec.builder("-v")
            .scopeType(ScopeType.INHERIT)
            .type(boolean[].class)
            .arity("0")
            .description("More output: -v info, -vv debug (with stack traces), -vvv trace. Repeatable.")
            .build());
    }

    /** The model picocli runs. */
    CommandSpec spec() {
        return spec;
    }

    /**
     * Counts {@code -v} on every command of {@code parsed} (picocli keeps the root's and the
     * subcommand's apart: {@code -v run -v} is {@code -vv}) and sets the log level from it.
     */
    void applyVerbosity(CommandLine.ParseResult parsed) {
        int count = 0;
        for (var p = parsed; p != null; p = p.subcommand()) count += p.matchedOptionValue("-v", new boolean[0]).length;
        Logging.configure(count, System.err);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: try 'halt run -- COMMAND', 'halt check' or 'halt --help'");
    }

    /** What picocli's {@code mixinStandardHelpOptions} adds, without the annotations it reads them from. */
    static void addStandardHelpOptions(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
            .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
            .description("Print version information and exit.").build());
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
