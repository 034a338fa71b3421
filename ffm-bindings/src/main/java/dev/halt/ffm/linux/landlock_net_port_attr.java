// Hand-written in jextract's layout from <linux/landlock.h> of Linux 6.7, newer than the installed headers (Linux 6.1);
// checked by HeaderProbeTest against the headers where they have it, else its NEWER_THAN_HEADERS. jextract.sh
// leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct landlock_net_port_attr { ... }
 * }
 * <p>Landlock ABI 4.
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class landlock_net_port_attr {

    private landlock_net_port_attr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("allowed_access"),
        JAVA_LONG.withName("port")
    ).withName("landlock_net_port_attr");

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

    private static final long port$OFFSET = 8;
    /** Offset of field {@code port}. */
    public static long port$offset() { return port$OFFSET; }
    private static final OfLong port$LAYOUT = (OfLong) $LAYOUT.select(groupElement("port"));
    /** Layout of field {@code port}. */
    public static OfLong port$layout() { return port$LAYOUT; }
    /** Getter for field {@code port} (u64). */
    public static long port(MemorySegment struct) { return struct.get(port$LAYOUT, port$OFFSET); }
    /** Setter for field {@code port} (u64). */
    public static void port(MemorySegment struct, long fieldValue) { struct.set(port$LAYOUT, port$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
