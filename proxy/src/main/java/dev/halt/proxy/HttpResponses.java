package dev.halt.proxy;

import dev.halt.proxy.Engine.Outcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** The responses the proxy itself writes to an HTTP client: its errors, and raw bytes. */
final class HttpResponses {
    static final byte[] CONNECTION_ESTABLISHED = ascii("HTTP/1.1 200 Connection established\r\n\r\n");
    static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");

    private HttpResponses() {}

    static void error(Connections.Conn conn, WritableByteChannel ch, int status, String reason) throws IOException {
        error(conn, ch, status, reason, null);
    }

    /**
     * A complete error response that closes the connection. {@code X-Halt-Reason} carries the
     * short reason (for programs); the body says what was refused and, when the allowlist is
     * the cause, how to change it (for people reading an agent's log).
     */
    static void error(Connections.Conn conn, WritableByteChannel ch, int status, String reason, String what) throws IOException {
        String safe = sanitize(reason);
        String hint = reason.equals("not in allowlist")
                ? " (halt's network policy: add the host to [proxy] domain_allowlist, or run with --allow HOST)"
                : "";
        byte[] body = ("halt: " + (what == null ? "" : sanitize(what) + ": ") + safe + hint + "\n").getBytes(StandardCharsets.US_ASCII);
        String head = "HTTP/1.1 " + status + " " + phrase(status) + "\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Halt-Reason: " + safe + "\r\n"
                + "Connection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        var b = ByteBuffer.allocate(h.length + body.length).put(h).put(body).flip();
        Relay.writeFully(conn, ch, b);
    }

    /** The error for a destination {@link Engine#dial} did not connect to: 403 refused, 502/504 unreachable. */
    static void notConnected(Connections.Conn conn, WritableByteChannel ch, HostPort dest, Outcome o) throws IOException {
        switch (o) {
            case Outcome.Refused r -> error(conn, ch, 403, r.reason(), dest + " refused");
            case Outcome.Failed f -> error(conn, ch, f.failure().httpStatus(), f.reason(), dest + " allowed but unreachable");
            case Outcome.Connected c -> throw new IllegalArgumentException("connected");
        }
    }

    static String sanitize(String s) {
        return HostNames.printable(s, 300);
    }

    static String phrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 411 -> "Length Required";
            case 431 -> "Request Header Fields Too Large";
            case 502 -> "Bad Gateway";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }

    static void write(Connections.Conn conn, WritableByteChannel ch, byte[] b) throws IOException {
        Relay.writeFully(conn, ch, ByteBuffer.wrap(b));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
