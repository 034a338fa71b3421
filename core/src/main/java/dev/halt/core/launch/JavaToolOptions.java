package dev.halt.core.launch;

/**
 * The child's {@code JAVA_TOOL_OPTIONS}, which every JVM it starts reads: halt adds system
 * properties (the proxy, the private temporary directory, IPv4 on macOS) after the user's own.
 */
public final class JavaToolOptions {
    private JavaToolOptions() {}

    /** The variable's name. */
    public static final String VARIABLE = "JAVA_TOOL_OPTIONS";

    /** {@code existing} (the variable's value, or null) with {@code options} after it. */
    public static String with(String existing, String options) {
        return existing == null || existing.isBlank() ? options : existing + " " + options;
    }
}
