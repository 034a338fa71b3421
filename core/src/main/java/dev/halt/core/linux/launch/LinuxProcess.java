package dev.halt.core.linux.launch;

import dev.halt.core.DenialReporting;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.linux.audit.DenialWatch;
import dev.halt.core.linux.net.NetworkSetup;
import dev.halt.core.linux.supervisor.RunSupervision;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.Signals;
import dev.halt.proxy.JsonLinesFile;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

/** A started child, signalled through a pidfd opened at once (no PID-reuse race). */
public final class LinuxProcess implements SandboxedProcess {
    private static final System.Logger LOG = System.getLogger("halt");

    private final Process process;
    private final List<Thread> pumps;
    /** Done when the child exited and what served it (the proxy) is closed. */
    private final java.util.concurrent.CompletableFuture<Void> released;
    /** Guarded by {@code this}: closed once the child is reaped, so a reused fd number is never signalled. */
    private int pidfd;

    /** Null when it could not start (best effort). */
    private final Tether tether;
    /** Checks and repairs at exit what the sandbox could not prevent. */
    private final RunGuard guard;
    /** The tether is released by {@link #killLeftovers}, not when the child exits: leftovers are ours to kill. */
    private final boolean subreaper;

    /** Null without Landlock (best effort). */
    private final DenialWatch denials;
    /** The run's JSON-lines file, closed once every source is done with it; null without {@code --log}. */
    private final JsonLinesFile runLog;

    /** The child ran as uid 0 without capabilities (root, not under sudo). */
    private final boolean rootChild;
    /** The run's network as it changes live. */
    private final dev.halt.core.live.RunNetwork live;

    public LinuxProcess(Process process, List<Thread> pumps, NetworkSetup network, Tether tether, RunGuard guard,
                 RunSupervision supervision, DenialWatch denials, JsonLinesFile runLog, boolean rootChild) {
        this.process = process;
        this.denials = denials;
        this.runLog = runLog;
        this.rootChild = rootChild;
        this.live = network.live();
        if (supervision != null) live.supervisorRefusals(() -> supervision.networkRefusals().total());
        this.pumps = pumps;
        this.tether = tether;
        this.guard = guard;
        this.subreaper = isSubreaper();
        if (tether != null && !subreaper) process.onExit().thenRun(tether::release);
        if (tether != null && subreaper && !network.ownNamespace()) OrphanWatcher.start(tether, process.pid());
        this.released = process.onExit().thenRun(() -> {
            network.close();
            if (supervision != null) supervision.close();
            var summary = RunSummary.format(network.proxySummary(), supervision == null ? null : supervision.networkRefusals());
            if (!summary.isEmpty()) System.err.println(summary);
            var files = RunSummary.files(supervision == null ? null : supervision.fileRefusals());
            if (!files.isEmpty()) System.err.println(files);
        });
        try {
            pidfd = Signals.open(process.pid());
        } catch (ErrnoException e) {
            // Usual for a short command: the JDK's reaper thread already reaped it (ESRCH).
            pidfd = -1;
            if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "no pidfd for the child: " + e.getMessage());
        }
        process.onExit().thenRun(this::closePidfd);
    }

    private static boolean isSubreaper() {
        try {
            return Prctl.isChildSubreaper();
        } catch (ErrnoException e) {
            return false;
        }
    }

    private synchronized void closePidfd() {
        if (pidfd >= 0) Signals.close(pidfd);
        pidfd = -1;
    }

    @Override
    public Process process() {
        return process;
    }

    @Override
    public synchronized boolean signal(int signal) {
        if (pidfd < 0) return false;
        try {
            Signals.send(pidfd, signal);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        int status = process.waitFor();
        for (var pump : pumps) pump.join();
        try {
            released.get();
        } catch (java.util.concurrent.ExecutionException e) {
            LOG.log(Level.WARNING, "closing the proxy failed: " + e.getCause());
        }
        if (denials != null) denials.close();
        if (runLog != null) runLog.close();
        // The exit checks act in trees the run could write, so they wait until nothing of the run
        // is left alive: as the subreaper (halt run) this JVM kills the leftovers first, in
        // killLeftovers, which runs them. Leftovers of a JVM that is not one are not its to kill.
        if (!subreaper) guard.afterExit();
        return status;
    }

    @Override
    public AutoCloseable onFileDenial(java.util.function.Consumer<String> line) {
        return denials == null ? () -> { } : denials.subscribe(line);
    }

    @Override
    public dev.halt.core.LiveNetwork network() {
        return live;
    }

    @Override
    public DenialReporting denialReporting() {
        var reporting = denials == null ? DenialReporting.inactive("the filesystem is not restricted (no Landlock)")
            : denials.reporting();
        return rootChild ? reporting.asRootChild() : reporting;
    }

    @Override
    public int killLeftovers(Duration timeout) {
        // Killing a process can orphan its own children onto this JVM (the subreaper), so
        // scan again until nothing is left or the time is up; reap each, or it stays a zombie.
        long deadline = System.nanoTime() + timeout.toNanos();
        var killed = new java.util.HashSet<Long>();
        long tetherPid = tether == null ? -1 : tether.pid();
        boolean clean = false;
        while (System.nanoTime() < deadline) {
            var leftovers = ProcessHandle.current().descendants().filter(h -> h.pid() != tetherPid).toList();
            if (leftovers.isEmpty()) {
                clean = true;
                break;
            }
            leftovers.forEach(ProcessHandle::destroyForcibly);
            leftovers.forEach(h -> killed.add(h.pid()));
            for (var handle : leftovers) Reaper.reap(handle.pid(), deadline);
        }
        // Something outlived the deadline: the tether stays, and ends it when this JVM exits.
        if (clean && tether != null && subreaper) tether.release();
        if (subreaper) {
            guard.afterExit();
        } else if (!killed.isEmpty()) {
            // What the leftovers did after the exit checks is checked now that they are gone.
            guard.afterLeftovers();
        }
        return killed.size();
    }
}
