// Hand-written in jextract's layout from <netinet/in.h>, checked by HeaderProbeTest: jextract's class for a
// struct with an array field (sin6_addr, a union of arrays) builds a VarHandle for it in its static initialiser,
// which spins some 25 method-handle classes at halt's start (~10 ms); this class reads by offset. jextract.sh
// leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sockaddr_in6 { ... }
 * }
 * <p>{@code sin6_port} is in network byte order.
 * <p>Size 28 bytes on LP64 (x86_64 and aarch64).
 */
public final class sockaddr_in6 {

    private sockaddr_in6() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sin6_family"),
        JAVA_SHORT.withName("sin6_port"),
        JAVA_INT.withName("sin6_flowinfo"),
        MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
        JAVA_INT.withName("sin6_scope_id")
    ).withName("sockaddr_in6");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long sin6_family$OFFSET = 0;
    /** Offset of field {@code sin6_family}. */
    public static long sin6_family$offset() { return sin6_family$OFFSET; }
    private static final OfShort sin6_family$LAYOUT = (OfShort) $LAYOUT.select(groupElement("sin6_family"));
    /** Layout of field {@code sin6_family}. */
    public static OfShort sin6_family$layout() { return sin6_family$LAYOUT; }
    /** Getter for field {@code sin6_family} (u16). */
    public static short sin6_family(MemorySegment struct) { return struct.get(sin6_family$LAYOUT, sin6_family$OFFSET); }
    /** Setter for field {@code sin6_family} (u16). */
    public static void sin6_family(MemorySegment struct, short fieldValue) { struct.set(sin6_family$LAYOUT, sin6_family$OFFSET, fieldValue); }

    private static final long sin6_port$OFFSET = 2;
    /** Offset of field {@code sin6_port}. */
    public static long sin6_port$offset() { return sin6_port$OFFSET; }
    private static final OfShort sin6_port$LAYOUT = (OfShort) $LAYOUT.select(groupElement("sin6_port"));
    /** Layout of field {@code sin6_port}. */
    public static OfShort sin6_port$layout() { return sin6_port$LAYOUT; }
    /** Getter for field {@code sin6_port} (u16). */
    public static short sin6_port(MemorySegment struct) { return struct.get(sin6_port$LAYOUT, sin6_port$OFFSET); }
    /** Setter for field {@code sin6_port} (u16). */
    public static void sin6_port(MemorySegment struct, short fieldValue) { struct.set(sin6_port$LAYOUT, sin6_port$OFFSET, fieldValue); }

    private static final long sin6_flowinfo$OFFSET = 4;
    /** Offset of field {@code sin6_flowinfo}. */
    public static long sin6_flowinfo$offset() { return sin6_flowinfo$OFFSET; }
    private static final OfInt sin6_flowinfo$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sin6_flowinfo"));
    /** Layout of field {@code sin6_flowinfo}. */
    public static OfInt sin6_flowinfo$layout() { return sin6_flowinfo$LAYOUT; }
    /** Getter for field {@code sin6_flowinfo} (u32). */
    public static int sin6_flowinfo(MemorySegment struct) { return struct.get(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET); }
    /** Setter for field {@code sin6_flowinfo} (u32). */
    public static void sin6_flowinfo(MemorySegment struct, int fieldValue) { struct.set(sin6_flowinfo$LAYOUT, sin6_flowinfo$OFFSET, fieldValue); }

    private static final long sin6_addr$OFFSET = 8;
    /** Offset of field {@code sin6_addr}. */
    public static long sin6_addr$offset() { return sin6_addr$OFFSET; }
    private static final SequenceLayout sin6_addr$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("sin6_addr"));
    /** Layout of field {@code sin6_addr}. */
    public static SequenceLayout sin6_addr$layout() { return sin6_addr$LAYOUT; }
    /** Slice of array field {@code sin6_addr} (u8[16]). */
    public static MemorySegment sin6_addr(MemorySegment struct) { return struct.asSlice(sin6_addr$OFFSET, sin6_addr$LAYOUT.byteSize()); }
    /** Element {@code index} of array field {@code sin6_addr}. */
    public static byte sin6_addr(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_BYTE, sin6_addr$OFFSET / 1 + index); }
    /** Sets element {@code index} of array field {@code sin6_addr}. */
    public static void sin6_addr(MemorySegment struct, long index, byte value) { struct.setAtIndex(JAVA_BYTE, sin6_addr$OFFSET / 1 + index, value); }

    private static final long sin6_scope_id$OFFSET = 24;
    /** Offset of field {@code sin6_scope_id}. */
    public static long sin6_scope_id$offset() { return sin6_scope_id$OFFSET; }
    private static final OfInt sin6_scope_id$LAYOUT = (OfInt) $LAYOUT.select(groupElement("sin6_scope_id"));
    /** Layout of field {@code sin6_scope_id}. */
    public static OfInt sin6_scope_id$layout() { return sin6_scope_id$LAYOUT; }
    /** Getter for field {@code sin6_scope_id} (u32). */
    public static int sin6_scope_id(MemorySegment struct) { return struct.get(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET); }
    /** Setter for field {@code sin6_scope_id} (u32). */
    public static void sin6_scope_id(MemorySegment struct, int fieldValue) { struct.set(sin6_scope_id$LAYOUT, sin6_scope_id$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
