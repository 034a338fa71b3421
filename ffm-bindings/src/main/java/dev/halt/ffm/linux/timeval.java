// Generated in jextract's layout from <sys/time.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct timeval { ... }
 * }
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64): the 64-bit time_t layout that SO_RCVTIMEO reads.
 */
public final class timeval {

    private timeval() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("tv_sec"),
        JAVA_LONG.withName("tv_usec")
    ).withName("timeval");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long tv_sec$OFFSET = 0;
    /** Offset of field {@code tv_sec}. */
    public static long tv_sec$offset() { return tv_sec$OFFSET; }
    private static final OfLong tv_sec$LAYOUT = (OfLong) $LAYOUT.select(groupElement("tv_sec"));
    /** Layout of field {@code tv_sec}. */
    public static OfLong tv_sec$layout() { return tv_sec$LAYOUT; }
    /** Getter for field {@code tv_sec} (time_t). */
    public static long tv_sec(MemorySegment struct) { return struct.get(tv_sec$LAYOUT, tv_sec$OFFSET); }
    /** Setter for field {@code tv_sec} (time_t). */
    public static void tv_sec(MemorySegment struct, long fieldValue) { struct.set(tv_sec$LAYOUT, tv_sec$OFFSET, fieldValue); }

    private static final long tv_usec$OFFSET = 8;
    /** Offset of field {@code tv_usec}. */
    public static long tv_usec$offset() { return tv_usec$OFFSET; }
    private static final OfLong tv_usec$LAYOUT = (OfLong) $LAYOUT.select(groupElement("tv_usec"));
    /** Layout of field {@code tv_usec}. */
    public static OfLong tv_usec$layout() { return tv_usec$LAYOUT; }
    /** Getter for field {@code tv_usec} (suseconds_t). */
    public static long tv_usec(MemorySegment struct) { return struct.get(tv_usec$LAYOUT, tv_usec$OFFSET); }
    /** Setter for field {@code tv_usec} (suseconds_t). */
    public static void tv_usec(MemorySegment struct, long fieldValue) { struct.set(tv_usec$LAYOUT, tv_usec$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
