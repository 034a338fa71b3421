package dev.halt.core.json;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** What the control socket reads from other processes: strict JSON, hostile input refused with a reason. */
class JsonReaderTest {

    @Test
    void readsWhatTheWriterWrites() {
        var tree = new java.util.LinkedHashMap<String, Object>();
        tree.put("op", "allow");
        tree.put("hosts", List.of("a.test", "b\"\\\n\u0001\u2028.test"));
        tree.put("n", 42L);
        tree.put("ok", true);
        tree.put("none", null);
        tree.put("nested", Map.of("x", List.of()));
        assertEquals(tree, JsonReader.parse(JsonWriter.compact().tree(tree).toString()));
        assertEquals(1.5, JsonReader.parse(" 1.5e0 "));
        assertEquals(-3L, JsonReader.parse("-3"));
        assertEquals("é€", JsonReader.parse("\"\\u00e9\\u20ac\""));
    }

    @Test
    void refusesWhatIsNotOneStrictValue() {
        for (var bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "{'a':1}", "01", "1.", "\"\u0001\"", "\"\\x\"",
                "{\"a\":1,\"a\":2}", "tru", "[" .repeat(40) + "]".repeat(40))) {
            assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(bad), bad);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parseObject("[1]"));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
    }
}
