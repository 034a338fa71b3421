// Generated in jextract's layout from <linux/seccomp.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct seccomp_notif { __u64 id; __u32 pid; __u32 flags; struct seccomp_data data; }
 * }
 * <p>Size 80 bytes: what {@code SECCOMP_IOCTL_NOTIF_RECV} fills in (the buffer must be zeroed before the
 * call). {@code pid} is the thread id of the caller, in the supervisor's pid namespace.
 */
public final class seccomp_notif {

    private seccomp_notif() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("id"),
        JAVA_INT.withName("pid"),
        JAVA_INT.withName("flags"),
        seccomp_data.layout().withName("data")
    ).withName("seccomp_notif");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long id$OFFSET = 0;
    /** Offset of field {@code id}. */
    public static long id$offset() { return id$OFFSET; }
    private static final OfLong id$LAYOUT = (OfLong) $LAYOUT.select(groupElement("id"));
    /** Layout of field {@code id}. */
    public static OfLong id$layout() { return id$LAYOUT; }
    /** Getter for field {@code id} (u64: the notification, for the ioctls). */
    public static long id(MemorySegment struct) { return struct.get(id$LAYOUT, id$OFFSET); }
    /** Setter for field {@code id} (u64: the notification, for the ioctls). */
    public static void id(MemorySegment struct, long fieldValue) { struct.set(id$LAYOUT, id$OFFSET, fieldValue); }

    private static final long pid$OFFSET = 8;
    /** Offset of field {@code pid}. */
    public static long pid$offset() { return pid$OFFSET; }
    private static final OfInt pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("pid"));
    /** Layout of field {@code pid}. */
    public static OfInt pid$layout() { return pid$LAYOUT; }
    /** Getter for field {@code pid} (u32: the calling thread). */
    public static int pid(MemorySegment struct) { return struct.get(pid$LAYOUT, pid$OFFSET); }
    /** Setter for field {@code pid} (u32: the calling thread). */
    public static void pid(MemorySegment struct, int fieldValue) { struct.set(pid$LAYOUT, pid$OFFSET, fieldValue); }

    private static final long flags$OFFSET = 12;
    /** Offset of field {@code flags}. */
    public static long flags$offset() { return flags$OFFSET; }
    private static final OfInt flags$LAYOUT = (OfInt) $LAYOUT.select(groupElement("flags"));
    /** Layout of field {@code flags}. */
    public static OfInt flags$layout() { return flags$LAYOUT; }
    /** Getter for field {@code flags} (u32). */
    public static int flags(MemorySegment struct) { return struct.get(flags$LAYOUT, flags$OFFSET); }
    /** Setter for field {@code flags} (u32). */
    public static void flags(MemorySegment struct, int fieldValue) { struct.set(flags$LAYOUT, flags$OFFSET, fieldValue); }

    private static final long data$OFFSET = 16;
    /** Offset of field {@code data}. */
    public static long data$offset() { return data$OFFSET; }
    /** Slice of field {@code data}: the call's {@link seccomp_data}. */
    public static MemorySegment data(MemorySegment struct) { return struct.asSlice(data$OFFSET, seccomp_data.layout().byteSize()); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
