package dev.halt.cli;

import dev.halt.ffm.linux.unistd_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The places every program of a user shares -- /tmp, the terminals, /dev/shm -- when halt runs
 * without privileges (as user 65534 through setpriv when the test runs as root), and the clean-up
 * after a halt killed with SIGKILL. Each test is the attack of a child on another program's files
 * of the same user.
 */
@Tag("linux")
class RootlessIsolationTest {

    @TempDir
    static Path temp;
    static Path work;
    static String classPath;
    static boolean asNobody;
    static final String NONCE = Long.toString(System.nanoTime(), 36);

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
        work = Files.createDirectories(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static Map<String, String> environment() {
        return Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
    }

    private static HaltProcess.Result halt(String... args) throws Exception {
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, args), work, environment());
    }

    private static Path config(String name, String toml) throws Exception {
        var file = Files.writeString(temp.resolve(name), toml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** A file of another program of the same user: owned by the user halt runs as, mode 0600. */
    private static Path theirs(Path file, String content) throws Exception {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        if (asNobody) Files.setAttribute(file, "unix:uid", 65534);
        return file;
    }

    private static void chownToHaltsUser(Path path) throws Exception {
        if (!asNobody) return;
        var p = new ProcessBuilder("chown", "-R", "65534:65534", path.toString()).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private static void waitFor(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(file) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(file), file + " appeared");
    }

    /**
     * {@code sudo -u agent halt run}: SUDO_UID names the user who ran sudo, but halt and the child
     * are {@code agent}. A link {@code agent} owns could have been planted by an earlier run, and is
     * refused as a grant, as it is without sudo; trusting it as the sudo user's would let a run widen
     * the next one's grants.
     */
    @Test
    void aLinkOfTheChildsOwnUserIsRefusedUnderSudoDashU() throws Exception {
        var dir = Files.createDirectories(temp.resolve("sudo-u"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        var target = Files.createDirectories(temp.resolve("sudo-u-target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        var link = Files.createSymbolicLink(dir.resolve("planted"), target);
        if (asNobody) Files.setAttribute(link, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        var env = new java.util.HashMap<>(environment());
        env.putAll(Map.of("SUDO_UID", "0", "SUDO_GID", "0", "SUDO_USER", "root"));
        var r = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--network", "unrestricted",
            "--read", link.toString(), "--", "true"), work, env);
        assertEquals(125, r.status(), "the planted link is refused, nothing run: " + r.out() + r.err());
        assertTrue(r.err().contains("refusing the grant " + link) && r.err().contains("could have planted"), r.err());
    }

    @Test
    void theHostTmpIsOutOfReachAndTheRunsOwnWorksForShellPythonAndJavaAndGoes() throws Exception {
        var cache = theirs(Path.of("/tmp/krb5cc_halt_test_" + NONCE), "CREDENTIAL-CACHE");
        var program = Files.writeString(work.resolve("TmpFile.java"),
            "class TmpFile { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"java=\" + java.nio.file.Files.createTempFile(\"t\", \".tmp\")); } }");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rw-r--r--"));
        var java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            var r = halt("run", "--network", "blocked", "--", "sh", "-c", String.join("; ",
                "cat " + cache, "rm -f " + cache, "echo \"tmpdir=$TMPDIR\"",
                "f=$(mktemp) && echo \"mktemp=$f\"",
                "python3 -c 'import tempfile; print(\"python=\" + tempfile.mkstemp()[1])'",
                java + " -XX:-UsePerfData TmpFile.java",
                "echo x > /var/tmp/halt-test-" + NONCE + " && echo VAR-TMP-WRITTEN",
                // a directory its owner cannot read or enter: halt's removal opens it up to empty it
                "mkdir -p \"$TMPDIR/locked/in\" && touch \"$TMPDIR/locked/in/f\" && chmod 000 \"$TMPDIR/locked\"", "true"));
            assertEquals(0, r.status(), r.err());
            assertFalse(r.out().contains("CREDENTIAL-CACHE"), "another program's /tmp file was read: " + r.out());
            assertTrue(Files.exists(cache), "another program's /tmp file was deleted");
            assertFalse(r.out().contains("VAR-TMP-WRITTEN"), r.out());

            var tmpdir = r.out().lines().filter(l -> l.startsWith("tmpdir=")).findFirst().orElseThrow().substring(7);
            assertTrue(tmpdir.matches("/tmp/halt-" + (asNobody ? 65534 : unistd_h.geteuid()) + "-[0-9a-z]+"), tmpdir);
            for (var tool : List.of("mktemp=", "python=", "java=")) {
                assertTrue(r.out().contains(tool + tmpdir + "/"), tool + " wrote in the run's directory: " + r.out() + r.err());
            }
            assertTrue(r.err().contains("Picked up JAVA_TOOL_OPTIONS: -Djava.io.tmpdir=" + tmpdir), r.err());
            assertFalse(Files.exists(Path.of(tmpdir)), "the run's temporary directory is removed at exit");
        } finally {
            Files.deleteIfExists(cache);
            Files.deleteIfExists(Path.of("/var/tmp/halt-test-" + NONCE));
        }
    }

    @Test
    void afterHaltIsKilledTheNextHaltRemovesTheTmpAndPutsBackAPlantedHook() throws Exception {
        var repo = Files.createDirectories(work.resolve("killed"));
        var init = new ProcessBuilder("git", "init", "-q").directory(repo.toFile()).inheritIO().start();
        assertTrue(init.waitFor(30, TimeUnit.SECONDS));
        chownToHaltsUser(repo);
        var hook = repo.resolve(".git/hooks/pre-commit");
        var pb = new ProcessBuilder(HaltProcess.command(classPath, asNobody, "run", "--network", "blocked", "--", "sh", "-c",
            // Past the known window in which a rootless halt has not yet named the command to its tether.
            String.join("; ", "sleep 1", "echo \"$TMPDIR\" > started.tmp", "touch \"$TMPDIR/scratch\"", "mv started.tmp started",
                "while [ ! -e go ]; do sleep 0.05; done",
                "printf '#!/bin/sh\\ntouch planted-code-ran\\n' > .git/hooks/pre-commit", "touch planted", "exec sleep 317")))
            .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(environment());
        var halt = pb.start();
        try {
            waitFor(repo.resolve("started"));
            var tmp = Path.of(Files.readString(repo.resolve("started")).strip());
            assertTrue(Files.exists(tmp.resolve("scratch")));
            // Frozen, halt's watcher cannot repair what the child now plants; then it dies.
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(halt.pid())).start().waitFor());
            Files.writeString(repo.resolve("go"), "");
            waitFor(repo.resolve("planted"));
            halt.destroyForcibly();
            assertTrue(halt.waitFor(30, TimeUnit.SECONDS));
            assertEquals(List.of(), HaltProcess.untilNoneLeft(Duration.ofSeconds(10), () -> HaltProcess.processesRunning("sleep", "317")),
                "the tether ended the run");
            assertTrue(Files.exists(tmp) && Files.exists(hook), "what the killed halt could not clean up is there");

            var r = halt("check");
            assertFalse(Files.exists(tmp), "the next halt removed the run's temporary directory: " + r.err());
            assertFalse(Files.exists(hook), "the next halt moved the planted hook aside: " + r.err());
            assertTrue(Files.exists(repo.resolve(".git/hooks.halt-refused/pre-commit")));
            assertTrue(r.err().contains("warning: halt (process " + halt.pid() + ") was killed during a run"), r.err());
            assertTrue(r.err().contains(tmp.toString()) && r.err().contains(hook.toString()), r.err());
            assertFalse(halt("check").err().contains("was killed"), "cleaned up once");
        } finally {
            halt.destroyForcibly();
        }
    }

    /**
     * Two pseudo-terminals of the user's, held open by a helper: halt runs on the first (its
     * stdin), the second stands for the user's other terminal.
     */
    @Test
    void onlyTheTerminalHaltRunsOnIsReachableUnlessNewPtysAreAllowed() throws Exception {
        var helper = new ProcessBuilder("python3", "-c", String.join("\n",
            "import os, sys",
            "pairs = [os.openpty(), os.openpty()]",
            "names = [os.ttyname(s) for m, s in pairs]",
            "for n in names:",
            "    if " + (asNobody ? "True" : "False") + ": os.chown(n, 65534, -1)",
            "print(' '.join(names), flush=True)",
            "sys.stdin.read()")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var names = new BufferedReader(new InputStreamReader(helper.getInputStream(), StandardCharsets.UTF_8)).readLine().split(" ");
            var own = names[0];
            var other = names[1];
            var script = String.join("; ", "tty", "echo mine > \"$(tty)\" && echo OWN-OPENED",
                "echo theirs > " + other + " && echo OTHER-OPENED",
                "python3 -c 'import os; os.openpty()' && echo NEW-PTY");

            var r = onTerminal(own, "run", "--network", "blocked", "--", "sh", "-c", script);
            assertTrue(r.out().contains(own + "\nOWN-OPENED"), "its own terminal works: " + r.out() + r.err());
            assertFalse(r.out().contains("OTHER-OPENED"), "the user's other terminal was opened: " + r.out());
            assertFalse(r.out().contains("NEW-PTY"), r.out());
            assertTrue(r.err().contains(other + ": Permission denied"), r.err());

            var allow = config("ptys.toml", "[sandbox]\nallow_new_ptys = true\n");
            var allowed = onTerminal(own, "run", "--network", "blocked", "--config", allow.toString(), "--", "sh", "-c", script);
            assertTrue(allowed.out().contains("OTHER-OPENED") && allowed.out().contains("NEW-PTY"), allowed.out() + allowed.err());
            assertTrue(allowed.err().contains("warning: allow_new_ptys: the child may open /dev/pts, so it can also reach your"
                + " other terminals"), allowed.err());
        } finally {
            helper.getOutputStream().close();
            helper.destroyForcibly();
        }
    }

    private static HaltProcess.Result onTerminal(String terminal, String... args) throws Exception {
        var pb = new ProcessBuilder(HaltProcess.command(classPath, asNobody, args)).directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(terminal)));
        pb.environment().clear();
        pb.environment().putAll(environment());
        var p = pb.start();
        var err = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException ignored) {
                // ended
            }
        });
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        reader.join();
        return new HaltProcess.Result(p.exitValue(), out, err.toString());
    }

    @Test
    void devShmIsSharedByDefaultAndSharedShmFalseTakesItAway() throws Exception {
        var segment = theirs(Path.of("/dev/shm/halt-test-" + NONCE), "SHM-SECRET");
        try {
            var shared = halt("-v", "run", "--network", "blocked", "--", "cat", segment.toString());
            assertTrue(shared.out().contains("SHM-SECRET"), "by default /dev/shm is shared (the documented residue): " + shared.err());
            assertTrue(shared.err().contains("/dev/shm is granted and shared with your other programs"), shared.err());

            var off = config("shm.toml", "[sandbox]\nshared_shm = false\n");
            var r = halt("run", "--network", "blocked", "--config", off.toString(), "--", "cat", segment.toString());
            assertFalse(r.out().contains("SHM-SECRET"), "shared_shm = false: " + r.out());
            assertTrue(r.err().contains("Permission denied"), r.err());
        } finally {
            Files.deleteIfExists(segment);
        }
    }

    @Test
    void theTemporaryDirectoryGoesEvenWhenALeftoverKeepsWritingInIt() throws Exception {
        // The exit checks wait for the leftovers to be killed: a process still filling TMPDIR while halt
        // empties it would make the removal fail (a directory never empty) and leave it on the host.
        var r = halt("run", "--network", "blocked", "--", "sh", "-c", String.join("; ",
            "echo \"tmpdir=$TMPDIR\"",
            "(setsid sh -c 'i=0; while [ $i -lt 200000 ]; do mkdir -p \"$TMPDIR/d$i/e\" && : > \"$TMPDIR/d$i/e/f\"; i=$((i+1)); done'"
                + " </dev/null >/dev/null 2>&1 &)",
            "sleep 0.5"));
        assertEquals(0, r.status(), r.err());
        var tmpdir = r.out().lines().filter(l -> l.startsWith("tmpdir=")).findFirst().orElseThrow().substring(7);
        assertFalse(Files.exists(Path.of(tmpdir)), "the run's temporary directory is removed at exit: " + r.err());
        assertFalse(r.err().contains("could not remove"), r.err());
    }

    @Test
    void aRunWhoseWriteGrantsHoldTheRunRecordsIsRefused() throws Exception {
        // The next halt repairs files from the record: a record the child could rewrite would make halt write for it.
        var state = work.resolve("state-inside");
        var env = new java.util.HashMap<>(environment());
        env.put("XDG_STATE_HOME", state.toString());
        var r = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--network", "blocked", "--", "sh", "-c",
            "echo ran"), work, env);
        assertEquals(125, r.status(), r.err());
        assertEquals("", r.out(), "nothing ran");
        assertTrue(r.err().contains("contains halt's run records " + state.resolve("halt/runs")), r.err());
        assertTrue(r.err().contains("set XDG_STATE_HOME to a directory outside it"), r.err());
    }

    @Test
    void checkSaysWhatARunWithoutPrivilegesCannotDo() throws Exception {
        var r = halt("check");
        for (var name : List.of("tmp", "terminals", "shm", "protect")) {
            assertTrue(r.out().lines().anyMatch(l -> l.matches("WARN +" + name + " .*")), name + ": " + r.out());
        }
        // halt's supervisor decides metadata where it can run (MetadataAttackTest has the fallback).
        assertTrue(r.out().lines().anyMatch(l -> l.matches("(OK|WARN) +metadata .*")), r.out());
        assertTrue(r.out().contains("Detection and repair, not prevention"), r.out());
    }
}
