package dev.halt.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * HTTP/1.1 message bodies: where one ends (RFC 9112 section 6), and moving one without reading
 * past its end. A request body is framed exactly, so that the bytes after it are read (and
 * checked) as the next request of the connection, never forwarded as part of this one.
 */
final class HttpBody {
    /** How a body ends. */
    sealed interface Framing {
        /** No body: the response to a HEAD, a 204 or a 304. */
        record None() implements Framing {}

        /** Exactly this many bytes: Content-Length, or 0 for a request with neither header. */
        record Length(long bytes) implements Framing {}

        /**
         * Transfer-Encoding. A request's is parsed chunk by chunk to find its end; a response's
         * is relayed as is to the origin's end of stream (the proxy asked it to close), so the
         * client still sees the chunked framing it needs.
         */
        record Chunked() implements Framing {}

        /** A response with neither Content-Length nor Transfer-Encoding: it ends when the origin closes. */
        record UntilClose() implements Framing {}

        /** A request body that cannot be framed: refused. */
        record Unframeable(String reason) implements Framing {}
    }

    /**
     * Bytes relayed of a response body.
     *
     * @param complete false when the origin closed before its Content-Length was reached: the
     *     client must not reuse the connection
     */
    record Relayed(long bytes, boolean complete) {}

    private static final Framing NONE = new Framing.None();
    private static final Framing CHUNKED = new Framing.Chunked();
    private static final Framing UNTIL_CLOSE = new Framing.UntilClose();

    private HttpBody() {}

    /** A request's framing. The head parser has already refused both headers, or two Content-Lengths. */
    static Framing ofRequest(HttpHead.Request head) {
        if (head.header("Transfer-Encoding") != null) {
            // RFC 9112 6.3: a request whose final transfer coding is not chunked cannot be framed.
            return head.lastToken("Transfer-Encoding").equalsIgnoreCase("chunked")
                    ? CHUNKED
                    : new Framing.Unframeable("request Transfer-Encoding must end in chunked");
        }
        String cl = head.header("Content-Length");
        return new Framing.Length(cl == null ? 0 : Long.parseLong(cl));
    }

    /** A response's framing, given the method of the request it answers. */
    static Framing ofResponse(String requestMethod, HttpHead.Response response) {
        int status = response.status();
        if (requestMethod.equals("HEAD") || status == 204 || status == 304) {
            return NONE;
        }
        if (response.header("Transfer-Encoding") != null) {
            return CHUNKED;
        }
        String cl = response.header("Content-Length");
        return cl == null ? UNTIL_CLOSE : new Framing.Length(Long.parseLong(cl));
    }

    /**
     * Forwards a request body ({@link Framing.Chunked} or {@link Framing.Length}) from the
     * client to the origin, first from the bytes already read into {@code in}, leaving in
     * {@code in} whatever follows the body.
     *
     * @return bytes forwarded, or -1 when the body was cut short or malformed
     */
    static long forwardRequest(Connections.Conn conn, ReadableByteChannel client, WritableByteChannel origin, InBuf in,
                               Framing framing, ByteBuffer buf) throws IOException {
        return switch (framing) {
            case Framing.Chunked c -> forwardChunked(conn, client, origin, in, buf);
            case Framing.Length l -> forwardExactly(conn, client, origin, in, l.bytes(), buf);
            default -> throw new IllegalArgumentException("not a request framing: " + framing);
        };
    }

    /**
     * Relays a response body from the origin to the client: first what {@code rin} holds after
     * the head, then from the origin, up to the framing's end.
     */
    static Relayed relayResponse(Connections.Conn conn, ReadableByteChannel origin, WritableByteChannel client, InBuf rin,
                                 Framing framing, ByteBuffer buf) throws IOException {
        long remaining = switch (framing) {
            case Framing.None n -> 0;
            case Framing.Length l -> l.bytes();
            case Framing.Chunked c -> Long.MAX_VALUE;
            case Framing.UntilClose u -> Long.MAX_VALUE;
            case Framing.Unframeable u -> throw new IllegalArgumentException("not a response framing: " + framing);
        };
        boolean untilEof = framing instanceof Framing.Chunked || framing instanceof Framing.UntilClose;
        long relayed = 0;
        int first = (int) Math.min(remaining, rin.len);
        if (first > 0) {
            Relay.writeFully(conn, client, ByteBuffer.wrap(rin.b, 0, first));
            remaining -= first;
            relayed += first;
        }
        while (remaining > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), remaining));
            int n = origin.read(buf);
            if (n < 0) {
                return new Relayed(relayed, untilEof);
            }
            conn.touch();
            buf.flip();
            Relay.writeFully(conn, client, buf);
            remaining -= n;
            relayed += n;
        }
        return new Relayed(relayed, true);
    }

    /** Forwards exactly {@code n} bytes, first from the buffer, then from the client; -1 if it ends early. */
    static long forwardExactly(Connections.Conn conn, ReadableByteChannel client, WritableByteChannel origin, InBuf in, long n,
                               ByteBuffer buf) throws IOException {
        long left = n;
        int buffered = (int) Math.min(left, in.len);
        if (buffered > 0) {
            Relay.writeFully(conn, origin, ByteBuffer.wrap(in.b, 0, buffered));
            in.consume(buffered);
            left -= buffered;
        }
        while (left > 0) {
            buf.clear().limit((int) Math.min(buf.capacity(), left));
            int r = client.read(buf);
            if (r < 0) {
                return -1;
            }
            conn.touch();
            buf.flip();
            Relay.writeFully(conn, origin, buf);
            left -= r;
        }
        return n;
    }

    /**
     * Forwards a chunked request body verbatim, parsing just enough to find its end, so the
     * next request on the connection is read (and checked) as a request. -1 when malformed or
     * cut short.
     */
    static long forwardChunked(Connections.Conn conn, ReadableByteChannel client, WritableByteChannel origin, InBuf in,
                               ByteBuffer buf) throws IOException {
        long total = 0;
        while (true) {
            int len = readLine(conn, client, in);
            if (len < 0) return -1;
            long size = chunkSize(in.b, len);
            if (size < 0) return -1;
            Relay.writeFully(conn, origin, ByteBuffer.wrap(in.b, 0, len));
            in.consume(len);
            total += len;
            if (size == 0) {
                while (true) { // trailer fields, then the empty line
                    int t = readLine(conn, client, in);
                    if (t < 0) return -1;
                    boolean empty = t == 1 || (t == 2 && in.b[0] == '\r');
                    Relay.writeFully(conn, origin, ByteBuffer.wrap(in.b, 0, t));
                    in.consume(t);
                    total += t;
                    if (empty) return total;
                }
            }
            if (forwardExactly(conn, client, origin, in, size, buf) < 0) return -1;
            total += size;
            int crlf = readLine(conn, client, in);
            if (crlf < 0 || !(crlf == 1 || (crlf == 2 && in.b[0] == '\r'))) return -1;
            Relay.writeFully(conn, origin, ByteBuffer.wrap(in.b, 0, crlf));
            in.consume(crlf);
            total += crlf;
        }
    }

    /** Length of the next line including its LF, reading more as needed; -1 at end of stream or if too long. */
    private static int readLine(Connections.Conn conn, ReadableByteChannel ch, InBuf in) throws IOException {
        int scanned = 0;
        while (true) {
            for (int i = scanned; i < in.len; i++) {
                if (in.b[i] == '\n') return i + 1;
            }
            scanned = in.len;
            if (in.isFull() || in.fill(conn, ch) < 0) return -1;
        }
    }

    /**
     * The size of a chunk-size line ({@code hex [BWS] [;ext] CRLF}), or -1. Strict: whatever we
     * accept is forwarded verbatim, and an origin that reads it differently would see a
     * different body boundary than we did.
     */
    static long chunkSize(byte[] b, int len) {
        long size = 0;
        int i = 0;
        for (; i < len; i++) {
            int d = Character.digit(b[i] & 0xff, 16);
            if (d < 0 || (b[i] & 0xff) >= 0x80) {
                break;
            }
            if (i >= 12) return -1;
            size = size * 16 + d;
        }
        if (i == 0) return -1;
        while (i < len && (b[i] == ' ' || b[i] == '\t')) i++;
        if (i < len && b[i] == ';') {
            for (i++; i < len && b[i] != '\r' && b[i] != '\n'; i++) {
                int c = b[i] & 0xff;
                if (c < 0x20 && c != '\t' || c == 0x7f) return -1;
            }
        }
        if (i < len && b[i] == '\r') i++;
        return i == len - 1 && b[i] == '\n' ? size : -1;
    }
}
