package dev.halt.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parser of HTTP/1.x request and response heads (start line and header fields), for bytes
 * from untrusted clients and servers. Strict where laxness enables smuggling: no obsolete line
 * folding, no whitespace before the colon, no control characters, one Content-Length.
 */
final class HttpHead {
    static final int MAX_HEADERS = 128;

    /** One header field, name as sent. */
    record Header(String name, String value) {}

    /**
     * A parsed head. For a request, {@code a} is the method, {@code b} the target, {@code c}
     * the version; for a response, {@code a} the version, {@code b} the status code, {@code c}
     * the reason phrase.
     */
    record Head(String a, String b, String c, List<Header> headers) {
        String method() { return a; }
        String target() { return b; }
        String version() { return c; }
        int status() { return Integer.parseInt(b); }

        /** The first value of a header, or {@code null}. */
        String header(String name) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    return h.value();
                }
            }
            return null;
        }

        /** How many times a header appears. */
        int count(String name) {
            int n = 0;
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) n++;
            }
            return n;
        }

        /** Whether a comma-separated header contains a token, case-insensitively. */
        boolean hasToken(String name, String token) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    for (String t : h.value().split(",")) {
                        if (t.trim().equalsIgnoreCase(token)) return true;
                    }
                }
            }
            return false;
        }
    }

    private HttpHead() {}

    /** Parses a request head from the first {@code len} bytes of {@code b}. */
    static Parse<Head> parseRequest(byte[] b, int len, int maxHead) {
        return parse(b, len, maxHead, true);
    }

    /** Parses a response head. */
    static Parse<Head> parseResponse(byte[] b, int len, int maxHead) {
        return parse(b, len, maxHead, false);
    }

    private static Parse<Head> parse(byte[] b, int len, int maxHead, boolean request) {
        int start = 0;
        // RFC 9112 2.2: a server should ignore at least one empty line before the request line.
        while (request && start < len && start < 4 && (b[start] == '\r' || b[start] == '\n')) {
            start++;
        }
        int end = findEnd(b, start, Math.min(len, maxHead));
        if (end < 0) {
            if (len >= maxHead) {
                return new Parse.Bad<>(431, "header section larger than " + maxHead + " bytes");
            }
            // Reject junk early rather than waiting for maxHead bytes of it.
            for (int i = start; i < len; i++) {
                int c = b[i] & 0xff;
                if (c == 0 || c >= 0x80 && request && i < start + 16) {
                    return new Parse.Bad<>(400, "not an HTTP request");
                }
            }
            return Parse.more();
        }
        String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        List<String> lines = splitLines(text);
        if (lines.isEmpty()) {
            return new Parse.Bad<>(400, "empty request");
        }
        String first = lines.getFirst();
        String[] parts = first.split(" ", 3);
        String a;
        String bb;
        String c;
        if (request) {
            if (parts.length != 3) {
                return new Parse.Bad<>(400, "malformed request line");
            }
            a = parts[0];
            bb = parts[1];
            c = parts[2];
            if (a.isEmpty() || !isToken(a)) {
                return new Parse.Bad<>(400, "malformed method");
            }
            if (bb.isEmpty() || !isVisible(bb)) {
                return new Parse.Bad<>(400, "malformed request target");
            }
            if (!c.equals("HTTP/1.1") && !c.equals("HTTP/1.0")) {
                return new Parse.Bad<>(c.startsWith("HTTP/") ? 505 : 400, "unsupported HTTP version");
            }
        } else {
            if (parts.length < 2) {
                return new Parse.Bad<>(502, "malformed status line");
            }
            a = parts[0];
            bb = parts[1];
            c = parts.length == 3 ? parts[2] : "";
            if (!a.startsWith("HTTP/1.") || bb.length() != 3 || !DomainPattern.isAllDigits(bb)) {
                return new Parse.Bad<>(502, "malformed status line");
            }
        }
        int bad = request ? 400 : 502;
        var headers = new ArrayList<Header>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                return new Parse.Bad<>(bad, "obsolete header line folding");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return new Parse.Bad<>(bad, "header line without a name and colon");
            }
            String name = line.substring(0, colon);
            if (!isToken(name)) {
                return new Parse.Bad<>(bad, "malformed header name");
            }
            String value = line.substring(colon + 1).strip();
            for (int k = 0; k < value.length(); k++) {
                char ch = value.charAt(k);
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                    return new Parse.Bad<>(bad, "control character in header " + name);
                }
            }
            if (headers.size() >= MAX_HEADERS) {
                return new Parse.Bad<>(431, "more than " + MAX_HEADERS + " header fields");
            }
            headers.add(new Header(name, value));
        }
        var head = new Head(a, bb, c, List.copyOf(headers));
        if (head.count("Content-Length") > 1) {
            return new Parse.Bad<>(bad, "more than one Content-Length");
        }
        String cl = head.header("Content-Length");
        if (cl != null && (cl.isEmpty() || cl.length() > 18 || !DomainPattern.isAllDigits(cl))) {
            return new Parse.Bad<>(bad, "malformed Content-Length");
        }
        if (cl != null && head.header("Transfer-Encoding") != null) {
            return new Parse.Bad<>(bad, "both Content-Length and Transfer-Encoding");
        }
        return new Parse.Done<>(head, end);
    }

    /** Index just after the blank line ending the head, or -1. Accepts CRLF and bare LF. */
    private static int findEnd(byte[] b, int from, int len) {
        for (int i = from; i < len; i++) {
            if (b[i] == '\n') {
                if (i + 1 < len && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < len && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static List<String> splitLines(String text) {
        var out = new ArrayList<String>();
        int s = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                int e = i > s && text.charAt(i - 1) == '\r' ? i - 1 : i;
                out.add(text.substring(s, e));
                s = i + 1;
            }
        }
        if (s < text.length()) {
            out.add(text.substring(s));
        }
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return !s.isEmpty();
    }

    private static boolean isVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) return false;
        }
        return true;
    }
}
