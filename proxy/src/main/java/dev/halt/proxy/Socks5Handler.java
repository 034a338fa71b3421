package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.Engine.Outcome;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * SOCKS5 (RFC 1928) on the proxy port: the "no authentication" method, then one CONNECT request
 * by domain name or address, decided like an HTTP CONNECT; BIND and UDP ASSOCIATE are refused.
 */
final class Socks5Handler {
    private final Engine e;

    Socks5Handler(Engine e) {
        this.e = e;
    }

    /** Serves a connection whose first byte, in {@code in}, was 5. */
    void handle(Connections.Conn conn, SocketChannel ch, InBuf in, String client) throws IOException {
        Parse<Socks5.Greeting> g;
        while ((g = Socks5.parseGreeting(in.b, in.len)) instanceof Parse.More) {
            if (in.fill(conn, ch) < 0) return;
        }
        if (g instanceof Parse.Bad<Socks5.Greeting> bad) {
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "malformed SOCKS5 greeting: " + bad.reason(), 0, 0, 0);
            return;
        }
        var greeting = (Parse.Done<Socks5.Greeting>) g;
        in.consume(greeting.length());
        if (!greeting.value().offers(Socks5.METHOD_NO_AUTH)) {
            Relay.writeFully(conn, ch, ByteBuffer.wrap(new byte[] {5, (byte) 0xff}));
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "client offers no 'no authentication' method", 0, 0, 0);
            return;
        }
        Relay.writeFully(conn, ch, ByteBuffer.wrap(new byte[] {5, 0}));
        Parse<Socks5.Request> r;
        while ((r = Socks5.parseRequest(in.b, in.len)) instanceof Parse.More) {
            if (in.fill(conn, ch) < 0) return;
        }
        if (r instanceof Parse.Bad<Socks5.Request> bad) {
            reply(conn, ch, bad.code(), null);
            e.event(Via.SOCKS5, client, null, 0, null, REFUSED, "malformed SOCKS5 request: " + bad.reason(), 0, 0, 0);
            return;
        }
        var req = (Parse.Done<Socks5.Request>) r;
        in.consume(req.length());
        HostPort dest = req.value().destination();
        if (req.value().command() != Socks5.CMD_CONNECT) {
            reply(conn, ch, Socks5.REP_COMMAND_NOT_SUPPORTED, null);
            e.event(Via.SOCKS5, client, dest.host(), dest.port(), null, REFUSED,
                    "SOCKS5 command " + req.value().command() + " is not supported (only CONNECT)", 0, 0, 0);
            return;
        }
        long start = System.nanoTime();
        Outcome o = e.dial(dest);
        switch (o) {
            case Outcome.Refused x -> {
                e.logOutcome(Via.SOCKS5, client, dest.port(), o);
                reply(conn, ch, Socks5.REP_NOT_ALLOWED, null);
            }
            case Outcome.Failed f -> {
                e.logOutcome(Via.SOCKS5, client, dest.port(), o);
                reply(conn, ch, f.failure().socksReply(), null);
            }
            case Outcome.Connected c -> {
                conn.upstream(c, dest.port());
                reply(conn, ch, Socks5.REP_SUCCEEDED, (InetSocketAddress) c.channel().getLocalAddress());
                var t = Relay.run(conn, ch, c.channel(), e.buffers, e.sniInspector(dest.port(), c.host()), in);
                e.tunnelEnded(Via.SOCKS5, client, c, dest.port(), t, start);
            }
        }
    }

    private static void reply(Connections.Conn conn, SocketChannel ch, int code, InetSocketAddress bound) throws IOException {
        byte[] addr = bound == null ? new byte[4] : bound.getAddress().getAddress();
        int port = bound == null ? 0 : bound.getPort();
        var b = ByteBuffer.allocate(6 + addr.length);
        b.put((byte) 5).put((byte) code).put((byte) 0).put((byte) (bound == null || bound.getAddress() instanceof Inet4Address ? 1 : 4));
        b.put(addr).putShort((short) port).flip();
        Relay.writeFully(conn, ch, b);
    }
}
