package dev.halt.proxy;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reuses the relay's direct buffers: allocating direct memory per tunnel is slow. Two sizes: every
 * direction starts with a small buffer, and one that keeps filling it (a download, a clone) moves
 * to a large one, so a bulk transfer makes a quarter as many system calls while hundreds of quiet
 * tunnels hold little memory.
 */
final class BufferPool {
    static final int SIZE = 64 * 1024;
    static final int LARGE_SIZE = 512 * 1024;
    private final Tier small = new Tier(SIZE, 512);
    private final Tier large = new Tier(LARGE_SIZE, 32);

    ByteBuffer take() {
        return small.take();
    }

    /** A large buffer for a direction that moves bulk data; give it back with {@link #give}. */
    ByteBuffer takeLarge() {
        return large.take();
    }

    void give(ByteBuffer b) {
        (b.capacity() == LARGE_SIZE ? large : small).give(b);
    }

    /** Free buffers of one size, at most {@code keep} of them. */
    private static final class Tier {
        private final int size;
        private final int keep;
        private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
        private final AtomicInteger count = new AtomicInteger();

        Tier(int size, int keep) {
            this.size = size;
            this.keep = keep;
        }

        ByteBuffer take() {
            ByteBuffer b = free.poll();
            if (b == null) {
                return ByteBuffer.allocateDirect(size);
            }
            count.decrementAndGet();
            return b.clear();
        }

        void give(ByteBuffer b) {
            if (count.incrementAndGet() <= keep) {
                free.offer(b.clear());
            } else {
                count.decrementAndGet();
            }
        }
    }
}
