package dev.halt.core.linux.supervisor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * A worker's native memory for the {@link ChildView}s it opens one after another: slices of one
 * block, zeroed as an arena's are, all given back at once by {@link #reset()}. What does not fit
 * (a read of up to {@link ChildView#MAX_READ} bytes) comes from an arena of its own, closed by the
 * reset. A fresh arena per call cost a few microseconds of its own (malloc, free, and the arena's
 * bookkeeping, interpreted while a run's first calls are not compiled yet). One thread's, not
 * thread-safe.
 */
final class Scratch implements SegmentAllocator {
    /** Enough for a call's iovecs, its sockaddr or two paths, a statx buffer. */
    static final long SIZE = 16 * 1024;

    private final MemorySegment block;
    private long used;
    private Arena overflow;

    /** A scratch block of {@link #SIZE} bytes, living as long as {@code arena}. */
    Scratch(Arena arena) {
        block = arena.allocate(SIZE, 16);
    }

    @Override
    public MemorySegment allocate(long size, long alignment) {
        long start = alignUp(block.address() + used, alignment) - block.address();
        if (start + size <= block.byteSize()) {
            used = start + size;
            var slice = block.asSlice(start, size);
            slice.fill((byte) 0);
            return slice;
        }
        if (overflow == null) overflow = Arena.ofConfined();
        return overflow.allocate(size, alignment);
    }

    /** Gives everything allocated so far back: the segments must not be used after. */
    void reset() {
        used = 0;
        if (overflow != null) {
            overflow.close();
            overflow = null;
        }
    }

    private static long alignUp(long address, long alignment) {
        return (address + alignment - 1) & -alignment;
    }
}
