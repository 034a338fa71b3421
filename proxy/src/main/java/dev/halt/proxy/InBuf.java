package dev.halt.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * A heap buffer for reading protocol heads off a channel. It starts small and grows up to its
 * limit, so the common short head costs a small allocation, not the limit.
 */
final class InBuf {
    private static final int INITIAL = 2048;
    byte[] b;
    int len;
    final int max;

    InBuf(int max) {
        this.max = max;
        this.b = new byte[Math.min(max, INITIAL)];
    }

    /** Room for at least one more byte, unless at the limit. */
    void ensureRoom() {
        if (len == b.length && b.length < max) {
            b = Arrays.copyOf(b, Math.min(max, b.length * 2));
        }
    }

    /** Reads once; returns bytes read, or -1 at end of stream, or 0 when at the limit. */
    int fill(Connections.Conn conn, ReadableByteChannel ch) throws IOException {
        ensureRoom();
        if (len == b.length) {
            return 0;
        }
        int n = ch.read(ByteBuffer.wrap(b, len, b.length - len));
        if (n > 0) {
            len += n;
            conn.touch();
        }
        return n;
    }

    /** Drops the first {@code n} bytes. */
    void consume(int n) {
        System.arraycopy(b, n, b, 0, len - n);
        len -= n;
    }

    boolean isFull() {
        return len == max;
    }
}
