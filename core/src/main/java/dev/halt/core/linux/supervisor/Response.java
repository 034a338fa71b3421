package dev.halt.core.linux.supervisor;

/**
 * What the supervisor answers a waiting call with. Prefer {@link Return} and {@link Failure}: the
 * handler performed the call itself (on what it checked) or refused it. {@link Continue} lets the
 * kernel run the call as the child asked, reading its arguments again: only for a call whose
 * pointer arguments did not decide anything, and where whatever another thread of the child could
 * swap in is refused by another layer (see {@link Supervisor}).
 */
public sealed interface Response {

    /** The call returns {@code value} (0 for most calls, a descriptor or a count for others). */
    record Return(long value) implements Response {}

    /** The call fails with {@code errno} (positive, as in {@link dev.halt.ffm.linux.Errno}). */
    record Failure(int errno) implements Response {
        public Failure {
            if (errno <= 0) throw new IllegalArgumentException("an errno is positive, got " + errno);
        }
    }

    /** The kernel runs the call itself, as the child made it. */
    record Continue() implements Response {}

    /** Success with 0. */
    static Response ok() { return new Return(0); }

    /** Success with {@code value}. */
    static Response value(long value) { return new Return(value); }

    /** Failure with {@code errno}. */
    static Response error(int errno) { return new Failure(errno); }

    /** Let the kernel run the call. */
    static Response proceed() { return new Continue(); }

    /**
     * The result of a call halt made itself, as {@link dev.halt.core.linux.sys.Syscall#callRaw} returns
     * it (the value, or the negated errno), for the child to see.
     */
    static Response ofRaw(long raw) {
        return raw < 0 ? new Failure((int) -raw) : new Return(raw);
    }
}
