// Hand-written in jextract's layout from <linux/filter.h>, checked by HeaderProbeTest: jextract's class gives the
// pointer field (filter) a layout with a target, whose VarHandle spins some 17 method-handle classes at halt's
// start; this class uses a plain ADDRESS. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sock_fprog { ... }
 * }
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class sock_fprog {

    private sock_fprog() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("len"),
        MemoryLayout.paddingLayout(6),
        ADDRESS.withName("filter")
    ).withName("sock_fprog");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long len$OFFSET = 0;
    /** Offset of field {@code len}. */
    public static long len$offset() { return len$OFFSET; }
    private static final OfShort len$LAYOUT = (OfShort) $LAYOUT.select(groupElement("len"));
    /** Layout of field {@code len}. */
    public static OfShort len$layout() { return len$LAYOUT; }
    /** Getter for field {@code len} (u16). */
    public static short len(MemorySegment struct) { return struct.get(len$LAYOUT, len$OFFSET); }
    /** Setter for field {@code len} (u16). */
    public static void len(MemorySegment struct, short fieldValue) { struct.set(len$LAYOUT, len$OFFSET, fieldValue); }

    private static final long filter$OFFSET = 8;
    /** Offset of field {@code filter}. */
    public static long filter$offset() { return filter$OFFSET; }
    private static final AddressLayout filter$LAYOUT = (AddressLayout) $LAYOUT.select(groupElement("filter"));
    /** Layout of field {@code filter}. */
    public static AddressLayout filter$layout() { return filter$LAYOUT; }
    /** Getter for field {@code filter} (ptr). */
    public static MemorySegment filter(MemorySegment struct) { return struct.get(filter$LAYOUT, filter$OFFSET); }
    /** Setter for field {@code filter} (ptr). */
    public static void filter(MemorySegment struct, MemorySegment fieldValue) { struct.set(filter$LAYOUT, filter$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
