package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.pollfd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import static dev.halt.ffm.linux.poll_h.EFD_CLOEXEC;
import static dev.halt.ffm.linux.poll_h.EFD_NONBLOCK;
import static dev.halt.ffm.linux.poll_h.POLLIN;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A descriptor that one thread (the owner) reads, blocking in {@code ppoll} on it and on an
 * eventfd that any thread may write to make the owner return at once: a thread left blocked in a
 * system call would hold up the JVM's exit by up to 300 ms (HotSpot waits for threads in native
 * code). Closing closes both.
 *
 * <p>The owner's memory (the poll set and its read buffer) lives in a confined arena made at its
 * first {@link #await}, since closing a shared one stops every thread of the JVM for a moment.
 */
public final class WakeableFd implements AutoCloseable {

    /** What {@link #await} saw. */
    public enum Ready { READABLE, WOKEN, TIMED_OUT }

    private final int fd;
    private final int wakeFd;
    private final int bufferBytes;
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment fds;
    /** Guarded by {@code this}: a woken owner may close the descriptors, and a closed number must never be written to. */
    private boolean closed;

    private WakeableFd(int fd, int wakeFd, int bufferBytes) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.bufferBytes = bufferBytes;
    }

    /** Wraps {@code fd}, which it then owns (closed here if the eventfd cannot be made), with a read buffer of {@code bufferBytes}. */
    public static WakeableFd of(int fd, int bufferBytes) throws ErrnoException {
        try {
            int wake = (int) Syscall.call("eventfd2", Syscall.TABLE.eventfd2(), 0, EFD_NONBLOCK() | EFD_CLOEXEC(), 0, 0, 0, 0);
            return new WakeableFd(fd, wake, bufferBytes);
        } catch (ErrnoException e) {
            Syscall.close(fd);
            throw e;
        }
    }

    /** The descriptor. */
    public int fd() {
        return fd;
    }

    /** The owner's read buffer. */
    public MemorySegment buffer() {
        prepare();
        return buffer;
    }

    /** By the owner: blocks until the descriptor is readable, {@link #wake()} was called, or {@code timeout} (null: none) passed. */
    public Ready await(Duration timeout) throws ErrnoException {
        prepare();
        while (true) {
            long ready;
            try (var a = Arena.ofConfined()) {
                var spec = MemorySegment.NULL;
                if (timeout != null) {
                    spec = a.allocate(JAVA_LONG, 2);
                    spec.setAtIndex(JAVA_LONG, 0, timeout.toSeconds());
                    spec.setAtIndex(JAVA_LONG, 1, timeout.toNanosPart());
                }
                ready = Syscall.call("ppoll", Syscall.TABLE.ppoll(), fds.address(), 2, spec.address(), 0, 8, 0);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR) continue;
                throw e;
            }
            if (ready == 0) {
                if (timeout != null) return Ready.TIMED_OUT;
                continue;
            }
            if (pollfd.revents(pollfd.asSlice(fds, 1)) != 0) return Ready.WOKEN;
            return Ready.READABLE;
        }
    }

    private void prepare() {
        if (arena != null) return;
        arena = Arena.ofConfined();
        buffer = arena.allocate(bufferBytes, 8);
        fds = pollfd.allocateArray(2, arena);
        pollfd.fd(pollfd.asSlice(fds, 0), fd);
        pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN());
        pollfd.fd(pollfd.asSlice(fds, 1), wakeFd);
        pollfd.events(pollfd.asSlice(fds, 1), (short) POLLIN());
    }

    /** Makes the owner's {@link #await} return {@link Ready#WOKEN}, now and at every later call; harmless once closed. */
    public synchronized void wake() {
        if (closed) return;
        try (var a = Arena.ofConfined()) {
            var one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            Syscall.call("write eventfd", Syscall.TABLE.write(), wakeFd, one.address(), 8, 0, 0, 0);
        } catch (ErrnoException e) {
            // EAGAIN: the counter is already set, so the owner wakes anyway.
        }
    }

    /** By the owner, or by the thread that opened it when no owner ever waited on it. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Syscall.close(fd);
        Syscall.close(wakeFd);
        if (arena != null) arena.close();
    }
}
