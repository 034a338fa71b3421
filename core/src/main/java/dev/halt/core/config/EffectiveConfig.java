package dev.halt.core.config;

import dev.halt.core.policy.EnvEntry;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.MacOptions;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.ProxyPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The merged configuration: every key's value (defaults included) with its source, and the
 * layers it was merged from. {@code [sandbox.macos] allow_trustd}, when no layer sets it, follows
 * the merged network mode ({@link MacOptions#defaultTrustd}). What {@code halt config show} prints and what the
 * {@link SandboxPolicy} is built from.
 *
 * <p>Merge rule: layers are applied lowest first ({@link ConfigScope} order); a scalar set by a
 * later layer replaces the earlier value; list elements are appended, and an element equal to
 * an earlier one (same path; same domain pattern, which ignores case, a trailing dot and Unicode
 * versus punycode; same variable name for {@code env}) replaces it in place, so the later source
 * wins and the first position is kept.
 */
public final class EffectiveConfig {

    /** One merged layer, for showing where values came from. */
    public record LayerInfo(ConfigScope scope, Optional<Path> file) {
    }

    /**
     * A policy and what was noticed while building it. When {@code errors} is not empty the
     * policy must not be launched.
     */
    public record PolicyResult(SandboxPolicy policy, List<ConfigWarning> warnings, List<ConfigError> errors) {
    }

    private final ConfigLocations locations;
    private final List<LayerInfo> layers;
    private final Map<ConfigKey<?>, Sourced<?>> scalars;
    private final Map<ConfigKey<?>, List<Sourced<?>>> lists;

    private EffectiveConfig(ConfigLocations locations, List<LayerInfo> layers, Map<ConfigKey<?>, Sourced<?>> scalars,
                            Map<ConfigKey<?>, List<Sourced<?>>> lists) {
        this.locations = locations;
        this.layers = List.copyOf(layers);
        this.scalars = Map.copyOf(scalars);
        var copy = new LinkedHashMap<ConfigKey<?>, List<Sourced<?>>>();
        lists.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.lists = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * Merges {@code layers}, lowest priority first. The first layer must set every scalar key
     * (the defaults layer does).
     */
    public static EffectiveConfig merge(ConfigLocations locations, List<ConfigLayer> layers) {
        var scalars = new LinkedHashMap<ConfigKey<?>, Sourced<?>>();
        var lists = new LinkedHashMap<ConfigKey<?>, LinkedHashMap<Object, Sourced<?>>>();
        for (var layer : layers) {
            for (var key : ConfigSchema.KEYS) {
                mergeKey(key, layer, scalars, lists);
            }
        }
        if (!scalars.containsKey(ConfigSchema.ALLOW_TRUSTD) && scalars.get(ConfigSchema.NETWORK_MODE) instanceof Sourced<?> mode) {
            var merged = (NetworkMode) mode.value();
            scalars.put(ConfigSchema.ALLOW_TRUSTD, new Sourced<>(MacOptions.defaultTrustd(merged),
                    new ValueSource.Default("built-in: on in unrestricted only; the mode is " + merged)));
        }
        for (var key : ConfigSchema.KEYS) {
            if (key.kind() == ConfigKey.Kind.SCALAR && !scalars.containsKey(key)) {
                throw new IllegalArgumentException("no layer sets " + key + "; the first layer must be the defaults");
            }
        }
        var listValues = new LinkedHashMap<ConfigKey<?>, List<Sourced<?>>>();
        for (var key : ConfigSchema.KEYS) {
            if (key.kind() == ConfigKey.Kind.LIST) {
                var merged = lists.get(key);
                listValues.put(key, merged == null ? List.of() : new ArrayList<>(merged.values()));
            }
        }
        var infos = layers.stream().map(l -> new LayerInfo(l.scope(), l.file())).toList();
        return new EffectiveConfig(locations, infos, scalars, listValues);
    }

    private static <T> void mergeKey(ConfigKey<T> key, ConfigLayer layer, Map<ConfigKey<?>, Sourced<?>> scalars,
                                     Map<ConfigKey<?>, LinkedHashMap<Object, Sourced<?>>> lists) {
        if (key.kind() == ConfigKey.Kind.SCALAR) {
            layer.scalar(key).ifPresent(v -> scalars.put(key, v));
            return;
        }
        var merged = lists.computeIfAbsent(key, k -> new LinkedHashMap<>());
        for (var element : layer.list(key)) {
            merged.put(key.identity(element.value()), element); // LinkedHashMap keeps the first position
        }
    }

    /** Where the files were looked for. */
    public ConfigLocations locations() {
        return locations;
    }

    /** The layers merged, lowest priority first. */
    public List<LayerInfo> layers() {
        return layers;
    }

    /** The value of a scalar key, with its source. */
    @SuppressWarnings("unchecked") // merge stores Sourced<T> under ConfigKey<T>
    public <T> Sourced<T> value(ConfigKey<T> key) {
        requireKind(key, ConfigKey.Kind.SCALAR);
        return (Sourced<T>) Objects.requireNonNull(scalars.get(key));
    }

    /** The elements of a list key, with their sources, in order. */
    @SuppressWarnings("unchecked") // merge stores Sourced<T> under ConfigKey<T>
    public <T> List<Sourced<T>> values(ConfigKey<T> key) {
        requireKind(key, ConfigKey.Kind.LIST);
        return (List<Sourced<T>>) (List<?>) lists.get(key);
    }

    private static void requireKind(ConfigKey<?> key, ConfigKey.Kind kind) {
        if (key.kind() != kind) {
            throw new IllegalArgumentException(key + " is a " + key.kind().name().toLowerCase(java.util.Locale.ROOT) + " key");
        }
    }

    /** The policy this configuration describes, checking path existence on the real filesystem. */
    public PolicyResult toPolicy() {
        return toPolicy(java.nio.file.Files::exists);
    }

    /**
     * The policy this configuration describes. A granted path for which {@code exists} is false
     * is left out, with a {@link ConfigWarning.MissingPath} naming it; a write grant that contains
     * halt's own config directory or trust store is an error ({@link HaltFilesGuard}).
     */
    public PolicyResult toPolicy(Predicate<Path> exists) {
        var warnings = new ArrayList<ConfigWarning>();
        var errors = new ArrayList<ConfigError>();
        var guard = new HaltFilesGuard(locations);
        var builder = SandboxPolicy.builder(locations.workingDirectory())
                .networkMode(value(ConfigSchema.NETWORK_MODE).value())
                .exactNetwork(value(ConfigSchema.NETWORK_EXACT).value())
                .allowLocalBinding(value(ConfigSchema.ALLOW_LOCAL_BINDING).value())
                .allowUnixSockets(value(ConfigSchema.ALLOW_UNIX_SOCKETS).value())
                .isolation(new Isolation(value(ConfigSchema.SHARED_TMP).value(), value(ConfigSchema.SHARED_SHM).value(),
                        value(ConfigSchema.ALLOW_NEW_PTYS).value(), plain(ConfigSchema.MASK), plain(ConfigSchema.PROTECT),
                        plain(ConfigSchema.UNPROTECT)))
                .macos(new MacOptions(value(ConfigSchema.ALLOW_KEYCHAIN).value(), Optional.of(value(ConfigSchema.ALLOW_TRUSTD).value())));
        for (var access : PathAccess.values()) {
            for (var path : values(ConfigSchema.PATH_KEYS.get(access))) {
                if (!exists.test(path.value())) {
                    warnings.add(new ConfigWarning.MissingPath(path.value(), access, path.source()));
                    continue;
                }
                builder.grant(new PathGrant(path.value(), access, path.source()));
                if (access == PathAccess.READ_WRITE && !privateTemporary(path.source())) {
                    guard.check(path.value(), path.source(), errors, warnings);
                }
            }
        }
        values(ConfigSchema.LOCALHOST_PORTS).forEach(p -> builder.localhostPort(p.value()));
        values(ConfigSchema.HOST_PORTS).forEach(p -> builder.hostPort(p.value()));
        builder.env(values(ConfigSchema.ENV).stream().map(Sourced::value).toArray(EnvEntry[]::new));
        var proxy = ProxyPolicy.builder()
                .allow(plain(ConfigSchema.DOMAIN_ALLOWLIST).toArray(DomainPattern[]::new))
                .deny(plain(ConfigSchema.DOMAIN_DENYLIST).toArray(DomainPattern[]::new))
                .dnsTtl(Duration.ofSeconds(value(ConfigSchema.DNS_TTL_SECONDS).value()))
                .connectTimeout(Duration.ofSeconds(value(ConfigSchema.TCP_CONNECT_TIMEOUT_SECS).value()))
                .idleTimeout(Duration.ofSeconds(value(ConfigSchema.TCP_IDLE_TIMEOUT_SECS).value()))
                .allowLocalDestinations(value(ConfigSchema.ALLOW_LOCAL_DESTINATIONS).value())
                .maxConnections(value(ConfigSchema.MAX_CONNECTIONS).value());
        values(ConfigSchema.UPSTREAM_DNS).forEach(ns -> proxy.upstreamDns(ns.value()));
        builder.proxy(proxy.build());
        return new PolicyResult(builder.build(), List.copyOf(warnings), List.copyOf(errors));
    }

    /**
     * Whether {@code source} is a default temporary directory that the run gets as its own
     * (a tmpfs with privileges, a private directory without), so the host's files there, halt's
     * own included, are out of the child's reach.
     */
    private boolean privateTemporary(ValueSource source) {
        return !value(ConfigSchema.SHARED_TMP).value() && source instanceof ValueSource.Default d
                && (d.reason().equals(SystemDefaults.TEMPORARY_DIRECTORY) || d.reason().equals(SystemDefaults.TMPDIR));
    }

    private <T> List<T> plain(ConfigKey<T> key) {
        return values(key).stream().map(Sourced::value).toList();
    }
}
