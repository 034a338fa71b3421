package dev.halt.core.linux.launch;

import dev.halt.core.linux.net.NetworkNamespace;
import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.ThrowawayThread;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tether against real processes: this JVM plays halt, and closing the tether's stdin without
 * "done" is exactly what the kernel does to it when halt's JVM dies.
 */
@Tag("linux")
class TetherTest {

    @TempDir
    Path work;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void killEverythingStarted() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    /** A shell that starts two background sleeps, writes their PIDs, and waits. */
    private Process commandWithBackgroundJobs(String tag) throws Exception {
        var pids = work.resolve(tag + ".pids");
        var process = new ProcessBuilder("sh", "-c",
            "sleep 3001 & a=$!; sleep 3002 & echo \"$a $!\" > " + pids + ".tmp; mv " + pids + ".tmp " + pids + "; wait")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process.toHandle());
        return process;
    }

    private List<ProcessHandle> backgroundJobs(String tag) throws Exception {
        var pids = work.resolve(tag + ".pids");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pids) && System.nanoTime() < deadline) Thread.sleep(10);
        var handles = new ArrayList<ProcessHandle>();
        for (var pid : Files.readString(pids).strip().split(" ")) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(handles::add);
        }
        started.addAll(handles);
        assertEquals(2, handles.size(), "both background jobs run");
        return handles;
    }

    private static boolean allEnd(List<ProcessHandle> handles, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (handles.stream().noneMatch(TetherTest::running)) return true;
            Thread.sleep(20);
        }
        return false;
    }

    /** Field 22 of /proc/PID/stat: the start time in clock ticks since boot. */
    private static long startTicks(long pid) throws java.io.IOException {
        var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
    }

    /** Alive and not a zombie: a killed orphan waits for its new parent (init here) to reap it. */
    private static boolean running(ProcessHandle handle) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return handle.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void abandon(Tether tether) throws Exception {
        ProcessHandle.of(tether.pid()).orElseThrow();
        tether.process().getOutputStream().close();
    }

    /** A tether outside any namespace watching a command that has two background jobs. */
    private record Watched(Tether tether, Process command, List<ProcessHandle> jobs) {}

    private Watched watchedCommand(String tag) throws Exception {
        var tether = Tether.start(false);
        started.add(tether.process().toHandle());
        var command = commandWithBackgroundJobs(tag);
        var jobs = backgroundJobs(tag);
        tether.watch(command.pid());
        return new Watched(tether, command, jobs);
    }

    @Test
    void whenHaltDiesTheCommandAndItsDescendantsAreKilled() throws Exception {
        var run = watchedCommand("tree");

        abandon(run.tether());

        var everything = new ArrayList<>(run.jobs());
        everything.add(run.command().toHandle());
        assertTrue(allEnd(everything, Duration.ofSeconds(10)), "the command and both jobs were killed");
        assertTrue(run.tether().process().waitFor(10, TimeUnit.SECONDS), "the tether exits after its work");
    }

    @Test
    void everyAnnouncedProcessIsARootOfTheRun() throws Exception {
        var run = watchedCommand("first");
        var orphan = commandWithBackgroundJobs("second");
        var orphanJobs = backgroundJobs("second");
        run.tether().watch(orphan.pid());

        abandon(run.tether());

        var everything = new ArrayList<>(run.jobs());
        everything.addAll(orphanJobs);
        everything.add(run.command().toHandle());
        everything.add(orphan.toHandle());
        assertTrue(allEnd(everything, Duration.ofSeconds(10)), "both announced processes and their jobs were killed");
    }

    @Test
    void afterDoneTheTetherLeavesEverythingAlone() throws Exception {
        var run = watchedCommand("done");

        run.tether().release();

        assertTrue(run.tether().process().waitFor(10, TimeUnit.SECONDS), "the tether exits on done");
        assertTrue(run.command().isAlive(), "the command still runs");
        assertTrue(run.jobs().stream().allMatch(ProcessHandle::isAlive), "its jobs still run");
    }

    @Test
    void aReusedPidIsNotTakenForTheCommand() throws Exception {
        var tether = Tether.start(false);
        started.add(tether.process().toHandle());
        var bystander = commandWithBackgroundJobs("bystander");
        var jobs = backgroundJobs("bystander");
        // As if the command had been this PID with another start time: the PID was reused since.
        // (halt itself sends no start time: the tether reads it at once, see Tether.SCRIPT.)
        var start = startTicks(bystander.pid());
        tether.process().getOutputStream().write(("child " + bystander.pid() + " " + (start + 1) + "\n").getBytes());

        abandon(tether);

        assertTrue(tether.process().waitFor(10, TimeUnit.SECONDS), "the tether did its scan and exited");
        assertTrue(bystander.isAlive(), "a process that is not the command is left alone");
        assertTrue(jobs.stream().allMatch(ProcessHandle::isAlive), "and so are its children");
    }

    @Test
    @Tag("root")
    void inTheRunsNamespaceEveryMemberIsKilledEvenOnceReParented() throws Exception {
        Requires.networkAdmin();
        var pids = work.resolve("orphan.pid");
        // On a thread in a new namespace, as the jailer: the tether, then a command whose job
        // leaves its tree (setsid, parent exits), which only the namespace can still tell apart.
        // The PID file appears whole (mv), or the test could read it empty.
        var inside = ThrowawayThread.run("test-jailer", Duration.ofSeconds(10), () -> {
            NetworkNamespace.unshareCallingThread();
            var tether = Tether.start(true);
            var command = new ProcessBuilder("sh", "-c", "(setsid sleep 3003 & echo $! > " + pids + ".tmp; mv " + pids + ".tmp " + pids + "); sleep 3004")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return List.of(tether, command);
        });
        var tether = (Tether) inside.get(0);
        var command = (Process) inside.get(1);
        started.add(tether.process().toHandle());
        started.add(command.toHandle());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(pids) && System.nanoTime() < deadline) Thread.sleep(10);
        var orphan = ProcessHandle.of(Long.parseLong(Files.readString(pids).strip())).orElseThrow();
        started.add(orphan);
        // Not told about the command at all: the namespace alone finds both.

        abandon(tether);

        assertTrue(allEnd(List.of(command.toHandle(), orphan), Duration.ofSeconds(10)),
            "every process of the namespace was killed");
        assertTrue(tether.process().waitFor(10, TimeUnit.SECONDS), "the tether exits after its work");
    }
}
