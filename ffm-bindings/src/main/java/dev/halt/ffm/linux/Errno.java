// Hand-written: jextract does not capture errno.
package dev.halt.ffm.linux;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * The per-call state segment that every errno-setting downcall in this package writes
 * {@code errno} into. Allocate one per calling thread (a confined {@link java.lang.foreign.Arena}),
 * never share one between threads: errno belongs to the call that set it.
 */
public final class Errno {
    private Errno() {}

    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    // An offset, not a path VarHandle: that one costs ~10 method-handle classes at first use.
    private static final long ERRNO_OFFSET = LAYOUT.byteOffset(groupElement("errno"));

    /** Allocates a call-state segment. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /** The errno the last call that was given {@code state} left there. */
    public static int get(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    // Values from <asm-generic/errno-base.h> and <asm-generic/errno.h> (identical on x86_64 and aarch64).
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int ENODEV = 19;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOSYS = 38;
    public static final int ENOTTY = 25;
    public static final int E2BIG = 7;
    public static final int EMSGSIZE = 90;
    public static final int EPROTO = 71;
    public static final int ENOTSUP = 95;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENOBUFS = 105;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int ENETUNREACH = 101;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOTSOCK = 88;
    public static final int ECONNABORTED = 103;
    public static final int EISCONN = 106;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int ENOTDIR = 20;
    public static final int ERANGE = 34;
    public static final int ELOOP = 40;
    public static final int EXDEV = 18;
    public static final int EISDIR = 21;
    public static final int ENOTEMPTY = 39;
}
