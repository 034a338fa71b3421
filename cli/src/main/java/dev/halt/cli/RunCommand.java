package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.Sandbox;
import dev.halt.core.SignalForwarder;
import dev.halt.core.config.CommandLineOptions;
import dev.halt.core.config.ConfigLoader;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.LoadResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code halt run}: start a command in the sandbox and exit with its status.
 *
 * <p>The model is built with picocli's programmatic API (see {@link HaltCommand} for why), and
 * {@link #call} reads the parsed values from picocli's {@link ParseResult}.
 */
final class RunCommand implements Callable<Integer> {

    private final PrintWriter err;
    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);
    /** How long {@code --ask} holds a request. */
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(30);

    RunCommand(PrintWriter err) {
        this.err = err;
        spec.name("run").versionProvider(new HaltCommand.Version());
        spec.usageMessage().sortOptions(false).description(
            "Run COMMAND with only the files and network it is granted.",
            "Run it from the project's directory, which is granted read-write (not from / or your home directory).",
            "Exit status: the command's; 128+N if signal N killed it; 125 halt failed (nothing ran);"
                + " 126 the command cannot be executed; 127 it was not found.");
        spec.addOption(OptionSpec.builder("--network").paramLabel("MODE").type(String.class)
            .completionCandidates(List.of("unrestricted", "localhost_only", "proxy_only", "blocked"))
            .description("unrestricted | localhost_only (localhost) | proxy_only (proxy) | blocked.").build());
        spec.addOption(repeated("--allow", "DOMAIN", "Add a domain to the proxy allowlist (implies --network proxy)."));
        spec.addOption(repeated("--read", "PATH", "Grant read and execute on PATH."));
        spec.addOption(repeated("--write", "PATH", "Grant every filesystem right on PATH."));
        spec.addOption(repeated("--traverse", "PATH", "Grant directory listing only on PATH."));
        spec.addOption(repeated("--env", "KEY[=VALUE]", "Pass KEY from halt's environment, or set it."));
        spec.addOption(repeated("--config", "FILE", "Load an additional config file (after global and project)."));
        spec.addOption(flag("--no-config", "Ignore the global and project config files (--config still applies)."));
        spec.addOption(single("--data-dir", "PATH", "A directory for the sandbox's data, created if missing and granted read-write."));
        spec.addOption(single("--log", "FILE", "Write every proxy decision and filesystem denial to FILE, one JSON object a line."));
        spec.addOption(flag("--best-effort", "Run even when a layer cannot be enforced here, with a warning saying what is not."));
        spec.addOption(flag("--explain-denials", "As root with audit off: switch audit on for the run to report each"
            + " filesystem access Landlock denies, and off again at exit. With no audit daemon the records also reach the"
            + " kernel log."));
        spec.addOption(repeated("--expose-host-port", "PORT[:SANDBOX_PORT]", "Let the child reach this machine's"
            + " 127.0.0.1:PORT (as its own 127.0.0.1:SANDBOX_PORT, with privileges)."));
        spec.addOption(flag("--ask", "proxy_only: hold a request for a name the allowlist does not have, and ask about it"
            + " in 'halt watch --ask' in another terminal (refused after " + ASK_TIMEOUT.toSeconds() + " s without an answer)."));
        HaltCommand.addStandardHelpOptions(spec);
        spec.addPositional(PositionalParamSpec.builder()
            .paramLabel("COMMAND").arity("1..*").required(true).type(List.class).auxiliaryTypes(String.class)
            .description("The command and its arguments, after --.").build());
    }

    /** The model picocli runs. */
    CommandSpec spec() {
        return spec;
    }

    private static OptionSpec single(String name, String label, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(String.class).description(description).build();
    }

    private static OptionSpec repeated(String name, String label, String description) {
        return OptionSpec.builder(name).paramLabel(label).type(List.class).auxiliaryTypes(String.class)
            .description(description).build();
    }

    private static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).description(description).build();
    }

    @Override
    public Integer call() throws InterruptedException {
        var refusal = Sandbox.workingDirectoryRefusal(Path.of(""), System.getenv());
        if (refusal.isPresent()) {
            err.println("halt: " + refusal.get());
            err.println("halt: nothing was run.");
            return ExitStatus.HALT_FAILED;
        }
        var parsed = spec.commandLine().getParseResult();
        String network = parsed.matchedOptionValue("--network", null);
        List<String> read = parsed.matchedOptionValue("--read", List.of());
        List<String> traverse = parsed.matchedOptionValue("--traverse", List.of());
        List<String> allow = parsed.matchedOptionValue("--allow", List.of());
        List<String> env = parsed.matchedOptionValue("--env", List.of());
        List<String> configs = parsed.matchedOptionValue("--config", List.of());
        boolean noConfig = parsed.hasMatchedOption("--no-config");
        boolean bestEffort = parsed.hasMatchedOption("--best-effort");
        boolean explainDenials = parsed.hasMatchedOption("--explain-denials");
        String dataDirArgument = parsed.matchedOptionValue("--data-dir", null);
        String decisionLog = parsed.matchedOptionValue("--log", null);
        List<String> exposed = parsed.matchedOptionValue("--expose-host-port", List.of());
        boolean ask = parsed.hasMatchedOption("--ask");
        List<String> command = parsed.matchedPositionalValue(0, List.of());

        List<String> writes = parsed.matchedOptionValue("--write", List.of());
        Optional<String> dataDir = Optional.empty();
        if (dataDirArgument != null) {
            try {
                dataDir = Optional.of(Files.createDirectories(Path.of(dataDirArgument)).toAbsolutePath().toString());
            } catch (IOException e) {
                err.println("halt: --data-dir " + dataDirArgument + ": cannot create it: " + e.getMessage());
                return ExitStatus.HALT_FAILED;
            }
        }
        var options = new CommandLineOptions(Optional.ofNullable(network), read, writes, traverse, allow, env,
            configs.stream().map(Path::of).toList(), noConfig, dataDir);
        var environment = System.getenv();
        var loaded = ConfigLoader.load(ConfigLocations.ofCurrentProcess(), options, environment);
        loaded.warnings().forEach(w -> err.println("halt: warning: " + w.message()));
        if (loaded instanceof LoadResult.Failed failed) {
            failed.errors().forEach(e -> err.println("halt: " + e.message()));
            err.println("halt: nothing was run.");
            return ExitStatus.HALT_FAILED;
        }
        var policy = ((LoadResult.Loaded) loaded).policy();
        var withPorts = withHostPorts(policy, exposed);
        if (withPorts.isEmpty()) return ExitStatus.HALT_FAILED;
        policy = withPorts.get();
        if (ask && policy.networkMode() != dev.halt.core.policy.NetworkMode.PROXY_ONLY) {
            err.println("halt: --ask holds what the proxy refuses: it needs network mode proxy_only (--network proxy),"
                + " not " + policy.networkMode().configName() + ". Nothing was run.");
            return ExitStatus.HALT_FAILED;
        }
        var control = LiveControl.open(policy, environment, bestEffort, ask, err);
        if (control.isEmpty()) return ExitStatus.HALT_FAILED;
        try (var live = control.get()) {
            Sandbox.becomeSubreaper();
            var signals = SignalForwarder.install();
            var launchOptions = new LaunchOptions(environment, bestEffort).withExplainDenials(explainDenials)
                .withAsk(ask ? ASK_TIMEOUT : null);
            if (decisionLog != null) launchOptions = launchOptions.withDecisionLog(Path.of(decisionLog).toAbsolutePath());
            var child = Sandbox.launch(policy, command, launchOptions);
            signals.attach(child);
            live.serve(child, command, policy.workingDirectory());
            int status = child.waitFor();
            live.close();
            if (status != 0) explainHint(status, child.denialReporting()).ifPresent(err::println);
            int leftovers = child.killLeftovers(Duration.ofSeconds(5));
            if (leftovers > 0) {
                System.getLogger("halt").log(System.Logger.Level.INFO,
                    "killed " + leftovers + " process(es) the command left behind");
            }
            return status;
        } catch (LaunchException e) {
            err.println("halt: " + e.getMessage());
            return e.exitStatus();
        }
    }

    /**
     * {@code policy} with the ports of {@code --expose-host-port} added to those of the config; empty
     * (a line said why) when one is bad.
     */
    private Optional<dev.halt.core.policy.SandboxPolicy> withHostPorts(dev.halt.core.policy.SandboxPolicy policy, List<String> flags) {
        if (flags.isEmpty()) return Optional.of(policy);
        var builder = policy.toBuilder();
        try {
            for (var flag : flags) builder.hostPort(dev.halt.core.policy.ExposedPort.parse(flag));
            return Optional.of(builder.build());
        } catch (IllegalArgumentException e) {
            err.println("halt: --expose-host-port " + e.getMessage() + ". Nothing was run.");
            return Optional.empty();
        }
    }

    /**
     * One line after a failed command, unless a denial line already said what was refused: a file
     * the command was not granted is a common cause, and tools report it in their own words.
     */
    static Optional<String> explainHint(int status, dev.halt.core.DenialReporting reporting) {
        if (reporting.active() && reporting.denials() > 0) return Optional.empty();
        var seen = reporting.active()
            ? "halt saw no filesystem denial (a write outside the write grants fails with EROFS as root, and is not reported)"
            : "filesystem denials are not reported here: " + reporting.why();
        return Optional.of("halt: the command exited with status " + status + "; " + seen
            + ". 'halt explain PATH' says which grant covers a path"
            + (reporting.rootChild() ? "; as root the child has no capabilities (README, section \"Root tools\")." : "."));
    }
}
