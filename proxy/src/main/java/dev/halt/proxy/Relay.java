package dev.halt.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Moves bytes both ways between a client and an upstream: the calling thread pumps client to
 * upstream, a second virtual thread pumps upstream to client. End of stream on one side shuts
 * down output on the other (half-close); an error on either closes both.
 */
final class Relay {
    /** Bytes moved, readable after {@link #run}. */
    record Totals(long up, long down) {}

    private Relay() {}

    static Totals run(Connections.Conn conn, SocketChannel client, SocketChannel upstream, BufferPool pool) {
        // Each counter is written by one thread only; join() publishes the other's.
        var up = new long[1];
        var down = new long[1];
        Thread other = Thread.ofVirtual().name("halt-relay-down").start(() -> pump(conn, upstream, client, down, pool));
        pump(conn, client, upstream, up, pool);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.close();
        }
        conn.close();
        return new Totals(up[0], down[0]);
    }

    private static void pump(Connections.Conn conn, SocketChannel src, SocketChannel dst, long[] count, BufferPool pool) {
        ByteBuffer buf = pool.take();
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
                while (buf.hasRemaining()) {
                    dst.write(buf);
                    conn.touch();
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
    static void writeFully(Connections.Conn conn, SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
            conn.touch();
        }
    }
}
