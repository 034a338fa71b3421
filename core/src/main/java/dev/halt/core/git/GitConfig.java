package dev.halt.core.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A small reader of git's configuration format, enough to find what git reads and runs: sections,
 * {@code key = value}, quotes and escapes, comments, and the files a file includes
 * ({@code [include] path} and {@code [includeIf ...] path}, whatever the condition, followed
 * where they appear, as git does). Not a full parser: a multi-line value or a key without
 * {@code =} is skipped.
 *
 * @param files     every file visited that exists (a directory or an unreadable file included:
 *                  the caller decides what such a file means), in the order git reads them
 * @param entries   every {@code key = value} read, in order: a later one overrides an earlier one
 * @param includers for each file but the first, the file whose include named it
 */
public record GitConfig(List<Path> files, List<Entry> entries, Map<Path, Path> includers) {

    /** Config files larger than this are not read. */
    static final long MAX_BYTES = 1 << 20;
    /** git's own limit on nested includes. */
    static final int MAX_INCLUDE_DEPTH = 10;
    /** At most this many files are visited from one starting file. */
    static final int MAX_FILES = 100;

    public GitConfig {
        files = List.copyOf(files);
        entries = List.copyOf(entries);
        includers = Map.copyOf(includers);
    }

    /**
     * One {@code key = value}.
     *
     * @param file    the file it is in
     * @param section the section's name, lower case, without its subsection ({@code includeif})
     * @param key     the key, lower case
     * @param value   without quotes, escapes and trailing comment
     */
    public record Entry(Path file, String section, String key, String value) {}

    /**
     * Reads {@code file} and, recursively, what it includes. A missing file reads as nothing;
     * includes go {@value #MAX_INCLUDE_DEPTH} deep and {@value #MAX_FILES} files far at most.
     *
     * @param home what {@code ~/} in an include path means (git's {@code $HOME})
     */
    public static GitConfig read(Path file, Path home) {
        var files = new LinkedHashSet<Path>();
        var entries = new ArrayList<Entry>();
        var includers = new HashMap<Path, Path>();
        read(file.toAbsolutePath().normalize(), null, home, files, entries, includers, 0);
        return new GitConfig(List.copyOf(files), entries, includers);
    }

    /** The value of the last {@code section.key}, as git would use it. */
    public Optional<String> last(String section, String key) {
        Optional<String> found = Optional.empty();
        for (var e : entries) {
            if (e.section().equals(section) && e.key().equals(key)) found = Optional.of(e.value());
        }
        return found;
    }

    /**
     * A path-valued setting as git expands it: {@code ~/} is {@code home}; a relative path is
     * {@code relativeTo}'s, or empty when {@code relativeTo} is null (git would resolve it against
     * the directory it runs in); {@code ~user/} and {@code %(prefix)/} are empty.
     */
    public static Optional<Path> path(String value, Path home, Path relativeTo) {
        if (value.isEmpty() || value.startsWith("%(")) return Optional.empty();
        try {
            if (value.equals("~")) return Optional.of(home);
            if (value.startsWith("~/")) return Optional.of(home.resolve(value.substring(2)).normalize());
            if (value.startsWith("~")) return Optional.empty();
            var p = Path.of(value);
            if (p.isAbsolute()) return Optional.of(p.normalize());
            return relativeTo == null ? Optional.empty() : Optional.of(relativeTo.resolve(p).normalize());
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    private static void read(Path file, Path includer, Path home, LinkedHashSet<Path> files, List<Entry> entries,
                             Map<Path, Path> includers, int depth) {
        if (depth > MAX_INCLUDE_DEPTH || files.size() >= MAX_FILES || files.contains(file)) return;
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return;
        files.add(file);
        if (includer != null) includers.put(file, includer);
        List<String> lines;
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) return;
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return;
        }
        String section = "";
        for (var raw : lines) {
            var line = raw.strip();
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                if (end < 0) continue;
                var header = line.substring(1, end).strip();
                int space = header.indexOf(' ');
                section = (space < 0 ? header : header.substring(0, space)).toLowerCase(Locale.ROOT);
                line = line.substring(end + 1).strip();
                if (line.isEmpty()) continue;
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            var key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            var value = value(line.substring(eq + 1));
            entries.add(new Entry(file, section, key, value));
            if ((section.equals("include") || section.equals("includeif")) && key.equals("path")) {
                path(value, home, file.getParent())
                    .ifPresent(included -> read(included, file, home, files, entries, includers, depth + 1));
            }
        }
    }

    /** A value without its quotes, escapes and trailing comment. */
    private static String value(String text) {
        var out = new StringBuilder();
        boolean quoted = false;
        var s = text.strip();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else if (!quoted && (c == '#' || c == ';')) {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString().strip();
    }
}
