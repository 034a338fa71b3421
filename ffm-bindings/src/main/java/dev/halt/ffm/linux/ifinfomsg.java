// Generated in jextract's layout from <linux/rtnetlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ifinfomsg { ... }
 * }
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class ifinfomsg {

    private ifinfomsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("ifi_family"),
        JAVA_BYTE.withName("__ifi_pad"),
        JAVA_SHORT.withName("ifi_type"),
        JAVA_INT.withName("ifi_index"),
        JAVA_INT.withName("ifi_flags"),
        JAVA_INT.withName("ifi_change")
    ).withName("ifinfomsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long ifi_family$OFFSET = 0;
    /** Offset of field {@code ifi_family}. */
    public static long ifi_family$offset() { return ifi_family$OFFSET; }
    private static final OfByte ifi_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifi_family"));
    /** Layout of field {@code ifi_family}. */
    public static OfByte ifi_family$layout() { return ifi_family$LAYOUT; }
    /** Getter for field {@code ifi_family} (u8). */
    public static byte ifi_family(MemorySegment struct) { return struct.get(ifi_family$LAYOUT, ifi_family$OFFSET); }
    /** Setter for field {@code ifi_family} (u8). */
    public static void ifi_family(MemorySegment struct, byte fieldValue) { struct.set(ifi_family$LAYOUT, ifi_family$OFFSET, fieldValue); }

    private static final long __ifi_pad$OFFSET = 1;
    /** Offset of field {@code __ifi_pad}. */
    public static long __ifi_pad$offset() { return __ifi_pad$OFFSET; }
    private static final OfByte __ifi_pad$LAYOUT = (OfByte) $LAYOUT.select(groupElement("__ifi_pad"));
    /** Layout of field {@code __ifi_pad}. */
    public static OfByte __ifi_pad$layout() { return __ifi_pad$LAYOUT; }
    /** Getter for field {@code __ifi_pad} (u8). */
    public static byte __ifi_pad(MemorySegment struct) { return struct.get(__ifi_pad$LAYOUT, __ifi_pad$OFFSET); }
    /** Setter for field {@code __ifi_pad} (u8). */
    public static void __ifi_pad(MemorySegment struct, byte fieldValue) { struct.set(__ifi_pad$LAYOUT, __ifi_pad$OFFSET, fieldValue); }

    private static final long ifi_type$OFFSET = 2;
    /** Offset of field {@code ifi_type}. */
    public static long ifi_type$offset() { return ifi_type$OFFSET; }
    private static final OfShort ifi_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("ifi_type"));
    /** Layout of field {@code ifi_type}. */
    public static OfShort ifi_type$layout() { return ifi_type$LAYOUT; }
    /** Getter for field {@code ifi_type} (u16). */
    public static short ifi_type(MemorySegment struct) { return struct.get(ifi_type$LAYOUT, ifi_type$OFFSET); }
    /** Setter for field {@code ifi_type} (u16). */
    public static void ifi_type(MemorySegment struct, short fieldValue) { struct.set(ifi_type$LAYOUT, ifi_type$OFFSET, fieldValue); }

    private static final long ifi_index$OFFSET = 4;
    /** Offset of field {@code ifi_index}. */
    public static long ifi_index$offset() { return ifi_index$OFFSET; }
    private static final OfInt ifi_index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_index"));
    /** Layout of field {@code ifi_index}. */
    public static OfInt ifi_index$layout() { return ifi_index$LAYOUT; }
    /** Getter for field {@code ifi_index} (s32). */
    public static int ifi_index(MemorySegment struct) { return struct.get(ifi_index$LAYOUT, ifi_index$OFFSET); }
    /** Setter for field {@code ifi_index} (s32). */
    public static void ifi_index(MemorySegment struct, int fieldValue) { struct.set(ifi_index$LAYOUT, ifi_index$OFFSET, fieldValue); }

    private static final long ifi_flags$OFFSET = 8;
    /** Offset of field {@code ifi_flags}. */
    public static long ifi_flags$offset() { return ifi_flags$OFFSET; }
    private static final OfInt ifi_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_flags"));
    /** Layout of field {@code ifi_flags}. */
    public static OfInt ifi_flags$layout() { return ifi_flags$LAYOUT; }
    /** Getter for field {@code ifi_flags} (u32). */
    public static int ifi_flags(MemorySegment struct) { return struct.get(ifi_flags$LAYOUT, ifi_flags$OFFSET); }
    /** Setter for field {@code ifi_flags} (u32). */
    public static void ifi_flags(MemorySegment struct, int fieldValue) { struct.set(ifi_flags$LAYOUT, ifi_flags$OFFSET, fieldValue); }

    private static final long ifi_change$OFFSET = 12;
    /** Offset of field {@code ifi_change}. */
    public static long ifi_change$offset() { return ifi_change$OFFSET; }
    private static final OfInt ifi_change$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifi_change"));
    /** Layout of field {@code ifi_change}. */
    public static OfInt ifi_change$layout() { return ifi_change$LAYOUT; }
    /** Getter for field {@code ifi_change} (u32). */
    public static int ifi_change(MemorySegment struct) { return struct.get(ifi_change$LAYOUT, ifi_change$OFFSET); }
    /** Setter for field {@code ifi_change} (u32). */
    public static void ifi_change(MemorySegment struct, int fieldValue) { struct.set(ifi_change$LAYOUT, ifi_change$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
