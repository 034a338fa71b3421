// Generated in jextract's layout from <linux/landlock.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct landlock_path_beneath_attr { ... } __attribute__((packed))
 * }
 * <p>Size 12 bytes on LP64 (x86_64 and aarch64).
 */
public final class landlock_path_beneath_attr {

    private landlock_path_beneath_attr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG_UNALIGNED.withName("allowed_access"),
        JAVA_INT_UNALIGNED.withName("parent_fd")
    ).withName("landlock_path_beneath_attr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long allowed_access$OFFSET = 0;
    /** Offset of field {@code allowed_access}. */
    public static long allowed_access$offset() { return allowed_access$OFFSET; }
    private static final OfLong allowed_access$LAYOUT = (OfLong) $LAYOUT.select(groupElement("allowed_access"));
    /** Layout of field {@code allowed_access}. */
    public static OfLong allowed_access$layout() { return allowed_access$LAYOUT; }
    /** Getter for field {@code allowed_access} (u64). */
    public static long allowed_access(MemorySegment struct) { return struct.get(allowed_access$LAYOUT, allowed_access$OFFSET); }
    /** Setter for field {@code allowed_access} (u64). */
    public static void allowed_access(MemorySegment struct, long fieldValue) { struct.set(allowed_access$LAYOUT, allowed_access$OFFSET, fieldValue); }

    private static final long parent_fd$OFFSET = 8;
    /** Offset of field {@code parent_fd}. */
    public static long parent_fd$offset() { return parent_fd$OFFSET; }
    private static final OfInt parent_fd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("parent_fd"));
    /** Layout of field {@code parent_fd}. */
    public static OfInt parent_fd$layout() { return parent_fd$LAYOUT; }
    /** Getter for field {@code parent_fd} (s32). */
    public static int parent_fd(MemorySegment struct) { return struct.get(parent_fd$LAYOUT, parent_fd$OFFSET); }
    /** Setter for field {@code parent_fd} (s32). */
    public static void parent_fd(MemorySegment struct, int fieldValue) { struct.set(parent_fd$LAYOUT, parent_fd$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
