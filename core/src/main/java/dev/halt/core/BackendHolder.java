package dev.halt.core;

import java.util.Locale;

/**
 * Holds this JVM's {@link SandboxBackend}, chosen once when the class initialises: the one place
 * halt looks at {@code os.name}.
 */
final class BackendHolder {
    private BackendHolder() {}

    static final SandboxBackend INSTANCE = choose(System.getProperty("os.name", ""));

    /** The backend for an {@code os.name}. */
    static SandboxBackend choose(String osName) {
        var os = osId(osName);
        return switch (os) {
            case "linux" -> new dev.halt.core.linux.LinuxBackend();
            case "macos" -> new dev.halt.core.macos.MacBackend();
            default -> new UnsupportedBackend(os, "halt supports Linux (and macOS), not " + osName);
        };
    }

    /** {@code linux}, {@code macos}, or {@code osName} lower-cased. */
    static String osId(String osName) {
        return osName.startsWith("Linux") ? "linux" : osName.startsWith("Mac") ? "macos" : osName.toLowerCase(Locale.ROOT);
    }
}
