// Hand-written in jextract's layout from <sys/un.h>, checked by HeaderProbeTest: jextract's class for a struct
// with an array field (sun_path[108]) builds a VarHandle for it in its static initialiser, which spins
// method-handle classes; this class reads by offset. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sockaddr_un { sa_family_t sun_family; char sun_path[108]; }
 * }
 * <p>Size 110 bytes on Linux (x86_64 and aarch64).
 */
public final class sockaddr_un {

    private sockaddr_un() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sun_family"),
        MemoryLayout.sequenceLayout(108, JAVA_BYTE).withName("sun_path")
    ).withName("sockaddr_un");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long sun_family$OFFSET = 0;
    /** Offset of field {@code sun_family}. */
    public static long sun_family$offset() { return sun_family$OFFSET; }
    private static final OfShort sun_family$LAYOUT = (OfShort) $LAYOUT.select(groupElement("sun_family"));
    /** Layout of field {@code sun_family}. */
    public static OfShort sun_family$layout() { return sun_family$LAYOUT; }
    /** Getter for field {@code sun_family} (u16). */
    public static short sun_family(MemorySegment struct) { return struct.get(sun_family$LAYOUT, sun_family$OFFSET); }
    /** Setter for field {@code sun_family} (u16). */
    public static void sun_family(MemorySegment struct, short fieldValue) { struct.set(sun_family$LAYOUT, sun_family$OFFSET, fieldValue); }

    private static final long sun_path$OFFSET = 2;
    /** Offset of field {@code sun_path}. */
    public static long sun_path$offset() { return sun_path$OFFSET; }
    private static final SequenceLayout sun_path$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("sun_path"));
    /** Layout of field {@code sun_path}. */
    public static SequenceLayout sun_path$layout() { return sun_path$LAYOUT; }
    /** Slice of array field {@code sun_path} (char[108]). */
    public static MemorySegment sun_path(MemorySegment struct) { return struct.asSlice(sun_path$OFFSET, sun_path$LAYOUT.byteSize()); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
