package dev.halt.core.macos;

import dev.halt.core.LaunchOptions;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Whole macOS runs through {@link MacBackend} on the macOS runner, with the default grants and
 * halt's generated profile: a write outside the grants, a connect past the proxy, and a process
 * the command leaves in a group of its own after it exits.
 */
@Tag("macos")
class MacBackendMacTest {

    private static SandboxPolicy policy(Path work, NetworkMode mode) {
        return SandboxPolicy.builder(work).grants(SystemDefaults.grants(work, System.getenv())).networkMode(mode).build();
    }

    private static LaunchOptions options(Path out, Path err) {
        return new LaunchOptions(System.getenv(), false).withOutput(Redirect.to(out.toFile()), Redirect.to(err.toFile()));
    }

    @Test
    void theWorkingDirectoryIsWritableAndTheRestOfHomeIsNot(@TempDir Path temp) throws Exception {
        var home = Path.of(System.getProperty("user.home")).toRealPath();
        var work = Files.createTempDirectory(home, "halt-mac-work-").toRealPath();
        var outside = Files.createTempDirectory(home, "halt-mac-outside-").toRealPath();
        try {
            var out = temp.resolve("out");
            var err = temp.resolve("err");
            var child = new MacBackend().launch(policy(work, NetworkMode.BLOCKED), List.of("/bin/sh", "-c",
                "echo in > \"$1/in\" && echo out > \"$2/out\"", "sh", work.toString(), outside.toString()), options(out, err));
            int status = child.waitFor();
            child.killLeftovers(Duration.ofSeconds(5));
            assertNotEquals(0, status);
            assertTrue(Files.exists(work.resolve("in")), Files.readString(err));
            assertFalse(Files.exists(outside.resolve("out")), "a write outside the grants");
            assertTrue(Files.readString(err).contains("Operation not permitted"), Files.readString(err));
        } finally {
            for (var dir : List.of(work, outside)) {
                try (var walk = Files.walk(dir)) {
                    for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void proxyOnlyReachesTheProxyAndNothingElseOnLoopback(@TempDir Path temp) throws Exception {
        var work = Files.createDirectories(temp.resolve("work")).toRealPath();
        try (var other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            var out = temp.resolve("out");
            var err = temp.resolve("err");
            var child = new MacBackend().launch(policy(work, NetworkMode.PROXY_ONLY), List.of("/bin/bash", "-c",
                "echo \"proxy=$HTTPS_PROXY jvm=$JAVA_TOOL_OPTIONS\"; p=${HTTPS_PROXY##*:};"
                    + " (: <>/dev/tcp/127.0.0.1/$p) && echo proxy-ok; (: <>/dev/tcp/127.0.0.1/" + other.getLocalPort()
                    + ") 2>/dev/null && echo other-reached; exit 0"), options(out, err));
            assertEquals(0, child.waitFor(), Files.readString(err));
            child.killLeftovers(Duration.ofSeconds(5));
            var said = Files.readString(out);
            assertTrue(said.contains("proxy=http://127.0.0.1:"), said);
            assertTrue(said.contains("-Djava.net.preferIPv4Stack=true"), said);
            assertTrue(said.contains("proxy-ok"), said + Files.readString(err));
            assertFalse(said.contains("other-reached"), "a loopback port that is not the proxy's");
        }
    }

    @Test
    void aProcessLeftInAGroupOfItsOwnIsKilledAtTheEnd(@TempDir Path temp) throws Exception {
        var work = Files.createDirectories(temp.resolve("work")).toRealPath();
        var pidFile = work.resolve("pid");
        var child = new MacBackend().launch(policy(work, NetworkMode.BLOCKED), List.of("/bin/sh", "-c",
            "/usr/bin/python3 -c 'import os; os.setsid(); os.execvp(\"sleep\", [\"sleep\", \"300\"])' & echo $! > \"$1\"; sleep 2",
            "sh", pidFile.toString()), options(temp.resolve("out"), temp.resolve("err")));
        assertEquals(0, child.waitFor(), Files.readString(temp.resolve("err")));
        long leftover = Long.parseLong(Files.readString(pidFile).strip());
        assertTrue(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false), "it outlived the command");
        assertTrue(child.killLeftovers(Duration.ofSeconds(5)) >= 1);
        assertFalse(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false), "halt killed what it saw");
    }
}
