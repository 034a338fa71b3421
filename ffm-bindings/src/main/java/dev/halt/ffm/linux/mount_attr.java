// Generated in jextract's layout from <linux/mount.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct mount_attr {
 *     __u64 attr_set;
 *     __u64 attr_clr;
 *     __u64 propagation;
 *     __u64 userns_fd;
 * }
 * }
 * <p>The argument of mount_setattr(2) (Linux 5.12); size 32 bytes ({@code MOUNT_ATTR_SIZE_VER0}).
 */
public final class mount_attr {

    private mount_attr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("attr_set"),
        JAVA_LONG.withName("attr_clr"),
        JAVA_LONG.withName("propagation"),
        JAVA_LONG.withName("userns_fd")
    ).withName("mount_attr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long attr_set$OFFSET = 0;
    /** Offset of field {@code attr_set}. */
    public static long attr_set$offset() { return attr_set$OFFSET; }
    private static final OfLong attr_set$LAYOUT = (OfLong) $LAYOUT.select(groupElement("attr_set"));
    /** Setter for field {@code attr_set} (u64): the MOUNT_ATTR_* bits to set. */
    public static void attr_set(MemorySegment struct, long fieldValue) { struct.set(attr_set$LAYOUT, attr_set$OFFSET, fieldValue); }
    /** Getter for field {@code attr_set} (u64). */
    public static long attr_set(MemorySegment struct) { return struct.get(attr_set$LAYOUT, attr_set$OFFSET); }

    private static final long attr_clr$OFFSET = 8;
    /** Offset of field {@code attr_clr}. */
    public static long attr_clr$offset() { return attr_clr$OFFSET; }
    private static final OfLong attr_clr$LAYOUT = (OfLong) $LAYOUT.select(groupElement("attr_clr"));
    /** Setter for field {@code attr_clr} (u64): the MOUNT_ATTR_* bits to clear. */
    public static void attr_clr(MemorySegment struct, long fieldValue) { struct.set(attr_clr$LAYOUT, attr_clr$OFFSET, fieldValue); }
    /** Getter for field {@code attr_clr} (u64). */
    public static long attr_clr(MemorySegment struct) { return struct.get(attr_clr$LAYOUT, attr_clr$OFFSET); }

    private static final long propagation$OFFSET = 16;
    /** Offset of field {@code propagation}. */
    public static long propagation$offset() { return propagation$OFFSET; }
    private static final OfLong propagation$LAYOUT = (OfLong) $LAYOUT.select(groupElement("propagation"));
    /** Setter for field {@code propagation} (u64): MS_PRIVATE and friends, 0 to leave it. */
    public static void propagation(MemorySegment struct, long fieldValue) { struct.set(propagation$LAYOUT, propagation$OFFSET, fieldValue); }
    /** Getter for field {@code propagation} (u64). */
    public static long propagation(MemorySegment struct) { return struct.get(propagation$LAYOUT, propagation$OFFSET); }

    private static final long userns_fd$OFFSET = 24;
    /** Offset of field {@code userns_fd}. */
    public static long userns_fd$offset() { return userns_fd$OFFSET; }
    private static final OfLong userns_fd$LAYOUT = (OfLong) $LAYOUT.select(groupElement("userns_fd"));
    /** Setter for field {@code userns_fd} (u64): with MOUNT_ATTR_IDMAP only. */
    public static void userns_fd(MemorySegment struct, long fieldValue) { struct.set(userns_fd$LAYOUT, userns_fd$OFFSET, fieldValue); }
    /** Getter for field {@code userns_fd} (u64). */
    public static long userns_fd(MemorySegment struct) { return struct.get(userns_fd$LAYOUT, userns_fd$OFFSET); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
