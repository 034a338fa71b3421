package dev.halt.proxy;

/**
 * The result of feeding bytes to one of the hand-written parsers of untrusted input: a value,
 * a request for more bytes, or a defect. Parsers return these; they never throw on bad input.
 */
sealed interface Parse<T> {
    /** A complete value that used the first {@code length} bytes. */
    record Done<T>(T value, int length) implements Parse<T> {}

    /** The bytes so far are a valid prefix; read more. */
    record More<T>() implements Parse<T> {}

    /**
     * The bytes cannot be a valid message.
     *
     * @param code a protocol-specific reply code (HTTP status, SOCKS reply), or 0
     */
    record Bad<T>(int code, String reason) implements Parse<T> {}

    @SuppressWarnings("unchecked")
    static <T> Parse<T> more() {
        return (Parse<T>) MORE;
    }

    More<?> MORE = new More<>();
}
