package dev.halt.proxy;

import static dev.halt.proxy.HttpBodyTest.request;
import static dev.halt.proxy.MemoryChannels.ascii;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.HttpForwarder.Route;
import dev.halt.proxy.MemoryChannels.Sink;
import dev.halt.proxy.MemoryChannels.Source;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP forwarder's steps on their own: where a request goes (the URL on the proxy
 * port; on a transparent connection the Host, which must not name another site than the
 * policy allows: domain fronting), the request head the origin gets, the response head the
 * client gets, and reading the origin's final response head. No sockets: the route is a pure
 * decision, the heads are bytes, and the response is read from memory.
 */
class HttpForwarderTest {
    static final DomainMatcher MATCHER = DomainMatcher.of(
            List.of(DomainPattern.parse("allowed.test"), DomainPattern.parse("*.allowed.test"), DomainPattern.parse("ported.test:8443")),
            List.of(DomainPattern.parse("blocked.allowed.test")));
    static final InetAddress IP = InetAddress.ofLiteral("127.0.0.2");
    static final InetSocketAddress FIXED = new InetSocketAddress(IP, 80);

    final MemoryChannels channels = new MemoryChannels();

    @AfterEach
    void tearDown() {
        channels.close();
    }

    static Route route(String head, InetSocketAddress fixed) {
        return HttpForwarder.route(request(head), fixed, MATCHER);
    }

    // ------------------------------------------------------------ route: proxy port

    @Test
    void proxyRequestsGoWhereTheirAbsoluteUrlSays() {
        assertEquals(new Route.Upstream("allowed.test:8080", "/p?q", new HostPort("allowed.test", 8080, null), null),
                route("GET http://allowed.test:8080/p?q#fragment HTTP/1.1\r\nHost: evil.test", null));
        assertEquals(new Route.Upstream("Allowed.Test", "/", new HostPort("Allowed.Test", 80, null), null),
                route("GET HTTP://Allowed.Test HTTP/1.1", null));
        assertEquals("/?x", ((Route.Upstream) route("GET http://allowed.test?x HTTP/1.1", null)).path());
        assertEquals("/", ((Route.Upstream) route("GET http://allowed.test#f HTTP/1.1", null)).path());
        assertEquals(new HostPort("127.0.0.1", 81, InetAddress.ofLiteral("127.0.0.1")),
                ((Route.Upstream) route("GET http://127.0.0.1:81/ HTTP/1.1", null)).dest());
        // The policy itself is Engine.dial's: the route only names the destination.
        assertEquals("evil.test", ((Route.Upstream) route("GET http://evil.test/ HTTP/1.1", null)).dest().host());
    }

    @Test
    void proxyRequestsWithoutAnAbsoluteHttpUrlAreRefused() {
        assertEquals(new Route.Refused(400, "a proxy request needs an absolute http:// URL", null, 0, null),
                route("GET / HTTP/1.1\r\nHost: allowed.test", null));
        assertEquals(new Route.Refused(400, "https:// URLs must go through CONNECT", null, 0, null),
                route("GET https://allowed.test/ HTTP/1.1", null));
        for (String url : List.of("http://u@allowed.test/", "http:///x", "http://allowed.test:0/", "http://allowed.test:x/",
                "http://[::1/", "http://::1/")) {
            var r = assertInstanceOf(Route.Refused.class, route("GET " + url + " HTTP/1.1", null), url);
            assertEquals(400, r.status(), url);
            assertTrue(r.reason().startsWith("bad URL or Host: "), r.reason());
        }
    }

    // ------------------------------------------------------------ route: transparent (fronting)

    @Test
    void transparentRequestsGoToTheDialledAddressAndNameAnAllowedHost() {
        var dialled = new HostPort("127.0.0.2", 80, IP);
        assertEquals(new Route.Upstream("allowed.test", "/x", dialled, "allowed.test"),
                route("GET /x HTTP/1.1\r\nHost: allowed.test", FIXED));
        assertEquals(new Route.Upstream("A.Allowed.Test.", "/", dialled, "a.allowed.test"),
                route("GET / HTTP/1.1\r\nHost: A.Allowed.Test.", FIXED));
        assertEquals(new Route.Upstream("allowed.test", "*", dialled, "allowed.test"),
                route("OPTIONS * HTTP/1.1\r\nHost: allowed.test", FIXED));
        // An absolute URL names the host instead of Host; the address stays the one dialled.
        assertEquals(new Route.Upstream("a.allowed.test", "/", dialled, "a.allowed.test"),
                route("GET http://a.allowed.test/ HTTP/1.1\r\nHost: evil.test", FIXED));
        // The address itself: nothing more to check.
        assertEquals(new Route.Upstream("127.0.0.2", "/", dialled, null), route("GET / HTTP/1.1\r\nHost: 127.0.0.2", FIXED));
    }

    @Test
    void transparentRequestsNamingAnotherSiteAreRefused() {
        assertEquals(new Route.Refused(403, "connection to 127.0.0.2 names evil.test: not in allowlist (domain fronting defence)",
                "evil.test", 80, IP), route("GET / HTTP/1.1\r\nHost: evil.test", FIXED));
        assertEquals(403, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: blocked.allowed.test", FIXED)).status());
        assertEquals(403, ((Route.Refused) route("GET http://evil.test/ HTTP/1.1\r\nHost: allowed.test", FIXED)).status());
        assertEquals(403, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: evil.test/x", FIXED)).status());
        // The port in Host is not the port dialled: the name is checked on the port dialled.
        assertEquals(403, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: ported.test:8443", FIXED)).status());
        assertInstanceOf(Route.Upstream.class, route("GET / HTTP/1.1\r\nHost: ported.test", new InetSocketAddress(IP, 8443)));
        // Another address than the one dialled.
        assertEquals(new Route.Refused(403, "request names address 127.0.0.3 but was sent to 127.0.0.2", "127.0.0.3", 80, IP),
                route("GET / HTTP/1.1\r\nHost: 127.0.0.3", FIXED));
        assertEquals(403, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: [::1]", FIXED)).status());
        // None, or two Host headers (we and the origin could each read a different one).
        String one = "a request to an origin needs exactly one Host header";
        assertEquals(new Route.Refused(400, one, null, 80, IP), route("GET / HTTP/1.1", FIXED));
        assertEquals(new Route.Refused(400, one, null, 80, IP), route("GET / HTTP/1.1\r\nHost: allowed.test\r\nHost: allowed.test", FIXED));
        assertEquals(new Route.Refused(400, one, null, 80, IP), route("GET / HTTP/1.1\r\nHost: allowed.test\r\nhost: evil.test", FIXED));
        assertEquals(400, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: allowed.test@evil.test", FIXED)).status());
        assertEquals(400, ((Route.Refused) route("GET / HTTP/1.1\r\nHost: ", FIXED)).status());
        assertEquals(400, ((Route.Refused) route("GET x HTTP/1.1\r\nHost: allowed.test", FIXED)).status());
    }

    // ------------------------------------------------------------ request head

    @Test
    void requestHeadIsOriginFormWithoutHopByHopFieldsAndClosesTheOriginConnection() {
        var head = request("POST http://allowed.test:8080/p HTTP/1.0\r\nHost: other\r\nConnection: keep-alive, X-Drop\r\n"
                + "Keep-Alive: 5\r\nProxy-Connection: x\r\nProxy-Authorization: Basic eDp5\r\nProxy-Anything: y\r\nTE: trailers\r\n"
                + "Trailer: X\r\nUpgrade: h2c\r\nExpect: 100-continue\r\nX-Drop: 1\r\nx-keep: 2\r\nContent-Length: 3");
        assertEquals("POST /p HTTP/1.1\r\nHost: allowed.test:8080\r\nx-keep: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n",
                new String(HttpForwarder.requestHead(head, "/p", "allowed.test:8080"), StandardCharsets.ISO_8859_1));
        var chunked = request("PUT http://a/ HTTP/1.1\r\nTransfer-Encoding: gzip, chunked");
        assertEquals("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n",
                new String(HttpForwarder.requestHead(chunked, "/", "a"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void connectionCannotRemoveTheFieldsThatFrameTheBody() {
        // The proxy frames the body by these fields; without them the origin would read the body
        // as the next request (see HttpSmugglingTest).
        var length = request("POST http://a/ HTTP/1.1\r\nContent-Length: 3\r\nConnection: content-length, x\r\nX: 1");
        assertEquals("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nConnection: close\r\n\r\n",
                new String(HttpForwarder.requestHead(length, "/", "a"), StandardCharsets.ISO_8859_1));
        var coding = request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: Transfer-Encoding");
        assertEquals("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                new String(HttpForwarder.requestHead(coding, "/", "a"), StandardCharsets.ISO_8859_1));
        var resp = HttpBodyTest.response("HTTP/1.1 200 OK\r\nConnection: Content-Length, Transfer-Encoding\r\nContent-Length: 2");
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", new String(HttpForwarder.responseHead(resp, true), StandardCharsets.ISO_8859_1));
    }

    // ------------------------------------------------------------ response head

    @Test
    void responseHeadDropsConnectionFieldsAndSaysCloseUnlessKept() {
        var resp = HttpBodyTest.response("HTTP/1.0 200 Fine Thanks\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\n"
                + "Proxy-Connection: x\r\nX-Hop: 1\r\nContent-Length: 2\r\nX-Stay: y");
        assertEquals("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\nX-Stay: y\r\n\r\n",
                new String(HttpForwarder.responseHead(resp, true), StandardCharsets.ISO_8859_1));
        assertEquals("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 2\r\nX-Stay: y\r\nConnection: close\r\n\r\n",
                new String(HttpForwarder.responseHead(resp, false), StandardCharsets.ISO_8859_1));
        // The status as the origin wrote it, three digits.
        assertTrue(new String(HttpForwarder.responseHead(HttpBodyTest.response("HTTP/1.1 099 Odd"), false),
                StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 099 Odd\r\n"));
        assertTrue(new String(HttpForwarder.responseHead(HttpBodyTest.response("HTTP/1.1 007"), false),
                StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 007 \r\n"));
    }

    // ------------------------------------------------------------ reading the response head

    record Read(Parse<HttpHead.Response> head, String toClient, String rest) {}

    Read read(String fromOrigin, int step) throws IOException {
        var rin = new InBuf(HttpHead.MAX_RESPONSE_HEAD);
        var client = new Sink();
        var p = HttpForwarder.finalResponseHead(channels.conn(), new Source(fromOrigin, step), client, rin);
        return new Read(p, client.text(), new String(rin.b, 0, rin.len, StandardCharsets.ISO_8859_1));
    }

    @Test
    void interimResponsesPassExcept100AndTheFinalHeadIsReturned() throws IOException {
        String early = "HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n";
        String all = "HTTP/1.1 100 Continue\r\n\r\n" + early + "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody";
        for (int step : HttpBodyTest.STEPS) {
            var r = read(all, step);
            var done = assertInstanceOf(Parse.Done.class, r.head());
            assertEquals(200, ((HttpHead.Response) done.value()).status());
            assertEquals(early, r.toClient(), "103 as sent; 100 not (the proxy answered Expect itself)");
            assertTrue("body".startsWith(r.rest()), r.rest());
        }
        // 101 is final.
        assertEquals(101, ((HttpHead.Response) ((Parse.Done<?>) read("HTTP/1.1 101 Switching\r\n\r\n", 7).head()).value()).status());
    }

    @Test
    void anOriginThatClosesOrSendsAMalformedOrSmugglingHeadIsAnError() throws IOException {
        assertInstanceOf(Parse.More.class, read("", 5).head());
        assertInstanceOf(Parse.More.class, read("HTTP/1.1 200 OK\r\nContent-Le", 5).head());
        for (String head : List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n folded\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length : 4\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -4\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX: a\rContent-Length: 4\r\n\r\n",
                "HTTP/2 200 OK\r\n\r\n",
                "HTTP/1.1 2000 OK\r\n\r\n",
                "ICY 200 OK\r\n\r\n")) {
            var bad = assertInstanceOf(Parse.Bad.class, read(head, 4096).head(), head);
            assertEquals(502, bad.code(), head);
        }
        String huge = "HTTP/1.1 200 OK\r\n" + ("X: " + "y".repeat(1000) + "\r\n").repeat(70) + "\r\n";
        assertEquals(431, ((Parse.Bad<?>) read(huge, 4096).head()).code());
    }

    @Test
    void bytesFromTheOriginAfterTheHeadStayForTheBody() throws IOException {
        var r = read("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody", 4096);
        assertEquals("body", r.rest());
        assertArrayEquals(ascii(""), ascii(r.toClient()));
    }
}
