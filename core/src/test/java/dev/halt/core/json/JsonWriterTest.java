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
        var json = new JsonWriter().value("q\" b\\ n\n t\t c\u0001 ls\u2028").toString();
        assertEquals("\"q\\\" b\\\\ n\\n t\\t c\\u0001 ls\\u2028\"", json);
    }

    @Test
    void refusesUnclosedContainers() {
        assertThrows(IllegalStateException.class, () -> new JsonWriter().beginObject().toString());
    }
}
