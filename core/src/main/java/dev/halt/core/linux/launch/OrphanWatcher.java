package dev.halt.core.linux.launch;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * Without a network namespace the tether knows the run by its process tree, and an orphan this JVM
 * adopted (the child subreaper) has left that tree: the watcher names each one to the tether,
 * checking every {@link #POLL}, until the run is over.
 */
final class OrphanWatcher {
    private OrphanWatcher() {}

    private static final Duration POLL = Duration.ofSeconds(1);

    /** Starts watching for the orphans of the run whose child is {@code childPid}. */
    static void start(Tether tether, long childPid) {
        // A platform thread: it mostly sleeps, and a short run then never starts the virtual-thread scheduler.
        Thread.ofPlatform().daemon(true).name("halt-orphan-watch").start(() -> announce(tether, childPid));
    }

    private static void announce(Tether tether, long childPid) {
        var announced = new HashSet<>(List.of(childPid, tether.pid()));
        while (true) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                return;
            }
            if (tether.released()) return;
            try (var children = ProcessHandle.current().children()) {
                children.forEach(h -> {
                    if (announced.add(h.pid())) tether.watch(h.pid());
                });
            }
        }
    }
}
