// Hand-written in jextract's layout from <sys/uio.h>, checked by HeaderProbeTest: jextract's class gives the
// pointer field (iov_base) a layout with a target, whose VarHandle spins some 17 method-handle classes at halt's
// start; this class uses a plain ADDRESS. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct iovec { void *iov_base; size_t iov_len; }
 * }
 * <p>Size 16 bytes on LP64: one buffer of {@code process_vm_readv}; {@code iov_base} is an address, of this
 * process or of the one read from.
 */
public final class iovec {

    private iovec() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("iov_base"),
        JAVA_LONG.withName("iov_len")
    ).withName("iovec");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long iov_base$OFFSET = 0;
    /** Offset of field {@code iov_base}. */
    public static long iov_base$offset() { return iov_base$OFFSET; }
    private static final OfLong iov_base$LAYOUT = (OfLong) $LAYOUT.select(groupElement("iov_base"));
    /** Layout of field {@code iov_base}. */
    public static OfLong iov_base$layout() { return iov_base$LAYOUT; }
    /** Getter for field {@code iov_base} (void *, as an address). */
    public static long iov_base(MemorySegment struct) { return struct.get(iov_base$LAYOUT, iov_base$OFFSET); }
    /** Setter for field {@code iov_base} (void *, as an address). */
    public static void iov_base(MemorySegment struct, long fieldValue) { struct.set(iov_base$LAYOUT, iov_base$OFFSET, fieldValue); }

    private static final long iov_len$OFFSET = 8;
    /** Offset of field {@code iov_len}. */
    public static long iov_len$offset() { return iov_len$OFFSET; }
    private static final OfLong iov_len$LAYOUT = (OfLong) $LAYOUT.select(groupElement("iov_len"));
    /** Layout of field {@code iov_len}. */
    public static OfLong iov_len$layout() { return iov_len$LAYOUT; }
    /** Getter for field {@code iov_len} (size_t). */
    public static long iov_len(MemorySegment struct) { return struct.get(iov_len$LAYOUT, iov_len$OFFSET); }
    /** Setter for field {@code iov_len} (size_t). */
    public static void iov_len(MemorySegment struct, long fieldValue) { struct.set(iov_len$LAYOUT, iov_len$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
