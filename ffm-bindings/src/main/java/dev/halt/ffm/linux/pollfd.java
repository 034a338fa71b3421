// Generated in jextract's layout from <poll.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct pollfd { int fd; short events; short revents; }
 * }
 */
public final class pollfd {

    private pollfd() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("fd"),
        JAVA_SHORT.withName("events"),
        JAVA_SHORT.withName("revents")
    ).withName("pollfd");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long fd$OFFSET = 0;
    /** Offset of field {@code fd}. */
    public static long fd$offset() { return fd$OFFSET; }
    private static final OfInt fd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("fd"));
    /** Setter for field {@code fd}. */
    public static void fd(MemorySegment struct, int fieldValue) { struct.set(fd$LAYOUT, fd$OFFSET, fieldValue); }

    private static final long events$OFFSET = 4;
    /** Offset of field {@code events}. */
    public static long events$offset() { return events$OFFSET; }
    private static final OfShort events$LAYOUT = (OfShort) $LAYOUT.select(groupElement("events"));
    /** Setter for field {@code events}. */
    public static void events(MemorySegment struct, short fieldValue) { struct.set(events$LAYOUT, events$OFFSET, fieldValue); }

    private static final long revents$OFFSET = 6;
    /** Offset of field {@code revents}. */
    public static long revents$offset() { return revents$OFFSET; }
    private static final OfShort revents$LAYOUT = (OfShort) $LAYOUT.select(groupElement("revents"));
    /** Getter for field {@code revents}. */
    public static short revents(MemorySegment struct) { return struct.get(revents$LAYOUT, revents$OFFSET); }

    /** Allocates {@code count} structs, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocateArray(long count, SegmentAllocator allocator) {
        return allocator.allocate($LAYOUT, count);
    }

    /** The {@code index}-th struct of an array. */
    public static MemorySegment asSlice(MemorySegment array, long index) {
        return array.asSlice(index * $LAYOUT.byteSize(), $LAYOUT);
    }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
