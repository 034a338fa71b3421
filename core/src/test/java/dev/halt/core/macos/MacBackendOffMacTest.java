package dev.halt.core.macos;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.core.probe.Platform;
import dev.halt.core.probe.PlatformFacts;
import dev.halt.core.probe.Probe;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS backend on a machine without Seatbelt (this one): it refuses to run anything, its plan
 * and check say why, and the parts that decide without a Mac (the child's environment, the
 * grants' links) do what a Mac needs.
 */
@Tag("linux")
class MacBackendOffMacTest {

    @Test
    void withoutSeatbeltNothingRunsNotEvenUnrestricted(@TempDir Path dir) {
        var marker = dir.resolve("ran");
        var policy = SandboxPolicy.builder(dir).networkMode(NetworkMode.UNRESTRICTED).build();
        for (var bestEffort : List.of(false, true)) {
            var e = assertThrows(LaunchException.class, () -> new MacBackend().launch(policy, List.of("touch", marker.toString()),
                new LaunchOptions(Map.of("PATH", "/usr/bin:/bin"), bestEffort)));
            assertEquals(ExitStatus.HALT_FAILED, e.exitStatus());
            assertTrue(e.getMessage().startsWith("this system has no Seatbelt"), e.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void askIsRefusedNotDropped(@TempDir Path dir) {
        var policy = SandboxPolicy.builder(dir).networkMode(NetworkMode.PROXY_ONLY).build();
        var ask = assertThrows(LaunchException.class, () -> new MacBackend().launch(policy, List.of("true"),
            new LaunchOptions(Map.of(), false).withAsk(java.time.Duration.ofSeconds(5))));
        assertEquals("--ask is not available on macOS yet. Nothing was run.", ask.getMessage());
    }

    @Test
    void thePlanAndCheckSayWhy() {
        var backend = new MacBackend();
        for (var entry : backend.plan().network()) {
            if (entry.mode() == NetworkMode.UNRESTRICTED) {
                assertEquals("none", entry.mechanismId());
            } else {
                var unavailable = assertInstanceOf(NetworkSupport.Unavailable.class, entry);
                assertTrue(unavailable.reason().contains("sandbox_init_with_parameters"), unavailable.reason());
            }
        }
        var found = backend.check(Map.of());
        var facts = assertInstanceOf(PlatformFacts.Mac.class, found.facts());
        var report = new CheckReport("t", Platform.current(), facts, found.probes(), found.network(), List.of());
        var names = found.probes().stream().map(Probe::name).toList();
        assertEquals(List.of("seatbelt.nested", "seatbelt", "seatbelt.network", "tether"), names);
        assertFalse(report.filesystemEnforced());
        assertTrue(report.failures().contains("the filesystem layer (seatbelt) cannot be enforced"), report.failures().toString());
        assertTrue(report.tetherAvailable(), "the tether's script runs here too");
        assertEquals(List.of("subreaper"), found.notes().stream().map(Probe::name).toList());
        assertEquals(Probe.Status.WARN, found.notes().getFirst().status());
        var json = report.toJson();
        assertTrue(json.contains("\"landlock_abi\": 0"), json);
        assertTrue(json.contains("\"macos_version\": \"" + System.getProperty("os.version") + "\""), json);
    }

    @Test
    void theChildGetsTheProxyAndIpv4OnlyWhereTheProfileNamesLocalhost() {
        var proxy = new InetSocketAddress("127.0.0.1", 4711);
        var base = Map.of("PATH", "/usr/bin", "JAVA_TOOL_OPTIONS", "-Xmx1g");
        var proxied = MacSandbox.childEnvironment(base, proxy, NetworkMode.PROXY_ONLY, null);
        assertEquals("http://127.0.0.1:4711", proxied.get("HTTPS_PROXY"));
        assertEquals("socks5h://127.0.0.1:4711", proxied.get("ALL_PROXY"));
        var jvm = proxied.get("JAVA_TOOL_OPTIONS");
        assertTrue(jvm.startsWith("-Xmx1g -Dhttp.proxyHost=127.0.0.1"), jvm);
        assertTrue(jvm.endsWith(" -Djava.net.preferIPv4Stack=true"), jvm);
        var local = MacSandbox.childEnvironment(Map.of("JAVA_TOOL_OPTIONS", "-Djava.net.preferIPv4Stack=true"), null,
            NetworkMode.LOCALHOST_ONLY, null);
        assertEquals("-Djava.net.preferIPv4Stack=true", local.get("JAVA_TOOL_OPTIONS"), "not twice");
        var blocked = MacSandbox.childEnvironment(Map.of(), null, NetworkMode.BLOCKED, null);
        assertFalse(blocked.containsKey("JAVA_TOOL_OPTIONS"));
        assertEquals("0", blocked.get("npm_config_fetch_retries"), "no name resolves: npm does not wait on retries");
        assertFalse(MacSandbox.childEnvironment(Map.of(), null, NetworkMode.UNRESTRICTED, null).containsKey("JAVA_TOOL_OPTIONS"));
    }

    @Test
    void aGrantThroughALinkTheCommandCouldHavePlantedIsRefused(@TempDir Path dir) throws Exception {
        var work = Files.createDirectories(dir.resolve("work"));
        var secret = Files.createDirectories(dir.resolve("secret"));
        // An earlier run with --write work left work/p -> secret to widen a later --write work/p.
        Files.createSymbolicLink(work.resolve("p"), secret);
        var file = Files.writeString(dir.resolve("notes.txt"), "x");
        var policy = SandboxPolicy.builder(dir).networkMode(NetworkMode.BLOCKED)
            .grant(new PathGrant(work, PathAccess.READ_WRITE, new ValueSource.CommandLine("--write")))
            .grant(new PathGrant(work.resolve("p"), PathAccess.READ_WRITE, new ValueSource.CommandLine("--write")))
            .build();
        var e = assertThrows(LaunchException.class, () -> MacGrants.resolve(policy, 4242));
        assertTrue(e.getMessage().contains("which the sandboxed side could have planted (it lies inside the write grant"), e.getMessage());
        var asDefault = SandboxPolicy.builder(dir).networkMode(NetworkMode.BLOCKED)
            .grant(new PathGrant(work, PathAccess.READ_WRITE, new ValueSource.CommandLine("--write")))
            .grant(new PathGrant(work.resolve("p"), PathAccess.READ_WRITE, new ValueSource.Default("a default")))
            .grant(new PathGrant(file, PathAccess.READ, new ValueSource.CommandLine("--read")))
            .grant(new PathGrant(dir.resolve("missing"), PathAccess.READ, new ValueSource.CommandLine("--read")))
            .build();
        var grants = MacGrants.resolve(asDefault, 4242);
        assertEquals(List.of(work.toRealPath(), file.toRealPath()), grants.policy().grants().stream().map(PathGrant::path).toList(),
            "the planted default and the missing path are left out");
        assertEquals(java.util.Set.of(file.toRealPath()), grants.files());
        assertTrue(grants.executes(work.toRealPath().resolve("tool")));
        assertFalse(grants.executes(secret.toRealPath().resolve("tool")));
    }
}
