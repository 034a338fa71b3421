package dev.halt.core.macos;

import dev.halt.core.LaunchException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The real second stage on the macOS runner: {@link SeatbeltExec} with {@code sandbox_init_with_parameters}
 * and {@code posix_spawn(SETEXEC)}, started by {@link StageTwoLauncher} as a run starts it. Each test
 * is an attack or a failure a user meets: a write the profile denies, a command's own 125 against
 * halt's, a profile that does not compile, a command that is missing, not executable or denied
 * execution, descriptors and signal states that must not leak into the command, and halt started
 * inside another Seatbelt sandbox.
 */
@Tag("macos")
class SeatbeltExecMacTest {

    private static final String ALLOW_ALL = "(version 1)\n(allow default)\n";

    private static StageTwoCommand realStageTwo() {
        return new StageTwoCommand(Path.of(System.getProperty("java.home")), ChildClassPath.of(), null,
            SeatbeltExec.class.getName());
    }

    record Ran(int status, String out, String err) {}

    /** Runs {@code argv} (absolute executable first) under {@code profile}; throws halt's failure. */
    private static Ran run(Path dir, String profile, List<String> parameters, Map<String, String> env, String... argv)
            throws Exception {
        var out = Files.createTempFile(dir, "out", ".txt");
        var err = Files.createTempFile(dir, "err", ".txt");
        var request = new StageTwoLauncher.Request(realStageTwo(), dir.resolve("runs"), null, profile, parameters, argv[0],
            List.of(argv), env, dir, new StageTwoLauncher.Stdio(Redirect.from(Path.of("/dev/null").toFile()),
            Redirect.to(out.toFile()), Redirect.to(err.toFile())));
        var process = StageTwoLauncher.start(request, pid -> {});
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the command finished");
        return new Ran(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Map<String, String> path() {
        return Map.of("PATH", "/usr/bin:/bin");
    }

    @Test
    void aWriteTheProfileDeniesFailsWithEperm(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        var denied = Files.createDirectories(dir.resolve("denied"));
        var ran = run(dir, ALLOW_ALL + "(deny file-write* (subpath (param \"DENIED\")))\n", List.of("DENIED", denied.toString()),
            path(), "/bin/sh", "-c", "echo secret > \"$1/f\"", "sh", denied.toString());
        assertNotEquals(0, ran.status());
        assertTrue(ran.err().contains("Operation not permitted"), ran.err());
        assertFalse(Files.exists(denied.resolve("f")));
        // The same write without the rule works: the refusal was the profile's.
        var ran2 = run(dir, ALLOW_ALL, List.of(), path(), "/bin/sh", "-c", "echo ok > \"$1/f\"", "sh", denied.toString());
        assertEquals(0, ran2.status(), ran2.err());
        assertTrue(Files.exists(denied.resolve("f")));
    }

    @Test
    void theProbesPass(@TempDir Path temp) {
        var dir = temp;
        var write = MacProbes.seatbelt(realStageTwo(), dir.resolve("runs"), dir);
        assertTrue(write.isAvailable(), write.explanation());
        var network = MacProbes.network(realStageTwo(), dir.resolve("runs"), dir);
        assertTrue(network.isAvailable(), network.explanation());
    }

    @Test
    void aCommandsOwn125IsItsStatusAndABadProfileIsHalts125(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        assertEquals(125, run(dir, ALLOW_ALL, List.of(), path(), "/bin/sh", "-c", "exit 125").status(),
            "the command's own 125 is its status, not a failure of halt");
        var marker = dir.resolve("ran");
        var e = assertThrows(LaunchException.class, () -> run(dir, ALLOW_ALL + "(deny no-such-operation-halt)\n", List.of(), path(),
            "/usr/bin/touch", marker.toString()));
        assertEquals(125, e.exitStatus());
        assertTrue(e.getMessage().startsWith("cannot apply the macOS sandbox (Seatbelt refused halt's profile): "), e.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");
    }

    @Test
    void missingNotExecutableAndDeniedCommandsAre127And126(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        var missing = assertThrows(LaunchException.class, () -> run(dir, ALLOW_ALL, List.of(), path(), dir + "/no-such-command"));
        assertEquals(127, missing.exitStatus(), missing.getMessage());
        var plain = Files.writeString(dir.resolve("plain"), "#!/bin/sh\ntouch \"$0.ran\"\n");
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rw-r--r--"));
        var notExecutable = assertThrows(LaunchException.class, () -> run(dir, ALLOW_ALL, List.of(), path(), plain.toString()));
        assertEquals(126, notExecutable.exitStatus(), notExecutable.getMessage());
        Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rwxr-xr-x"));
        var denied = assertThrows(LaunchException.class, () -> run(dir, ALLOW_ALL + "(deny process-exec* (literal (param \"X\")))\n",
            List.of("X", plain.toString()), path(), plain.toString()));
        assertEquals(126, denied.exitStatus(), denied.getMessage());
        assertTrue(denied.getMessage().contains("not granted for execution"), denied.getMessage());
        assertFalse(Files.exists(Path.of(plain + ".ran")));
    }

    @Test
    void theCommandGetsExactlyItsEnvironmentAndOnlyDescriptors0To2(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        var env = new LinkedHashMap<String, String>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("JAVA_TOOL_OPTIONS", "-XX:+HaltNoSuchOption -Djava.net.preferIPv4Stack=true");
        env.put("SECRET", "ünïcödé = value");
        var ran = run(dir, ALLOW_ALL, List.of(), env, "/usr/bin/env");
        assertEquals(0, ran.status(), ran.err());
        var seen = new TreeMap<String, String>();
        ran.out().lines().forEach(l -> seen.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals(new TreeMap<>(env), seen);
        // ls opens /dev/fd itself (3): anything above is a descriptor of stage 2's JVM leaking into the command.
        var fds = run(dir, ALLOW_ALL, List.of(), path(), "/bin/ls", "/dev/fd");
        assertEquals(List.of("0", "1", "2", "3"), fds.out().lines().toList(), fds.err());
    }

    @Test
    void signalsReachTheCommandWithTheirDefaultAction(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        for (var signal : Map.of("INT", 2, "QUIT", 3, "TERM", 15, "USR1", 30).entrySet()) {
            var ran = run(dir, ALLOW_ALL, List.of(), path(), "/bin/sh", "-c", "kill -" + signal.getKey() + " $$; sleep 5; exit 3");
            assertEquals(128 + signal.getValue(), ran.status(), "SIG" + signal.getKey() + " kills the command: not blocked, not ignored");
        }
    }

    @Test
    void haltInsideAnotherSandboxIs125SayingSo(@TempDir Path temp) throws Exception {
        var dir = temp.toRealPath();
        var fifo = StatusFifo.create(dir.resolve("runs"));
        var arguments = new SeatbeltExecArguments(fifo.toString(), null, ALLOW_ALL, List.of(), "/usr/bin/true", List.of("true"));
        var command = new ArrayList<>(List.of("/usr/bin/sandbox-exec", "-p",
            "(version 1)(allow default)(deny file-write* (literal \"/nonexistent-halt\"))"));
        command.addAll(realStageTwo().build(arguments.encode()));
        var reader = StatusFifo.Reader.start(fifo);
        var stage = new ProcessBuilder(command).redirectErrorStream(true).start();
        var outcome = reader.await(stage, Duration.ofSeconds(30));
        assertInstanceOf(StatusFifo.Outcome.Failed.class, outcome, outcome.toString());
        var failed = (StatusFifo.Outcome.Failed) outcome;
        assertEquals(125, failed.code());
        assertTrue(failed.message().contains("halt is itself running inside a Seatbelt sandbox"), failed.message());
        assertTrue(stage.waitFor(10, TimeUnit.SECONDS));
        assertEquals(125, stage.exitValue());
    }
}
