package dev.halt.core.linux.fs;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Inotify;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.halt.ffm.linux.inotify_h.*;

/**
 * Watches the protected paths of a run without a mount namespace with inotify, and repairs them
 * (see {@link ProtectedSnapshot}) as soon as the run changes one: a planted hook lives for
 * milliseconds, not until the run ends. This is detection and repair, not prevention: a program
 * of the user's that runs git in that window (a shell prompt, an IDE) still runs what was planted.
 *
 * <p>A platform thread blocked in {@code ppoll} on the inotify descriptor and an eventfd;
 * {@link #stop()} writes the eventfd, so the thread leaves native code at once and ends (a
 * thread left in a system call would delay the JVM's exit).
 */
public final class ProtectedPathWatcher {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final int MASK = IN_MODIFY() | IN_ATTRIB() | IN_CLOSE_WRITE() | IN_CREATE() | IN_DELETE()
        | IN_MOVED_FROM() | IN_MOVED_TO() | IN_DELETE_SELF() | IN_MOVE_SELF();
    private static final long STOP_TIMEOUT_MS = 2_000;

    private final ProtectedSnapshot snapshot;
    private final ProtectedSnapshot.Locator locator;
    private final Inotify inotify;
    private final Thread thread;
    /** Read and written by the watcher thread only, after {@link #prepare} filled it. */
    private Map<Integer, Set<String>> watches;
    private volatile boolean stopping;

    private ProtectedPathWatcher(ProtectedSnapshot snapshot, ProtectedSnapshot.Locator locator, Inotify inotify) {
        this.snapshot = snapshot;
        this.locator = locator;
        this.inotify = inotify;
        this.watches = addWatches(inotify, snapshot);
        this.thread = Thread.ofPlatform().daemon(true).name("halt-protect").unstarted(this::watch);
    }

    /**
     * Places the watches, before the child starts: every change it makes is then an event, and
     * the thread needs no first pass of its own. Null, after a WARN, when inotify is not available
     * (the repair at exit still runs).
     */
    public static ProtectedPathWatcher prepare(ProtectedSnapshot snapshot, ProtectedSnapshot.Locator locator) {
        try {
            return new ProtectedPathWatcher(snapshot, locator, Inotify.open());
        } catch (ErrnoException e) {
            LOG.log(Level.WARNING, "protect: cannot watch the protected paths (" + e.getMessage()
                + "); halt repairs them only when the run ends");
            return null;
        }
    }

    /** The child runs: the thread starts waiting for events. */
    public void start() {
        thread.start();
    }

    /** Closes what {@link #prepare} opened when the launch failed and the thread never started. */
    public void abandon() {
        inotify.close();
    }

    /**
     * Asks the thread to stop and returns at once: it starts no repair after this, and one under
     * way holds the snapshot's lock, so the caller's own repair waits for it.
     */
    public void requestStop() {
        stopping = true;
        inotify.wake();
    }

    /** Waits for the thread to end (long done, usually, by the time the exit checks are over). */
    public void awaitStopped() {
        try {
            thread.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        try (var in = inotify) {
            while (!stopping) {
                var events = in.await();
                if (events == null) break;
                if (matters(events, watches)) {
                    repair();
                    // A directory put back is a new inode: watch it (an existing watch comes back unchanged).
                    watches = addWatches(in, snapshot);
                }
            }
        } catch (ErrnoException | RuntimeException e) {
            LOG.log(Level.WARNING, "protect: watching the protected paths stopped (" + e.getMessage()
                + "); halt still repairs them when the run ends");
        }
    }

    private void repair() {
        if (stopping) return;
        for (var line : snapshot.repair(locator)) LOG.log(Level.WARNING, "protect: " + line);
    }

    /** Watch descriptor to the names that matter in its directory (null: every name). */
    private static Map<Integer, Set<String>> addWatches(Inotify in, ProtectedSnapshot snapshot) {
        var watches = new HashMap<Integer, Set<String>>();
        for (var entry : snapshot.watchedDirectories().entrySet()) {
            int wd;
            try {
                wd = in.watchDirectory(entry.getKey(), MASK);
            } catch (ErrnoException e) {
                // Missing (a parent the run removed): the pass at exit still looks.
                continue;
            }
            var names = entry.getValue();
            if (watches.containsKey(wd)) {
                var known = watches.get(wd);
                if (known == null || names == null) {
                    watches.put(wd, null);
                } else {
                    var union = new java.util.HashSet<>(known);
                    union.addAll(names);
                    watches.put(wd, union);
                }
            } else {
                watches.put(wd, names == null ? null : Set.copyOf(names));
            }
        }
        return watches;
    }

    /** Whether any event concerns a protected path (the run's other work in {@code .git} does not). */
    private static boolean matters(List<Inotify.Event> events, Map<Integer, Set<String>> watches) {
        for (var event : events) {
            if ((event.mask() & IN_Q_OVERFLOW()) != 0) return true;
            if (!watches.containsKey(event.watch())) continue;
            if ((event.mask() & (IN_DELETE_SELF() | IN_MOVE_SELF() | IN_IGNORED())) != 0) return true;
            var names = watches.get(event.watch());
            // Every name in a protected directory: halt keeps nothing of its own there. Its own changes
            // (a copy renamed into place) wake one more pass, which finds nothing to do.
            if (names == null || names.contains(event.name())) return true;
        }
        return false;
    }
}
