package dev.halt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Installs the agent CLIs from npm once into a cache, one directory per package and version
 * ({@code PACKAGE@VERSION}, with {@code /} as {@code +}), and reuses them afterwards. The cache is
 * {@code $HALT_AGENTS_CACHE}, else {@code /var/cache/halt-agents} as root (a place user 65534
 * can read and that no run of halt replaces by a tmpfs), else {@code ~/.cache/halt-agents}.
 * When npm cannot install a package, the test fails with npm's own words.
 */
final class AgentInstaller {
    private static final long NPM_TIMEOUT_SECONDS = 600;
    private static final String MARKER = ".halt-installed";

    private final Path cache;

    AgentInstaller(Path cache) {
        this.cache = cache;
    }

    /** The cache of this machine and user, created if missing, readable by every user. */
    static Path defaultCache() throws IOException {
        var configured = System.getenv("HALT_AGENTS_CACHE");
        Path cache;
        if (configured != null && !configured.isBlank()) cache = Path.of(configured);
        else if (HaltProcess.asNobody()) cache = Path.of("/var/cache/halt-agents");
        else cache = Path.of(System.getProperty("user.home"), ".cache", "halt-agents");
        Files.createDirectories(cache);
        return cache.toAbsolutePath();
    }

    Path cache() {
        return cache;
    }

    /** Where {@code agent} is installed; npm installs it there first if it is not yet. */
    Path install(AgentCli agent) throws Exception {
        var directory = cache.resolve("npm").resolve(agent.npmPackage().replace('/', '+') + "@" + agent.version());
        var executable = executable(directory, agent);
        if (Files.exists(directory.resolve(MARKER)) && Files.isExecutable(executable)) return directory;
        Files.createDirectories(directory);
        var log = directory.resolve("npm-install.log");
        var npm = new ProcessBuilder("npm", "install", "--prefix", directory.toString(), "--no-audit", "--no-fund",
            "--no-save", "--loglevel=warn", agent.npmPackage() + "@" + agent.version())
            .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = npm.start();
        } catch (IOException e) {
            return fail("cannot run npm to install " + agent.npmPackage() + " (the agent tests need Node.js and npm): " + e.getMessage());
        }
        if (!process.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return fail("npm did not install " + agent.npmPackage() + "@" + agent.version() + " in " + NPM_TIMEOUT_SECONDS
                + " s (is the npm registry reachable?):\n" + tail(log));
        }
        if (process.exitValue() != 0 || !Files.isExecutable(executable)) {
            return fail("npm could not install " + agent.npmPackage() + "@" + agent.version() + " (exit " + process.exitValue()
                + "; the agent tests install the real CLIs from the npm registry, which must be reachable):\n" + tail(log));
        }
        Files.writeString(directory.resolve(MARKER), agent.npmPackage() + "@" + agent.version() + "\n");
        return directory;
    }

    /** The agent's executable in an installation directory. */
    static Path executable(Path directory, AgentCli agent) {
        return directory.resolve("node_modules").resolve(".bin").resolve(agent.command());
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no output)";
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
