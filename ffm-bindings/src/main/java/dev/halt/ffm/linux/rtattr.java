// Generated in jextract's layout from <linux/rtnetlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct rtattr { ... }
 * }
 * <p>Size 4 bytes on LP64 (x86_64 and aarch64).
 */
public final class rtattr {

    private rtattr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("rta_len"),
        JAVA_SHORT.withName("rta_type")
    ).withName("rtattr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long rta_len$OFFSET = 0;
    /** Offset of field {@code rta_len}. */
    public static long rta_len$offset() { return rta_len$OFFSET; }
    private static final OfShort rta_len$LAYOUT = (OfShort) $LAYOUT.select(groupElement("rta_len"));
    /** Layout of field {@code rta_len}. */
    public static OfShort rta_len$layout() { return rta_len$LAYOUT; }
    /** Getter for field {@code rta_len} (u16). */
    public static short rta_len(MemorySegment struct) { return struct.get(rta_len$LAYOUT, rta_len$OFFSET); }
    /** Setter for field {@code rta_len} (u16). */
    public static void rta_len(MemorySegment struct, short fieldValue) { struct.set(rta_len$LAYOUT, rta_len$OFFSET, fieldValue); }

    private static final long rta_type$OFFSET = 2;
    /** Offset of field {@code rta_type}. */
    public static long rta_type$offset() { return rta_type$OFFSET; }
    private static final OfShort rta_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("rta_type"));
    /** Layout of field {@code rta_type}. */
    public static OfShort rta_type$layout() { return rta_type$LAYOUT; }
    /** Getter for field {@code rta_type} (u16). */
    public static short rta_type(MemorySegment struct) { return struct.get(rta_type$LAYOUT, rta_type$OFFSET); }
    /** Setter for field {@code rta_type} (u16). */
    public static void rta_type(MemorySegment struct, short fieldValue) { struct.set(rta_type$LAYOUT, rta_type$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
