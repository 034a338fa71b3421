package dev.halt.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTTP/1.x head (start line and header fields), and its parser, for bytes from untrusted
 * clients and servers. Strict where laxness enables smuggling: no obsolete line folding, no
 * whitespace before the colon, no control characters, one Content-Length, never both
 * Content-Length and Transfer-Encoding. Lines may end in CRLF or a bare LF.
 */
sealed interface HttpHead permits HttpHead.Request, HttpHead.Response {
    /** The largest request head read from a client. */
    int MAX_REQUEST_HEAD = 16 * 1024;
    /** The largest response head read from an origin. */
    int MAX_RESPONSE_HEAD = 64 * 1024;
    int MAX_HEADERS = 128;

    /** One header field, name as sent. */
    record Header(String name, String value) {}

    /** A request head: {@code method target version}, then the fields. */
    record Request(String method, String target, String version, List<Header> headers) implements HttpHead {}

    /**
     * A response head: {@code version status reason}, then the fields.
     *
     * @param status the three-digit status code, 0-999 (the parser checks only that it is three digits)
     */
    record Response(String version, int status, String reason, List<Header> headers) implements HttpHead {}

    List<Header> headers();

    /** The first value of a header, or {@code null}. */
    default String header(String name) {
        for (Header h : headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.value();
            }
        }
        return null;
    }

    /** How many times a header appears. */
    default int count(String name) {
        int n = 0;
        for (Header h : headers()) {
            if (h.name().equalsIgnoreCase(name)) n++;
        }
        return n;
    }

    /** Whether a comma-separated header contains a token, case-insensitively. */
    default boolean hasToken(String name, String token) {
        for (Header h : headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String t : h.value().split(",")) {
                    if (t.trim().equalsIgnoreCase(token)) return true;
                }
            }
        }
        return false;
    }

    /** The last non-blank token of a comma-separated header over all its fields, or "". */
    default String lastToken(String name) {
        String last = "";
        for (Header h : headers()) {
            if (h.name().equalsIgnoreCase(name)) {
                for (String t : h.value().split(",")) {
                    if (!t.isBlank()) last = t.strip();
                }
            }
        }
        return last;
    }

    /** Parses a request head from the first {@code len} bytes of {@code b}. */
    static Parse<Request> parseRequest(byte[] b, int len, int maxHead) {
        int start = 0;
        // RFC 9112 2.2: a server should ignore at least one empty line before the request line.
        while (start < len && start < 4 && (b[start] == '\r' || b[start] == '\n')) {
            start++;
        }
        int end = findEnd(b, start, Math.min(len, maxHead));
        if (end < 0) {
            return incomplete(b, start, len, maxHead, true);
        }
        List<String> lines = splitLines(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
        if (lines.isEmpty()) {
            return new Parse.Bad<>(400, "empty request");
        }
        String[] parts = lines.getFirst().split(" ", 3);
        if (parts.length != 3) {
            return new Parse.Bad<>(400, "malformed request line");
        }
        String method = parts[0];
        String target = parts[1];
        String version = parts[2];
        if (method.isEmpty() || !isToken(method)) {
            return new Parse.Bad<>(400, "malformed method");
        }
        if (target.isEmpty() || !isVisible(target)) {
            return new Parse.Bad<>(400, "malformed request target");
        }
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            return new Parse.Bad<>(version.startsWith("HTTP/") ? 505 : 400, "unsupported HTTP version");
        }
        return switch (fields(lines, 400)) {
            case Parse.Done<List<Header>> f -> new Parse.Done<>(new Request(method, target, version, f.value()), end);
            case Parse.Bad<List<Header>> bad -> new Parse.Bad<>(bad.code(), bad.reason());
            case Parse.More<List<Header>> more -> throw new IllegalStateException();
        };
    }

    /** Parses a response head from the first {@code len} bytes of {@code b}. */
    static Parse<Response> parseResponse(byte[] b, int len, int maxHead) {
        int end = findEnd(b, 0, Math.min(len, maxHead));
        if (end < 0) {
            return incomplete(b, 0, len, maxHead, false);
        }
        List<String> lines = splitLines(new String(b, 0, end, StandardCharsets.ISO_8859_1));
        if (lines.isEmpty()) {
            return new Parse.Bad<>(400, "empty request");
        }
        String[] parts = lines.getFirst().split(" ", 3);
        if (parts.length < 2) {
            return new Parse.Bad<>(502, "malformed status line");
        }
        String version = parts[0];
        String status = parts[1];
        if (!version.startsWith("HTTP/1.") || status.length() != 3 || !DomainPattern.isAllDigits(status)) {
            return new Parse.Bad<>(502, "malformed status line");
        }
        String reason = parts.length == 3 ? parts[2] : "";
        return switch (fields(lines, 502)) {
            case Parse.Done<List<Header>> f -> new Parse.Done<>(new Response(version, Integer.parseInt(status), reason, f.value()), end);
            case Parse.Bad<List<Header>> bad -> new Parse.Bad<>(bad.code(), bad.reason());
            case Parse.More<List<Header>> more -> throw new IllegalStateException();
        };
    }

    /** No blank line yet: too large, junk, or a valid prefix. */
    private static <T> Parse<T> incomplete(byte[] b, int start, int len, int maxHead, boolean request) {
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

    /**
     * The header fields after the start line, and the framing rules that keep a body's end
     * unambiguous. The length of a {@code Done} is meaningless.
     *
     * @param bad the status for a malformed field: 400 from a client, 502 from an origin
     */
    private static Parse<List<Header>> fields(List<String> lines, int bad) {
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
        String cl = null;
        boolean te = false;
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase("Content-Length")) {
                if (cl != null) {
                    return new Parse.Bad<>(bad, "more than one Content-Length");
                }
                cl = h.value();
            } else if (h.name().equalsIgnoreCase("Transfer-Encoding")) {
                te = true;
            }
        }
        if (cl != null && (cl.isEmpty() || cl.length() > 18 || !DomainPattern.isAllDigits(cl))) {
            return new Parse.Bad<>(bad, "malformed Content-Length");
        }
        if (cl != null && te) {
            return new Parse.Bad<>(bad, "both Content-Length and Transfer-Encoding");
        }
        return new Parse.Done<>(List.copyOf(headers), 0);
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
