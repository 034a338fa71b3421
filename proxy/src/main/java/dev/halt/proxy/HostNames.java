package dev.halt.proxy;

import java.util.Locale;

/** Normalisation of host names as they arrive from clients (DNS questions, CONNECT, SNI, Host). */
public final class HostNames {
    private HostNames() {}

    /**
     * The canonical form used for every policy decision: ASCII (punycode), lower case, no
     * trailing dot.
     *
     * @throws IllegalArgumentException naming what is wrong with the name
     */
    public static String normalize(String host) {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("empty host name");
        }
        String fast = fastPath(host);
        return fast != null ? fast : slowPath(host);
    }

    /** The general path: trailing dot, Unicode (IDN), and the error messages. */
    static String slowPath(String host) {
        String quoted = "\"" + host + "\"";
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (h.isEmpty() || h.startsWith(".") || h.contains("..")) {
            throw new IllegalArgumentException(quoted + ": empty label");
        }
        String ascii = isPlainAscii(h) ? h.toLowerCase(Locale.ROOT) : DomainPattern.toAscii(h, quoted);
        if (ascii.length() > 253) {
            throw new IllegalArgumentException(quoted + ": name longer than 253 characters");
        }
        int start = 0;
        while (true) {
            int dot = ascii.indexOf('.', start);
            String label = dot < 0 ? ascii.substring(start) : ascii.substring(start, dot);
            DomainPattern.checkLabel(label, quoted);
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return ascii;
    }

    /**
     * The common case in one pass without allocation: an ASCII name that is already valid and
     * lower case (returned as is), or valid once lower-cased. {@code null} sends the name down
     * the slow path, which also produces the error message.
     */
    private static String fastPath(String host) {
        int n = host.length();
        if (host.charAt(n - 1) == '.') {
            return null;
        }
        if (n > 253) {
            return null;
        }
        boolean upper = false;
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : host.charAt(i);
            if (c == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63 || host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
                    return null;
                }
                labelStart = i + 1;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                // valid as is
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else {
                return null;
            }
        }
        return upper ? host.toLowerCase(Locale.ROOT) : host;
    }

    /** Like {@link #normalize(String)}, but {@code null} for an invalid name. */
    public static String normalizeOrNull(String host) {
        try {
            return normalize(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * At most {@code max} characters of {@code s}, each outside printable ASCII (space included)
     * replaced by {@code ?}: for text a client sent that goes to a terminal or a header.
     */
    public static String printable(String s, int max) {
        var sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && i < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
