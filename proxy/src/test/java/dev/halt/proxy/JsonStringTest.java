package dev.halt.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** halt's one JSON escaper: what a child names (a host, a path) cannot end a string or a line. */
class JsonStringTest {

    @Test
    void quotesBackslashesAndEveryControlCharacterAreEscaped() {
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f c\\u0001 del\\u007f csi\\u009b[2J é\"",
                JsonString.of("q\" b\\ n\n r\r t\t b\b f\f c\u0001 del\u007f csi\u009b[2J é"));
        assertEquals("null", JsonString.of(null));
        assertEquals("\"\"", JsonString.of(""));
    }

    /** U+2028/2029 end a line for JavaScript; a lone surrogate has no UTF-8 form (it would be written as '?'). */
    @Test
    void lineSeparatorsAndLoneSurrogatesAreEscapedAndValidPairsKept() {
        assertEquals("\"a\\u2028b\\u2029c\"", JsonString.of("a\u2028b\u2029c"));
        assertEquals("\"\\ud800x\\udc00\"", JsonString.of("\ud800x\udc00"));
        assertEquals("\"\\udc00\\ud800\"", JsonString.of("\udc00\ud800"), "a low before a high is no pair");
        assertEquals("\"\ud83d\ude00\"", JsonString.of("\ud83d\ude00"), "an emoji passes as it is");
        assertEquals("\"\\ud83d\ud83d\ude00\"", JsonString.of("\ud83d\ud83d\ude00"));
    }

    /** A host name that tries to forge a second record in the decision log stays inside its string, on one line. */
    @Test
    void aForgedHostCannotAddARecordToTheDecisionLog() {
        var host = "evil.test\n{\"decision\":\"allowed\"}\u2028\r\u001b[2J\u009b2J\ud800";
        var json = new DecisionEvent(Instant.EPOCH, DecisionEvent.Via.CONNECT, "127.0.0.1:1", host, 443, null,
                DecisionEvent.Decision.REFUSED, "not in allowlist", 0, 0, Duration.ZERO).toJson();
        assertTrue(json.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || Character.isSurrogate((char) c)), json);
        assertTrue(json.contains("\"host\":" + JsonString.of(host) + ","), json);
        assertFalse(json.contains("\"decision\":\"allowed\""), json);
    }
}
