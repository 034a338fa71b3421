package dev.halt.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** Shared helpers for tests that talk to a real {@link ProxyServer} on loopback. */
final class ProxyTestSupport {
    private ProxyTestSupport() {}

    /** Quiet log options that collect events in a list. */
    static ProxyConfig.LogOptions collecting(List<DecisionEvent> events) {
        var sink = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        return new ProxyConfig.LogOptions(null, sink, 60, false, events::add);
    }

    /** A builder pointing at a fake upstream, no hosts file, local destinations allowed, short timeouts. */
    static ProxyConfig.Builder base(FakeDns dns, List<DecisionEvent> events) {
        return ProxyConfig.builder()
                .upstreamDns(dns.address())
                .hostsFile(null)
                .dnsTimeout(Duration.ofMillis(500))
                .dnsAttempts(1)
                .connectTimeout(Duration.ofSeconds(2))
                .idleTimeout(Duration.ofSeconds(20))
                .peekTimeout(Duration.ofMillis(300))
                .allowLocalDestinations(true)
                .log(collecting(events));
    }

    /**
     * A dialer that connects where {@code route} says instead of to the decided destination. The
     * proxy's own-listener check applies to the routed address. On one loopback this is how a
     * transparent connection, whose destination *is* the listener, reaches an origin.
     */
    static Dialer routing(UnaryOperator<InetSocketAddress> route) {
        return new Dialer() {
            @Override
            public InetSocketAddress route(InetSocketAddress destination) {
                return route.apply(destination);
            }
        };
    }

    static List<DecisionEvent> events() {
        return new CopyOnWriteArrayList<>();
    }

    static Socket connect(InetSocketAddress a) throws IOException {
        var s = new Socket();
        s.connect(a, 2000);
        s.setSoTimeout(5000);
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Reads an HTTP response head (through the blank line). */
    static String readHead(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        var sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            sb.append((char) c);
            if (sb.length() > 65536) throw new IOException("head too long");
        }
        return sb.toString();
    }

    /** Reads a head and its Content-Length body. */
    static String[] readResponse(Socket s) throws IOException {
        String head = readHead(s);
        int len = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                len = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = s.getInputStream().readNBytes(len);
        return new String[] {head, new String(body, StandardCharsets.ISO_8859_1)};
    }

    static byte[] readN(Socket s, int n) throws IOException {
        return s.getInputStream().readNBytes(n);
    }

    /** Reads until end of stream (bounded by the socket timeout). */
    static String readToEnd(Socket s) throws IOException {
        var out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = s.getInputStream().read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the peer closed: end of stream or reset within the socket timeout. */
    static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Polls a condition for up to {@code timeout}. */
    static boolean await(Duration timeout, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - end < 0) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return cond.getAsBoolean();
    }

    /** Open file descriptors of this process (Linux: /proc/self/fd; macOS: /dev/fd). */
    static long openFds() throws IOException {
        var dir = java.nio.file.Path.of("/proc/self/fd");
        if (!java.nio.file.Files.isDirectory(dir)) {
            dir = java.nio.file.Path.of("/dev/fd");
        }
        try (var list = java.nio.file.Files.list(dir)) {
            return list.count();
        }
    }

    /** Whether this machine routes a second loopback address (Linux does; macOS needs an alias). */
    static boolean canBind(String address) {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).equalsIgnoreCase(name)) {
                return line.substring(c + 1).trim();
            }
        }
        return null;
    }
}
