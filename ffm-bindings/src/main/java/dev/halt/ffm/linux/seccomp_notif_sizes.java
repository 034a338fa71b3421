// Generated in jextract's layout from <linux/seccomp.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct seccomp_notif_sizes { __u16 seccomp_notif; __u16 seccomp_notif_resp; __u16 seccomp_data; }
 * }
 * <p>Size 6 bytes: what {@code seccomp(SECCOMP_GET_NOTIF_SIZES)} reports, the running kernel's sizes of the
 * notification structs (a newer kernel's may be larger than the layouts here).
 */
public final class seccomp_notif_sizes {

    private seccomp_notif_sizes() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("seccomp_notif"),
        JAVA_SHORT.withName("seccomp_notif_resp"),
        JAVA_SHORT.withName("seccomp_data")
    ).withName("seccomp_notif_sizes");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long seccomp_notif$OFFSET = 0;
    /** Offset of field {@code seccomp_notif}. */
    public static long seccomp_notif$offset() { return seccomp_notif$OFFSET; }
    private static final OfShort seccomp_notif$LAYOUT = (OfShort) $LAYOUT.select(groupElement("seccomp_notif"));
    /** Layout of field {@code seccomp_notif}. */
    public static OfShort seccomp_notif$layout() { return seccomp_notif$LAYOUT; }
    /** Getter for field {@code seccomp_notif} (u16). */
    public static short seccomp_notif(MemorySegment struct) { return struct.get(seccomp_notif$LAYOUT, seccomp_notif$OFFSET); }

    private static final long seccomp_notif_resp$OFFSET = 2;
    /** Offset of field {@code seccomp_notif_resp}. */
    public static long seccomp_notif_resp$offset() { return seccomp_notif_resp$OFFSET; }
    private static final OfShort seccomp_notif_resp$LAYOUT = (OfShort) $LAYOUT.select(groupElement("seccomp_notif_resp"));
    /** Layout of field {@code seccomp_notif_resp}. */
    public static OfShort seccomp_notif_resp$layout() { return seccomp_notif_resp$LAYOUT; }
    /** Getter for field {@code seccomp_notif_resp} (u16). */
    public static short seccomp_notif_resp(MemorySegment struct) { return struct.get(seccomp_notif_resp$LAYOUT, seccomp_notif_resp$OFFSET); }

    private static final long seccomp_data$OFFSET = 4;
    /** Offset of field {@code seccomp_data}. */
    public static long seccomp_data$offset() { return seccomp_data$OFFSET; }
    private static final OfShort seccomp_data$LAYOUT = (OfShort) $LAYOUT.select(groupElement("seccomp_data"));
    /** Layout of field {@code seccomp_data}. */
    public static OfShort seccomp_data$layout() { return seccomp_data$LAYOUT; }
    /** Getter for field {@code seccomp_data} (u16). */
    public static short seccomp_data(MemorySegment struct) { return struct.get(seccomp_data$LAYOUT, seccomp_data$OFFSET); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
