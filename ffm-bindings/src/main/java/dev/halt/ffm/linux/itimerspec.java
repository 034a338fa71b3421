// Hand-written in jextract's layout from <time.h>, checked by HeaderProbeTest (jextract.sh leaves it alone).
package dev.halt.ffm.linux;

import java.lang.foreign.*;

/**
 * {@snippet lang=c :
 * struct itimerspec { struct timespec it_interval; struct timespec it_value; }
 * }
 * <p>The argument of {@code timerfd_settime(2)}: {@code it_value} zero disarms the timer, an
 * {@code it_interval} of zero makes it fire once. Size 32 bytes on LP64 (x86_64 and aarch64).
 */
public final class itimerspec {

    private itimerspec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        timespec.layout().withName("it_interval"),
        timespec.layout().withName("it_value")
    ).withName("itimerspec");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long it_interval$OFFSET = 0;
    /** Offset of field {@code it_interval}. */
    public static long it_interval$offset() { return it_interval$OFFSET; }
    /** Slice of field {@code it_interval} (a {@link timespec}). */
    public static MemorySegment it_interval(MemorySegment struct) { return struct.asSlice(it_interval$OFFSET, timespec.sizeof()); }

    private static final long it_value$OFFSET = 16;
    /** Offset of field {@code it_value}. */
    public static long it_value$offset() { return it_value$OFFSET; }
    /** Slice of field {@code it_value} (a {@link timespec}). */
    public static MemorySegment it_value(MemorySegment struct) { return struct.asSlice(it_value$OFFSET, timespec.sizeof()); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
