// Hand-written in jextract's layout from <linux/landlock.h> of Linux 6.12 (handled_access_net: 6.7, scoped:
// 6.12), newer than the installed headers (Linux 6.1); checked by HeaderProbeTest against the headers where
// they have it, else its NEWER_THAN_HEADERS. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct landlock_ruleset_attr { ... }
 * }
 * <p>{@code handled_access_net} needs Landlock ABI 4, {@code scoped} ABI 6: pass {@link #sizeof()} truncated to the fields the running ABI knows, or the kernel answers E2BIG for non-zero unknown fields.
 * <p>Size 24 bytes on LP64 (x86_64 and aarch64).
 */
public final class landlock_ruleset_attr {

    private landlock_ruleset_attr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handled_access_fs"),
        JAVA_LONG.withName("handled_access_net"),
        JAVA_LONG.withName("scoped")
    ).withName("landlock_ruleset_attr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long handled_access_fs$OFFSET = 0;
    /** Offset of field {@code handled_access_fs}. */
    public static long handled_access_fs$offset() { return handled_access_fs$OFFSET; }
    private static final OfLong handled_access_fs$LAYOUT = (OfLong) $LAYOUT.select(groupElement("handled_access_fs"));
    /** Layout of field {@code handled_access_fs}. */
    public static OfLong handled_access_fs$layout() { return handled_access_fs$LAYOUT; }
    /** Getter for field {@code handled_access_fs} (u64). */
    public static long handled_access_fs(MemorySegment struct) { return struct.get(handled_access_fs$LAYOUT, handled_access_fs$OFFSET); }
    /** Setter for field {@code handled_access_fs} (u64). */
    public static void handled_access_fs(MemorySegment struct, long fieldValue) { struct.set(handled_access_fs$LAYOUT, handled_access_fs$OFFSET, fieldValue); }

    private static final long handled_access_net$OFFSET = 8;
    /** Offset of field {@code handled_access_net}. */
    public static long handled_access_net$offset() { return handled_access_net$OFFSET; }
    private static final OfLong handled_access_net$LAYOUT = (OfLong) $LAYOUT.select(groupElement("handled_access_net"));
    /** Layout of field {@code handled_access_net}. */
    public static OfLong handled_access_net$layout() { return handled_access_net$LAYOUT; }
    /** Getter for field {@code handled_access_net} (u64). */
    public static long handled_access_net(MemorySegment struct) { return struct.get(handled_access_net$LAYOUT, handled_access_net$OFFSET); }
    /** Setter for field {@code handled_access_net} (u64). */
    public static void handled_access_net(MemorySegment struct, long fieldValue) { struct.set(handled_access_net$LAYOUT, handled_access_net$OFFSET, fieldValue); }

    private static final long scoped$OFFSET = 16;
    /** Offset of field {@code scoped}. */
    public static long scoped$offset() { return scoped$OFFSET; }
    private static final OfLong scoped$LAYOUT = (OfLong) $LAYOUT.select(groupElement("scoped"));
    /** Layout of field {@code scoped}. */
    public static OfLong scoped$layout() { return scoped$LAYOUT; }
    /** Getter for field {@code scoped} (u64). */
    public static long scoped(MemorySegment struct) { return struct.get(scoped$LAYOUT, scoped$OFFSET); }
    /** Setter for field {@code scoped} (u64). */
    public static void scoped(MemorySegment struct, long fieldValue) { struct.set(scoped$LAYOUT, scoped$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
