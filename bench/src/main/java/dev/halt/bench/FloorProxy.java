package dev.halt.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The floor of {@code compare.sh}'s connection-rate rows: the least a proxy can do per request
 * and still be a proxy. No policy, resolver, log, limits or timeouts; it is a measuring
 * instrument, not a product. Whatever a CONNECT or an absolute URL names, it dials
 * <b>127.0.0.1</b> on the named port (the network rule of the benchmarks), and it serves until
 * killed.
 *
 * <p>{@code java -cp benchmarks.jar dev.halt.bench.FloorProxy MODE PORT_FILE}, MODE one of
 * <ul>
 *   <li>{@code loop}: one thread and a selector, what an event-loop proxy in Java costs; the 200
 *       goes out once the upstream connection is up, as halt and tinyproxy do;</li>
 *   <li>{@code early}: the same, with the 200 sent as soon as the CONNECT is read, before the
 *       upstream connect completes (an unreachable destination then shows as a closed tunnel,
 *       not as a 502 with a reason);</li>
 *   <li>{@code virtual}: halt's structure without halt's work: a virtual thread per connection,
 *       blocking I/O, a second virtual thread for the upstream-to-client direction.</li>
 * </ul>
 * A plain-HTTP request (absolute URL) gets its request line rewritten to origin form and the
 * connection is relayed to the origin's end of stream, which is enough for the benchmark's
 * {@code Connection: close} requests.
 */
public final class FloorProxy {
    private static final byte[] ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int HEAD_MAX = 8192;

    private FloorProxy() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("loop") || args[0].equals("early") || args[0].equals("virtual"))) {
            System.err.println("usage: FloorProxy loop|early|virtual PORT_FILE");
            System.exit(2);
        }
        var listener = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0), 1024);
        Path portFile = Path.of(args[1]);
        Path tmp = Path.of(args[1] + ".tmp");
        Files.writeString(tmp, Integer.toString(((InetSocketAddress) listener.getLocalAddress()).getPort()));
        Files.move(tmp, portFile, StandardCopyOption.ATOMIC_MOVE);
        if (args[0].equals("virtual")) {
            serveVirtual(listener);
        } else {
            new EventLoop(listener, args[0].equals("early")).run();
        }
    }

    /** A parsed request head: where to connect, and what to send there first. */
    record Request(int port, boolean connect, byte[] forward) {}

    /**
     * Parses a complete head ({@code len} bytes, ending in an empty line) into the upstream port
     * and, for plain HTTP, the head rewritten to origin form; {@code null} if unusable.
     */
    static Request parse(byte[] b, int len) {
        String head = new String(b, 0, len, StandardCharsets.ISO_8859_1);
        int eol = head.indexOf("\r\n");
        String[] line = head.substring(0, eol).split(" ");
        if (line.length != 3) return null;
        try {
            if (line[0].equals("CONNECT")) {
                return new Request(Integer.parseInt(line[1].substring(line[1].lastIndexOf(':') + 1)), true, new byte[0]);
            }
            if (!line[1].startsWith("http://")) return null;
            String rest = line[1].substring(7);
            int slash = rest.indexOf('/');
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "/" : rest.substring(slash);
            int colon = authority.lastIndexOf(':');
            int port = colon < 0 ? 80 : Integer.parseInt(authority.substring(colon + 1));
            String rewritten = line[0] + " " + path + " " + line[2] + head.substring(eol);
            return new Request(port, false, rewritten.getBytes(StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Length of the head in {@code b[0..len)} including its empty line, or -1 if incomplete. */
    static int headEnd(byte[] b, int len) {
        for (int i = 3; i < len; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    private static void nodelay(SocketChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    // ---------------------------------------------------------------- virtual

    private static void serveVirtual(ServerSocketChannel listener) throws IOException {
        while (true) {
            SocketChannel client = listener.accept();
            nodelay(client);
            Thread.ofVirtual().start(() -> tunnelVirtual(client));
        }
    }

    private static void tunnelVirtual(SocketChannel client) {
        SocketChannel upstream = null;
        try {
            var in = ByteBuffer.allocate(HEAD_MAX);
            int end;
            while ((end = headEnd(in.array(), in.position())) < 0) {
                if (!in.hasRemaining() || client.read(in) < 0) return;
            }
            Request r = parse(in.array(), end);
            if (r == null) return;
            upstream = SocketChannel.open();
            nodelay(upstream);
            upstream.socket().connect(new InetSocketAddress(LOOPBACK, r.port()), 10_000);
            if (r.connect()) {
                client.write(ByteBuffer.wrap(ESTABLISHED));
            } else {
                upstream.write(ByteBuffer.wrap(r.forward()));
            }
            upstream.write(in.flip().position(end));
            var up = upstream;
            Thread down = Thread.ofVirtual().start(() -> pump(up, client));
            pump(client, upstream);
            down.join();
        } catch (IOException | InterruptedException e) {
            // the benchmark counts failed requests
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private static void pump(SocketChannel src, SocketChannel dst) {
        var buf = ByteBuffer.allocateDirect(16 * 1024);
        try {
            while (src.read(buf.clear()) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) dst.write(buf);
            }
            dst.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(src);
            closeQuietly(dst);
        }
    }

    // ---------------------------------------------------------------- loop and early

    /** One thread, one selector: every socket non-blocking, every wait an interest in the selector. */
    private static final class EventLoop {
        private final ServerSocketChannel listener;
        private final boolean early;
        private final Selector selector;

        EventLoop(ServerSocketChannel listener, boolean early) throws IOException {
            this.listener = listener;
            this.early = early;
            this.selector = Selector.open();
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }

        /** One side of a tunnel: its socket and the bytes read from it not yet written to the other side. */
        private static final class End {
            final SocketChannel ch;
            final Tunnel tunnel;
            final ByteBuffer pending = ByteBuffer.allocateDirect(16 * 1024).flip();
            SelectionKey key;
            boolean eof;
            End peer;

            End(SocketChannel ch, Tunnel tunnel) {
                this.ch = ch;
                this.tunnel = tunnel;
            }
        }

        /** A connection: head, then connecting, then relaying. */
        private static final class Tunnel {
            final End client;
            End upstream;
            final ByteBuffer head = ByteBuffer.allocate(HEAD_MAX);
            Request request;
            boolean connected;

            Tunnel(SocketChannel ch) {
                client = new End(ch, this);
            }

            void close() {
                closeQuietly(client.ch);
                if (upstream != null) closeQuietly(upstream.ch);
            }
        }

        void run() throws IOException {
            while (true) {
                selector.select();
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    var key = it.next();
                    it.remove();
                    if (key.channel() == listener) {
                        try {
                            accept();
                        } catch (IOException e) {
                            // out of file descriptors, say: the benchmark counts the failed requests
                        }
                        continue;
                    }
                    var t = (Tunnel) key.attachment();
                    try {
                        if (!key.isValid()) continue;
                        if (t.request == null) readHead(t);
                        else if (key.isConnectable()) connected(t);
                        else {
                            End end = key.channel() == t.client.ch ? t.client : t.upstream;
                            if (key.isWritable()) flush(end.peer, end);
                            if (key.isValid() && key.isReadable()) read(end, t);
                        }
                    } catch (IOException | RuntimeException e) {
                        t.close();
                    }
                }
            }
        }

        private void accept() throws IOException {
            SocketChannel ch;
            while ((ch = listener.accept()) != null) {
                ch.configureBlocking(false);
                nodelay(ch);
                var t = new Tunnel(ch);
                t.client.key = ch.register(selector, SelectionKey.OP_READ, t);
                try {
                    readHead(t); // the request often arrives with the connection
                } catch (IOException | RuntimeException e) {
                    t.close();
                }
            }
        }

        private void readHead(Tunnel t) throws IOException {
            if (t.client.ch.read(t.head) < 0) {
                t.close();
                return;
            }
            int end = headEnd(t.head.array(), t.head.position());
            if (end < 0) {
                if (!t.head.hasRemaining()) t.close();
                return;
            }
            t.request = parse(t.head.array(), end);
            if (t.request == null) {
                t.close();
                return;
            }
            // What followed the head goes upstream first, after any rewritten head.
            t.client.pending.clear().put(t.request.forward()).put(t.head.flip().position(end)).flip();
            var up = SocketChannel.open();
            up.configureBlocking(false);
            nodelay(up);
            t.upstream = new End(up, t);
            t.client.peer = t.upstream;
            t.upstream.peer = t.client;
            t.client.key.interestOps(0);
            if (early && t.request.connect()) {
                t.upstream.pending.clear().put(ESTABLISHED).flip();
                flush(t.upstream, t.client);
            }
            if (up.connect(new InetSocketAddress(LOOPBACK, t.request.port()))) {
                t.upstream.key = up.register(selector, 0, t);
                established(t);
            } else {
                t.upstream.key = up.register(selector, SelectionKey.OP_CONNECT, t);
            }
        }

        private void connected(Tunnel t) throws IOException {
            if (t.upstream.ch.finishConnect()) established(t);
        }

        private void established(Tunnel t) throws IOException {
            t.connected = true;
            if (t.request.connect() && !early) {
                t.upstream.pending.clear().put(ESTABLISHED).flip();
            }
            flush(t.upstream, t.client);
            flush(t.client, t.upstream);
        }

        /** Reads what {@code from} sent and writes it on; at its end of stream, half-closes the other side. */
        private void read(End from, Tunnel t) throws IOException {
            ByteBuffer buf = from.pending.clear();
            int n = from.ch.read(buf);
            buf.flip();
            if (n < 0) {
                from.eof = true;
                from.peer.ch.shutdownOutput();
                if (from.peer.eof) t.close();
                else interest(from);
                return;
            }
            flush(from, from.peer);
        }

        /** Writes {@code from}'s pending bytes to {@code to}; waits for room, not reading {@code from} meanwhile. */
        private void flush(End from, End to) throws IOException {
            while (from.pending.hasRemaining()) {
                if (to.ch.write(from.pending) == 0) break;
            }
            interest(from);
            interest(to);
        }

        /**
         * Reads while its bytes have somewhere to go (a connected upstream); writes while it has
         * bytes waiting for it.
         */
        private static void interest(End e) {
            if (e.key == null || !e.key.isValid()) return;
            int ops = 0;
            if (e.tunnel.connected && !e.eof && !e.pending.hasRemaining()) ops |= SelectionKey.OP_READ;
            if (e.peer != null && e.peer.pending.hasRemaining()) ops |= SelectionKey.OP_WRITE;
            if (e.key.interestOps() != ops) e.key.interestOps(ops);
        }
    }
}
