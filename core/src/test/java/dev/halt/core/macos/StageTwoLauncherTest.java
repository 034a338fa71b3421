package dev.halt.core.macos;

import dev.halt.core.LaunchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stage 1 starting a real second-stage JVM with the production command line ({@link StageTwoCommand})
 * and the real FIFO ({@code mkfifo} through the macOS binding, which glibc serves too), the
 * native steps replaced by {@link FakeSeatbeltExec}. The attacks: JVM options in the child's
 * environment that would break stage 2's JVM if it acted on them, and a command's own 125.
 */
class StageTwoLauncherTest {

    private static StageTwoCommand fakeStageTwo() {
        return new StageTwoCommand(Path.of(System.getProperty("java.home")), ChildClassPath.of(), null,
            FakeSeatbeltExec.class.getName());
    }

    private static StageTwoLauncher.Request request(Path dir, String profile, List<String> argv, Map<String, String> env)
            throws Exception {
        var stderr = dir.resolve("stage2.err");
        return new StageTwoLauncher.Request(fakeStageTwo(), dir.resolve("runs"), null, profile, List.of("RW_0", dir.toString()),
            "/fake/command", argv, env, dir, new StageTwoLauncher.Stdio(Redirect.INHERIT, Redirect.INHERIT, Redirect.to(stderr.toFile())));
    }

    @Test
    void theCommandGetsExactlyItsEnvironmentAndJvmOptionsInItDoNotTouchStageTwo(@TempDir Path dir) throws Exception {
        var out = dir.resolve("env");
        var env = new LinkedHashMap<String, String>();
        // Each of these makes a JVM refuse to start (or print "Picked up") if stage 2's acted on it.
        env.put("JAVA_TOOL_OPTIONS", "-XX:+HaltNoSuchOption -Dhttp.proxyHost=127.0.0.1 -Djava.net.preferIPv4Stack=true");
        env.put("_JAVA_OPTIONS", "-XX:+HaltNoSuchOptionEither");
        env.put("JDK_JAVA_OPTIONS", "--halt-no-such-launcher-option");
        env.put("PATH", "/usr/bin:/bin");
        // The JDK reads the environment as UTF-8 on macOS whatever the locale, on Linux as LANG says:
        // as on macOS, then, so that the non-ASCII value below survives both JVMs.
        env.put("LANG", "C.UTF-8");
        env.put("SECRET", "s3cr=t with spaces and ünïcödé");
        env.put("HALT_STAGE2_JAVA_TOOL_OPTIONS", "the child's own");
        var process = StageTwoLauncher.start(request(dir, "(version 1)", List.of("fake", out.toString(), "7"), env), pid -> {});
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(7, process.exitValue(), "the process is the command, with its status");
        var seen = new TreeMap<String, String>();
        for (var entry : Files.readString(out, StandardCharsets.UTF_8).split("\0")) {
            int eq = entry.indexOf('=');
            seen.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        assertEquals(new TreeMap<>(env), seen);
        assertEquals("", Files.readString(dir.resolve("stage2.err")), "stage 2's JVM said nothing on the command's stderr");
        try (var runs = Files.list(dir.resolve("runs"))) {
            assertEquals(List.of(), runs.toList(), "the FIFO's name is gone");
        }
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(dir.resolve("runs"))));
    }

    @Test
    void aCommandThatExits125ByItselfIsNotHaltsFailure(@TempDir Path dir) throws Exception {
        var process = StageTwoLauncher.start(request(dir, "(version 1)", List.of("fake", dir.resolve("env").toString(), "125"),
            Map.of()), pid -> {});
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(125, process.exitValue());
    }

    @Test
    void aProfileStageTwoCannotApplyIs125WithSeatbeltsMessageAndNothingLeftRunning(@TempDir Path dir) throws Exception {
        var pids = new java.util.ArrayList<Long>();
        var e = assertThrows(LaunchException.class, () -> StageTwoLauncher.start(request(dir, "(refuse)",
            List.of("fake", dir.resolve("env").toString(), "0"), Map.of()), pids::add));
        assertEquals(125, e.exitStatus());
        assertEquals("cannot apply the macOS sandbox (Seatbelt refused halt's profile): unbound variable: refuse at"
            + " <input string>, line 1, column 2. Nothing was run.", e.getMessage());
        assertFalse(Files.exists(dir.resolve("env")), "the command never ran");
        assertEquals(1, pids.size());
        assertTrue(ProcessHandle.of(pids.getFirst()).map(h -> !h.isAlive()).orElse(true), "stage 2 is gone");
    }

    @Test
    void aMissingCommandIs127(@TempDir Path dir) throws Exception {
        var e = assertThrows(LaunchException.class, () -> StageTwoLauncher.start(request(dir, "(version 1)", List.of("fake"),
            Map.of()), pid -> {}));
        assertEquals(127, e.exitStatus());
        assertTrue(e.getMessage().startsWith("/fake/command: no such file"), e.getMessage());
    }

    @Test
    void aStageTwoJvmThatDiesBeforeReportingIs125(@TempDir Path dir) throws Exception {
        var broken = new StageTwoCommand(Path.of(System.getProperty("java.home")), ChildClassPath.of(), null,
            "dev.halt.core.macos.NoSuchMainClass");
        var r = request(dir, "(version 1)", List.of("fake", dir.resolve("env").toString(), "0"), Map.of());
        var e = assertThrows(LaunchException.class, () -> StageTwoLauncher.start(new StageTwoLauncher.Request(broken,
            r.runDirectory(), null, r.profile(), r.parameters(), r.executable(), r.argv(), r.childEnvironment(),
            r.workingDirectory(), r.stdio()), pid -> {}));
        assertEquals(125, e.exitStatus());
        assertTrue(e.getMessage().contains("ended before it started the command: it wrote nothing, exit status 1"), e.getMessage());
        var missingJava = new StageTwoCommand(dir.resolve("no-jdk"), "", null, "X");
        var e2 = assertThrows(LaunchException.class, () -> StageTwoLauncher.start(new StageTwoLauncher.Request(missingJava,
            r.runDirectory(), null, r.profile(), r.parameters(), r.executable(), r.argv(), r.childEnvironment(),
            r.workingDirectory(), r.stdio()), pid -> {}));
        assertEquals(125, e2.exitStatus());
        assertTrue(e2.getMessage().startsWith("cannot start the macOS sandbox's second stage"), e2.getMessage());
    }

    @Test
    void theCommandLineSaysNothingOnTheCommandsStreamsAndUsesTheCacheOnlyWhenThere(@TempDir Path dir) throws Exception {
        var cache = dir.resolve("stage2.aot");
        var without = new StageTwoCommand(Path.of("/jdk"), "/halt/halt.jar", null, SeatbeltExec.class.getName()).build(List.of("--x"));
        assertEquals("/jdk/bin/java", without.getFirst());
        assertTrue(without.contains("-Xlog:disable"));
        assertTrue(without.stream().noneMatch(a -> a.startsWith("-XX:AOTCache") || a.startsWith("-XX:SharedArchiveFile")));
        assertEquals(List.of("-cp", "/halt/halt.jar", "dev.halt.core.macos.SeatbeltExec", "--x"), without.subList(without.size() - 4, without.size()));
        var with = new StageTwoCommand(Path.of("/jdk"), "/halt/halt.jar", cache, SeatbeltExec.class.getName()).build(List.of());
        assertTrue(with.contains((Runtime.version().feature() >= 25 ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache), with.toString());
        System.setProperty(StageTwoCommand.CACHE_PROPERTY, cache.toString());
        try {
            assertNull(StageTwoCommand.ofThisJvm().cache(), "a cache bin/halt has not made is not passed");
            Files.writeString(cache, "");
            assertEquals(cache, StageTwoCommand.ofThisJvm().cache());
        } finally {
            System.clearProperty(StageTwoCommand.CACHE_PROPERTY);
        }
    }

    @Test
    void binHaltTrainsStageTwosCacheWithTheFlagsItRunsWith() throws Exception {
        // A cache made with other flags (the collector, the JIT level) is refused by the JVM, silently.
        var launcher = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("bin/halt"));
        int end = launcher.indexOf(SeatbeltExec.class.getName() + " --train");
        int start = launcher.lastIndexOf("\"$JDK/bin/java\"", end);
        assertTrue(start > 0 && end > start, "bin/halt trains stage 2's cache");
        var training = launcher.substring(start, end).replace("\\\n", " ");
        var flags = new StageTwoCommand(Path.of("/jdk"), "CP", null, "Main").build(List.of());
        for (var flag : flags.subList(1, flags.indexOf("-cp"))) assertTrue(training.contains(flag), "bin/halt trains without " + flag);
        assertTrue(training.endsWith("-cp \"$JAR\" "), training);
        assertTrue(launcher.contains("-D" + StageTwoCommand.CACHE_PROPERTY + "=$stage2_cache"));
    }
}
