// Hand-written in jextract's layout from <linux/seccomp.h>, checked by HeaderProbeTest: jextract's class for a struct
// with an array field (args[6]) builds a VarHandle for it in its static initialiser, which spins some 25
// method-handle classes at halt's start (~10 ms); this class reads by offset. jextract.sh leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct seccomp_data { ... }
 * }
 * <p>Size 64 bytes on LP64 (x86_64 and aarch64).
 */
public final class seccomp_data {

    private seccomp_data() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("nr"),
        JAVA_INT.withName("arch"),
        JAVA_LONG.withName("instruction_pointer"),
        MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args")
    ).withName("seccomp_data");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long nr$OFFSET = 0;
    /** Offset of field {@code nr}. */
    public static long nr$offset() { return nr$OFFSET; }
    private static final OfInt nr$LAYOUT = (OfInt) $LAYOUT.select(groupElement("nr"));
    /** Layout of field {@code nr}. */
    public static OfInt nr$layout() { return nr$LAYOUT; }
    /** Getter for field {@code nr} (s32). */
    public static int nr(MemorySegment struct) { return struct.get(nr$LAYOUT, nr$OFFSET); }
    /** Setter for field {@code nr} (s32). */
    public static void nr(MemorySegment struct, int fieldValue) { struct.set(nr$LAYOUT, nr$OFFSET, fieldValue); }

    private static final long arch$OFFSET = 4;
    /** Offset of field {@code arch}. */
    public static long arch$offset() { return arch$OFFSET; }
    private static final OfInt arch$LAYOUT = (OfInt) $LAYOUT.select(groupElement("arch"));
    /** Layout of field {@code arch}. */
    public static OfInt arch$layout() { return arch$LAYOUT; }
    /** Getter for field {@code arch} (u32). */
    public static int arch(MemorySegment struct) { return struct.get(arch$LAYOUT, arch$OFFSET); }
    /** Setter for field {@code arch} (u32). */
    public static void arch(MemorySegment struct, int fieldValue) { struct.set(arch$LAYOUT, arch$OFFSET, fieldValue); }

    private static final long instruction_pointer$OFFSET = 8;
    /** Offset of field {@code instruction_pointer}. */
    public static long instruction_pointer$offset() { return instruction_pointer$OFFSET; }
    private static final OfLong instruction_pointer$LAYOUT = (OfLong) $LAYOUT.select(groupElement("instruction_pointer"));
    /** Layout of field {@code instruction_pointer}. */
    public static OfLong instruction_pointer$layout() { return instruction_pointer$LAYOUT; }
    /** Getter for field {@code instruction_pointer} (u64). */
    public static long instruction_pointer(MemorySegment struct) { return struct.get(instruction_pointer$LAYOUT, instruction_pointer$OFFSET); }
    /** Setter for field {@code instruction_pointer} (u64). */
    public static void instruction_pointer(MemorySegment struct, long fieldValue) { struct.set(instruction_pointer$LAYOUT, instruction_pointer$OFFSET, fieldValue); }

    private static final long args$OFFSET = 16;
    /** Offset of field {@code args}. */
    public static long args$offset() { return args$OFFSET; }
    private static final SequenceLayout args$LAYOUT = (SequenceLayout) $LAYOUT.select(groupElement("args"));
    /** Layout of field {@code args}. */
    public static SequenceLayout args$layout() { return args$LAYOUT; }
    /** Slice of array field {@code args} (u64[6]). */
    public static MemorySegment args(MemorySegment struct) { return struct.asSlice(args$OFFSET, args$LAYOUT.byteSize()); }
    /** Element {@code index} of array field {@code args}. */
    public static long args(MemorySegment struct, long index) { return struct.getAtIndex(JAVA_LONG, args$OFFSET / 8 + index); }
    /** Sets element {@code index} of array field {@code args}. */
    public static void args(MemorySegment struct, long index, long value) { struct.setAtIndex(JAVA_LONG, args$OFFSET / 8 + index, value); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
