package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs of halt that go on while a test controls them (halt ps, allow, deny, watch, stop), with
 * privileges (as root: network namespaces) or without (as user 65534 through setpriv when the test
 * runs as root, as CI does). Each has its own control directory ({@code XDG_RUNTIME_DIR}): with
 * privileges outside {@code /tmp}, which is the run's own tmpfs there, so that the child could
 * reach the socket if halt let it.
 */
final class LiveRuns implements AutoCloseable {

    final boolean privileged;
    final boolean asNobody;
    final String classPath;
    final Path work;
    final Path runtime;
    final Map<String, String> env;
    private final List<Process> started = new ArrayList<>();

    private LiveRuns(boolean privileged, boolean asNobody, String classPath, Path work, Path runtime, Map<String, String> env) {
        this.privileged = privileged;
        this.asNobody = asNobody;
        this.classPath = classPath;
        this.work = work;
        this.runtime = runtime;
        this.env = env;
    }

    /** Runs in {@code temp}, with privileges or without; skips where the mode cannot run here. */
    static LiveRuns in(Path temp, boolean privileged) throws IOException {
        for (var tool : List.of("curl", "python3")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), "[tool-" + tool + "] needs /usr/bin/" + tool);
        }
        String classPath;
        boolean asNobody = false;
        Path runtime;
        if (privileged) {
            assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(),
                "[root] needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN (CI runs as root)");
            classPath = System.getProperty("java.class.path");
            // Outside /tmp, so that the run's own /tmp does not hide it from the child.
            runtime = Files.createTempDirectory(HaltProcess.fixtureRoot(), "live-runtime-");
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else {
            int abi = HaltProcess.landlockAbi();
            assumeTrue(abi >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 (TCP rules), this kernel has " + abi);
            asNobody = HaltProcess.asNobody();
            classPath = HaltProcess.prepareForHaltsUser(temp);
            runtime = Files.createDirectories(temp.resolve("runtime"));
            if (asNobody) Files.setAttribute(runtime, "unix:uid", 65534);
        }
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        var work = Files.createDirectories(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", temp.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", temp.resolve("config").toString());
        env.put("XDG_STATE_HOME", temp.resolve("state").toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        return new LiveRuns(privileged, asNobody, classPath, work, runtime, Map.copyOf(env));
    }

    /** A config file of {@code toml}, readable by halt's user. */
    Path config(String name, String toml) throws IOException {
        var file = Files.writeString(work.getParent().resolve(name), toml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** halt with {@code args}, to its end. */
    HaltProcess.Result halt(String... args) throws Exception {
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, args), work, env);
    }

    /** A halt that goes on: its output and error go to {@code name}.out and {@code name}.err in the work's parent. */
    Background start(String name, String... args) throws IOException {
        var out = work.getParent().resolve(name + ".out");
        var err = work.getParent().resolve(name + ".err");
        var pb = new ProcessBuilder(HaltProcess.command(classPath, asNobody, args)).directory(work.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        var process = pb.start();
        started.add(process);
        return new Background(process, out, err);
    }

    /** A halt started by {@link #start}. */
    record Background(Process process, Path out, Path err) {
        String output() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String errors() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits up to {@code timeout} for its output to satisfy {@code done}; whether it did. */
        boolean awaitOutput(Duration timeout, Predicate<String> done) throws Exception {
            return await(out, timeout, done);
        }

        /** The same for its standard error. */
        boolean awaitErrors(Duration timeout, Predicate<String> done) throws Exception {
            return await(err, timeout, done);
        }

        private static boolean await(Path file, Duration timeout, Predicate<String> done) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (done.test(Files.readString(file, StandardCharsets.UTF_8))) return true;
                Thread.sleep(50);
            }
            return done.test(Files.readString(file, StandardCharsets.UTF_8));
        }

        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return -1;
            }
            return process.exitValue();
        }
    }

    /** Waits up to {@code timeout} for {@code halt ps --json} to satisfy {@code done}; its last output. */
    String awaitPs(Duration timeout, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String out;
        do {
            out = halt("ps", "--json").out();
            if (done.test(out)) return out;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return out;
    }

    /** The control sockets in this runs' directory. */
    List<Path> sockets() throws IOException {
        var dir = runtime.resolve("halt");
        if (!Files.isDirectory(dir)) return List.of();
        try (var list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(".sock")).toList();
        }
    }

    @Override
    public void close() throws IOException {
        for (var p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (privileged) {
            try (var walk = Files.walk(runtime)) {
                for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
