package dev.halt.core.config;

import dev.halt.core.policy.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * Reads one config file into a {@link ConfigLayer}, collecting every problem of the file rather
 * than stopping at the first (except TOML syntax errors: tomlj stops at the first).
 */
final class ConfigFileReader {
    private ConfigFileReader() {
    }

    /** The layer read from a file, and what was wrong in it (the layer holds only the good values). */
    record Result(ConfigLayer layer, List<ConfigError> errors) {
    }

    /**
     * Reads {@code content}, the bytes of {@code file}. Taking the bytes rather than the path
     * lets the caller hash exactly what it parses (no window between trust check and use).
     */
    static Result read(Path file, byte[] content, ConfigScope scope, ReadContext context) {
        var layer = ConfigLayer.builder(scope, Optional.of(file));
        var errors = new ArrayList<ConfigError>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            errors.add(new ConfigError.Unreadable(file, "not valid UTF-8 (TOML files are UTF-8)"));
            return new Result(layer.build(), errors);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write; TOML does not allow it
        }
        var parsed = Toml.parse(text);
        if (parsed.hasErrors()) {
            for (var e : parsed.errors()) {
                var pos = e.position();
                errors.add(new ConfigError.Syntax(file, pos == null ? 0 : pos.line(), pos == null ? 0 : pos.column(), e.getMessage()));
            }
            return new Result(layer.build(), errors);
        }
        new Walker(file, context, layer, errors, new SourceText(text)).table(parsed, List.of());
        errors.sort(Comparator.comparingInt(ConfigFileReader::line));
        return new Result(layer.build(), List.copyOf(errors));
    }

    /**
     * The file's text, to correct tomlj's positions of array elements: tomlj 1.1.1 reports the
     * end of whatever precedes an element (the '[' or the previous comma), which for a list
     * written one element per line is the line before. The element starts at the first
     * character after that which is not a blank, a newline, a comma or a comment.
     */
    private static final class SourceText {
        private final String text;
        private final List<Integer> lineStarts = new ArrayList<>();

        SourceText(String text) {
            this.text = text;
            lineStarts.add(0);
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    lineStarts.add(i + 1);
                }
            }
        }

        TomlPosition elementStart(TomlPosition reported) {
            if (reported == null || reported.line() < 1 || reported.line() > lineStarts.size()) {
                return reported;
            }
            int line = reported.line();
            int lineEnd = line < lineStarts.size() ? lineStarts.get(line) - 1 : text.length();
            // after a comment tomlj's column can point past the end of its line: clamp to the newline
            int i = Math.min(lineStarts.get(line - 1) + Math.max(0, reported.column() - 1), lineEnd);
            while (i < text.length()) {
                char c = text.charAt(i);
                if (c == '#') {
                    while (i < text.length() && text.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == ' ' || c == '\t' || c == '\r' || c == ',' || c == '\n') {
                    i++;
                } else {
                    break;
                }
            }
            if (i >= text.length()) {
                return reported;
            }
            int index = java.util.Collections.binarySearch(lineStarts, i);
            int lineIndex = index >= 0 ? index : -index - 2;
            return TomlPosition.positionAt(lineIndex + 1, i - lineStarts.get(lineIndex) + 1);
        }
    }

    private static int line(ConfigError error) {
        return switch (error) {
            case ConfigError.Syntax s -> s.line();
            case ConfigError.UnknownKey u -> u.line();
            case ConfigError.InvalidValue v when v.where() instanceof ValueSource.ConfigFile f -> f.line();
            default -> 0;
        };
    }

    private record Walker(Path file, ReadContext context, ConfigLayer.Builder layer, List<ConfigError> errors, SourceText text) {

        void table(TomlTable table, List<String> path) {
            for (var name : table.keySet()) {
                var keyPath = append(path, name);
                var position = table.inputPositionOf(List.of(name));
                var raw = table.get(List.of(name));
                if (ConfigSchema.isTable(keyPath)) {
                    if (raw instanceof TomlTable sub) {
                        table(sub, keyPath);
                    } else {
                        invalid(position, keyPath, "expected a table, got " + ConfigSchema.typeName(raw) + tableHint(keyPath));
                    }
                    continue;
                }
                var key = ConfigSchema.key(keyPath);
                if (key.isEmpty()) {
                    errors.add(new ConfigError.UnknownKey(file, line(position), column(position), Toml.joinKeyPath(keyPath),
                            suggest(path, name)));
                    continue;
                }
                value(key.get(), raw, position);
            }
        }

        private <T> void value(ConfigKey<T> key, Object raw, TomlPosition position) {
            var dotted = key.dottedName();
            if (key.kind() == ConfigKey.Kind.SCALAR) {
                if (raw instanceof TomlArray || raw instanceof TomlTable) {
                    invalid(position, dotted, "expected a single value, got " + ConfigSchema.typeName(raw));
                    return;
                }
                try {
                    layer.set(key, new Sourced<>(key.read(raw, context), source(position)));
                } catch (IllegalArgumentException e) {
                    invalid(position, dotted, e.getMessage());
                }
                return;
            }
            if (!(raw instanceof TomlArray array)) {
                invalid(position, dotted, "expected a list such as " + key.name() + " = [ ... ], got " + ConfigSchema.typeName(raw));
                return;
            }
            layer.touch(key);
            for (int i = 0; i < array.size(); i++) {
                var elementPosition = text.elementStart(array.inputPositionOf(i));
                var element = array.get(i);
                try {
                    layer.add(key, new Sourced<>(key.read(element, context), source(elementPosition)));
                } catch (IllegalArgumentException e) {
                    invalid(elementPosition, dotted + "[" + i + "]", e.getMessage());
                }
            }
        }

        private void invalid(TomlPosition position, List<String> keyPath, String reason) {
            invalid(position, Toml.joinKeyPath(keyPath), reason);
        }

        private void invalid(TomlPosition position, String key, String reason) {
            errors.add(new ConfigError.InvalidValue(source(position), key, reason));
        }

        private ValueSource.ConfigFile source(TomlPosition position) {
            return new ValueSource.ConfigFile(file, line(position), column(position));
        }

        private static String tableHint(List<String> keyPath) {
            return keyPath.equals(List.of("sandbox", "network"))
                    ? " (write network = { mode = \"proxy_only\" })"
                    : " (write [" + Toml.joinKeyPath(keyPath) + "] on a line of its own, then its keys)";
        }

        /** The known name closest to an unknown one: same table by spelling, or the same name in another table. */
        private static Optional<String> suggest(List<String> table, String name) {
            String best = null;
            int bestDistance = Integer.MAX_VALUE;
            for (var known : ConfigSchema.namesIn(table)) {
                int d = distance(name.toLowerCase(java.util.Locale.ROOT), known);
                if (d < bestDistance) {
                    bestDistance = d;
                    best = known;
                }
            }
            if (best != null && bestDistance <= Math.max(2, name.length() / 3)) {
                return Optional.of(Toml.joinKeyPath(append(table, best)));
            }
            for (var key : ConfigSchema.KEYS) {
                if (key.name().equals(name)) {
                    return Optional.of(key.dottedName());
                }
            }
            for (var t : ConfigSchema.TABLES) {
                if (t.getLast().equals(name)) {
                    return Optional.of(Toml.joinKeyPath(t));
                }
            }
            return Optional.empty();
        }

        private static int distance(String a, String b) {
            var prev = new int[b.length() + 1];
            var cur = new int[b.length() + 1];
            for (int j = 0; j <= b.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= a.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= b.length(); j++) {
                    int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                    cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                }
                var t = prev;
                prev = cur;
                cur = t;
            }
            return prev[b.length()];
        }

        private static List<String> append(List<String> path, String name) {
            var p = new ArrayList<>(path);
            p.add(name);
            return List.copyOf(p);
        }

        private static int line(TomlPosition p) {
            return p == null ? 0 : p.line();
        }

        private static int column(TomlPosition p) {
            return p == null ? 0 : p.column();
        }
    }
}
