package dev.halt.proxy;

import java.net.IDN;
import java.util.Locale;

/**
 * One entry of a domain allowlist or denylist, parsed and normalised.
 *
 * <p>Syntax: {@code example.com} matches that name only; {@code *.example.com} matches any
 * subdomain at any depth ({@code a.example.com}, {@code a.b.example.com}) but not the apex
 * {@code example.com}. Names are compared case-insensitively in their ASCII (punycode) form, a
 * trailing dot is ignored, and an optional {@code :port} suffix ({@code github.com:22})
 * restricts the entry to that port.
 *
 * @param domain the normalised ASCII domain, lower case, without the {@code *.} prefix and
 *     without a trailing dot
 * @param wildcard whether the entry was {@code *.domain} (subdomains only, never the apex)
 * @param port the port the entry is restricted to, or {@link #ANY_PORT}
 */
public record DomainPattern(String domain, boolean wildcard, int port) {

    /** The value of {@link #port()} for an entry without a {@code :port} suffix. */
    public static final int ANY_PORT = -1;

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /** Validates the components; use {@link #parse(String)} to read user text. */
    public DomainPattern {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("domain pattern: empty domain");
        }
        if (port != ANY_PORT && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("domain pattern \"" + domain + "\": port " + port + " is out of range 1-65535");
        }
    }

    /**
     * Parses one allowlist or denylist entry.
     *
     * @param text the entry as the user wrote it
     * @return the normalised pattern
     * @throws IllegalArgumentException naming the entry and what is wrong with it
     */
    public static DomainPattern parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null domain pattern");
        }
        String quoted = "\"" + text + "\"";
        if (text.isEmpty()) {
            throw new IllegalArgumentException(quoted + ": an empty domain pattern matches nothing");
        }
        String rest = text;
        int port = ANY_PORT;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            String portText = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            port = parsePort(portText, quoted);
            if (rest.indexOf(':') >= 0) {
                throw new IllegalArgumentException(quoted + ": more than one ':' (IP addresses are not domain patterns; use host:port)");
            }
        }
        if (rest.equals("*") || rest.equals("*.")) {
            throw new IllegalArgumentException(quoted + ": a bare '*' would allow every domain; list the domains instead");
        }
        boolean wildcard = false;
        if (rest.startsWith("*.")) {
            wildcard = true;
            rest = rest.substring(2);
        }
        if (rest.indexOf('*') >= 0) {
            throw new IllegalArgumentException(quoted + ": '*' is only allowed as the whole first label, as in *.example.com");
        }
        if (rest.endsWith(".")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(quoted + ": no domain name");
        }
        if (rest.startsWith(".") || rest.contains("..")) {
            throw new IllegalArgumentException(quoted + ": empty label (two dots in a row, or a leading dot)");
        }
        String ascii = toAscii(rest, quoted);
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            checkLabel(label, quoted);
        }
        if (ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(quoted + ": name longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (isAllDigits(labels[labels.length - 1])) {
            throw new IllegalArgumentException(quoted + ": looks like an IP address; the allowlist takes domain names only");
        }
        if (wildcard && labels.length < 2) {
            throw new IllegalArgumentException(quoted + ": a wildcard must cover at least two labels (*.example.com, not *.com)");
        }
        return new DomainPattern(ascii, wildcard, port);
    }

    /**
     * Whether this entry matches a host name and port. The host is normalised the same way as
     * patterns are; a host that is not a valid name matches nothing.
     */
    public boolean matches(String host, int port) {
        String h = HostNames.normalizeOrNull(host);
        return h != null && matchesNormalized(h, port);
    }

    /** Like {@link #matches(String, int)} for a host already passed through {@link HostNames#normalize}. */
    boolean matchesNormalized(String host, int port) {
        if (this.port != ANY_PORT && this.port != port) {
            return false;
        }
        if (!wildcard) {
            return host.equals(domain);
        }
        return host.length() > domain.length() + 1
                && host.endsWith(domain)
                && host.charAt(host.length() - domain.length() - 1) == '.';
    }

    /** The canonical text of this entry, which {@link #parse(String)} reads back to an equal pattern. */
    @Override
    public String toString() {
        return (wildcard ? "*." : "") + domain + (port == ANY_PORT ? "" : ":" + port);
    }

    private static int parsePort(String portText, String quoted) {
        if (portText.isEmpty()) {
            throw new IllegalArgumentException(quoted + ": empty port after ':'");
        }
        if (portText.length() > 5 || !isAllDigits(portText)) {
            throw new IllegalArgumentException(quoted + ": port \"" + portText + "\" is not a number in 1-65535");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(quoted + ": port " + port + " is out of range 1-65535");
        }
        return port;
    }

    static String toAscii(String name, String quoted) {
        String ascii;
        try {
            // Flag 0, not USE_STD3_ASCII_RULES: we check the characters ourselves so that the
            // message can name the problem, and so that '_' (used by real service names) passes.
            ascii = IDN.toASCII(name, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + ": not a valid internationalised domain name (" + e.getMessage() + ")");
        }
        return ascii.toLowerCase(Locale.ROOT);
    }

    static void checkLabel(String label, String quoted) {
        if (label.isEmpty()) {
            throw new IllegalArgumentException(quoted + ": empty label (two dots in a row, or a leading dot)");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException(quoted + ": label \"" + label + "\" is longer than " + MAX_LABEL_LENGTH + " characters");
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException(quoted + ": invalid character '" + printable(c) + "' in label \"" + label + "\"");
            }
        }
        if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
            throw new IllegalArgumentException(quoted + ": label \"" + label + "\" starts or ends with '-'");
        }
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }

    static boolean isAllDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
