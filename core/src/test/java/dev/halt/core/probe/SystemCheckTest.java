package dev.halt.core.probe;

import dev.halt.core.linux.Requires;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.*;

@Tag("linux")
class SystemCheckTest {

    private static Probe probe(CheckReport report, String name) {
        return report.probes().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void verifiesLandlockOnThisMachine(@TempDir Path home) throws Exception {
        int abi = Requires.landlockAbi(1);
        var report = SystemCheck.run(Map.of("HOME", home.toString()), home, "test");
        assertEquals(abi, ((PlatformFacts.Linux) report.facts()).landlockAbi());
        assertEquals(Probe.Status.OK, probe(report, report.facts().filesystemProbe()).status());
        assertTrue(report.filesystemEnforced());
        assertEquals(abi >= 4, probe(report, "landlock.tcp").availability().isAvailable());
        assertEquals(abi >= 6, probe(report, "landlock.scopes").availability().isAvailable());
        assertTrue(probe(report, "seccomp").availability().isAvailable(), probe(report, "seccomp").availability().explanation());
        assertTrue(probe(report, "no_new_privs").availability().isAvailable());
        assertTrue(report.tetherAvailable(), probe(report, CheckReport.TETHER_PROBE).availability().explanation());
        var supervisor = probe(report, "seccomp.supervisor");
        assertTrue(supervisor.availability().isAvailable(), supervisor.availability().explanation());
        assertTrue(supervisor.availability().explanation().contains("pidfd_getfd"), supervisor.availability().explanation());
    }

    @Test
    @Tag("root")
    void asRootEveryIsolatedModeUsesNamespaces(@TempDir Path home) {
        Requires.landlockAbi(1);
        Requires.networkAdmin();
        var report = SystemCheck.run(Map.of("HOME", home.toString()), home, "test");
        assertTrue(probe(report, "netns").availability().isAvailable());
        var mountns = probe(report, CheckReport.MOUNT_NAMESPACE_PROBE);
        assertEquals(Probe.Status.OK, mountns.status(), mountns.availability().explanation());
        assertTrue(mountns.availability().explanation().contains("EROFS"), mountns.availability().explanation());
        for (var mode : report.network()) {
            assertEquals(mode.mode() == dev.halt.core.policy.NetworkMode.UNRESTRICTED ? Mechanism.NONE : Mechanism.NETNS,
                ((NetworkSupport.Enforced) mode).mechanism(), mode.mode().configName());
        }
        assertTrue(report.ok());
    }

    /** As root on ABI 7 the audit probe says whether audit is on, and that the kernel took LOG_NEW_EXEC_ON. */
    @Test
    @Tag("root")
    void asRootTheAuditProbeSaysWhetherDenialsAreReported(@TempDir Path home) throws Exception {
        Requires.landlockAbi(7);
        Requires.networkAdmin();
        dev.halt.core.linux.audit.Audit.Status status;
        try {
            status = dev.halt.core.linux.audit.Audit.status();
        } catch (dev.halt.core.linux.sys.ErrnoException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "[audit] needs the kernel's audit subsystem: " + e.getMessage());
            return;
        }
        var audit = probe(SystemCheck.run(Map.of("HOME", home.toString()), home, "test"), "audit");
        var detail = audit.availability().explanation();
        assertEquals(status.on() ? Probe.Status.OK : Probe.Status.WARN, audit.status(), detail);
        assertTrue(detail.startsWith(status.on() ? "enabled" : "disabled"), detail);
        assertTrue(detail.endsWith("LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON accepted"), detail);
    }

    @Test
    void reportsConfigFilesAndTheirParseErrors(@TempDir Path dir) throws Exception {
        var xdg = Files.createDirectories(dir.resolve("xdg/halt"));
        Files.writeString(xdg.resolve("halt.toml"), "[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        var project = Files.createDirectories(dir.resolve("work/.halt"));
        Files.writeString(project.resolve("halt.toml"), "[proxy]\ndomain_allowlist = [\"a.com\"\n");
        var report = SystemCheck.run(Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("xdg").toString()),
            dir.resolve("work"), "test");
        var global = report.configFiles().get(0);
        var local = report.configFiles().get(1);
        assertEquals(xdg.resolve("halt.toml"), global.path());
        assertTrue(global.parses());
        assertTrue(local.exists());
        assertFalse(local.parses());
        assertTrue(local.error().contains(project.resolve("halt.toml") + ":3"), local.error());
        assertEquals(Probe.Status.FAIL, probe(report, "config.project").status());
        assertEquals("untrusted", local.trust());
    }

    @Test
    void anUnknownKeyIsAnErrorAndAValidUntrustedProjectFileAFailureAsRunRefusesBoth(@TempDir Path dir) throws Exception {
        var xdg = Files.createDirectories(dir.resolve("xdg/halt"));
        Files.writeString(xdg.resolve("halt.toml"), "[sandbox]\nnetwrok = 1\n");
        var project = Files.createDirectories(dir.resolve("work/.halt"));
        Files.writeString(project.resolve("halt.toml"), "[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        var report = SystemCheck.run(Map.of("HOME", dir.toString(), "XDG_CONFIG_HOME", dir.resolve("xdg").toString()),
            dir.resolve("work"), "test");
        var global = report.configFiles().get(0);
        assertFalse(global.parses());
        assertTrue(global.error().contains("netwrok") && global.error().contains(":2"), global.error());
        assertEquals(Probe.Status.FAIL, probe(report, "config.global").status());
        assertTrue(report.configFiles().get(1).parses());
        assertEquals(Probe.Status.FAIL, probe(report, "config.project").status());
        assertTrue(probe(report, "config.project").availability().explanation().contains("halt config trust"));
        assertFalse(report.ok(), "a FAIL line is never followed by OK");
        assertEquals(List.of("config.global cannot be used (its line says why)", "config.project cannot be used (its line says why)"),
            report.failures().stream().filter(f -> f.startsWith("config.")).toList());
    }

    @Test
    void okNeedsTheFilesystemLayerEveryModeAndTheTether() {
        var fsOk = new Probe("landlock.enforcement", Availability.available("x"), Probe.Status.OK);
        var fsNo = new Probe("landlock.enforcement", Availability.unavailable("x"), Probe.Status.FAIL);
        var tetherOk = new Probe(CheckReport.TETHER_PROBE, Availability.available("x"), Probe.Status.OK);
        var tetherNo = new Probe(CheckReport.TETHER_PROBE, Availability.unavailable("x"), Probe.Status.FAIL);
        var all = NetworkSupport.MODES.stream().<NetworkSupport>map(m -> new NetworkSupport.Enforced(m, Mechanism.NETNS, "x", false))
            .toList();
        var none = NetworkSupport.MODES.stream().<NetworkSupport>map(m -> new NetworkSupport.Unavailable(m, "x")).toList();
        var platform = Platform.current();
        assertTrue(report(platform, List.of(fsOk, tetherOk), all).ok());
        assertFalse(report(platform, List.of(fsNo, tetherOk), all).ok());
        assertFalse(report(platform, List.of(fsOk, tetherOk), none).ok());
        assertFalse(report(platform, List.of(fsOk, tetherNo), all).ok());
        var anyFail = new Probe("config.project", Availability.unavailable("x"), Probe.Status.FAIL);
        var warn = new Probe("netns", Availability.unavailable("x"), Probe.Status.WARN);
        assertFalse(report(platform, List.of(fsOk, tetherOk, anyFail), all).ok(), "any FAIL line fails check");
        assertTrue(report(platform, List.of(fsOk, tetherOk, warn), all).ok(), "a WARN line does not");
    }

    private static CheckReport report(Platform platform, List<Probe> probes, List<NetworkSupport> network) {
        return new CheckReport("t", platform, new PlatformFacts.Linux(0, OptionalInt.empty(), true, true, 7), probes, network,
            List.of());
    }
}
