// Generated in jextract's layout from <linux/netlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct nlmsghdr { ... }
 * }
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class nlmsghdr {

    private nlmsghdr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("nlmsg_len"),
        JAVA_SHORT.withName("nlmsg_type"),
        JAVA_SHORT.withName("nlmsg_flags"),
        JAVA_INT.withName("nlmsg_seq"),
        JAVA_INT.withName("nlmsg_pid")
    ).withName("nlmsghdr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long nlmsg_len$OFFSET = 0;
    /** Offset of field {@code nlmsg_len}. */
    public static long nlmsg_len$offset() { return nlmsg_len$OFFSET; }
    private static final OfInt nlmsg_len$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_len"));
    /** Layout of field {@code nlmsg_len}. */
    public static OfInt nlmsg_len$layout() { return nlmsg_len$LAYOUT; }
    /** Getter for field {@code nlmsg_len} (u32). */
    public static int nlmsg_len(MemorySegment struct) { return struct.get(nlmsg_len$LAYOUT, nlmsg_len$OFFSET); }
    /** Setter for field {@code nlmsg_len} (u32). */
    public static void nlmsg_len(MemorySegment struct, int fieldValue) { struct.set(nlmsg_len$LAYOUT, nlmsg_len$OFFSET, fieldValue); }

    private static final long nlmsg_type$OFFSET = 4;
    /** Offset of field {@code nlmsg_type}. */
    public static long nlmsg_type$offset() { return nlmsg_type$OFFSET; }
    private static final OfShort nlmsg_type$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nlmsg_type"));
    /** Layout of field {@code nlmsg_type}. */
    public static OfShort nlmsg_type$layout() { return nlmsg_type$LAYOUT; }
    /** Getter for field {@code nlmsg_type} (u16). */
    public static short nlmsg_type(MemorySegment struct) { return struct.get(nlmsg_type$LAYOUT, nlmsg_type$OFFSET); }
    /** Setter for field {@code nlmsg_type} (u16). */
    public static void nlmsg_type(MemorySegment struct, short fieldValue) { struct.set(nlmsg_type$LAYOUT, nlmsg_type$OFFSET, fieldValue); }

    private static final long nlmsg_flags$OFFSET = 6;
    /** Offset of field {@code nlmsg_flags}. */
    public static long nlmsg_flags$offset() { return nlmsg_flags$OFFSET; }
    private static final OfShort nlmsg_flags$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nlmsg_flags"));
    /** Layout of field {@code nlmsg_flags}. */
    public static OfShort nlmsg_flags$layout() { return nlmsg_flags$LAYOUT; }
    /** Getter for field {@code nlmsg_flags} (u16). */
    public static short nlmsg_flags(MemorySegment struct) { return struct.get(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET); }
    /** Setter for field {@code nlmsg_flags} (u16). */
    public static void nlmsg_flags(MemorySegment struct, short fieldValue) { struct.set(nlmsg_flags$LAYOUT, nlmsg_flags$OFFSET, fieldValue); }

    private static final long nlmsg_seq$OFFSET = 8;
    /** Offset of field {@code nlmsg_seq}. */
    public static long nlmsg_seq$offset() { return nlmsg_seq$OFFSET; }
    private static final OfInt nlmsg_seq$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_seq"));
    /** Layout of field {@code nlmsg_seq}. */
    public static OfInt nlmsg_seq$layout() { return nlmsg_seq$LAYOUT; }
    /** Getter for field {@code nlmsg_seq} (u32). */
    public static int nlmsg_seq(MemorySegment struct) { return struct.get(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET); }
    /** Setter for field {@code nlmsg_seq} (u32). */
    public static void nlmsg_seq(MemorySegment struct, int fieldValue) { struct.set(nlmsg_seq$LAYOUT, nlmsg_seq$OFFSET, fieldValue); }

    private static final long nlmsg_pid$OFFSET = 12;
    /** Offset of field {@code nlmsg_pid}. */
    public static long nlmsg_pid$offset() { return nlmsg_pid$OFFSET; }
    private static final OfInt nlmsg_pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nlmsg_pid"));
    /** Layout of field {@code nlmsg_pid}. */
    public static OfInt nlmsg_pid$layout() { return nlmsg_pid$LAYOUT; }
    /** Getter for field {@code nlmsg_pid} (u32). */
    public static int nlmsg_pid(MemorySegment struct) { return struct.get(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET); }
    /** Setter for field {@code nlmsg_pid} (u32). */
    public static void nlmsg_pid(MemorySegment struct, int fieldValue) { struct.set(nlmsg_pid$LAYOUT, nlmsg_pid$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
