package dev.halt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Starts halt as a separate JVM, optionally as the unprivileged user 65534 through setpriv(1). */
final class HaltProcess {
    private HaltProcess() {}

    record Result(int status, String out, String err) {}

    /**
     * halt's class path copied where user 65534 can read it (the build's own directories and
     * the local Maven repository may not be), without the test libraries.
     */
    static String readableClassPath(Path into) throws IOException {
        var entries = new ArrayList<String>();
        int n = 0;
        for (var entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            var source = Path.of(entry);
            var name = source.getFileName().toString();
            if (name.startsWith("junit") || name.startsWith("opentest4j") || name.startsWith("apiguardian")
                || name.equals("test-classes") || !Files.exists(source)) continue;
            var target = into.resolve((n++) + "-" + name);
            if (Files.isDirectory(source)) {
                try (var walk = Files.walk(source)) {
                    for (var p : walk.toList()) {
                        var t = target.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
            entries.add(target.toString());
        }
        try (var walk = Files.walk(into)) {
            for (var p : walk.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * Where tests keep fixtures that must lie outside {@code /tmp} and {@code /var/tmp} (a privileged
     * run gets its own there, and they are default grants): the module's {@code target}, unless the
     * checkout itself is under one of them; then {@code /var/cache/halt-tests} as root (traversable
     * by the rootless tests' user), else {@code ~/.cache/halt-tests}.
     */
    static Path fixtureRoot() throws IOException {
        var target = Path.of(System.getProperty("user.dir"), "target").toAbsolutePath();
        if (!target.startsWith("/tmp") && !target.startsWith("/var/tmp")) return target;
        var root = dev.halt.ffm.linux.unistd_h.geteuid() == 0 ? Path.of("/var/cache/halt-tests")
            : Path.of(System.getProperty("user.home"), ".cache", "halt-tests");
        Files.createDirectories(root);
        if (dev.halt.ffm.linux.unistd_h.geteuid() == 0) Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return root;
    }

    /** The kernel's Landlock ABI, 0 without Landlock. */
    static int landlockAbi() {
        try {
            return dev.halt.core.linux.landlock.Landlock.abiVersion();
        } catch (dev.halt.core.linux.sys.ErrnoException e) {
            return 0;
        }
    }

    /** Whether halt runs as user 65534 through setpriv (this test runs as root), else as this test's user. */
    static boolean asNobody() {
        return dev.halt.ffm.linux.unistd_h.geteuid() == 0;
    }

    /**
     * Makes {@code temp} usable by the user halt runs as ({@link #asNobody}): world-writable, with
     * halt's class path copied into it; returns that class path. Skips without setpriv(1).
     */
    static String prepareForHaltsUser(Path temp) throws IOException {
        if (asNobody()) {
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "[tool-setpriv] needs setpriv(1) to drop to an unprivileged user");
        }
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        var classPath = readableClassPath(Files.createDirectories(temp.resolve("cp")));
        Files.setPosixFilePermissions(temp.resolve("cp"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return classPath;
    }

    /** The command line of halt with {@code args}; {@code asUser} prefixes setpriv to user 65534. */
    static List<String> command(String classPath, boolean asNobody, String... args) {
        return command(classPath, asNobody, List.of(), args);
    }

    /** The same, with {@code jvmOptions} ({@code -Dhalt.supervisor=off}) for halt's JVM. */
    static List<String> command(String classPath, boolean asNobody, List<String> jvmOptions, String... args) {
        var command = new ArrayList<String>();
        if (asNobody) command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", classPath, Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** The {@code key=value} words of a child's output. */
    static Map<String, String> words(String out) {
        var result = new java.util.TreeMap<String, String>();
        for (var word : out.split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) result.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return result;
    }

    /** Asks {@code find} every 50 ms until it finds nothing or {@code timeout} passes; its last answer. */
    static List<String> untilNoneLeft(java.time.Duration timeout, java.util.concurrent.Callable<List<String>> find)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        var left = find.call();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = find.call();
        }
        return left;
    }

    /** The PIDs of live processes whose command line starts with {@code argv} (NUL-separated). */
    static List<String> processesRunning(String... argv) throws IOException {
        var prefix = String.join("\u0000", argv);
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return Files.readString(p.resolve("cmdline")).startsWith(prefix);
                } catch (IOException e) {
                    return false;
                }
            }).map(p -> p.getFileName().toString()).toList();
        }
    }

    static Result run(List<String> command, Path directory, Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(command).directory(directory.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        var p = pb.start();
        p.getOutputStream().close();
        var err = new StringBuilder();
        var errReader = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended
            }
        });
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "halt finished");
        errReader.join();
        return new Result(p.exitValue(), out, err.toString());
    }
}
