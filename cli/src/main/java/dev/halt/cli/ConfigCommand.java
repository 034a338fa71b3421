package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.config.CommandLineOptions;
import dev.halt.core.config.ConfigActions;
import dev.halt.core.config.ConfigActions.EditResult;
import dev.halt.core.config.ConfigActions.InitResult;
import dev.halt.core.config.ConfigActions.ShowResult;
import dev.halt.core.config.ConfigActions.TrustResult;
import dev.halt.core.config.ConfigError;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ConfigRenderer;
import dev.halt.core.config.ConfigScope;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code halt config}: init, show, edit and trust config files. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Write, show, edit and trust halt's config files.",
    subcommands = {ConfigCommand.Init.class, ConfigCommand.Show.class, ConfigCommand.Edit.class, ConfigCommand.Trust.class})
final class ConfigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: init, show, edit or trust");
    }

    private static void printErrors(PrintWriter err, List<ConfigError> errors) {
        errors.forEach(e -> err.println("halt: " + e.message()));
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a commented starter config: .halt/halt.toml here (trusted), or the global file with --global.")
    static final class Init implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--global", description = "Write the global file instead of the project's.")
        boolean global;

        @Option(names = "--force", description = "Overwrite an existing file.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            return switch (ConfigActions.init(ConfigLocations.ofCurrentProcess(), global ? ConfigScope.GLOBAL : ConfigScope.PROJECT, force)) {
                case InitResult.Created c -> {
                    out.println("wrote " + c.file() + (c.trusted() ? " (trusted)" : ""));
                    yield ExitStatus.OK;
                }
                case InitResult.AlreadyExists a -> {
                    err.println("halt: " + a.message());
                    yield ExitStatus.HALT_FAILED;
                }
                case InitResult.Failed f -> {
                    err.println("halt: cannot write " + f.file() + ": " + f.reason());
                    yield ExitStatus.HALT_FAILED;
                }
            };
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the effective merged config, defaults included, with the source of each value.")
    static final class Show implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--format", paramLabel = "toml|json", defaultValue = "toml", completionCandidates = Formats.class,
            description = "Output format (default: toml).")
        String format;

        @Option(names = "--config", paramLabel = "FILE", description = "Include an additional config file, as run does.")
        List<Path> configFiles = new ArrayList<>();

        @Option(names = "--no-config", description = "Ignore the global and project files.")
        boolean noConfig;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var parsed = ConfigRenderer.Format.parse(format);
            if (parsed.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected toml or json, got '" + format + "'");
            }
            var options = new CommandLineOptions(Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(),
                configFiles, noConfig);
            var err = spec.commandLine().getErr();
            return switch (ConfigActions.show(ConfigLocations.ofCurrentProcess(), options, System.getenv(), parsed.get())) {
                case ShowResult.Shown s -> {
                    s.warnings().forEach(w -> err.println("halt: warning: " + w.message()));
                    spec.commandLine().getOut().print(s.text());
                    spec.commandLine().getOut().flush();
                    yield ExitStatus.OK;
                }
                case ShowResult.Failed f -> {
                    printErrors(err, f.errors());
                    yield ExitStatus.HALT_FAILED;
                }
            };
        }
    }

    /** The values of {@code show --format}, for completion. */
    static final class Formats extends ArrayList<String> {
        Formats() {
            super(List.of("toml", "json"));
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Open the project (or --global) config in $VISUAL, $EDITOR or vi, then validate it.")
    static final class Edit implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--global", description = "Edit the global file.")
        boolean global;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            return switch (ConfigActions.edit(ConfigLocations.ofCurrentProcess(), global ? ConfigScope.GLOBAL : ConfigScope.PROJECT,
                    System.getenv(), ConfigActions::runEditor)) {
                case EditResult.Valid v -> {
                    out.println(v.file() + " is valid" + (v.trusted() ? " and trusted" : ""));
                    yield ExitStatus.OK;
                }
                case EditResult.Invalid i -> {
                    printErrors(err, i.errors());
                    err.println("halt: " + i.file() + " was saved but is not valid; run 'halt config edit' again to fix it.");
                    yield ExitStatus.HALT_FAILED;
                }
                case EditResult.Failed f -> {
                    err.println("halt: " + f.file() + ": " + f.reason());
                    yield ExitStatus.HALT_FAILED;
                }
            };
        }
    }

    @Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Trust the exact current content of .halt/halt.toml (review it first: the sandboxed side can write it).")
    static final class Trust implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            var err = spec.commandLine().getErr();
            return switch (ConfigActions.trust(ConfigLocations.ofCurrentProcess())) {
                case TrustResult.Trusted t -> {
                    spec.commandLine().getOut().println("trusted " + t.file() + " (sha256 " + t.sha256() + ")");
                    yield ExitStatus.OK;
                }
                case TrustResult.Invalid i -> {
                    printErrors(err, i.errors());
                    err.println("halt: not trusted: fix the errors first.");
                    yield ExitStatus.HALT_FAILED;
                }
                case TrustResult.Failed f -> {
                    err.println("halt: " + f.file() + ": " + f.reason());
                    yield ExitStatus.HALT_FAILED;
                }
            };
        }
    }
}
