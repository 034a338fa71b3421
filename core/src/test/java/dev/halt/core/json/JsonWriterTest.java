package dev.halt.core.json;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class JsonWriterTest {

    @Test
    void writesNestedContainersWithCommas() {
        var json = new JsonWriter().beginObject()
            .name("a").value(1)
            .name("b").beginArray().value(true).nullValue().value("x").endArray()
            .name("c").beginObject().endObject()
            .endObject().toString();
        assertEquals("{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null,\n    \"x\"\n  ],\n  \"c\": {}\n}", json);
    }

    @Test
    void escapesEverythingRfc8259Requires() {
        var json = new JsonWriter().value("q\" b\\ n\n t\t c\u0001 ls\u2028 é").toString();
        assertEquals("\"q\\\" b\\\\ n\\n t\\t c\\u0001 ls\\u2028 é\"", json);
    }

    /** halt's JSON outputs and the proxy's decision log escape alike: a name and a value, as the log writes them. */
    @Test
    void escapesAsTheDecisionLogDoes() {
        var nasty = "a\"\\\n\u001b[2J\u007f\u009b\u2029\ud800\ud83d\ude00";
        var event = new dev.halt.proxy.DecisionEvent(java.time.Instant.EPOCH, dev.halt.proxy.DecisionEvent.Via.DNS, null, nasty,
            0, null, dev.halt.proxy.DecisionEvent.Decision.REFUSED, nasty, 0, 0, java.time.Duration.ZERO).toJson();
        var written = JsonWriter.compact().beginObject().name(nasty).value(nasty).endObject().toString();
        var quoted = written.substring(1, written.indexOf(':'));
        assertEquals(quoted, written.substring(written.indexOf(':') + 1, written.length() - 1));
        assertTrue(event.contains("\"host\":" + quoted + ",") && event.contains("\"reason\":" + quoted + ","), event + " vs " + quoted);
    }

    @Test
    void writesTreesOfMapsAndLists() {
        var tree = new java.util.LinkedHashMap<String, Object>();
        tree.put("n", 300);
        tree.put("list", java.util.List.of("a", true));
        tree.put("empty", java.util.Map.of());
        tree.put("none", null);
        assertEquals("{\n  \"n\": 300,\n  \"list\": [\n    \"a\",\n    true\n  ],\n  \"empty\": {},\n  \"none\": null\n}",
            new JsonWriter().tree(tree).toString());
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().tree(new Object()));
    }

    @Test
    void refusesUnclosedContainers() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
    }
}
