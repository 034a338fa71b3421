package dev.halt.core.linux.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One audit record, parsed: its type, the stamp that ties the records of one event together
 * ({@code audit(1796535776.365:6):}, seconds since the epoch with milliseconds, then a serial
 * number), and its {@code key=value} fields.
 *
 * <p>Values are bare words or double-quoted. A string the kernel does not trust (a path, a program
 * name: {@code audit_log_untrustedstring}) is quoted when it holds only printable characters other
 * than {@code "}, and otherwise written as upper-case hex without quotes; those fields are decoded
 * here, so {@link #fields()} holds the real text either way.
 *
 * @param type   the record type ({@code AUDIT_LANDLOCK_ACCESS}, ...)
 * @param time   when the event happened
 * @param serial the event's serial number: records with the same one describe the same event
 * @param fields the fields in order
 */
record AuditRecord(int type, Instant time, long serial, Map<String, String> fields) {

    /** Fields the kernel writes with {@code audit_log_untrustedstring}: quoted, or hex when they hold odd characters. */
    private static final Set<String> UNTRUSTED = Set.of("path", "name", "exe", "comm", "ocomm", "cwd", "proctitle");

    AuditRecord {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The field {@code key}, or null. */
    String field(String key) {
        return fields.get(key);
    }

    /** Parses {@code text}; null when it does not start with an {@code audit(...)} stamp. */
    static AuditRecord parse(int type, String text) {
        if (!text.startsWith("audit(")) return null;
        int close = text.indexOf("):");
        if (close < 0) return null;
        var stamp = text.substring(6, close);
        int colon = stamp.indexOf(':');
        int dot = stamp.indexOf('.');
        if (colon < 0 || dot < 0 || dot > colon) return null;
        Instant time;
        long serial;
        try {
            time = Instant.ofEpochSecond(Long.parseLong(stamp.substring(0, dot)),
                Long.parseLong(stamp.substring(dot + 1, colon)) * 1_000_000L);
            serial = Long.parseLong(stamp.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        var fields = new LinkedHashMap<String, String>();
        int i = close + 2;
        int n = text.length();
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') i++;
            int eq = text.indexOf('=', i);
            if (eq < 0) break;
            int space = text.indexOf(' ', i);
            if (space >= 0 && space < eq) {
                // A word without a value ("proctitle" records may hold one): skip it.
                i = space + 1;
                continue;
            }
            var key = text.substring(i, eq);
            int start = eq + 1;
            String value;
            if (start < n && text.charAt(start) == '"') {
                int end = text.indexOf('"', start + 1);
                if (end < 0) end = n;
                value = text.substring(start + 1, end);
                i = Math.min(n, end + 1);
            } else {
                int end = text.indexOf(' ', start);
                if (end < 0) end = n;
                value = text.substring(start, end);
                if (UNTRUSTED.contains(key)) value = unhex(value);
                i = end;
            }
            fields.putIfAbsent(key, value);
        }
        return new AuditRecord(type, time, serial, fields);
    }

    /** The text of a hex-encoded untrusted string; the value itself when it is not hex. */
    static String unhex(String value) {
        if (value.isEmpty() || value.length() % 2 != 0) return value;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return value;
        }
        var bytes = HexFormat.of().parseHex(value);
        int end = bytes.length;
        // proctitle separates its arguments with NULs.
        for (int i = 0; i < end; i++) if (bytes[i] == 0) bytes[i] = ' ';
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
