package dev.halt.core.policy;

import dev.halt.proxy.DomainPattern;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks domain patterns ({@code domain_allowlist}, {@code domain_denylist}, {@code --allow})
 * when a policy is built, so a bad entry stops halt before anything runs.
 *
 * <p>The syntax itself belongs to the proxy ({@link DomainPattern}): this class only asks it
 * and turns its refusal into a value. Blanks around an entry are ignored.
 */
public final class DomainPatterns {
    private DomainPatterns() {
    }

    /** Why {@code pattern} is not a valid domain pattern, or empty when it is. */
    public static Optional<String> problem(String pattern) {
        try {
            DomainPattern.parse(pattern.strip());
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * The key under which two spellings of the same pattern are one list entry: the proxy's
     * canonical form, so case, a trailing dot and Unicode versus punycode do not matter
     * ({@code Example.COM.} is {@code example.com}). An invalid pattern is its own key.
     */
    public static String dedupKey(String pattern) {
        try {
            return DomainPattern.parse(pattern.strip()).toString();
        } catch (IllegalArgumentException e) {
            return pattern.strip().toLowerCase(Locale.ROOT);
        }
    }
}
