package dev.halt.proxy;

import static dev.halt.proxy.MemoryChannels.ascii;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.HttpBody.Framing;
import dev.halt.proxy.MemoryChannels.Sink;
import dev.halt.proxy.MemoryChannels.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a body ends, as the proxy frames it. Every attack here is a request smuggling attempt:
 * bytes the proxy forwards as one request's body but that the client meant as (or the origin
 * could read as) another request, or the reverse: a body the proxy cuts short so its tail is
 * read as a request that was never checked. Each body is fed in pieces of 1, 3 and 4096 bytes,
 * and once with part of it already read along with the head.
 */
class HttpBodyTest {
    static final List<Integer> STEPS = List.of(1, 3, 4096);
    static final String NEXT = "GET http://evil.test/ HTTP/1.1\r\n\r\n";

    final MemoryChannels channels = new MemoryChannels();

    @AfterEach
    void tearDown() {
        channels.close();
    }

    static HttpHead.Request request(String head) {
        byte[] b = ascii(head + "\r\n\r\n");
        return ((Parse.Done<HttpHead.Request>) HttpHead.parseRequest(b, b.length, HttpHead.MAX_REQUEST_HEAD)).value();
    }

    static HttpHead.Response response(String head) {
        byte[] b = ascii(head + "\r\n\r\n");
        return ((Parse.Done<HttpHead.Response>) HttpHead.parseResponse(b, b.length, HttpHead.MAX_RESPONSE_HEAD)).value();
    }

    /** An input buffer already holding {@code text}, as if read along with the head. */
    static InBuf buffered(String text, int max) {
        var in = new InBuf(max);
        byte[] b = ascii(text);
        in.b = java.util.Arrays.copyOf(b, Math.max(b.length, in.b.length));
        in.len = b.length;
        return in;
    }

    static String left(InBuf in) {
        return new String(in.b, 0, in.len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** What the origin is sent, and what stays for the next request: the buffer, then the unread source. */
    record Forwarded(long result, String sent, String rest) {}

    Forwarded forward(Framing framing, String alreadyRead, String fromClient, int step) throws IOException {
        var in = buffered(alreadyRead, HttpHead.MAX_REQUEST_HEAD);
        var client = new Source(fromClient, step);
        var origin = new Sink();
        long r = HttpBody.forwardRequest(channels.conn(), client, origin, in, framing, ByteBuffer.allocate(64));
        return new Forwarded(r, origin.text(), left(in) + client.unread());
    }

    /** Feeds {@code body + NEXT} every way; the body must be forwarded whole and NEXT left for the next request. */
    void assertFramed(Framing framing, String body) throws IOException {
        String all = body + NEXT;
        for (int step : STEPS) {
            for (int split : List.of(0, body.length() / 2, all.length())) {
                var f = forward(framing, all.substring(0, split), all.substring(split), step);
                assertEquals(body.length(), f.result(), "step " + step + " split " + split);
                assertEquals(body, f.sent(), "step " + step + " split " + split);
                assertEquals(NEXT, f.rest(), "the next request must be read as a request: step " + step + " split " + split);
            }
        }
    }

    /** Feeds {@code body} every way; it must be refused, whatever was forwarded before the defect. */
    void assertRefused(Framing framing, String body) throws IOException {
        for (int step : STEPS) {
            for (int split : List.of(0, body.length() / 2)) {
                var f = forward(framing, body.substring(0, split), body.substring(split), step);
                assertEquals(-1, f.result(), () -> "accepted " + body.replace("\r", "\\r").replace("\n", "\\n"));
            }
        }
    }

    // ------------------------------------------------------------ which framing

    @Test
    void requestFramingFollowsTheHeadersAndRefusesWhatCannotBeFramed() {
        assertEquals(new Framing.Length(0), HttpBody.ofRequest(request("GET http://a/ HTTP/1.1")));
        assertEquals(new Framing.Length(5), HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nContent-Length: 5")));
        for (String te : List.of("chunked", "Chunked", "gzip, chunked", "gzip,chunked , ")) {
            assertInstanceOf(Framing.Chunked.class, HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: " + te)), te);
        }
        assertInstanceOf(Framing.Chunked.class,
                HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked")));
        // A final coding other than chunked leaves the body's end to the origin's guess: refused.
        for (String te : List.of("gzip", "chunked, gzip", "", "chunkedx", "chunked;q=1", "identity")) {
            assertInstanceOf(Framing.Unframeable.class, HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: " + te)), te);
        }
        assertInstanceOf(Framing.Unframeable.class,
                HttpBody.ofRequest(request("POST http://a/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip")));
    }

    @Test
    void responseFramingHasNoBodyForHeadAnd204And304() {
        var withLength = response("HTTP/1.1 200 OK\r\nContent-Length: 10");
        assertInstanceOf(Framing.None.class, HttpBody.ofResponse("HEAD", withLength));
        assertEquals(new Framing.Length(10), HttpBody.ofResponse("GET", withLength));
        assertInstanceOf(Framing.None.class, HttpBody.ofResponse("GET", response("HTTP/1.1 204 No Content\r\nContent-Length: 10")));
        assertInstanceOf(Framing.None.class, HttpBody.ofResponse("GET", response("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked")));
        assertInstanceOf(Framing.Chunked.class, HttpBody.ofResponse("GET", response("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked")));
        assertInstanceOf(Framing.UntilClose.class, HttpBody.ofResponse("POST", response("HTTP/1.1 200 OK")));
        assertEquals(new Framing.Length(0), HttpBody.ofResponse("GET", response("HTTP/1.1 200 OK\r\nContent-Length: 0")));
    }

    // ------------------------------------------------------------ request bodies

    @Test
    void contentLengthBodyEndsAtItsLength() throws IOException {
        assertFramed(new Framing.Length(5), "hello");
        assertFramed(new Framing.Length(0), "");
        // The body holds a request head: it is body, forwarded, and never read as a request.
        assertFramed(new Framing.Length(NEXT.length()), NEXT);
        assertFramed(new Framing.Length(300), "x".repeat(300)); // larger than the relay buffer
    }

    @Test
    void contentLengthBodyCutShortIsRefused() throws IOException {
        assertRefused(new Framing.Length(6), "hello");
    }

    @Test
    void chunkedBodyEndsAtItsLastChunkAndTrailers() throws IOException {
        assertFramed(new Framing.Chunked(), "5\r\nhello\r\n0\r\n\r\n");
        assertFramed(new Framing.Chunked(), "5;ext=\"v\"\r\nhello\r\nA \t;x\r\n0123456789\r\n0\r\nX-Trailer: t\r\nY: u\r\n\r\n");
        assertFramed(new Framing.Chunked(), "0\r\n\r\n");
        assertFramed(new Framing.Chunked(), "1E\r\n" + "x".repeat(30) + "\r\n12c\r\n" + "y".repeat(300) + "\r\n0\r\n\r\n");
        // Chunk data that reads as a request, and a chunk-size look-alike inside data.
        assertFramed(new Framing.Chunked(), Integer.toHexString(NEXT.length()) + "\r\n" + NEXT + "\r\n7\r\n0\r\n\r\nab\r\n0\r\n\r\n");
        // Bare LF line ends are accepted (as in heads): the bytes reach the origin as they are.
        assertFramed(new Framing.Chunked(), "5\nhello\n0\n\n");
    }

    @Test
    void malformedOrTruncatedChunkedBodiesAreRefused() throws IOException {
        for (String body : List.of(
                "zz\r\nhello\r\n0\r\n\r\n",            // not hex
                "\r\n",                                 // no size
                "-5\r\nhello\r\n0\r\n\r\n",            // sign
                "+5\r\nhello\r\n0\r\n\r\n",
                "0x5\r\nhello\r\n0\r\n\r\n",           // a prefix the origin may read as 0
                "5 5\r\nhello\r\n0\r\n\r\n",           // junk after the size
                "1000000000000\r\n",                    // 13 hex digits: a size an origin may overflow
                "10000000000000000\r\n\r\n",            // 2^64: wraps to 0, the last chunk, in 64 bits
                "5\rX\nhello\r\n0\r\n\r\n",            // bare CR
                "5\r\r\nhello\r\n0\r\n\r\n",
                "5;a\u0001b\r\nhello\r\n0\r\n\r\n",    // control character in an extension
                "5;a\u007fb\r\nhello\r\n0\r\n\r\n",
                "5\r\nhelloX\r\n0\r\n\r\n",            // data longer than its size
                "5\r\nhello0\r\n\r\n",                 // no CRLF after the data
                "5\r\nhel",                             // cut short: in the data
                "5\r\nhello\r\n",                       // before the last chunk
                "5\r\nhello\r\n0\r\n",                  // before the end of the trailers
                "5\r\nhello\r\n0\r\nX: y\r\n",
                "5")) {
            assertRefused(new Framing.Chunked(), body);
        }
    }

    @Test
    void aChunkSizeLineLongerThanTheBufferIsRefused() throws IOException {
        String ext = "5;" + "e".repeat(HttpHead.MAX_REQUEST_HEAD) + "\r\nhello\r\n0\r\n\r\n";
        assertEquals(-1, forward(new Framing.Chunked(), "", ext, 4096).result());
    }

    // ------------------------------------------------------------ response bodies

    record Relayed(HttpBody.Relayed result, String sent) {}

    Relayed relay(Framing framing, String afterHead, String fromOrigin, int step) throws IOException {
        var rin = buffered(afterHead, HttpHead.MAX_RESPONSE_HEAD);
        var client = new Sink();
        var r = HttpBody.relayResponse(channels.conn(), new Source(fromOrigin, step), client, rin, framing, ByteBuffer.allocate(64));
        return new Relayed(r, client.text());
    }

    @Test
    void responseBodyStopsAtItsLengthWhateverTheOriginSendsAfter() throws IOException {
        // An origin that sends more than its Content-Length cannot append a second response to
        // the client's stream: the client would read it as the answer to its next request.
        String extra = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfake";
        for (int step : STEPS) {
            assertEquals(new Relayed(new HttpBody.Relayed(5, true), "hello"), relay(new Framing.Length(5), "hel", "lo" + extra, step));
            assertEquals(new Relayed(new HttpBody.Relayed(5, true), "hello"), relay(new Framing.Length(5), "hello" + extra, "", step));
            assertEquals(new Relayed(new HttpBody.Relayed(300, true), "y".repeat(300)), relay(new Framing.Length(300), "", "y".repeat(300) + extra, step));
            // Nothing for HEAD, 204 and 304, even when the origin sends bytes.
            assertEquals(new Relayed(new HttpBody.Relayed(0, true), ""), relay(new Framing.None(), "body", extra, step));
        }
    }

    @Test
    void responseBodyCutShortIsIncomplete() throws IOException {
        for (int step : STEPS) {
            assertEquals(new Relayed(new HttpBody.Relayed(4, false), "hell"), relay(new Framing.Length(5), "he", "ll", step));
        }
    }

    @Test
    void chunkedAndCloseDelimitedResponsesRunToTheOriginsEnd() throws IOException {
        String chunked = "5\r\nhello\r\n0\r\n\r\n";
        for (int step : STEPS) {
            assertEquals(new Relayed(new HttpBody.Relayed(chunked.length(), true), chunked), relay(new Framing.Chunked(), "5\r\n", chunked.substring(3), step));
            String big = "z".repeat(1000);
            assertEquals(new Relayed(new HttpBody.Relayed(1000, true), big), relay(new Framing.UntilClose(), big.substring(0, 10), big.substring(10), step));
        }
    }
}
