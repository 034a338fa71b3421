// Hand-written in jextract's layout from <time.h>, checked by HeaderProbeTest (jextract.sh leaves it alone).
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct timespec { time_t tv_sec; long tv_nsec; }
 * }
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class timespec {

    private timespec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("tv_sec"),
        JAVA_LONG.withName("tv_nsec")
    ).withName("timespec");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long tv_sec$OFFSET = 0;
    /** Offset of field {@code tv_sec}. */
    public static long tv_sec$offset() { return tv_sec$OFFSET; }
    /** Getter for field {@code tv_sec}. */
    public static long tv_sec(MemorySegment struct) { return struct.get(JAVA_LONG, tv_sec$OFFSET); }
    /** Setter for field {@code tv_sec}. */
    public static void tv_sec(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, tv_sec$OFFSET, fieldValue); }

    private static final long tv_nsec$OFFSET = 8;
    /** Offset of field {@code tv_nsec}. */
    public static long tv_nsec$offset() { return tv_nsec$OFFSET; }
    /** Getter for field {@code tv_nsec}. */
    public static long tv_nsec(MemorySegment struct) { return struct.get(JAVA_LONG, tv_nsec$OFFSET); }
    /** Setter for field {@code tv_nsec}. */
    public static void tv_nsec(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, tv_nsec$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
