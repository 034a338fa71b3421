// Generated in jextract's layout from <linux/if_addr.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct ifaddrmsg { ... }
 * }
 * <p>Size 8 bytes on LP64 (x86_64 and aarch64).
 */
public final class ifaddrmsg {

    private ifaddrmsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("ifa_family"),
        JAVA_BYTE.withName("ifa_prefixlen"),
        JAVA_BYTE.withName("ifa_flags"),
        JAVA_BYTE.withName("ifa_scope"),
        JAVA_INT.withName("ifa_index")
    ).withName("ifaddrmsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long ifa_family$OFFSET = 0;
    /** Offset of field {@code ifa_family}. */
    public static long ifa_family$offset() { return ifa_family$OFFSET; }
    private static final OfByte ifa_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_family"));
    /** Layout of field {@code ifa_family}. */
    public static OfByte ifa_family$layout() { return ifa_family$LAYOUT; }
    /** Getter for field {@code ifa_family} (u8). */
    public static byte ifa_family(MemorySegment struct) { return struct.get(ifa_family$LAYOUT, ifa_family$OFFSET); }
    /** Setter for field {@code ifa_family} (u8). */
    public static void ifa_family(MemorySegment struct, byte fieldValue) { struct.set(ifa_family$LAYOUT, ifa_family$OFFSET, fieldValue); }

    private static final long ifa_prefixlen$OFFSET = 1;
    /** Offset of field {@code ifa_prefixlen}. */
    public static long ifa_prefixlen$offset() { return ifa_prefixlen$OFFSET; }
    private static final OfByte ifa_prefixlen$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_prefixlen"));
    /** Layout of field {@code ifa_prefixlen}. */
    public static OfByte ifa_prefixlen$layout() { return ifa_prefixlen$LAYOUT; }
    /** Getter for field {@code ifa_prefixlen} (u8). */
    public static byte ifa_prefixlen(MemorySegment struct) { return struct.get(ifa_prefixlen$LAYOUT, ifa_prefixlen$OFFSET); }
    /** Setter for field {@code ifa_prefixlen} (u8). */
    public static void ifa_prefixlen(MemorySegment struct, byte fieldValue) { struct.set(ifa_prefixlen$LAYOUT, ifa_prefixlen$OFFSET, fieldValue); }

    private static final long ifa_flags$OFFSET = 2;
    /** Offset of field {@code ifa_flags}. */
    public static long ifa_flags$offset() { return ifa_flags$OFFSET; }
    private static final OfByte ifa_flags$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_flags"));
    /** Layout of field {@code ifa_flags}. */
    public static OfByte ifa_flags$layout() { return ifa_flags$LAYOUT; }
    /** Getter for field {@code ifa_flags} (u8). */
    public static byte ifa_flags(MemorySegment struct) { return struct.get(ifa_flags$LAYOUT, ifa_flags$OFFSET); }
    /** Setter for field {@code ifa_flags} (u8). */
    public static void ifa_flags(MemorySegment struct, byte fieldValue) { struct.set(ifa_flags$LAYOUT, ifa_flags$OFFSET, fieldValue); }

    private static final long ifa_scope$OFFSET = 3;
    /** Offset of field {@code ifa_scope}. */
    public static long ifa_scope$offset() { return ifa_scope$OFFSET; }
    private static final OfByte ifa_scope$LAYOUT = (OfByte) $LAYOUT.select(groupElement("ifa_scope"));
    /** Layout of field {@code ifa_scope}. */
    public static OfByte ifa_scope$layout() { return ifa_scope$LAYOUT; }
    /** Getter for field {@code ifa_scope} (u8). */
    public static byte ifa_scope(MemorySegment struct) { return struct.get(ifa_scope$LAYOUT, ifa_scope$OFFSET); }
    /** Setter for field {@code ifa_scope} (u8). */
    public static void ifa_scope(MemorySegment struct, byte fieldValue) { struct.set(ifa_scope$LAYOUT, ifa_scope$OFFSET, fieldValue); }

    private static final long ifa_index$OFFSET = 4;
    /** Offset of field {@code ifa_index}. */
    public static long ifa_index$offset() { return ifa_index$OFFSET; }
    private static final OfInt ifa_index$LAYOUT = (OfInt) $LAYOUT.select(groupElement("ifa_index"));
    /** Layout of field {@code ifa_index}. */
    public static OfInt ifa_index$layout() { return ifa_index$LAYOUT; }
    /** Getter for field {@code ifa_index} (u32). */
    public static int ifa_index(MemorySegment struct) { return struct.get(ifa_index$LAYOUT, ifa_index$OFFSET); }
    /** Setter for field {@code ifa_index} (u32). */
    public static void ifa_index(MemorySegment struct, int fieldValue) { struct.set(ifa_index$LAYOUT, ifa_index$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
