package dev.halt.core.linux.launch;

import dev.halt.core.linux.fs.ProtectedPathWatcher;
import dev.halt.core.linux.fs.ProtectedSnapshot;
import dev.halt.core.linux.fs.RunRecord;
import dev.halt.core.linux.fs.SharedPlaces;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.linux.SyscallNumbers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What halt does around one run for what the sandbox cannot prevent in its mode, from the launch
 * to the exit:
 *
 * <ul>
 *   <li>in every mode, at exit: {@link ProtectedPaths#verify()}: a file that redirects git
 *       ({@code .git/commondir} naming a planted copy) is moved aside, and each finding, a
 *       repository made during the run included, is a WARN line;</li>
 *   <li>without a mount namespace (which would bind the protected paths read-only): a snapshot
 *       of the protected paths, a watcher that repairs them as soon as they change and a last
 *       repair at exit; the run's private temporary directory removed at exit; and a
 *       {@link RunRecord} so that the next halt does both if this one is killed.</li>
 * </ul>
 */
public final class RunGuard {
    private static final System.Logger LOG = System.getLogger("halt");

    private final ProtectedPaths protectedPaths;
    private final SharedPlaces shared;
    /** Null with a mount namespace. */
    private final ProtectedSnapshot snapshot;
    /** By path: a record key would cost its first hashCode's bootstrap (milliseconds) at every launch. */
    private final Map<Path, Integer> pinnedHandles;
    private final RunRecord record;
    private final AtomicBoolean exited = new AtomicBoolean();
    /** Null with a mount namespace, with nothing to watch, or without inotify. */
    private final ProtectedPathWatcher watcher;

    private RunGuard(ProtectedPaths protectedPaths, SharedPlaces shared, ProtectedSnapshot snapshot,
                     Map<Path, Integer> pinnedHandles, RunRecord record) {
        this.protectedPaths = protectedPaths;
        this.shared = shared;
        this.snapshot = snapshot;
        this.pinnedHandles = pinnedHandles;
        this.record = record;
        this.watcher = snapshot == null || snapshot.isEmpty() ? null : ProtectedPathWatcher.prepare(snapshot, this::locate);
    }

    /** With a mount namespace: the exit check only. */
    public static RunGuard exitCheckOnly(ProtectedPaths protectedPaths, SharedPlaces shared) {
        return new RunGuard(protectedPaths, shared, null, new LinkedHashMap<>(), null);
    }

    /**
     * Without a mount namespace, before the child starts: takes the snapshot, holds each pinned
     * {@code .git} open (so that a rename is followed), and writes the run record.
     *
     * @param plan            the write grants, which must not contain the record
     * @param hostEnvironment where the record goes ({@code XDG_STATE_HOME}, {@code HOME})
     */
    public static RunGuard repairing(ProtectedPaths protectedPaths, SharedPlaces shared, Landlock.Plan plan,
                              Map<String, String> hostEnvironment) {
        var snapshot = ProtectedSnapshot.take(protectedPaths);
        snapshot.warnings().forEach(w -> LOG.log(Level.WARNING, w));
        if (!snapshot.isEmpty()) {
            LOG.log(Level.INFO, "protect: without a mount namespace halt cannot make these read-only: it watches them and"
                + " puts back what the run changes (detection and repair, not prevention)");
        }
        var handles = new LinkedHashMap<Path, Integer>();
        for (var pin : snapshot.pinned()) {
            try {
                handles.put(pin.path(), Syscall.open(pin.path().toString(), SyscallNumbers.O_PATH | Syscall.TABLE.oDirectory()
                    | Syscall.TABLE.oNofollow() | SyscallNumbers.O_CLOEXEC));
            } catch (ErrnoException e) {
                LOG.log(Level.DEBUG, "protect: cannot hold " + pin.path() + " open (" + e.getMessage() + "); a scan finds it");
            }
        }
        RunRecord record = null;
        if (!snapshot.isEmpty() || shared.privateTmp() != null) record = writeRecord(snapshot, shared, plan, hostEnvironment);
        return new RunGuard(protectedPaths, shared, snapshot, handles, record);
    }

    private static RunRecord writeRecord(ProtectedSnapshot snapshot, SharedPlaces shared, Landlock.Plan plan,
                                         Map<String, String> hostEnvironment) {
        var lost = "so if halt is killed (kill -9), nothing removes " + (shared.privateTmp() != null ? shared.privateTmp()
            + " or " : "") + "puts back what the run changed in the protected paths";
        var dir = RunRecord.directory(hostEnvironment);
        if (dir.isEmpty()) {
            LOG.log(Level.WARNING, "neither XDG_STATE_HOME nor HOME is set: halt keeps no record of this run, " + lost);
            return null;
        }
        try {
            var real = RunRecord.prepareDirectory(dir.get());
            var grant = plan == null ? Optional.<Path>empty() : plan.writablePaths().stream()
                .filter(real::startsWith).findFirst();
            if (grant.isPresent()) {
                LOG.log(Level.WARNING, "the write grant " + grant.get() + " contains halt's run records (" + real
                    + "), which the next halt trusts to repair files: halt keeps no record of this run, " + lost
                    + ". Set XDG_STATE_HOME to a directory outside the grants");
                return null;
            }
            return RunRecord.write(real, shared.privateTmp(), snapshot.isEmpty() ? null : snapshot);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot write the record of this run in " + dir.get() + " (" + e.getMessage() + "), " + lost);
            return null;
        }
    }

    /** The child runs: the watcher waits for its changes. */
    public void started() {
        if (watcher != null) watcher.start();
    }

    /** The launch failed and nothing ran: undo what {@link #repairing} made. */
    public void abandon() {
        if (watcher != null) watcher.abandon();
        closeHandles();
        shared.removePrivateTmp();
        if (record != null) record.delete();
    }

    /**
     * The run is over (the child exited and, when halt is the subreaper, what it left running is
     * killed): repairs and checks the protected paths, removes the private temporary directory and
     * the record. Once; WARN lines say what was found and done.
     */
    void afterExit() {
        if (!exited.compareAndSet(false, true)) return;
        long start = System.nanoTime();
        if (watcher != null) watcher.requestStop();
        check();
        shared.removePrivateTmp();
        if (record != null) record.delete();
        if (watcher != null) watcher.awaitStopped();
        closeHandles();
        if (LOG.isLoggable(Level.DEBUG)) {
            LOG.log(Level.DEBUG, "exit checks took " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    /**
     * Processes the command left behind were killed after {@link #afterExit} (a JVM that is not the
     * subreaper): what they did in between is checked too.
     */
    void afterLeftovers() {
        check();
    }

    private void check() {
        if (snapshot != null) {
            for (var line : snapshot.repair(this::locate)) LOG.log(Level.WARNING, "protect: " + line);
        }
        for (var finding : protectedPaths.verify()) {
            var line = finding.describe();
            if (finding instanceof ProtectedPaths.Finding.Appeared) {
                try {
                    line += ProtectedSnapshot.keepAside(protectedPaths.roots(), finding.path())
                        .map(p -> "; halt moved it to " + p).orElse("; it is gone again");
                } catch (IOException e) {
                    line += "; halt could not move it aside (" + e.getMessage() + "): remove it before running git there";
                }
            } else if (finding instanceof ProtectedPaths.Finding.Moved) {
                line += ": git there now reads config or hooks from elsewhere; check them before running git there";
            }
            LOG.log(Level.WARNING, "protect: " + line);
        }
    }

    /**
     * Where a pinned directory is now, by the descriptor held open since the launch: the path the
     * kernel gives for it. Only a hint: the repair reaches that place again from the write grant
     * without crossing a link and checks the inode there before it moves anything.
     */
    private synchronized Optional<Path> locate(ProtectedSnapshot.Pinned pin) {
        var fd = pinnedHandles.get(pin.path());
        if (fd == null) return snapshot.scanningLocator().locate(pin);
        try {
            var target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.endsWith(" (deleted)") ? Optional.empty() : Optional.of(Path.of(target));
        } catch (IOException | RuntimeException e) {
            return snapshot.scanningLocator().locate(pin);
        }
    }

    private synchronized void closeHandles() {
        pinnedHandles.values().forEach(Syscall::close);
        pinnedHandles.clear();
    }
}
