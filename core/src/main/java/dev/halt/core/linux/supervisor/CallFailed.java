package dev.halt.core.linux.supervisor;

/**
 * A system call halt made on a child's behalf failed; the child's call fails with {@link #errno()},
 * as the kernel would have failed it. Without a stack trace: it is an answer, not a bug.
 */
final class CallFailed extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    CallFailed(String what, int errno) {
        super(what, null, false, false);
        this.errno = errno;
    }

    /** The errno, positive. */
    int errno() {
        return errno;
    }

    /** {@code raw}, a result of {@link dev.halt.core.linux.sys.Syscall#callRaw}, or this exception for its errno. */
    static long check(long raw, String what) throws CallFailed {
        if (raw < 0) throw new CallFailed(what + ": errno " + -raw, (int) -raw);
        return raw;
    }
}
