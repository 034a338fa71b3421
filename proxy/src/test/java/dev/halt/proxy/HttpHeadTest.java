package dev.halt.proxy;

import static dev.halt.proxy.MemoryChannels.ascii;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The head parser against request smuggling: every head an origin could frame differently
 * from the proxy (two lengths, a length and a coding, a folded or disguised field) is refused,
 * from a client (400) and from an origin (502), and a head never grows past its limit.
 */
class HttpHeadTest {
    static Parse<HttpHead.Request> request(String text) {
        byte[] b = ascii(text);
        return HttpHead.parseRequest(b, b.length, HttpHead.MAX_REQUEST_HEAD);
    }

    static Parse<HttpHead.Response> response(String text) {
        byte[] b = ascii(text);
        return HttpHead.parseResponse(b, b.length, HttpHead.MAX_RESPONSE_HEAD);
    }

    /** Fields that make a body's end ambiguous, or hide a field from one reader. */
    static final List<String> SMUGGLING_FIELDS = List.of(
            "Content-Length: 5\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding: chunked\r\nContent-Length: 5",
            "content-length: 5\r\ntransfer-encoding: identity",
            "Content-Length: 5\r\nContent-Length: 5",             // even the same value twice
            "Content-Length: 5\r\ncontent-length: 6",
            "Content-Length: 5, 5",
            "Content-Length: +5",
            "Content-Length: 5 5",
            "Content-Length: 0x5",
            "Content-Length: 1234567890123456789",                // 19 digits: past what a long holds safely
            "Content-Length: ",
            "Content-Length : 5",                                 // whitespace before the colon
            "Content-Length\t: 5",
            " Content-Length: 5",                                 // obs-fold: a continuation line
            "X: a\r\n Transfer-Encoding: chunked",
            "X: a\r\n\tContent-Length: 5",
            "X: a\rTransfer-Encoding: chunked",                   // bare CR inside a line
            "Transfer-Encoding: chunked\u0000",
            "Trans fer-Encoding: chunked",
            "Transfer-Encoding: chunked\r\nContent-Length: 0");

    @Test
    void requestsAnOriginCouldFrameDifferentlyAreRefused() {
        for (String fields : SMUGGLING_FIELDS) {
            String head = "POST http://allowed.test/ HTTP/1.1\r\nHost: allowed.test\r\n" + fields + "\r\n\r\nhello";
            var bad = assertInstanceOf(Parse.Bad.class, request(head), fields);
            assertEquals(400, bad.code(), fields);
        }
    }

    @Test
    void foldedLinesAreRefusedAsSuch() {
        // A continuation line would also fail as a field name; the reason says what it is.
        for (String fold : List.of(" b", "\tb", " Content-Length: 5")) {
            assertEquals(new Parse.Bad<>(400, "obsolete header line folding"), request("GET http://a/ HTTP/1.1\r\nX: a\r\n" + fold + "\r\n\r\n"));
            assertEquals(new Parse.Bad<>(502, "obsolete header line folding"), response("HTTP/1.1 200 OK\r\nX: a\r\n" + fold + "\r\n\r\n"));
        }
    }

    @Test
    void responsesAClientCouldFrameDifferentlyAreRefused() {
        for (String fields : SMUGGLING_FIELDS) {
            var bad = assertInstanceOf(Parse.Bad.class, response("HTTP/1.1 200 OK\r\n" + fields + "\r\n\r\nhello"), fields);
            assertEquals(502, bad.code(), fields);
        }
    }

    @Test
    void bareLineFeedsEndLinesAndTheHead() {
        var p = (Parse.Done<HttpHead.Request>) request("GET http://a/ HTTP/1.1\nHost: a\nContent-Length: 2\n\nhiGET");
        assertEquals("2", p.value().header("content-length"));
        assertEquals("GET http://a/ HTTP/1.1\nHost: a\nContent-Length: 2\n\n".length(), p.length());
        var mixed = (Parse.Done<HttpHead.Request>) request("GET http://a/ HTTP/1.1\r\nHost: a\n\r\nhi");
        assertEquals("GET http://a/ HTTP/1.1\r\nHost: a\n\r\n".length(), mixed.length());
        // A CR alone ends nothing: never a complete head, and refused once it outgrows the limit.
        assertInstanceOf(Parse.More.class, request("GET http://a/ HTTP/1.1\rHost: a\r\r"));
    }

    @Test
    void headsStopAtTheirLimit() {
        String start = "GET http://a/ HTTP/1.1\r\nX: ";
        String end = "\r\n\r\n";
        String fits = start + "y".repeat(HttpHead.MAX_REQUEST_HEAD - start.length() - end.length()) + end;
        assertEquals(HttpHead.MAX_REQUEST_HEAD, fits.length());
        assertInstanceOf(Parse.Done.class, request(fits));
        String over = start + "y".repeat(HttpHead.MAX_REQUEST_HEAD - start.length() - end.length() + 1) + end;
        assertEquals(431, ((Parse.Bad<?>) request(over)).code());
        assertEquals(431, ((Parse.Bad<?>) request(start + "y".repeat(HttpHead.MAX_REQUEST_HEAD))).code(), "no end in sight");
        String many = "GET http://a/ HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpHead.MAX_HEADERS + 1) + "\r\n";
        assertEquals(431, ((Parse.Bad<?>) request(many)).code());
        String enough = "GET http://a/ HTTP/1.1\r\n" + "X: y\r\n".repeat(HttpHead.MAX_HEADERS) + "\r\n";
        assertEquals(HttpHead.MAX_HEADERS, ((Parse.Done<HttpHead.Request>) request(enough)).value().headers().size());
        String responseOver = "HTTP/1.1 200 OK\r\nX: " + "y".repeat(HttpHead.MAX_RESPONSE_HEAD) + "\r\n\r\n";
        assertEquals(431, ((Parse.Bad<?>) response(responseOver)).code());
    }

    @Test
    void junkIsRefusedBeforeTheLimit() {
        assertEquals(400, ((Parse.Bad<?>) request("\u0016\u0003\u0001\u0002\u0000")).code(), "a TLS record");
        assertEquals(400, ((Parse.Bad<?>) request("GET\u0000")).code());
        assertEquals(400, ((Parse.Bad<?>) request("\u00ff\u00feGET / HTTP/1.1")).code());
        // Up to four bytes of empty lines before the request line are skipped (RFC 9112 2.2); more is junk.
        assertInstanceOf(Parse.Done.class, request("\r\n\r\nGET http://a/ HTTP/1.1\r\n\r\n"));
        assertInstanceOf(Parse.Bad.class, request("\r\n\r\n\r\nGET http://a/ HTTP/1.1\r\n\r\n"));
    }

    @Test
    void requestLineAndStatusLineAreStrict() {
        for (String line : List.of("GET  http://a/ HTTP/1.1", "GET http://a/  HTTP/1.1", "GET\thttp://a/ HTTP/1.1",
                "GET http://a/\tHTTP/1.1", "GET http://a/ HTTP/1.1 ", "GET http://a/ http/1.1", "GET http://a/x\u007f HTTP/1.1",
                "G@T http://a/ HTTP/1.1")) {
            assertInstanceOf(Parse.Bad.class, request(line + "\r\n\r\n"), line);
        }
        assertEquals(505, ((Parse.Bad<?>) request("GET http://a/ HTTP/1.2\r\n\r\n")).code());
        var r = (Parse.Done<HttpHead.Response>) response("HTTP/1.0 404 Not  Found \r\nA: b\r\n\r\n");
        assertEquals(new HttpHead.Response("HTTP/1.0", 404, "Not  Found ", List.of(new HttpHead.Header("A", "b"))), r.value());
        for (String line : List.of("HTTP/1.1", "HTTP/1.1 20 OK", "HTTP/1.1 2OO OK", "HTTP/1.1  200 OK", "HTTPS/1.1 200 OK")) {
            assertEquals(502, ((Parse.Bad<?>) response(line + "\r\n\r\n")).code(), line);
        }
    }

    @Test
    void fieldLookups() {
        var head = ((Parse.Done<HttpHead.Request>) request("GET http://a/ HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\n"
                + "connection: X-Y\r\nTransfer-Encoding: gzip\r\nTRANSFER-ENCODING: chunked , \r\n\r\n")).value();
        assertTrue(head.hasToken("CONNECTION", "upgrade"));
        assertTrue(head.hasToken("Connection", "x-y"));
        assertFalse(head.hasToken("Connection", "close"));
        assertEquals(2, head.count("connection"));
        assertEquals("keep-alive, Upgrade", head.header("Connection"));
        assertEquals("chunked", head.lastToken("Transfer-Encoding"));
        assertEquals("", head.lastToken("Missing"));
        assertNull(head.header("Missing"));
    }
}
