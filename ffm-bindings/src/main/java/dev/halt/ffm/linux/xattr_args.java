// Hand-written in jextract's layout from <linux/xattr.h> of Linux 6.13, newer than the installed headers (Linux 6.1);
// checked by HeaderProbeTest against the headers where they have it, else its NEWER_THAN_HEADERS. jextract.sh
// leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct xattr_args { __aligned_u64 value; __u32 size; __u32 flags; }
 * }
 * <p>The value argument of {@code setxattrat(2)} (Linux 6.13): where the value is, its size, and
 * {@code XATTR_CREATE} or {@code XATTR_REPLACE}. Its size is the first published one
 * ({@code XATTR_ARGS_SIZE_VER0}); a caller may pass a larger struct whose extra bytes are zero.
 */
public final class xattr_args {

    private xattr_args() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("value"),
        JAVA_INT.withName("size"),
        JAVA_INT.withName("flags")
    ).withName("xattr_args");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long value$OFFSET = 0;
    /** Offset of field {@code value}. */
    public static long value$offset() { return value$OFFSET; }
    /** Getter for field {@code value} (a pointer, as an address). */
    public static long value(MemorySegment struct) { return struct.get(JAVA_LONG, value$OFFSET); }
    /** Setter for field {@code value} (a pointer, as an address). */
    public static void value(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, value$OFFSET, fieldValue); }

    private static final long size$OFFSET = 8;
    /** Offset of field {@code size}. */
    public static long size$offset() { return size$OFFSET; }
    /** Getter for field {@code size}. */
    public static int size(MemorySegment struct) { return struct.get(JAVA_INT, size$OFFSET); }
    /** Setter for field {@code size}. */
    public static void size(MemorySegment struct, int fieldValue) { struct.set(JAVA_INT, size$OFFSET, fieldValue); }

    private static final long flags$OFFSET = 12;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    /** Getter for field {@code flags}. */
    public static int flags(MemorySegment struct) { return struct.get(JAVA_INT, flags$OFFSET); }
    /** Setter for field {@code flags}. */
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(JAVA_INT, flags$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
