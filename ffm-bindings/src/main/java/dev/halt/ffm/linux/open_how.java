// Generated in jextract's layout from <linux/openat2.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct open_how { __u64 flags; __u64 mode; __u64 resolve; }
 * }
 * <p>The argument of {@code openat2(2)} (Linux 5.6): how the supervisor opens a child's path, with
 * {@code resolve} saying what the walk may not cross.
 */
public final class open_how {

    private open_how() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("flags"),
        JAVA_LONG.withName("mode"),
        JAVA_LONG.withName("resolve")
    ).withName("open_how");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long flags$OFFSET = 0;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    /** Setter for field {@code flags}. */
    public static void flags(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, flags$OFFSET, fieldValue); }

    private static final long mode$OFFSET = 8;
    /** Offset of field {@code mode}. */
    public static long mode$offset() { return mode$OFFSET; }
    /** Setter for field {@code mode}. */
    public static void mode(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, mode$OFFSET, fieldValue); }

    private static final long resolve$OFFSET = 16;
    /** Offset of field {@code resolve}. */
    public static long resolve$offset() { return resolve$OFFSET; }
    /** Setter for field {@code resolve}. */
    public static void resolve(MemorySegment struct, long fieldValue) { struct.set(JAVA_LONG, resolve$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
