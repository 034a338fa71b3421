// Generated in jextract's layout from <linux/capability.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct __user_cap_header_struct { ... }
 * }
 * <p>Size 8 bytes on LP64 (x86_64 and aarch64).
 */
public final class __user_cap_header_struct {

    private __user_cap_header_struct() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("pid")
    ).withName("__user_cap_header_struct");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long version$OFFSET = 0;
    /** Offset of field {@code version}. */
    public static long version$offset() { return version$OFFSET; }
    private static final OfInt version$LAYOUT = (OfInt) $LAYOUT.select(groupElement("version"));
    /** Layout of field {@code version}. */
    public static OfInt version$layout() { return version$LAYOUT; }
    /** Getter for field {@code version} (u32). */
    public static int version(MemorySegment struct) { return struct.get(version$LAYOUT, version$OFFSET); }
    /** Setter for field {@code version} (u32). */
    public static void version(MemorySegment struct, int fieldValue) { struct.set(version$LAYOUT, version$OFFSET, fieldValue); }

    private static final long pid$OFFSET = 4;
    /** Offset of field {@code pid}. */
    public static long pid$offset() { return pid$OFFSET; }
    private static final OfInt pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("pid"));
    /** Layout of field {@code pid}. */
    public static OfInt pid$layout() { return pid$LAYOUT; }
    /** Getter for field {@code pid} (s32). */
    public static int pid(MemorySegment struct) { return struct.get(pid$LAYOUT, pid$OFFSET); }
    /** Setter for field {@code pid} (s32). */
    public static void pid(MemorySegment struct, int fieldValue) { struct.set(pid$LAYOUT, pid$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
