package dev.halt.core.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The child's environment: halt's own environment scrubbed to an allowlist, plus explicit
 * {@link EnvEntry entries}.
 *
 * <p>Always passed when halt's environment has them: {@link #ALWAYS_PASSED}, the
 * {@link #CA_VARIABLES} and every variable starting with one of {@link #ALWAYS_PASSED_PREFIXES}
 * ({@code LC_*}, {@code XDG_*}). Everything
 * else, API keys included, is dropped unless an entry names it. Entries are applied in order, so
 * a later entry for the same name wins; {@code KEY} for a variable halt's environment lacks
 * leaves it out (and is reported in {@link ChildEnvironment#absent()}).
 *
 * @param entries explicit entries, one per name: when several name the same variable the last
 *                one is kept, at the place of the first (as the config merge does)
 */
public record EnvPolicy(List<EnvEntry> entries) {

    /** Variables passed from halt's environment without being asked for. */
    public static final Set<String> ALWAYS_PASSED = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(List.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ", "TMPDIR",
            "EDITOR", "VISUAL", "PAGER", "COLORTERM", "TERM_PROGRAM")));

    /**
     * Variables naming CA certificates, passed without being asked for (behind a TLS-intercepting
     * proxy every request fails without them); {@link SystemDefaults} grants read on what they name.
     */
    public static final List<String> CA_VARIABLES = List.of("SSL_CERT_FILE", "SSL_CERT_DIR", "NODE_EXTRA_CA_CERTS",
        "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "PIP_CERT");

    /** Prefixes of variables passed from halt's environment without being asked for. */
    public static final List<String> ALWAYS_PASSED_PREFIXES = List.of("LC_", "XDG_");

    /** Only the built-in allowlist, no entries. */
    public static final EnvPolicy DEFAULT = new EnvPolicy(List.of());

    public EnvPolicy {
        Objects.requireNonNull(entries, "entries");
        var byName = new LinkedHashMap<String, EnvEntry>();
        for (var entry : entries) {
            Objects.requireNonNull(entry, "entry");
            byName.put(entry.name(), entry);
        }
        entries = List.copyOf(byName.values());
    }

    /** Whether {@code name} is passed by the built-in allowlist alone. */
    public static boolean alwaysPassed(String name) {
        return ALWAYS_PASSED.contains(name) || CA_VARIABLES.contains(name)
            || ALWAYS_PASSED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** This policy with {@code entry} added (replacing an earlier entry of the same name). */
    public EnvPolicy with(EnvEntry entry) {
        var list = new ArrayList<>(entries);
        list.add(entry);
        return new EnvPolicy(list);
    }

    /**
     * Builds the child's environment from halt's.
     *
     * @param hostEnvironment halt's environment, usually {@link System#getenv()}
     */
    public ChildEnvironment resolve(Map<String, String> hostEnvironment) {
        var result = new TreeMap<String, String>();
        hostEnvironment.forEach((name, value) -> {
            if (alwaysPassed(name)) {
                result.put(name, value);
            }
        });
        var absent = new ArrayList<String>();
        for (var entry : entries) {
            switch (entry) {
                case EnvEntry.Set set -> result.put(set.name(), set.value());
                case EnvEntry.Pass pass -> {
                    var value = hostEnvironment.get(pass.name());
                    if (value == null) {
                        absent.add(pass.name());
                    } else {
                        result.put(pass.name(), value);
                    }
                }
            }
        }
        var dropped = new TreeMap<String, String>(hostEnvironment);
        dropped.keySet().removeAll(result.keySet());
        return new ChildEnvironment(Collections.unmodifiableMap(result), List.copyOf(absent), List.copyOf(dropped.keySet()));
    }

    /**
     * The environment a child gets.
     *
     * @param variables the variables, sorted by name
     * @param absent    names asked for with {@code KEY} that halt's environment lacks, so they were
     *                  left out ({@code -v} reports them)
     * @param dropped   names of halt's environment the child does not get, sorted ({@code -v} lists them)
     */
    public record ChildEnvironment(Map<String, String> variables, List<String> absent, List<String> dropped) {
    }
}
