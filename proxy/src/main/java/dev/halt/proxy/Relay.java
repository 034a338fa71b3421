package dev.halt.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Moves bytes both ways between a client and an upstream: the calling thread pumps client to
 * upstream, a second virtual thread pumps upstream to client. End of stream on one side shuts
 * down output on the other (half-close); an error on either closes both.
 */
final class Relay {
    /**
     * Bytes moved, readable after {@link #run}.
     *
     * @param refused why the first-bytes inspector ended the tunnel, or {@code null}
     */
    record Totals(long up, long down, String refused) {}

    /** Looks at the client's first bytes before any reach the upstream. */
    interface Inspector {
        /** {@code null}: need more bytes; {@code ""}: fine, relay; otherwise the refusal reason. */
        String inspect(byte[] b, int len);
    }

    private static final int INSPECT_MAX = 32 * 1024;

    private Relay() {}

    static Totals run(Connections.Conn conn, SocketChannel client, SocketChannel upstream, BufferPool pool) {
        return run(conn, client, upstream, pool, null);
    }

    /**
     * Relays until both directions end. With an inspector, the client's first bytes are held
     * back until it decides; the upstream-to-client direction runs meanwhile, so protocols
     * where the server speaks first are not delayed.
     */
    static Totals run(Connections.Conn conn, SocketChannel client, SocketChannel upstream, BufferPool pool, Inspector inspector) {
        return run(conn, client, upstream, pool, inspector, new InBuf(0));
    }

    /**
     * Like {@link #run(Connections.Conn, SocketChannel, SocketChannel, BufferPool, Inspector)},
     * with bytes the client already sent (read along with a request head): they are inspected
     * like any others, so pipelining them cannot skip the inspection.
     */
    static Totals run(Connections.Conn conn, SocketChannel client, SocketChannel upstream, BufferPool pool,
                      Inspector inspector, InBuf early) {
        // Each counter is written by one thread only; join() publishes the other's.
        var up = new long[1];
        var down = new long[1];
        String refused = null;
        Thread other = Thread.ofVirtual().name("halt-relay-down").start(() -> pump(conn, upstream, client, down, pool));
        try {
            if (inspector != null) {
                refused = inspectFirst(conn, client, upstream, inspector, up, early);
                if (refused != null) {
                    conn.close();
                }
            } else if (early.len > 0) {
                writeFully(conn, upstream, ByteBuffer.wrap(early.b, 0, early.len));
                up[0] += early.len;
            }
        } catch (IOException e) {
            conn.close();
        }
        if (refused == null && !conn.isClosed()) {
            pump(conn, client, upstream, up, pool);
        }
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.close();
        }
        conn.close();
        return new Totals(up[0], down[0], refused);
    }

    /** Returns the refusal, or {@code null} once the inspected bytes have been forwarded. */
    private static String inspectFirst(Connections.Conn conn, SocketChannel client, SocketChannel upstream,
                                       Inspector inspector, long[] up, InBuf early) throws IOException {
        var in = new InBuf(Math.max(INSPECT_MAX, early.len));
        in.b = java.util.Arrays.copyOf(early.b, Math.max(in.b.length, early.len));
        in.len = early.len;
        boolean first = in.len > 0;
        while (true) {
            int n = first ? 0 : in.fill(conn, client);
            first = false;
            String verdict = in.len == 0 ? (n < 0 ? "" : null) : inspector.inspect(in.b, in.len);
            if (verdict == null && (n < 0 || in.isFull())) {
                verdict = n < 0 ? "client ended the stream inside its first message" : "first message too large to inspect";
            }
            if (verdict == null) {
                continue;
            }
            if (!verdict.isEmpty()) {
                return verdict;
            }
            if (in.len > 0) {
                writeFully(conn, upstream, ByteBuffer.wrap(in.b, 0, in.len));
                up[0] += in.len;
            }
            // At end of stream the pump reads -1 again and propagates the half-close.
            return null;
        }
    }

    /** Reads in a row that fill the small buffer before a direction moves to a large one. */
    static final int FULL_READS_BEFORE_LARGE = 4;

    private static void pump(Connections.Conn conn, SocketChannel src, SocketChannel dst, long[] count, BufferPool pool) {
        ByteBuffer buf = pool.take();
        int fullReads = 0;
        try {
            while (true) {
                int n = src.read(buf);
                if (n < 0) {
                    dst.shutdownOutput();
                    return;
                }
                conn.touch();
                count[0] += n;
                buf.flip();
                writeFully(conn, dst, buf);
                fullReads = n == BufferPool.SIZE ? fullReads + 1 : 0;
                if (fullReads == FULL_READS_BEFORE_LARGE && buf.capacity() == BufferPool.SIZE) {
                    // This direction moves bulk data: carry on with a large buffer.
                    pool.give(buf);
                    buf = pool.takeLarge();
                }
                buf.clear();
            }
        } catch (IOException e) {
            // A reset, or the idle sweeper or shutdown closed the channel: end both directions.
            conn.close();
        } finally {
            pool.give(buf);
        }
    }

    /** Writes all of {@code b}, noting activity. */
    static void writeFully(Connections.Conn conn, WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
            conn.touch();
        }
    }
}
