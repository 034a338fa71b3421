package dev.halt.cli;

import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.Sandbox;
import dev.halt.core.config.CommandLineOptions;
import dev.halt.core.config.ConfigLoader;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.LoadResult;
import dev.halt.core.linux.SignalForwarder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code halt run}: start a command in the sandbox and exit with its status. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run COMMAND with only the filesystem access it is granted.",
        "Exit status: the command's; 128+N if signal N killed it; 125 halt failed (nothing ran);",
        "126 the command cannot be executed; 127 it was not found."})
final class RunCommand implements Callable<Integer> {

    @Option(names = "--network", paramLabel = "MODE",
        description = "unrestricted | localhost_only (localhost) | proxy_only (proxy) | blocked.")
    String network;

    @Option(names = "--allow", paramLabel = "DOMAIN", description = "Add a domain to the proxy allowlist (implies --network proxy).")
    List<String> allow = new ArrayList<>();

    @Option(names = "--read", paramLabel = "PATH", description = "Grant read and execute on PATH.")
    List<String> read = new ArrayList<>();

    @Option(names = "--write", paramLabel = "PATH", description = "Grant every filesystem right on PATH.")
    List<String> write = new ArrayList<>();

    @Option(names = "--traverse", paramLabel = "PATH", description = "Grant directory listing only on PATH.")
    List<String> traverse = new ArrayList<>();

    @Option(names = "--env", paramLabel = "KEY[=VALUE]", description = "Pass KEY from halt's environment, or set it.")
    List<String> env = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "Load an additional config file (after global and project).")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--no-config", description = "Ignore the global and project config files (--config still applies).")
    boolean noConfig;

    @Option(names = "--data-dir", paramLabel = "PATH", description = "A directory for the sandbox's data, created if missing and granted read-write.")
    Path dataDir;

    @Option(names = "--log", paramLabel = "FILE", description = "Write every proxy decision to FILE, one JSON object a line.")
    Path decisionLog;

    @Option(names = "--best-effort", description = "Run even when a layer cannot be enforced here, with a warning saying what is not.")
    boolean bestEffort;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command and its arguments, after --.")
    List<String> command;

    private final PrintWriter err;

    RunCommand(PrintWriter err) {
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        var writes = new ArrayList<>(write);
        if (dataDir != null) {
            try {
                writes.add(Files.createDirectories(dataDir).toAbsolutePath().toString());
            } catch (IOException e) {
                err.println("halt: --data-dir " + dataDir + ": cannot create it: " + e.getMessage());
                return ExitCodes.HALT_FAILED;
            }
        }
        var options = new CommandLineOptions(Optional.ofNullable(network), read, writes, traverse, allow, env,
            configFiles, noConfig);
        var environment = System.getenv();
        var loaded = ConfigLoader.load(ConfigLocations.ofCurrentProcess(), options, environment);
        loaded.warnings().forEach(w -> err.println("halt: warning: " + w.message()));
        if (loaded instanceof LoadResult.Failed failed) {
            failed.errors().forEach(e -> err.println("halt: " + e.message()));
            err.println("halt: nothing was run.");
            return ExitCodes.HALT_FAILED;
        }
        var policy = ((LoadResult.Loaded) loaded).policy();
        try {
            Sandbox.becomeSubreaper();
            var signals = SignalForwarder.install();
            var launchOptions = new LaunchOptions(environment, bestEffort);
            if (decisionLog != null) launchOptions = launchOptions.withDecisionLog(decisionLog.toAbsolutePath());
            var child = Sandbox.launch(policy, command, launchOptions);
            signals.attach(child);
            int status = child.waitFor();
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
}
