package dev.halt.cli;

import dev.halt.core.json.JsonReader;

/** The JSON halt prints, read back by the tests: objects to Map, arrays to List, numbers to Long or Double. */
final class Json {
    private Json() {}

    /** Parses exactly one JSON value; anything else is an error. */
    static Object parse(String text) {
        return JsonReader.parse(text);
    }
}
