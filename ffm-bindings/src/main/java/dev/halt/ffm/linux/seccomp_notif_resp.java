// Generated in jextract's layout from <linux/seccomp.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct seccomp_notif_resp { __u64 id; __s64 val; __s32 error; __u32 flags; }
 * }
 * <p>Size 24 bytes: the answer {@code SECCOMP_IOCTL_NOTIF_SEND} gives the waiting call: {@code val} as its
 * return value when {@code error} is 0, else {@code -1} with errno {@code -error}; or, with {@code
 * SECCOMP_USER_NOTIF_FLAG_CONTINUE} (and both zero), the kernel runs the call itself.
 */
public final class seccomp_notif_resp {

    private seccomp_notif_resp() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("id"),
        JAVA_LONG.withName("val"),
        JAVA_INT.withName("error"),
        JAVA_INT.withName("flags")
    ).withName("seccomp_notif_resp");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long id$OFFSET = 0;
    /** Offset of field {@code id}. */
    public static long id$offset() { return id$OFFSET; }
    private static final OfLong id$LAYOUT = (OfLong) $LAYOUT.select(groupElement("id"));
    /** Layout of field {@code id}. */
    public static OfLong id$layout() { return id$LAYOUT; }
    /** Getter for field {@code id} (u64). */
    public static long id(MemorySegment struct) { return struct.get(id$LAYOUT, id$OFFSET); }
    /** Setter for field {@code id} (u64). */
    public static void id(MemorySegment struct, long fieldValue) { struct.set(id$LAYOUT, id$OFFSET, fieldValue); }

    private static final long val$OFFSET = 8;
    /** Offset of field {@code val}. */
    public static long val$offset() { return val$OFFSET; }
    private static final OfLong val$LAYOUT = (OfLong) $LAYOUT.select(groupElement("val"));
    /** Layout of field {@code val}. */
    public static OfLong val$layout() { return val$LAYOUT; }
    /** Getter for field {@code val} (s64). */
    public static long val(MemorySegment struct) { return struct.get(val$LAYOUT, val$OFFSET); }
    /** Setter for field {@code val} (s64). */
    public static void val(MemorySegment struct, long fieldValue) { struct.set(val$LAYOUT, val$OFFSET, fieldValue); }

    private static final long error$OFFSET = 16;
    /** Offset of field {@code error}. */
    public static long error$offset() { return error$OFFSET; }
    private static final OfInt error$LAYOUT = (OfInt) $LAYOUT.select(groupElement("error"));
    /** Layout of field {@code error}. */
    public static OfInt error$layout() { return error$LAYOUT; }
    /** Getter for field {@code error} (s32: a negative errno, or 0). */
    public static int error(MemorySegment struct) { return struct.get(error$LAYOUT, error$OFFSET); }
    /** Setter for field {@code error} (s32: a negative errno, or 0). */
    public static void error(MemorySegment struct, int fieldValue) { struct.set(error$LAYOUT, error$OFFSET, fieldValue); }

    private static final long flags$OFFSET = 20;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Layout of field {@code flags}. */
    public static OfInt flags$layout() { return flags$LAYOUT; }
    /** Getter for field {@code flags} (u32). */
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    /** Setter for field {@code flags} (u32). */
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
