package dev.halt.core.macos;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS tether's script, run here: it needs only {@code /bin/sh} and a {@code ps} with BSD's
 * {@code -A -o pid= -o ppid= -o pgid= -o lstart=}, which procps has too. Each test kills halt (the
 * tether's pipe closes without {@code done}) and checks what died; every process a test starts is
 * killed by pid afterwards.
 */
class MacTetherTest {

    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killEverything() {
        for (var pid : started) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Starts {@code script}, which writes the pids to watch, one a line, into the file given as $1. */
    private Process command(Path pids, String script) throws Exception {
        var process = new ProcessBuilder("/bin/sh", "-c", script, "command", pids.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        started.add(process.pid());
        return process;
    }

    private List<Long> awaitPids(Path file, int count) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (Files.exists(file)) {
                var pids = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(String::strip).map(Long::valueOf).toList();
                if (pids.size() >= count) {
                    started.addAll(pids);
                    return pids;
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the command did not write " + count + " pids");
    }

    private static boolean aliveWithin(long pid, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid)) {
                Thread.sleep(25);
            } else {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code pid} is a zombie (dead, not reaped): its state in {@code ps}. */
    private static boolean zombie(long pid) {
        try {
            var ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid)).start();
            var state = new String(ps.getInputStream().readAllBytes()).strip();
            ps.waitFor(5, TimeUnit.SECONDS);
            return state.startsWith("Z");
        } catch (Exception e) {
            return false;
        }
    }

    /** What halt's death looks like to the tether: its pipe closes without "done". */
    private static void haltDies(MacTether tether) throws Exception {
        tether.process().getOutputStream().close();
        assertTrue(tether.process().waitFor(30, TimeUnit.SECONDS), "the tether finishes its work");
    }

    @Test
    void haltsDeathKillsTheCommandAndItsDescendants(@TempDir Path dir) throws Exception {
        var pids = dir.resolve("pids");
        var command = command(pids, "sleep 300 & echo $! >> \"$1\"; (sleep 300 & echo $! >> \"$1\"; wait) & wait");
        var tether = MacTether.start();
        started.add(tether.pid());
        tether.watch(command.pid());
        var descendants = awaitPids(pids, 2);
        haltDies(tether);
        assertFalse(aliveWithin(command.pid(), 5000), "the command dies");
        for (var pid : descendants) assertFalse(aliveWithin(pid, 5000), "its descendant " + pid + " dies");
    }

    @Test
    void aProcessThatLeftTheTreeDiesWithTheRunsProcessGroup(@TempDir Path dir) throws Exception {
        var pids = dir.resolve("pids");
        // A new session and group (as a shell with job control makes), whose member leaves the tree:
        // its parent subshell exits, so it is re-parented away, but stays in the run's group.
        // (python3 for setsid(2): macOS has no setsid command.)
        var command = command(pids, "python3 -c 'import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])'"
            + " sh -c '(sleep 300 & echo $! >> \"$1\") ; sleep 300' grouped \"$1\" & wait");
        var tether = MacTether.start();
        started.add(tether.pid());
        tether.watch(command.pid());
        var orphan = awaitPids(pids, 1).getFirst();
        long parent = ProcessHandle.of(orphan).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
        assertNotEquals(command.pid(), parent, "the orphan is not in the command's tree");
        haltDies(tether);
        assertFalse(aliveWithin(command.pid(), 5000));
        assertFalse(aliveWithin(orphan, 5000), "the orphan dies with its group");
    }

    @Test
    void whatIsNotTheRunsSurvives(@TempDir Path dir) throws Exception {
        // In the tether's own group (this JVM's, which halt does not lead here), not named, not a descendant.
        var bystander = new ProcessBuilder("sleep", "300").start();
        started.add(bystander.pid());
        var pids = dir.resolve("pids");
        var command = command(pids, "sleep 300 & echo $! >> \"$1\"; wait");
        var tether = MacTether.start();
        started.add(tether.pid());
        tether.watch(command.pid());
        awaitPids(pids, 1);
        haltDies(tether);
        assertFalse(aliveWithin(command.pid(), 5000));
        assertTrue(bystander.isAlive(), "a process of the tether's group that is not the run's survives");
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void aReleasedTetherKillsNothing(@TempDir Path dir) throws Exception {
        var pids = dir.resolve("pids");
        var command = command(pids, "sleep 300 & echo $! >> \"$1\"; wait");
        var tether = MacTether.start();
        started.add(tether.pid());
        tether.watch(command.pid());
        awaitPids(pids, 1);
        tether.release();
        assertTrue(tether.process().waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, tether.process().exitValue());
        assertTrue(command.isAlive(), "a run that ended cleanly leaves its tether nothing to do");
        MacTether.start().releaseAndAwaitExit();
    }
}
