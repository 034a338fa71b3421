// Hand-written in jextract's layout: <sys/errno.h> (macOS). jextract does not capture errno.
package dev.halt.ffm.macos;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * Darwin's errno values halt names, and the per-call state segment every errno-setting binding
 * of this package writes {@code errno} into: one per calling thread, from a confined arena.
 * Several values differ from Linux's (ELOOP, ENAMETOOLONG, ENOTSUP and the Mach-O ones).
 */
public final class errno_h {
    private errno_h() {}

    private static final StructLayout LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = LAYOUT.byteOffset(groupElement("errno"));

    /** Allocates a call-state segment. */
    public static MemorySegment allocate(SegmentAllocator allocator) {
        return allocator.allocate(LAYOUT);
    }

    /** The errno the last call given {@code state} left there. */
    public static int get(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
    }

    public static int EPERM() { return 1; }
    public static int ENOENT() { return 2; }
    public static int ESRCH() { return 3; }
    public static int EINTR() { return 4; }
    public static int EIO() { return 5; }
    public static int ENXIO() { return 6; }
    public static int E2BIG() { return 7; }
    public static int ENOEXEC() { return 8; }
    public static int EBADF() { return 9; }
    public static int ENOMEM() { return 12; }
    public static int EACCES() { return 13; }
    public static int EFAULT() { return 14; }
    public static int EEXIST() { return 17; }
    public static int ENOTDIR() { return 20; }
    public static int EISDIR() { return 21; }
    public static int EINVAL() { return 22; }
    public static int ETXTBSY() { return 26; }
    public static int ELOOP() { return 62; }
    public static int ENAMETOOLONG() { return 63; }
    public static int EBADEXEC() { return 85; }
    public static int EBADARCH() { return 86; }
    public static int EBADMACHO() { return 88; }
}
