package dev.halt.core.linux.net;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.SyscallNumbers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.halt.ffm.linux.sched_h.CLONE_NEWNET;

/**
 * A network namespace owned by a parked platform thread: the thread {@code unshare}s a fresh
 * namespace, opens an fd to it, and then waits for tasks, which it runs inside the namespace.
 * This is what {@code halt run} uses for the proxy namespace: its listening sockets are created by
 * a task here (a socket stays in the namespace it was created in, so other threads may then
 * accept on it), and {@link #fd()} is what the jailer passes as {@code IFLA_NET_NS_FD} to place
 * the veth peer here ({@link Netlink#createVethPair}).
 *
 * <p><b>Lifetime and cleanup.</b> The kernel keeps a namespace while a thread or process is in
 * it, an fd refers to it, or a socket created in it is open. {@link #close()} closes the fd and
 * ends the thread; once the caller has also closed the sockets it created here, the namespace,
 * its veth end (and with it the peer in the other namespace), addresses and routes are destroyed
 * by the kernel. Nothing is mounted or named in the filesystem, so nothing outlives the JVM
 * either, even after {@code kill -9}.
 *
 * <p><b>Thread rules.</b> Tasks run one at a time on the owner thread, a platform thread (a
 * virtual thread could change carrier between two calls and end up in the wrong namespace). A
 * thread created by the owner inherits its namespace, and pool threads created there would serve
 * the whole JVM from inside it. So a task must not start threads or virtual threads, submit to
 * executors or the common pool, complete futures that virtual threads wait on, or start the JVM's
 * first process (the JDK's process reaper would be born here); and {@link #call} refuses virtual
 * callers, whose wake-up from the owner could spawn a carrier thread in the namespace. The same
 * rules hold for the jailer thread after it unshares. Create the proxy's listening sockets in a
 * task; accept and relay on them from any thread.
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Thread thread;
    private final BlockingQueue<Runnable> tasks;
    private final int fd;
    private final long nativeThreadId;
    private final String identity;
    private volatile boolean closed;

    private record Started(int fd, long tid, String identity) {}

    private NetworkNamespace(String name, Thread thread, BlockingQueue<Runnable> tasks, Started started) {
        this.name = name;
        this.thread = thread;
        this.tasks = tasks;
        this.fd = started.fd();
        this.nativeThreadId = started.tid();
        this.identity = started.identity();
    }

    /**
     * Moves the calling thread into a new, empty network namespace (only a down {@code lo}): the
     * jailer's and the probe's way in, and this class's owner thread's. {@code unshare} acts on
     * the calling thread alone. Needs CAP_SYS_ADMIN; the namespace lives as long as a thread,
     * process or socket uses it.
     */
    public static void unshareCallingThread() throws ErrnoException {
        Syscall.call("unshare(CLONE_NEWNET)", Syscall.TABLE.unshare(), CLONE_NEWNET(), 0, 0, 0, 0, 0);
    }

    /** The end-of-life marker: the owner thread stops when it takes this. */
    private static final Runnable STOP = () -> {};

    /**
     * Starts a platform thread called {@code name} that moves into a new network namespace (only
     * {@code lo}, down) and parks there. Needs CAP_SYS_ADMIN.
     *
     * @throws ErrnoException when {@code unshare} or opening the namespace fails (the thread has ended)
     */
    public static NetworkNamespace create(String name) throws ErrnoException, InterruptedException {
        if (Thread.currentThread().isVirtual()) {
            // The new thread wakes its creator when it is ready: see call() for why not a virtual one.
            throw new IllegalStateException("create " + name + " from a platform thread, not a virtual one");
        }
        var tasks = new LinkedBlockingQueue<Runnable>();
        var started = new CompletableFuture<Started>();
        var thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
            int fd = -1;
            try {
                NetworkNamespace.unshareCallingThread();
                fd = openOwnNamespace();
                var tid = Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
                var identity = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
                started.complete(new Started(fd, tid, identity));
            } catch (Throwable t) {
                if (fd >= 0) Syscall.close(fd);
                started.completeExceptionally(t);
                return;
            }
            serve(tasks);
        });
        thread.start();
        try {
            return new NetworkNamespace(name, thread, tasks, started.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case ErrnoException errno -> throw errno;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(name + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            // Ask it to stop in case it is merely slow, and close the fd it may still open, so
            // that nothing keeps the namespace alive.
            started.thenAccept(late -> Syscall.close(late.fd()));
            tasks.add(STOP);
            throw new IllegalStateException(name + " did not enter a new network namespace in "
                + START_TIMEOUT.toSeconds() + " s", e);
        }
    }

    private static int openOwnNamespace() throws ErrnoException {
        // thread-self, not self: the namespace is this thread's, not the main thread's.
        return Syscall.open("/proc/thread-self/ns/net", SyscallNumbers.O_RDONLY | SyscallNumbers.O_CLOEXEC);
    }

    /** The owner's loop: run tasks until STOP; an interrupt alone does not end it, STOP does. */
    private static void serve(BlockingQueue<Runnable> tasks) {
        while (true) {
            Runnable task;
            try {
                task = tasks.take();
            } catch (InterruptedException e) {
                // A timed-out call interrupts its task; the thread lives on until closed.
                continue;
            }
            if (task == STOP) return;
            task.run();
            // Clear an interrupt aimed at a task that had already finished.
            Thread.interrupted();
        }
    }

    /**
     * Runs {@code task} on the owner thread, inside this namespace, waits at most {@code timeout},
     * and returns its result or rethrows its failure. On timeout the task is interrupted and an
     * {@link IllegalStateException} thrown. Tasks run one at a time, in order.
     */
    public <T> T call(Duration timeout, ThrowawayThread.Task<T> task) throws Exception {
        if (closed) throw new IllegalStateException(name + " is closed");
        if (Thread.currentThread() == thread) {
            // Already inside (a task calling back in): queueing would wait on itself.
            return task.run();
        }
        if (Thread.currentThread().isVirtual()) {
            // Finishing the task would unpark this virtual thread from the owner thread, and the
            // scheduler may create a carrier thread right there, inside this namespace: every
            // virtual thread that later runs on that carrier would open its sockets in here.
            throw new IllegalStateException("call " + name + " from a platform thread, not a virtual one");
        }
        var future = new FutureTask<>(task::run);
        tasks.add(future);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case Exception exception -> throw exception;
                case Error error -> throw error;
                default -> throw e;
            }
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException("a task in " + name + " did not finish in " + timeout.toMillis() + " ms", e);
        }
    }

    /**
     * An fd referring to the namespace (close-on-exec), for {@code IFLA_NET_NS_FD} or
     * {@code setns}. Owned by this object: valid until {@link #close()}, never to be closed by the caller.
     */
    public int fd() {
        if (closed) throw new IllegalStateException(name + " is closed");
        return fd;
    }

    /** The owner thread's kernel thread id (its entry under {@code /proc/self/task}). */
    public long nativeThreadId() {
        return nativeThreadId;
    }

    /** The namespace's identity as the kernel names it, {@code net:[4026532xyz]}. */
    public String identity() {
        return identity;
    }

    /** Whether the owner thread is still running. */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /**
     * Closes the fd and ends the owner thread after the tasks already queued, waiting up to
     * 10 s. Idempotent. The namespace dies with its last user: close the sockets created in it too.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Syscall.close(fd);
        tasks.add(STOP);
        try {
            if (!thread.join(STOP_TIMEOUT)) {
                // A task is still running: interrupt it, then give it one more period.
                thread.interrupt();
                if (!thread.join(STOP_TIMEOUT)) {
                    throw new IllegalStateException(name + " did not end in " + 2 * STOP_TIMEOUT.toSeconds()
                        + " s: a task is still running in the namespace");
                }
            }
        } catch (InterruptedException e) {
            // The owner was told to stop and will; keep the caller's interrupt for the caller.
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " " + identity;
    }
}
