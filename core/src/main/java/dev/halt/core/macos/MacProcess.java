package dev.halt.core.macos;

import dev.halt.core.DenialReporting;
import dev.halt.core.SandboxedProcess;
import dev.halt.proxy.JsonLinesFile;
import dev.halt.proxy.ProxyServer;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A command running under Seatbelt: the process is the second stage, which became the command by
 * exec and kept its pid. macOS has no child subreaper, so what the command starts is re-parented to
 * launchd once its parent exits; halt names each descendant it sees (every {@link #WATCH_PERIOD})
 * to the tether and remembers it, and at the end kills those still alive, their descendants and
 * their process groups ({@link #killLeftovers}).
 */
final class MacProcess implements SandboxedProcess {
    private static final System.Logger LOG = System.getLogger("halt");
    static final Duration WATCH_PERIOD = Duration.ofSeconds(1);

    private final Process process;
    private final List<Thread> pumps;
    private final ProxyServer proxy;
    private final JsonLinesFile runLog;
    private final MacTether tether;
    /** The run's processes halt saw, by pid, with the start time that pins which process the pid meant. */
    private final Map<Long, Optional<Instant>> seen = new ConcurrentHashMap<>();
    /** Done when the command exited and what served it (the proxy) is closed. */
    private final CompletableFuture<Void> released;

    MacProcess(Process process, List<Thread> pumps, ProxyServer proxy, JsonLinesFile runLog, MacTether tether) {
        this.process = process;
        this.pumps = pumps;
        this.proxy = proxy;
        this.runLog = runLog;
        this.tether = tether;
        remember(process.toHandle());
        // A platform thread: it mostly sleeps, and a short run then never starts the virtual-thread scheduler.
        Thread.ofPlatform().daemon(true).name("halt-descendant-watch").start(this::watchDescendants);
        this.released = process.onExit().thenRun(() -> {
            if (proxy == null) return;
            proxy.close();
            var summary = proxy.decisionLog().summary().format("halt network");
            if (!summary.isEmpty()) System.err.println(summary);
        });
    }

    private void remember(ProcessHandle handle) {
        if (seen.putIfAbsent(handle.pid(), handle.info().startInstant()) == null && tether != null && handle.pid() != process.pid()) {
            tether.watch(handle.pid());
        }
    }

    private void watchDescendants() {
        while (process.isAlive()) {
            try (var descendants = process.descendants()) {
                descendants.forEach(this::remember);
            }
            try {
                Thread.sleep(WATCH_PERIOD);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public Process process() {
        return process;
    }

    @Override
    public boolean signal(int signal) {
        // Not reaped until it exits, so while alive the pid is the command's.
        return process.isAlive() && MacSignals.INSTANCE.send(process.pid(), signal);
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
        if (runLog != null) runLog.close();
        return status;
    }

    /**
     * Kills what the run left: the processes halt saw that are still the same processes, their
     * descendants, every process group they are in but halt's own, and this JVM's other
     * descendants but the tether. Processes that left before halt saw them, in no group of the
     * run, survive (no subreaper on macOS).
     */
    @Override
    public int killLeftovers(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long tetherPid = tether == null ? -1 : tether.pid();
        long ownGroup = MacSignals.INSTANCE.processGroup(ProcessHandle.current().pid());
        var killed = new HashSet<Long>();
        boolean clean = false;
        while (System.nanoTime() < deadline) {
            var leftovers = leftovers(tetherPid);
            if (leftovers.isEmpty()) {
                clean = true;
                break;
            }
            var groups = new HashSet<Long>();
            for (var h : leftovers) {
                long group = MacSignals.INSTANCE.processGroup(h.pid());
                if (group > 1 && group != ownGroup) groups.add(group);
            }
            groups.forEach(g -> MacSignals.sendToGroup(g, 9));
            leftovers.forEach(ProcessHandle::destroyForcibly);
            leftovers.forEach(h -> killed.add(h.pid()));
            for (var h : leftovers) {
                try {
                    h.onExit().get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    break;
                }
            }
        }
        // Something outlived the deadline: the tether stays, and ends it when this JVM exits.
        if (clean && tether != null) tether.release();
        return killed.size();
    }

    private Set<ProcessHandle> leftovers(long tetherPid) {
        var found = new HashSet<ProcessHandle>();
        seen.forEach((pid, start) -> ProcessHandle.of(pid)
            .filter(h -> h.isAlive() && start.isPresent() && h.info().startInstant().equals(start))
            .ifPresent(h -> {
                found.add(h);
                try (var descendants = h.descendants()) {
                    descendants.forEach(found::add);
                }
            }));
        try (var mine = ProcessHandle.current().descendants()) {
            mine.filter(h -> h.pid() != tetherPid).forEach(found::add);
        }
        found.removeIf(h -> h.pid() == tetherPid || !h.isAlive());
        return found;
    }

    @Override
    public DenialReporting denialReporting() {
        return DenialReporting.inactive("Seatbelt's denials go to the unified log, not to halt (halt -v prints the log"
            + " show command for this run)");
    }
}
