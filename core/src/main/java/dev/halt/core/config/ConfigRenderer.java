package dev.halt.core.config;

import dev.halt.core.json.JsonWriter;

import dev.halt.core.policy.EnvPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.tomlj.Toml;

/**
 * Renders an {@link EffectiveConfig} for {@code halt config show}: every key with its value,
 * defaults included, and where each value came from.
 *
 * <p>TOML output is a valid config file (sources are comments after each value, so it can be
 * copied into a config file); JSON output gives each value as {@code {"value": ..., "source": "..."}}.
 */
public final class ConfigRenderer {
    private ConfigRenderer() {
    }

    /** Output formats of {@code halt config show --format}. */
    public enum Format {
        TOML, JSON;

        /** Parses {@code toml} or {@code json}, any case. */
        public static Optional<Format> parse(String text) {
            for (var f : values()) {
                if (f.name().equalsIgnoreCase(text.strip())) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    /** Renders {@code config}, with {@code warnings} (missing paths, ...) as comments or a list. */
    public static String render(EffectiveConfig config, List<ConfigWarning> warnings, Format format) {
        return switch (format) {
            case TOML -> toml(config, warnings);
            case JSON -> json(config, warnings);
        };
    }

    private static List<String> alwaysPassed() {
        var names = new ArrayList<>(EnvPolicy.ALWAYS_PASSED);
        EnvPolicy.ALWAYS_PASSED_PREFIXES.forEach(p -> names.add(p + "*"));
        return names;
    }

    // ---- TOML ----

    private static String toml(EffectiveConfig config, List<ConfigWarning> warnings) {
        var out = new StringBuilder();
        out.append("# Effective halt configuration: what `halt run` would use here.\n");
        out.append("# Layers, lowest priority first (scalars: later wins; lists: extended):\n");
        for (var layer : config.layers()) {
            out.append("#   ").append(layer.file()
                    .map(f -> String.format(Locale.ROOT, "%-13s", layer.scope().label()) + comment(f.toString()))
                    .orElse(layer.scope().label())).append('\n');
        }
        var locations = config.locations();
        out.append("# Looked for: global ").append(comment(locations.globalFile().toString()))
                .append(", project ").append(comment(locations.projectFile().toString())).append('\n');
        out.append("# The comment after each value says where it came from.\n");
        out.append("# Environment variables always passed: ").append(String.join(", ", alwaysPassed())).append('\n');
        for (var table : ConfigSchema.TABLES) {
            if (isInline(table)) {
                continue;
            }
            out.append("\n[").append(Toml.joinKeyPath(table)).append("]\n");
            for (var inline : ConfigSchema.TABLES) {
                if (isInline(inline) && inline.subList(0, inline.size() - 1).equals(table)) {
                    inlineTable(out, config, inline);
                }
            }
            for (var key : ConfigSchema.KEYS) {
                if (key.table().equals(table)) {
                    tomlKey(out, config, key);
                }
            }
        }
        if (!warnings.isEmpty()) {
            out.append("\n# Warnings:\n");
            warnings.forEach(w -> out.append("#   ").append(comment(w.message())).append('\n'));
        }
        return out.toString();
    }

    /** {@code [sandbox.network]} is written inline, {@code network = { mode = "..." }}, as in the docs. */
    private static boolean isInline(List<String> table) {
        return table.equals(List.of("sandbox", "network"));
    }

    private static void inlineTable(StringBuilder out, EffectiveConfig config, List<String> table) {
        var parts = new ArrayList<String>();
        var sources = new ArrayList<String>();
        for (var key : ConfigSchema.KEYS) {
            if (key.table().equals(table) && key.kind() == ConfigKey.Kind.SCALAR) {
                parts.add(key.name() + " = " + tomlValue(plainValue(config, key)));
                sources.add(config.value(key).source().describe());
            }
        }
        out.append(Toml.joinKeyPath(List.of(table.getLast()))).append(" = { ").append(String.join(", ", parts))
                .append(" } # ").append(comment(String.join("; ", sources))).append('\n');
    }

    private static <T> void tomlKey(StringBuilder out, EffectiveConfig config, ConfigKey<T> key) {
        var name = Toml.joinKeyPath(List.of(key.name()));
        if (key.kind() == ConfigKey.Kind.SCALAR) {
            var sourced = config.value(key);
            out.append(name).append(" = ").append(tomlValue(key.plain(sourced.value())))
                    .append(" # ").append(comment(sourced.source().describe())).append('\n');
            return;
        }
        var values = config.values(key);
        if (values.isEmpty()) {
            out.append(name).append(" = []\n");
            return;
        }
        out.append(name).append(" = [\n");
        for (var sourced : values) {
            out.append("  ").append(tomlValue(key.plain(sourced.value()))).append(", # ")
                    .append(comment(sourced.source().describe())).append('\n');
        }
        out.append("]\n");
    }

    private static <T> Object plainValue(EffectiveConfig config, ConfigKey<T> key) {
        return key.plain(config.value(key).value());
    }

    private static String tomlValue(Object plain) {
        return switch (plain) {
            case String s -> "\"" + Toml.tomlEscape(s) + "\"";
            case Long l -> Long.toString(l);
            case Boolean b -> Boolean.toString(b);
            default -> throw new IllegalStateException("no TOML form for " + plain.getClass());
        };
    }

    /** A comment ends at the line end: control characters (from odd file names) become '?'. */
    private static String comment(String text) {
        var sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    // ---- JSON ----

    private static String json(EffectiveConfig config, List<ConfigWarning> warnings) {
        var root = new LinkedHashMap<String, Object>();
        var layers = new ArrayList<Object>();
        for (var layer : config.layers()) {
            var l = new LinkedHashMap<String, Object>();
            l.put("scope", layer.scope().label());
            layer.file().ifPresent(f -> l.put("file", f.toString()));
            layers.add(l);
        }
        root.put("layers", layers);
        root.put("env_always_passed", alwaysPassed());
        for (var key : ConfigSchema.KEYS) {
            Map<String, Object> table = root;
            for (var part : key.table()) {
                table = child(table, part);
            }
            table.put(key.name(), jsonKey(config, key));
        }
        root.put("warnings", warnings.stream().map(ConfigWarning::message).toList());
        return new JsonWriter().tree(root) + "\n";
    }

    @SuppressWarnings("unchecked") // the tree holds only maps it made itself under table names
    private static Map<String, Object> child(Map<String, Object> parent, String name) {
        return (Map<String, Object>) parent.computeIfAbsent(name, n -> new LinkedHashMap<String, Object>());
    }

    private static <T> Object jsonKey(EffectiveConfig config, ConfigKey<T> key) {
        if (key.kind() == ConfigKey.Kind.SCALAR) {
            return sourcedJson(key, config.value(key));
        }
        return config.values(key).stream().map(s -> sourcedJson(key, s)).toList();
    }

    private static <T> Map<String, Object> sourcedJson(ConfigKey<T> key, Sourced<T> sourced) {
        var m = new LinkedHashMap<String, Object>();
        m.put("value", key.plain(sourced.value()));
        m.put("source", sourced.source().describe());
        return m;
    }
}
