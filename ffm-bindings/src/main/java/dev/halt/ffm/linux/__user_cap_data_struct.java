// Generated in jextract's layout from <linux/capability.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct __user_cap_data_struct { ... }
 * }
 * <p>Size 12 bytes on LP64 (x86_64 and aarch64).
 */
public final class __user_cap_data_struct {

    private __user_cap_data_struct() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("effective"),
        JAVA_INT.withName("permitted"),
        JAVA_INT.withName("inheritable")
    ).withName("__user_cap_data_struct");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long effective$OFFSET = 0;
    /** Offset of field {@code effective}. */
    public static long effective$offset() { return effective$OFFSET; }
    private static final OfInt effective$LAYOUT = (OfInt) $LAYOUT.select(groupElement("effective"));
    /** Layout of field {@code effective}. */
    public static OfInt effective$layout() { return effective$LAYOUT; }
    /** Getter for field {@code effective} (u32). */
    public static int effective(MemorySegment struct) { return struct.get(effective$LAYOUT, effective$OFFSET); }
    /** Setter for field {@code effective} (u32). */
    public static void effective(MemorySegment struct, int fieldValue) { struct.set(effective$LAYOUT, effective$OFFSET, fieldValue); }

    private static final long permitted$OFFSET = 4;
    /** Offset of field {@code permitted}. */
    public static long permitted$offset() { return permitted$OFFSET; }
    private static final OfInt permitted$LAYOUT = (OfInt) $LAYOUT.select(groupElement("permitted"));
    /** Layout of field {@code permitted}. */
    public static OfInt permitted$layout() { return permitted$LAYOUT; }
    /** Getter for field {@code permitted} (u32). */
    public static int permitted(MemorySegment struct) { return struct.get(permitted$LAYOUT, permitted$OFFSET); }
    /** Setter for field {@code permitted} (u32). */
    public static void permitted(MemorySegment struct, int fieldValue) { struct.set(permitted$LAYOUT, permitted$OFFSET, fieldValue); }

    private static final long inheritable$OFFSET = 8;
    /** Offset of field {@code inheritable}. */
    public static long inheritable$offset() { return inheritable$OFFSET; }
    private static final OfInt inheritable$LAYOUT = (OfInt) $LAYOUT.select(groupElement("inheritable"));
    /** Layout of field {@code inheritable}. */
    public static OfInt inheritable$layout() { return inheritable$LAYOUT; }
    /** Getter for field {@code inheritable} (u32). */
    public static int inheritable(MemorySegment struct) { return struct.get(inheritable$LAYOUT, inheritable$OFFSET); }
    /** Setter for field {@code inheritable} (u32). */
    public static void inheritable(MemorySegment struct, int fieldValue) { struct.set(inheritable$LAYOUT, inheritable$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
