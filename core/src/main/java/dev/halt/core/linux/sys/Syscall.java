package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.unistd_h;

import java.lang.foreign.Arena;

/**
 * Makes raw system calls with all six argument registers set and errno read from this call alone.
 *
 * <p>Every native call of core goes through this one downcall handle, on purpose: the JVM spins
 * method-handle classes for each new native signature at its first use (5 to 20 ms each, which no
 * start-up cache keeps), and one signature pays that once per run.
 *
 * <p>Public for the sub-packages of {@code core.linux} (the supervisor); not an API.
 */
public final class Syscall {
    private Syscall() {}

    /** The system call numbers of the running architecture. */
    public static final SyscallNumbers TABLE = SyscallNumbers.current();

    /**
     * Calls system call {@code number}: its result, or {@link ErrnoException} naming {@code name}
     * and the errno. Pointers are passed as {@link java.lang.foreign.MemorySegment#address()}.
     */
    public static long call(String name, int number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            long result = unistd_h.syscall(errno, number, a1, a2, a3, a4, a5, a6);
            if (result == -1) throw new ErrnoException(name, Errno.get(errno));
            return result;
        }
    }

    /**
     * Calls system call {@code number}: its result when it succeeds, else the negated errno, as the
     * kernel itself returns it. For calls whose failure is an answer, not an error (a non-blocking
     * connect's EINPROGRESS), without an exception per call.
     */
    public static long callRaw(int number, long a1, long a2, long a3, long a4, long a5, long a6) {
        var errno = THREAD_STATE.get();
        long result = unistd_h.syscall(errno, number, a1, a2, a3, a4, a5, a6);
        return result == -1 ? -Errno.get(errno) : result;
    }

    /**
     * {@link #callRaw}'s call-state segment, one per thread (errno belongs to the thread's own
     * call), freed with it: the supervisor makes about ten calls per notification, and a fresh arena
     * for each was a measurable part of a connect's cost.
     */
    private static final ThreadLocal<java.lang.foreign.MemorySegment> THREAD_STATE =
        ThreadLocal.withInitial(() -> Errno.allocate(Arena.ofAuto()));

    /** Closes {@code fd}, ignoring errors. */
    public static void close(int fd) {
        // close(2) releases the descriptor even when it reports an error: nothing to retry. callRaw:
        // no arena per call (the supervisor closes two descriptors per notification).
        callRaw(TABLE.close(), fd, 0, 0, 0, 0, 0);
    }

    /** {@code geteuid(2)}, which cannot fail. */
    public static int geteuid() {
        try {
            return (int) call("geteuid", TABLE.geteuid(), 0, 0, 0, 0, 0, 0);
        } catch (ErrnoException e) {
            throw new AssertionError("geteuid cannot fail", e);
        }
    }

    /** {@code openat(AT_FDCWD, path, flags)}: a new descriptor. */
    public static int open(String path, int flags) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            return (int) call("open " + path, TABLE.openat(), SyscallNumbers.AT_FDCWD, arena.allocateFrom(path).address(),
                flags, 0, 0, 0);
        }
    }
}
