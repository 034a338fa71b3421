// Generated in jextract's layout from <linux/audit.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct audit_status {
 *     __u32 mask; __u32 enabled; __u32 failure; __u32 pid; __u32 rate_limit; __u32 backlog_limit;
 *     __u32 lost; __u32 backlog; union { __u32 version; __u32 feature_bitmap; };
 *     __u32 backlog_wait_time; __u32 backlog_wait_time_actual;
 * }
 * }
 * <p>Older kernels send a shorter struct; read only the fields a reply holds.
 */
public final class audit_status {

    private audit_status() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("mask"),
        JAVA_INT.withName("enabled"),
        JAVA_INT.withName("failure"),
        JAVA_INT.withName("pid"),
        JAVA_INT.withName("rate_limit"),
        JAVA_INT.withName("backlog_limit"),
        JAVA_INT.withName("lost"),
        JAVA_INT.withName("backlog"),
        JAVA_INT.withName("version"),
        JAVA_INT.withName("backlog_wait_time"),
        JAVA_INT.withName("backlog_wait_time_actual")
    ).withName("audit_status");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long mask$OFFSET = 0;
    /** Offset of field {@code mask}. */
    public static long mask$offset() { return mask$OFFSET; }
    private static final OfInt mask$LAYOUT = (OfInt) $LAYOUT.select(groupElement("mask"));
    /** Setter for field {@code mask}: which fields an AUDIT_SET changes. */
    public static void mask(MemorySegment struct, int fieldValue) { struct.set(mask$LAYOUT, mask$OFFSET, fieldValue); }

    private static final long enabled$OFFSET = 4;
    /** Offset of field {@code enabled}. */
    public static long enabled$offset() { return enabled$OFFSET; }
    private static final OfInt enabled$LAYOUT = (OfInt) $LAYOUT.select(groupElement("enabled"));
    /** Getter for field {@code enabled}: 0 off, 1 on, 2 on and locked until reboot. */
    public static int enabled(MemorySegment struct) { return struct.get(enabled$LAYOUT, enabled$OFFSET); }
    /** Setter for field {@code enabled}. */
    public static void enabled(MemorySegment struct, int fieldValue) { struct.set(enabled$LAYOUT, enabled$OFFSET, fieldValue); }

    private static final long pid$OFFSET = 12;
    /** Offset of field {@code pid}. */
    public static long pid$offset() { return pid$OFFSET; }
    private static final OfInt pid$LAYOUT = (OfInt) $LAYOUT.select(groupElement("pid"));
    /** Getter for field {@code pid}: the audit daemon's, 0 when none runs. */
    public static int pid(MemorySegment struct) { return struct.get(pid$LAYOUT, pid$OFFSET); }

    private static final long lost$OFFSET = 24;
    /** Offset of field {@code lost}. */
    public static long lost$offset() { return lost$OFFSET; }
    private static final OfInt lost$LAYOUT = (OfInt) $LAYOUT.select(groupElement("lost"));
    /** Getter for field {@code lost}: records dropped since boot (backlog full, rate limit). */
    public static int lost(MemorySegment struct) { return struct.get(lost$LAYOUT, lost$OFFSET); }

    private static final long backlog$OFFSET = 28;
    /** Offset of field {@code backlog}. */
    public static long backlog$offset() { return backlog$OFFSET; }
    private static final OfInt backlog$LAYOUT = (OfInt) $LAYOUT.select(groupElement("backlog"));
    /** Getter for field {@code backlog}: records queued and not yet sent out by the kernel's audit thread. */
    public static int backlog(MemorySegment struct) { return struct.get(backlog$LAYOUT, backlog$OFFSET); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
