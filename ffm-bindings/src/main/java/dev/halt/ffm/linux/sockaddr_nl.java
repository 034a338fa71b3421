// Generated in jextract's layout from <linux/netlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sockaddr_nl { ... }
 * }
 * <p>Size 12 bytes on LP64 (x86_64 and aarch64).
 */
public final class sockaddr_nl {

    private sockaddr_nl() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("nl_family"),
        JAVA_SHORT.withName("nl_pad"),
        JAVA_INT.withName("nl_pid"),
        JAVA_INT.withName("nl_groups")
    ).withName("sockaddr_nl");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long nl_family$OFFSET = 0;
    /** Offset of field {@code nl_family}. */
    public static long nl_family$offset() { return nl_family$OFFSET; }
    private static final OfShort nl_family$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nl_family"));
    /** Layout of field {@code nl_family}. */
    public static OfShort nl_family$layout() { return nl_family$LAYOUT; }
    /** Getter for field {@code nl_family} (u16). */
    public static short nl_family(MemorySegment struct) { return struct.get(nl_family$LAYOUT, nl_family$OFFSET); }
    /** Setter for field {@code nl_family} (u16). */
    public static void nl_family(MemorySegment struct, short fieldValue) { struct.set(nl_family$LAYOUT, nl_family$OFFSET, fieldValue); }

    private static final long nl_pad$OFFSET = 2;
    /** Offset of field {@code nl_pad}. */
    public static long nl_pad$offset() { return nl_pad$OFFSET; }
    private static final OfShort nl_pad$LAYOUT = (OfShort) $LAYOUT.select(groupElement("nl_pad"));
    /** Layout of field {@code nl_pad}. */
    public static OfShort nl_pad$layout() { return nl_pad$LAYOUT; }
    /** Getter for field {@code nl_pad} (u16). */
    public static short nl_pad(MemorySegment struct) { return struct.get(nl_pad$LAYOUT, nl_pad$OFFSET); }
    /** Setter for field {@code nl_pad} (u16). */
    public static void nl_pad(MemorySegment struct, short fieldValue) { struct.set(nl_pad$LAYOUT, nl_pad$OFFSET, fieldValue); }

    private static final long nl_pid$OFFSET = 4;
    /** Offset of field {@code nl_pid}. */
    public static long nl_pid$offset() { return nl_pid$OFFSET; }
    private static final OfInt nl_pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nl_pid"));
    /** Layout of field {@code nl_pid}. */
    public static OfInt nl_pid$layout() { return nl_pid$LAYOUT; }
    /** Getter for field {@code nl_pid} (u32). */
    public static int nl_pid(MemorySegment struct) { return struct.get(nl_pid$LAYOUT, nl_pid$OFFSET); }
    /** Setter for field {@code nl_pid} (u32). */
    public static void nl_pid(MemorySegment struct, int fieldValue) { struct.set(nl_pid$LAYOUT, nl_pid$OFFSET, fieldValue); }

    private static final long nl_groups$OFFSET = 8;
    /** Offset of field {@code nl_groups}. */
    public static long nl_groups$offset() { return nl_groups$OFFSET; }
    private static final OfInt nl_groups$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nl_groups"));
    /** Layout of field {@code nl_groups}. */
    public static OfInt nl_groups$layout() { return nl_groups$LAYOUT; }
    /** Getter for field {@code nl_groups} (u32). */
    public static int nl_groups(MemorySegment struct) { return struct.get(nl_groups$LAYOUT, nl_groups$OFFSET); }
    /** Setter for field {@code nl_groups} (u32). */
    public static void nl_groups(MemorySegment struct, int fieldValue) { struct.set(nl_groups$LAYOUT, nl_groups$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
