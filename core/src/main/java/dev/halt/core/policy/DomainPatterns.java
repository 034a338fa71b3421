package dev.halt.core.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks domain patterns ({@code domain_allowlist}, {@code domain_denylist}, {@code --allow})
 * when a policy is built, so a bad entry stops halt before anything runs.
 *
 * <p>The syntax itself belongs to the proxy ({@code dev.halt.proxy.DomainPattern}); this class
 * only asks it and turns its refusal into a message.
 */
public final class DomainPatterns {
    private DomainPatterns() {
    }

    /**
     * Why {@code pattern} is not a valid domain pattern, or empty when it is.
     */
    public static Optional<String> problem(String pattern) {
        return InterimDomainSyntax.problem(pattern);
    }

    /**
     * The key under which two spellings of the same pattern are one list entry: case and a
     * trailing dot do not matter ({@code Example.COM.} is {@code example.com}).
     */
    public static String dedupKey(String pattern) {
        var s = pattern.strip().toLowerCase(Locale.ROOT);
        int colon = s.lastIndexOf(':');
        var host = colon < 0 ? s : s.substring(0, colon);
        var port = colon < 0 ? "" : s.substring(colon);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host + port;
    }

    /** Stand-in until the proxy's DomainPattern is merged; the same rules as issue 4. */
    private static final class InterimDomainSyntax {
        static Optional<String> problem(String pattern) {
            var s = pattern.strip();
            if (s.isEmpty()) {
                return Optional.of("empty domain pattern");
            }
            int colon = s.lastIndexOf(':');
            var host = s;
            if (colon >= 0) {
                host = s.substring(0, colon);
                int port;
                try {
                    port = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65_535) {
                    return Optional.of("\"" + pattern + "\": port out of range (1-65535)");
                }
            }
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (host.equals("*")) {
                return Optional.of("\"" + pattern + "\": '*' alone would allow every domain");
            }
            var wildcard = host.startsWith("*.");
            var name = wildcard ? host.substring(2) : host;
            var labels = name.split("\\.", -1);
            if (wildcard && labels.length < 2) {
                return Optional.of("\"" + pattern + "\": a wildcard needs at least two labels after '*.' (not *.com)");
            }
            for (var label : labels) {
                if (label.isEmpty()) {
                    return Optional.of("\"" + pattern + "\": empty label");
                }
                if (!label.matches("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?") && !label.codePoints().anyMatch(c -> c > 127)) {
                    return Optional.of("\"" + pattern + "\": invalid characters in label \"" + label + "\"");
                }
            }
            return Optional.empty();
        }
    }
}
