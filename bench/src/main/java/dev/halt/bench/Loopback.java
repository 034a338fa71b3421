package dev.halt.bench;

import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loopback-only fixtures for the proxy benchmarks: local servers, and a proxy that can reach
 * nothing but them.
 *
 * <p>Network rule: every socket here is on 127.0.0.1. The proxy resolves the one name it is
 * allowed ({@link #HOST}) from a hosts file written here, and its upstream DNS is a UDP socket on
 * 127.0.0.1 that this class owns and never answers, so nothing ever consults
 * {@code /etc/resolv.conf}'s nameserver.
 */
public final class Loopback {
    /** The name the proxy is allowed to reach; the private hosts file maps it to 127.0.0.1. */
    public static final String HOST = "sink.bench.test";
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    private Loopback() {}

    /** What a {@link Server} does with each accepted connection. */
    public enum Kind {
        /** writes bytes until the peer goes away (a download source) */
        SOURCE,
        /** reads until EOF, then closes (a handshake target that never talks first) */
        SINK,
        /** closes each connection on the accept thread (the kernel's connect/accept floor) */
        CLOSER,
        /** writes back what it reads, until EOF */
        ECHO,
        /** reads a request head, answers with {@link #RESPONSE} and closes (nginx with Connection: close) */
        RESPONDER
    }

    /** What a {@link Kind#RESPONDER} answers: a 1 KiB body, as compare.sh's connection test fetches. */
    static final byte[] RESPONSE = responseOf(1024);

    private static byte[] responseOf(int bodyBytes) {
        var head = ("HTTP/1.1 200 OK\r\nContent-Length: " + bodyBytes + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(head, head.length + bodyBytes);
    }

    /** A TCP server on 127.0.0.1: a platform accept thread, a virtual thread per connection. */
    public static final class Server implements AutoCloseable {
        final ServerSocketChannel listener;
        final int port;
        private final Thread acceptor;
        private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

        public Server(Kind kind) throws IOException {
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(LO, 0), 4096);
            port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            acceptor = Thread.ofPlatform().daemon().name("bench-" + kind + "-accept").start(() -> {
                while (listener.isOpen()) {
                    try {
                        SocketChannel c = listener.accept();
                        if (kind == Kind.CLOSER) {
                            // no thread per connection: at ~10k connections/s virtual threads
                            // starved by the client threads let descriptors pile up (EMFILE)
                            c.close();
                            continue;
                        }
                        open.add(c);
                        Thread.ofVirtual().start(() -> serve(kind, c));
                    } catch (IOException e) {
                        if (!listener.isOpen()) return;
                        // EMFILE and the like under a connection storm: back off, keep serving,
                        // or every later client would hang in the backlog until it times out.
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException ie) {
                            return;
                        }
                    }
                }
            });
        }

        private void serve(Kind kind, SocketChannel c) {
            try (c) {
                // SOURCE: 256 KiB direct writes, so syscall count is not the limit (one buffer per
                // long-lived tunnel). SINK: a small heap buffer, since a direct one per connection
                // is zeroed on allocation and dominated the handshake profile (JFR: Bits.setMemory).
                ByteBuffer buf = kind == Kind.SOURCE ? ByteBuffer.allocateDirect(256 * 1024) : ByteBuffer.allocate(4096);
                if (kind == Kind.SOURCE) {
                    while (true) {
                        buf.clear();
                        while (buf.hasRemaining()) c.write(buf);
                    }
                } else if (kind == Kind.RESPONDER) {
                    while (c.read(buf) >= 0 && indexOfBlankLine(buf, buf.position()) < 0) {
                        if (!buf.hasRemaining()) return;
                    }
                    var out = ByteBuffer.wrap(RESPONSE);
                    while (out.hasRemaining()) c.write(out);
                } else if (kind == Kind.ECHO) {
                    while (c.read(buf.clear()) >= 0) {
                        buf.flip();
                        while (buf.hasRemaining()) c.write(buf);
                    }
                } else {
                    while (c.read(buf.clear()) >= 0) {
                        // discard
                    }
                }
            } catch (IOException e) {
                // peer closed: done
            } finally {
                open.remove(c);
            }
        }

        /** Where it listens. */
        public InetSocketAddress address() {
            return new InetSocketAddress(LO, port);
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (SocketChannel c : open) c.close();
            try {
                acceptor.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A proxy allowed to reach {@link #HOST} (= 127.0.0.1) only, with a silent loopback DNS upstream. */
    static final class Proxy implements AutoCloseable {
        final ProxyServer server;
        final InetSocketAddress address;
        private final DatagramChannel silentDns;
        private final Path hosts;

        Proxy() throws IOException {
            silentDns = DatagramChannel.open().bind(new InetSocketAddress(LO, 0));
            hosts = Files.createTempFile("halt-bench-hosts", "");
            Files.writeString(hosts, "127.0.0.1 " + HOST + "\n");
            var resolv = Files.createTempFile("halt-bench-resolv", "");
            Files.writeString(resolv, "nameserver 127.0.0.1\n");
            server = ProxyServer.startOnLoopback(proxyConfig(hosts, (InetSocketAddress) silentDns.getLocalAddress())
                    .resolvConf(resolv)
                    .build());
            address = server.proxyAddress();
        }

        @Override
        public void close() throws IOException {
            server.close();
            silentDns.close();
            Files.deleteIfExists(hosts);
        }
    }

    /**
     * The benchmarks' proxy configuration: only {@link #HOST} allowed, names from {@code hosts},
     * upstream DNS a loopback socket that never answers, and no console lines or summary (a
     * benchmark must not measure stderr).
     */
    public static ProxyConfig.Builder proxyConfig(Path hosts, InetSocketAddress silentDns) {
        return ProxyConfig.builder()
                .allow(HOST)
                .allowLocalDestinations(true)
                .hostsFile(hosts)
                .upstreamDns(silentDns)
                .dnsTimeout(Duration.ofMillis(200))
                .maxConnections(100_000)
                .log(new ProxyConfig.LogOptions(null, new PrintStream(OutputStream.nullOutputStream()), 0, false, null));
    }

    /** Opens a blocking channel to {@code to}; SO_LINGER 0 so a closed client leaves no TIME_WAIT. */
    static SocketChannel open(InetSocketAddress to, boolean linger0) throws IOException {
        SocketChannel c = SocketChannel.open();
        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (linger0) c.setOption(StandardSocketOptions.SO_LINGER, 0);
        c.connect(to);
        return c;
    }

    /** Sends a CONNECT for {@code HOST:port} and reads the response head; throws unless 200. */
    static void connect(SocketChannel c, int port, ByteBuffer scratch) throws IOException {
        String target = HOST + ":" + port;
        byte[] req = ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.wrap(req);
        while (out.hasRemaining()) c.write(out);
        // Bulk reads until the blank line: bytes after the head can only be the SOURCE server's
        // filler, which the caller would discard anyway, so over-reading is harmless.
        scratch.clear();
        while (true) {
            if (c.read(scratch) < 0) throw new IOException("proxy closed before the response head");
            int n = scratch.position();
            if (n >= 12 && indexOfBlankLine(scratch, n) >= 0) break;
            if (!scratch.hasRemaining()) throw new IOException("response head too long");
        }
        if (scratch.get(9) != '2' || scratch.get(10) != '0' || scratch.get(11) != '0') {
            byte[] b = new byte[Math.min(scratch.position(), 200)];
            scratch.get(0, b);
            throw new IOException("CONNECT refused: " + new String(b, StandardCharsets.US_ASCII));
        }
    }

    private static int indexOfBlankLine(ByteBuffer b, int n) {
        for (int i = 3; i < n; i++) {
            if (b.get(i) == '\n' && b.get(i - 1) == '\r' && b.get(i - 2) == '\n' && b.get(i - 3) == '\r') return i;
        }
        return -1;
    }

    /** SOCKS5 greeting and domain-name CONNECT for {@code HOST:port}; throws unless granted. */
    static void socks5(SocketChannel c, int port, ByteBuffer scratch) throws IOException {
        byte[] host = HOST.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(3 + 7 + host.length);
        out.put(new byte[] {5, 1, 0});
        out.put(new byte[] {5, 1, 0, 3, (byte) host.length}).put(host).putShort((short) port).flip();
        while (out.hasRemaining()) c.write(out);
        // Method choice (2 bytes) then the reply: 4 bytes, a bound address, 2 bytes of port.
        // For loopback the proxy reports an IPv4 address: 2 + 10 bytes.
        readFully(c, scratch.clear().limit(12));
        if (scratch.get(0) != 5 || scratch.get(1) != 0 || scratch.get(3) != 0) {
            throw new IOException("SOCKS5 refused: reply " + scratch.get(3));
        }
        if (scratch.get(5) != 1) throw new IOException("unexpected bound address type " + scratch.get(5));
    }

    static void readFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (c.read(b) < 0) throw new IOException("EOF after " + b.position() + " bytes");
        }
    }
}
