// Generated in jextract's layout from <linux/rtnetlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct rtmsg { ... }
 * }
 * <p>Size 12 bytes on LP64 (x86_64 and aarch64).
 */
public final class rtmsg {

    private rtmsg() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_BYTE.withName("rtm_family"),
        JAVA_BYTE.withName("rtm_dst_len"),
        JAVA_BYTE.withName("rtm_src_len"),
        JAVA_BYTE.withName("rtm_tos"),
        JAVA_BYTE.withName("rtm_table"),
        JAVA_BYTE.withName("rtm_protocol"),
        JAVA_BYTE.withName("rtm_scope"),
        JAVA_BYTE.withName("rtm_type"),
        JAVA_INT.withName("rtm_flags")
    ).withName("rtmsg");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long rtm_family$OFFSET = 0;
    /** Offset of field {@code rtm_family}. */
    public static long rtm_family$offset() { return rtm_family$OFFSET; }
    private static final OfByte rtm_family$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_family"));
    /** Layout of field {@code rtm_family}. */
    public static OfByte rtm_family$layout() { return rtm_family$LAYOUT; }
    /** Getter for field {@code rtm_family} (u8). */
    public static byte rtm_family(MemorySegment struct) { return struct.get(rtm_family$LAYOUT, rtm_family$OFFSET); }
    /** Setter for field {@code rtm_family} (u8). */
    public static void rtm_family(MemorySegment struct, byte fieldValue) { struct.set(rtm_family$LAYOUT, rtm_family$OFFSET, fieldValue); }

    private static final long rtm_dst_len$OFFSET = 1;
    /** Offset of field {@code rtm_dst_len}. */
    public static long rtm_dst_len$offset() { return rtm_dst_len$OFFSET; }
    private static final OfByte rtm_dst_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_dst_len"));
    /** Layout of field {@code rtm_dst_len}. */
    public static OfByte rtm_dst_len$layout() { return rtm_dst_len$LAYOUT; }
    /** Getter for field {@code rtm_dst_len} (u8). */
    public static byte rtm_dst_len(MemorySegment struct) { return struct.get(rtm_dst_len$LAYOUT, rtm_dst_len$OFFSET); }
    /** Setter for field {@code rtm_dst_len} (u8). */
    public static void rtm_dst_len(MemorySegment struct, byte fieldValue) { struct.set(rtm_dst_len$LAYOUT, rtm_dst_len$OFFSET, fieldValue); }

    private static final long rtm_src_len$OFFSET = 2;
    /** Offset of field {@code rtm_src_len}. */
    public static long rtm_src_len$offset() { return rtm_src_len$OFFSET; }
    private static final OfByte rtm_src_len$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_src_len"));
    /** Layout of field {@code rtm_src_len}. */
    public static OfByte rtm_src_len$layout() { return rtm_src_len$LAYOUT; }
    /** Getter for field {@code rtm_src_len} (u8). */
    public static byte rtm_src_len(MemorySegment struct) { return struct.get(rtm_src_len$LAYOUT, rtm_src_len$OFFSET); }
    /** Setter for field {@code rtm_src_len} (u8). */
    public static void rtm_src_len(MemorySegment struct, byte fieldValue) { struct.set(rtm_src_len$LAYOUT, rtm_src_len$OFFSET, fieldValue); }

    private static final long rtm_tos$OFFSET = 3;
    /** Offset of field {@code rtm_tos}. */
    public static long rtm_tos$offset() { return rtm_tos$OFFSET; }
    private static final OfByte rtm_tos$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_tos"));
    /** Layout of field {@code rtm_tos}. */
    public static OfByte rtm_tos$layout() { return rtm_tos$LAYOUT; }
    /** Getter for field {@code rtm_tos} (u8). */
    public static byte rtm_tos(MemorySegment struct) { return struct.get(rtm_tos$LAYOUT, rtm_tos$OFFSET); }
    /** Setter for field {@code rtm_tos} (u8). */
    public static void rtm_tos(MemorySegment struct, byte fieldValue) { struct.set(rtm_tos$LAYOUT, rtm_tos$OFFSET, fieldValue); }

    private static final long rtm_table$OFFSET = 4;
    /** Offset of field {@code rtm_table}. */
    public static long rtm_table$offset() { return rtm_table$OFFSET; }
    private static final OfByte rtm_table$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_table"));
    /** Layout of field {@code rtm_table}. */
    public static OfByte rtm_table$layout() { return rtm_table$LAYOUT; }
    /** Getter for field {@code rtm_table} (u8). */
    public static byte rtm_table(MemorySegment struct) { return struct.get(rtm_table$LAYOUT, rtm_table$OFFSET); }
    /** Setter for field {@code rtm_table} (u8). */
    public static void rtm_table(MemorySegment struct, byte fieldValue) { struct.set(rtm_table$LAYOUT, rtm_table$OFFSET, fieldValue); }

    private static final long rtm_protocol$OFFSET = 5;
    /** Offset of field {@code rtm_protocol}. */
    public static long rtm_protocol$offset() { return rtm_protocol$OFFSET; }
    private static final OfByte rtm_protocol$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_protocol"));
    /** Layout of field {@code rtm_protocol}. */
    public static OfByte rtm_protocol$layout() { return rtm_protocol$LAYOUT; }
    /** Getter for field {@code rtm_protocol} (u8). */
    public static byte rtm_protocol(MemorySegment struct) { return struct.get(rtm_protocol$LAYOUT, rtm_protocol$OFFSET); }
    /** Setter for field {@code rtm_protocol} (u8). */
    public static void rtm_protocol(MemorySegment struct, byte fieldValue) { struct.set(rtm_protocol$LAYOUT, rtm_protocol$OFFSET, fieldValue); }

    private static final long rtm_scope$OFFSET = 6;
    /** Offset of field {@code rtm_scope}. */
    public static long rtm_scope$offset() { return rtm_scope$OFFSET; }
    private static final OfByte rtm_scope$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_scope"));
    /** Layout of field {@code rtm_scope}. */
    public static OfByte rtm_scope$layout() { return rtm_scope$LAYOUT; }
    /** Getter for field {@code rtm_scope} (u8). */
    public static byte rtm_scope(MemorySegment struct) { return struct.get(rtm_scope$LAYOUT, rtm_scope$OFFSET); }
    /** Setter for field {@code rtm_scope} (u8). */
    public static void rtm_scope(MemorySegment struct, byte fieldValue) { struct.set(rtm_scope$LAYOUT, rtm_scope$OFFSET, fieldValue); }

    private static final long rtm_type$OFFSET = 7;
    /** Offset of field {@code rtm_type}. */
    public static long rtm_type$offset() { return rtm_type$OFFSET; }
    private static final OfByte rtm_type$LAYOUT = (OfByte) $LAYOUT.select(groupElement("rtm_type"));
    /** Layout of field {@code rtm_type}. */
    public static OfByte rtm_type$layout() { return rtm_type$LAYOUT; }
    /** Getter for field {@code rtm_type} (u8). */
    public static byte rtm_type(MemorySegment struct) { return struct.get(rtm_type$LAYOUT, rtm_type$OFFSET); }
    /** Setter for field {@code rtm_type} (u8). */
    public static void rtm_type(MemorySegment struct, byte fieldValue) { struct.set(rtm_type$LAYOUT, rtm_type$OFFSET, fieldValue); }

    private static final long rtm_flags$OFFSET = 8;
    /** Offset of field {@code rtm_flags}. */
    public static long rtm_flags$offset() { return rtm_flags$OFFSET; }
    private static final OfInt rtm_flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("rtm_flags"));
    /** Layout of field {@code rtm_flags}. */
    public static OfInt rtm_flags$layout() { return rtm_flags$LAYOUT; }
    /** Getter for field {@code rtm_flags} (u32). */
    public static int rtm_flags(MemorySegment struct) { return struct.get(rtm_flags$LAYOUT, rtm_flags$OFFSET); }
    /** Setter for field {@code rtm_flags} (u32). */
    public static void rtm_flags(MemorySegment struct, int fieldValue) { struct.set(rtm_flags$LAYOUT, rtm_flags$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
