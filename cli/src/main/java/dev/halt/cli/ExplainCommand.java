package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.config.CommandLineOptions;
import dev.halt.core.config.ConfigLoader;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.LoadResult;
import dev.halt.core.explain.Explainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code halt explain}: what the effective configuration grants a path or lets a host reach, and
 * the flag that would grant it; the config is loaded as {@code run} loads it, and nothing is run.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {"Say what the config grants each PATH and whether the child may reach each HOST[:PORT].",
        "A path: the grants that cover it, with their rights and sources, or the flag that would grant it.",
        "A host: the allowlist or denylist entry that decides, or the local-address rule that refuses it.",
        "The config is loaded as run loads it (global, project, --config, the flags below); nothing is run."})
final class ExplainCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH|HOST[:PORT]", arity = "1..*",
        description = "A path (absolute, ~/..., or relative to here), or a host name or address with an optional port.")
    List<String> targets = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--config", paramLabel = "FILE", description = "Load an additional config file, as run does.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--no-config", description = "Ignore the global and project config files (--config still applies).")
    boolean noConfig;

    @Option(names = "--network", paramLabel = "MODE", description = "The network mode run would get.")
    String network;

    @Option(names = "--allow", paramLabel = "DOMAIN", description = "A domain run would add to the allowlist.")
    List<String> allow = new ArrayList<>();

    @Option(names = "--read", paramLabel = "PATH", description = "A read grant run would get.")
    List<String> read = new ArrayList<>();

    @Option(names = "--write", paramLabel = "PATH", description = "A read-write grant run would get.")
    List<String> write = new ArrayList<>();

    @Option(names = "--traverse", paramLabel = "PATH", description = "A listing grant run would get.")
    List<String> traverse = new ArrayList<>();

    @Option(names = "--data-dir", paramLabel = "PATH", description = "The data directory run would grant (not created here).")
    String dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var options = new CommandLineOptions(Optional.ofNullable(network), read, write, traverse, allow, List.of(), configs,
            noConfig, Optional.ofNullable(dataDir).map(d -> Path.of(d).toAbsolutePath().toString()));
        var environment = System.getenv();
        var loaded = ConfigLoader.load(ConfigLocations.ofCurrentProcess(), options, environment);
        loaded.warnings().forEach(w -> err.println("halt: warning: " + w.message()));
        if (loaded instanceof LoadResult.Failed failed) {
            failed.errors().forEach(e -> err.println("halt: " + e.message()));
            return ExitStatus.HALT_FAILED;
        }
        try {
            var explanation = Explainer.explain((LoadResult.Loaded) loaded, targets, environment, Path.of("").toAbsolutePath());
            out.print(json ? explanation.json() + System.lineSeparator() : explanation.text());
            out.flush();
            return ExitStatus.OK;
        } catch (LaunchException e) {
            err.println("halt: " + e.getMessage());
            return ExitStatus.HALT_FAILED;
        }
    }
}
