package dev.halt.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A growable-to-a-limit heap buffer for reading protocol heads off a channel. */
final class InBuf {
    final byte[] b;
    int len;

    InBuf(int capacity) {
        b = new byte[capacity];
    }

    /** Reads once; returns bytes read, or -1 at end of stream. Never reads past the capacity. */
    int fill(Connections.Conn conn, SocketChannel ch) throws IOException {
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
        return len == b.length;
    }
}
