package dev.halt.cli;

import dev.halt.core.linux.audit.Audit;
import dev.halt.core.linux.sys.ErrnoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A command denied a file by Landlock, through the CLI with real children: as root halt reads the
 * kernel's audit records of its run and names the path, the access and the flag that grants it;
 * with audit off it switches audit on only when asked ({@code --explain-denials}) and puts it back,
 * even after {@code kill -9}; without privileges a failed command gets a line naming
 * {@code halt explain}.
 *
 * <p>These tests change the machine's audit setting and leave it as they found it, whatever
 * happens ({@link #restoreAudit}).
 */
@Tag("linux")
class DenialReportTest {

    @TempDir
    Path temp;
    Path work;
    /** A file outside every grant and outside /tmp (which a privileged run replaces with its own). */
    Path secret;
    Path secretDirectory;
    /** The audit setting before the test, or -1 when the test did not read it. */
    int auditBefore = -1;

    @BeforeEach
    void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        work = Files.createDirectories(temp.resolve("work"));
        secretDirectory = Files.createTempDirectory(HaltProcess.fixtureRoot(), "denied-");
        secret = secretDirectory.resolve("secret.txt");
        Files.writeString(secret, "top-secret\n");
    }

    @AfterEach
    void restoreAudit() throws Exception {
        if (auditBefore >= 0 && auditBefore != Audit.status().enabled()) {
            try (var control = Audit.Control.open()) {
                control.setEnabled(auditBefore);
            }
        }
        if (auditBefore >= 0) assertEquals(auditBefore, Audit.status().enabled(), "the audit setting is back as it was");
        Files.deleteIfExists(secret);
        Files.deleteIfExists(secretDirectory);
    }

    /** As root with Landlock ABI 7 and the audit subsystem: records the setting to restore, then sets it to {@code enabled}. */
    private void auditAsRoot(int enabled) throws ErrnoException {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] needs root (as CI runs) to read audit records");
        assumeTrue(HaltProcess.landlockAbi() >= 7, "[landlock-abi-7] needs Landlock ABI 7 (Linux 6.15), which reports denials to audit");
        Audit.Status status;
        try {
            status = Audit.status();
        } catch (ErrnoException e) {
            assumeTrue(false, "[audit] needs the kernel's audit subsystem: " + e.getMessage());
            return;
        }
        assumeTrue(status.enabled() != 2, "[audit] audit is locked on (enabled=2) until reboot");
        auditBefore = status.enabled();
        if (status.enabled() != enabled) {
            try (var control = Audit.Control.open()) {
                control.setEnabled(enabled);
            }
        }
    }

    private HaltProcess.Result halt(String... args) throws Exception {
        return HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false, args), work, env());
    }

    private Map<String, String> env() {
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", temp.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", temp.resolve("config").toString());
        return env;
    }

    private static long occurrences(String text, String line) {
        return text.lines().filter(line::equals).count();
    }

    /**
     * The attack: a child reads a file it was not granted, twice. With audit off and
     * {@code --explain-denials}, halt switches audit on, prints one line naming the path and the
     * flag, counts both at exit, writes a JSON line per denial to {@code --log}, beside the proxy's
     * decisions (a name the allowlist refuses, answered in the run's own namespace), and switches
     * audit off again.
     */
    @Test
    @Tag("root")
    void aDeniedReadIsNamedOnceCountedAndLogged() throws Exception {
        auditAsRoot(0);
        var log = temp.resolve("run.jsonl");
        var r = halt("run", "--no-config", "--explain-denials", "--log", log.toString(), "--allow", "allowed.invalid", "--",
            "sh", "-c", "getent hosts refused.invalid; cat " + secret + "; cat " + secret + "; exit 3");
        assertEquals(3, r.status(), r.err());
        assertFalse(r.out().contains("top-secret"), r.out());
        var line = "halt: denied read " + secret + " (not granted; --read " + secret + ")";
        assertEquals(1, occurrences(r.err(), line), r.err());
        assertTrue(r.err().contains("halt landlock: 2 denied"), r.err());
        assertFalse(r.err().contains("halt explain PATH"), "no hint once the denial was named: " + r.err());

        var events = new ArrayList<Map<String, Object>>();
        boolean proxyDecision = false;
        for (var json : Files.readAllLines(log)) {
            @SuppressWarnings("unchecked")
            var event = (Map<String, Object>) Json.parse(json);
            if ("landlock".equals(event.get("via")) && secret.toString().equals(event.get("path"))) events.add(event);
            proxyDecision |= "refused.invalid".equals(event.get("host")) && "refused".equals(event.get("decision"));
        }
        assertTrue(proxyDecision, "the proxy's decisions share the file: " + Files.readString(log));
        assertEquals(2, events.size(), "one JSON line per denial: " + Files.readString(log));
        var first = events.getFirst();
        assertEquals("refused", first.get("decision"));
        assertEquals("read", first.get("access"));
        assertEquals(List.of("fs.read_file"), first.get("blockers"));
        assertEquals("--read " + secret, first.get("grant"));
        assertEquals("cat", first.get("comm"), "the event names the process: " + first);

        assertEquals(0, Audit.status().enabled(), "halt switched audit off again, as it found it");
        assertFalse(Files.exists(Path.of("/run/halt/audit-state")), "and removed its state file");
    }

    /** With audit on (an audit daemon, or journald, switched it on), halt reads its run's records without being asked. */
    @Test
    @Tag("root")
    void withAuditOnADeniedReadIsNamedWithoutTheFlag() throws Exception {
        auditAsRoot(1);
        var r = halt("run", "--no-config", "--network", "unrestricted", "--", "sh", "-c", "cat " + secret + "; exit 3");
        assertEquals(3, r.status(), r.err());
        assertEquals(1, occurrences(r.err(), "halt: denied read " + secret + " (not granted; --read " + secret + ")"), r.err());
        assertEquals(1, Audit.status().enabled(), "halt leaves audit on as it found it");
    }

    /** With audit off and no flag, halt does not switch audit on behind the user's back: the failure gets the hint instead. */
    @Test
    @Tag("root")
    void withAuditOffTheFailureGetsTheHintAndAuditStaysOff() throws Exception {
        auditAsRoot(0);
        var r = halt("run", "--no-config", "--network", "unrestricted", "--", "sh", "-c", "cat " + secret + "; exit 4");
        assertEquals(4, r.status(), r.err());
        assertFalse(r.err().contains("halt: denied"), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("halt: the command exited with status 4;")
            && l.contains("--explain-denials") && l.contains("'halt explain PATH'")), r.err());
        assertEquals(0, Audit.status().enabled(), "audit stays off");
    }

    /**
     * The attack on the restore: halt is killed ({@code kill -9}) during a run that switched audit
     * on, so it cannot switch it off; the next halt command must.
     */
    @Test
    @Tag("root")
    void aKilledRunsAuditSettingIsRestoredByTheNextHaltCommand() throws Exception {
        auditAsRoot(0);
        var pb = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false, "run", "--no-config",
            "--explain-denials", "--network", "unrestricted", "--", "sleep", "60")).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(env());
        pb.redirectErrorStream(true).redirectOutput(temp.resolve("killed.out").toFile());
        var killed = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((Audit.status().enabled() != 1 || !Files.exists(Path.of("/run/halt/audit-state")))
                && System.nanoTime() < deadline && killed.isAlive()) {
                Thread.sleep(20);
            }
            assertEquals(1, Audit.status().enabled(), "the run switched audit on: " + Files.readString(temp.resolve("killed.out")));
        } finally {
            killed.destroyForcibly();
            assertTrue(killed.waitFor(10, TimeUnit.SECONDS));
        }
        assertEquals(1, Audit.status().enabled(), "a killed halt cannot switch audit off");

        var next = halt("explain", "/");
        assertEquals(0, next.status(), next.err());
        assertTrue(next.err().contains("switched audit off again"), next.err());
        assertEquals(0, Audit.status().enabled(), "the next halt command put audit back");
        assertFalse(Files.exists(Path.of("/run/halt/audit-state")));
    }

    /**
     * Without privileges halt cannot see Landlock's denials: a failed command gets one line saying
     * so and naming {@code halt explain}; a command that succeeds gets none.
     */
    @Test
    void rootlessAFailedCommandGetsOneLineNamingHaltExplain() throws Exception {
        boolean asNobody = HaltProcess.asNobody();
        var classPath = HaltProcess.prepareForHaltsUser(temp);
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        var failed = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--no-config", "--network", "unrestricted",
            "--", "sh", "-c", "cat " + secret + "; exit 5"), work, env);
        assertEquals(5, failed.status(), failed.err());
        assertFalse(failed.out().contains("top-secret"), failed.out());
        var hints = failed.err().lines().filter(l -> l.startsWith("halt: the command exited with status 5;")).toList();
        assertEquals(1, hints.size(), failed.err());
        assertTrue(hints.getFirst().contains("'halt explain PATH'"), hints.getFirst());
        if (asNobody) assertTrue(hints.getFirst().contains("without privileges"), hints.getFirst());

        var ok = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--no-config", "--network", "unrestricted",
            "--", "true"), work, env);
        assertEquals(0, ok.status(), ok.err());
        assertFalse(ok.err().contains("halt explain"), ok.err());

        if (asNobody) {
            var unwritable = HaltProcess.run(HaltProcess.command(classPath, true, "run", "--no-config", "--log",
                secretDirectory.resolve("run.jsonl").toString(), "--", "true"), work, env);
            assertEquals(125, unwritable.status(), unwritable.err());
            assertTrue(unwritable.err().contains("--log " + secretDirectory.resolve("run.jsonl")
                + ": cannot write it: permission denied"), unwritable.err());
        }
    }
}
