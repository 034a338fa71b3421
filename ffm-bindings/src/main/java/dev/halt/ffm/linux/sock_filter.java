// Generated in jextract's layout from <linux/filter.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct sock_filter { ... }
 * }
 * <p>Size 8 bytes on LP64 (x86_64 and aarch64).
 */
public final class sock_filter {

    private sock_filter() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("code"),
        JAVA_BYTE.withName("jt"),
        JAVA_BYTE.withName("jf"),
        JAVA_INT.withName("k")
    ).withName("sock_filter");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long code$OFFSET = 0;
    /** Offset of field {@code code}. */
    public static long code$offset() { return code$OFFSET; }
    private static final OfShort code$LAYOUT = (OfShort) $LAYOUT.select(groupElement("code"));
    /** Layout of field {@code code}. */
    public static OfShort code$layout() { return code$LAYOUT; }
    /** Getter for field {@code code} (u16). */
    public static short code(MemorySegment struct) { return struct.get(code$LAYOUT, code$OFFSET); }
    /** Setter for field {@code code} (u16). */
    public static void code(MemorySegment struct, short fieldValue) { struct.set(code$LAYOUT, code$OFFSET, fieldValue); }

    private static final long jt$OFFSET = 2;
    /** Offset of field {@code jt}. */
    public static long jt$offset() { return jt$OFFSET; }
    private static final OfByte jt$LAYOUT = (OfByte) $LAYOUT.select(groupElement("jt"));
    /** Layout of field {@code jt}. */
    public static OfByte jt$layout() { return jt$LAYOUT; }
    /** Getter for field {@code jt} (u8). */
    public static byte jt(MemorySegment struct) { return struct.get(jt$LAYOUT, jt$OFFSET); }
    /** Setter for field {@code jt} (u8). */
    public static void jt(MemorySegment struct, byte fieldValue) { struct.set(jt$LAYOUT, jt$OFFSET, fieldValue); }

    private static final long jf$OFFSET = 3;
    /** Offset of field {@code jf}. */
    public static long jf$offset() { return jf$OFFSET; }
    private static final OfByte jf$LAYOUT = (OfByte) $LAYOUT.select(groupElement("jf"));
    /** Layout of field {@code jf}. */
    public static OfByte jf$layout() { return jf$LAYOUT; }
    /** Getter for field {@code jf} (u8). */
    public static byte jf(MemorySegment struct) { return struct.get(jf$LAYOUT, jf$OFFSET); }
    /** Setter for field {@code jf} (u8). */
    public static void jf(MemorySegment struct, byte fieldValue) { struct.set(jf$LAYOUT, jf$OFFSET, fieldValue); }

    private static final long k$OFFSET = 4;
    /** Offset of field {@code k}. */
    public static long k$offset() { return k$OFFSET; }
    private static final OfInt k$LAYOUT = (OfInt) $LAYOUT.select(groupElement("k"));
    /** Layout of field {@code k}. */
    public static OfInt k$layout() { return k$LAYOUT; }
    /** Getter for field {@code k} (u32). */
    public static int k(MemorySegment struct) { return struct.get(k$LAYOUT, k$OFFSET); }
    /** Setter for field {@code k} (u32). */
    public static void k(MemorySegment struct, int fieldValue) { struct.set(k$LAYOUT, k$OFFSET, fieldValue); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
