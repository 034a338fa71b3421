package dev.halt.core.linux.sys;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a fresh platform thread that ends with it. Landlock domains, seccomp filters,
 * {@code no_new_privs} and namespaces belong to a thread, so a probe that restricts itself does
 * it here and leaves the rest of the JVM untouched.
 */
public final class ThrowawayThread {
    private ThrowawayThread() {}

    /** A task that may fail with a system call error. */
    @FunctionalInterface
    public interface Task<T> {
        T run() throws Exception;
    }

    /** Runs {@code task}, waits at most {@code timeout}, and returns its result or rethrows its failure. */
    public static <T> T run(String name, Duration timeout, Task<T> task) throws Exception {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        var thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
            try {
                result.set(task.run());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        if (!thread.join(timeout)) {
            throw new IllegalStateException(name + " did not finish in " + timeout.toMillis() + " ms");
        }
        var t = failure.get();
        if (t instanceof Exception e) throw e;
        if (t instanceof Error e) throw e;
        return result.get();
    }
}
