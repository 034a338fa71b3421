package dev.halt.core;

import dev.halt.core.linux.LinuxBackend;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.core.probe.Platform;
import dev.halt.core.probe.PlatformFacts;
import dev.halt.core.probe.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The backend chosen per platform, and what a platform without one says. */
class BackendHolderTest {

    @TempDir
    Path temp;

    @Test
    void linuxAndMacosGetTheirBackendsAndOtherPlatformsOneThatSaysWhy() {
        assertInstanceOf(LinuxBackend.class, BackendHolder.choose("Linux"));
        assertEquals("linux", BackendHolder.choose("Linux").os());
        var mac = BackendHolder.choose("Mac OS X");
        assertInstanceOf(dev.halt.core.macos.MacBackend.class, mac);
        assertEquals("macos", mac.os());
        assertInstanceOf(UnsupportedBackend.class, BackendHolder.choose("FreeBSD"));
        assertEquals("freebsd", BackendHolder.choose("FreeBSD").os());
    }

    @Test
    void anUnsupportedPlatformRefusesToRunWith125AndSaysWhyAndRunsNothing() throws Exception {
        var marker = temp.resolve("ran");
        var policy = SandboxPolicy.builder(temp).networkMode(NetworkMode.UNRESTRICTED).build();
        for (var os : List.of("FreeBSD")) {
            var backend = BackendHolder.choose(os);
            var e = assertThrows(LaunchException.class,
                () -> backend.launch(policy, List.of("touch", marker.toString()), LaunchOptions.defaults()));
            assertEquals(ExitStatus.HALT_FAILED, e.exitStatus());
            assertEquals("halt run cannot sandbox a command on freebsd: halt supports Linux (and macOS), not FreeBSD. Nothing was run.",
                e.getMessage());
            var refusal = assertThrows(LaunchException.class, () -> backend.plan().require(NetworkMode.PROXY_ONLY, false));
            assertTrue(refusal.getMessage().contains("network mode proxy_only cannot be enforced here"), refusal.getMessage());
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void anUnsupportedPlatformsCheckFailsOnTheFilesystemLayerAndEveryIsolatedMode() {
        var backend = BackendHolder.choose("FreeBSD");
        var found = backend.check(Map.of());
        assertInstanceOf(PlatformFacts.Unsupported.class, found.facts());
        var platform = new Platform("freebsd", "amd64", "14.0", "25", "x", "/jdk");
        var report = new CheckReport("t", platform, found.facts(), found.probes(), found.network(), List.of());
        assertFalse(report.ok());
        assertFalse(report.filesystemEnforced());
        assertEquals(List.of("the filesystem layer (sandbox) cannot be enforced", "network mode localhost_only cannot be enforced",
            "network mode proxy_only cannot be enforced", "network mode blocked cannot be enforced"), report.failures());
        for (var mode : found.network()) {
            assertEquals(mode.mode() == NetworkMode.UNRESTRICTED ? Probe.Status.OK : Probe.Status.FAIL, mode.status());
            if (mode instanceof NetworkSupport.Unavailable u) assertEquals("halt supports Linux (and macOS), not FreeBSD", u.reason());
        }
        // The JSON keeps the keys the README documents, with "none" values off Linux.
        var json = report.toJson();
        assertTrue(json.contains("\"landlock_abi\": 0") && json.contains("\"euid\": -1"), json);
        assertTrue(json.contains("\"blocked\": {\n      \"mechanism\": \"unavailable\""), json);
    }
}
