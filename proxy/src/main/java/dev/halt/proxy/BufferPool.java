package dev.halt.proxy;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Reuses the relay's direct buffers: allocating direct memory per tunnel is slow. */
final class BufferPool {
    static final int SIZE = 64 * 1024;
    private static final int KEEP = 512;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(SIZE);
        }
        size.decrementAndGet();
        return b.clear();
    }

    void give(ByteBuffer b) {
        if (size.incrementAndGet() <= KEEP) {
            free.offer(b.clear());
        } else {
            size.decrementAndGet();
        }
    }
}
