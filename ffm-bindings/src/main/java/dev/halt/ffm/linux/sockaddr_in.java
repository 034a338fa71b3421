// Hand-written in jextract's layout from <netinet/in.h>, checked by HeaderProbeTest: jextract's class for a struct
// with an array field (sin_zero[8]) builds a VarHandle for it in its static initialiser, which spins some 25
// method-handle classes at halt's start (~10 ms); this class reads by offset. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sockaddr_in { ... }
 * }
 * <p>{@code sin_port} and {@code sin_addr} are in network byte order.
 * <p>Size 16 bytes on LP64 (x86_64 and aarch64).
 */
public final class sockaddr_in {

    private sockaddr_in() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin_family"),
        JAVA_SHORT.withName("sin_port"),
        JAVA_INT.withName("sin_addr"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero")
    ).withName("sockaddr_in");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long sin_family$OFFSET = 0;
    /** Offset of field {@code sin_family}. */
    public static long sin_family$offset() { return sin_family$OFFSET; }
    private static final OfShort sin_family$LAYOUT = (OfShort) $LAYOUT.select(groupElement("sin_family"));
    /** Layout of field {@code sin_family}. */
    public static OfShort sin_family$layout() { return sin_family$LAYOUT; }
    /** Getter for field {@code sin_family} (u16). */
    public static short sin_family(MemorySegment struct) { return struct.get(sin_family$LAYOUT, sin_family$OFFSET); }
    /** Setter for field {@code sin_family} (u16). */
    public static void sin_family(MemorySegment struct, short fieldValue) { struct.set(sin_family$LAYOUT, sin_family$OFFSET, fieldValue); }

    private static final long sin_port$OFFSET = 2;
    /** Offset of field {@code sin_port}. */
    public static long sin_port$offset() { return sin_port$OFFSET; }
    private static final OfShort sin_port$LAYOUT = (OfShort) $LAYOUT.select(groupElement("sin_port"));
    /** Layout of field {@code sin_port}. */
    public static OfShort sin_port$layout() { return sin_port$LAYOUT; }
    /** Getter for field {@code sin_port} (u16). */
    public static short sin_port(MemorySegment struct) { return struct.get(sin_port$LAYOUT, sin_port$OFFSET); }
    /** Setter for field {@code sin_port} (u16). */
    public static void sin_port(MemorySegment struct, short fieldValue) { struct.set(sin_port$LAYOUT, sin_port$OFFSET, fieldValue); }

    private static final long sin_addr$OFFSET = 4;
    /** Offset of field {@code sin_addr}. */
    public static long sin_addr$offset() { return sin_addr$OFFSET; }
    private static final OfInt sin_addr$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sin_addr"));
    /** Layout of field {@code sin_addr}. */
    public static OfInt sin_addr$layout() { return sin_addr$LAYOUT; }
    /** Getter for field {@code sin_addr} (u32). */
    public static int sin_addr(MemorySegment struct) { return struct.get(sin_addr$LAYOUT, sin_addr$OFFSET); }
    /** Setter for field {@code sin_addr} (u32). */
    public static void sin_addr(MemorySegment struct, int fieldValue) { struct.set(sin_addr$LAYOUT, sin_addr$OFFSET, fieldValue); }

    private static final long sin_zero$OFFSET = 8;
    /** Offset of field {@code sin_zero}. */
    public static long sin_zero$offset() { return sin_zero$OFFSET; }
    private static final SequenceLayout sin_zero$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("sin_zero"));
    /** Layout of field {@code sin_zero}. */
    public static SequenceLayout sin_zero$layout() { return sin_zero$LAYOUT; }
    /** Slice of array field {@code sin_zero} (u8[8]). */
    public static MemorySegment sin_zero(MemorySegment struct) { return struct.asSlice(sin_zero$OFFSET, sin_zero$LAYOUT.byteSize()); }
    /** Element {@code index} of array field {@code sin_zero}. */
    public static byte sin_zero(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, sin_zero$OFFSET / 1 + index); }
    /** Sets element {@code index} of array field {@code sin_zero}. */
    public static void sin_zero(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, sin_zero$OFFSET / 1 + index, value); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
