package dev.halt.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * In-memory channels for the proxy's framing steps: a source that hands out its bytes a few at
 * a time (so every split of a message across reads is exercised), and a sink that keeps what
 * it is given. The connection bookkeeping the steps expect comes from a real {@link Connections}.
 */
final class MemoryChannels implements AutoCloseable {
    private final Connections connections = new Connections(1, Duration.ofMinutes(5));
    private final Connections.Conn conn = connections.admit(new Sink());

    /** A connection record for a step's {@code conn} argument. */
    Connections.Conn conn() {
        return conn;
    }

    @Override
    public void close() {
        connections.close();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Bytes read in pieces of at most {@code step}, then end of stream. */
    static final class Source implements ReadableByteChannel {
        private final byte[] data;
        private final int step;
        private int pos;
        private boolean open = true;

        Source(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        Source(String text, int step) {
            this(ascii(text), step);
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(step, Math.min(dst.remaining(), data.length - pos));
            dst.put(data, pos, n);
            pos += n;
            return n;
        }

        /** Bytes never read. */
        String unread() {
            return new String(data, pos, data.length - pos, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Keeps every byte written. */
    static final class Sink implements WritableByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private boolean open = true;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            while (src.hasRemaining()) {
                out.write(src.get());
            }
            return n;
        }

        String text() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
