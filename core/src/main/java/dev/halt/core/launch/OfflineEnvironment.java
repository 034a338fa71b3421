package dev.halt.core.launch;

import dev.halt.core.policy.NetworkMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child's environment in the network modes where no name outside the machine resolves
 * ({@code blocked}, {@code localhost_only}): clients are told not to retry what cannot succeed.
 *
 * <p>halt answers every DNS lookup there with NXDOMAIN at once, but npm's fetcher retries even
 * {@code ENOTFOUND} (twice, 10 s then 60 s apart), so {@code npm install} sat 70 s on a refusal
 * that was final from the first lookup. A value the user set is kept.
 */
public final class OfflineEnvironment {
    private OfflineEnvironment() {}

    /** The variable set, and its value, when npm's setting is absent. */
    public static final Map.Entry<String, String> NPM_FETCH_RETRIES = Map.entry("npm_config_fetch_retries", "0");

    private static final System.Logger LOG = System.getLogger("halt");

    /** {@code base} with the settings this mode adds (each named at {@code -v}), or {@code base} itself when it adds none. */
    public static Map<String, String> of(Map<String, String> base, NetworkMode mode) {
        var entry = added(base, mode);
        if (entry.isEmpty()) return base;
        LOG.log(System.Logger.Level.INFO, "env: " + entry.get().getKey() + "=" + entry.get().getValue() + " (network "
            + mode.configName() + ": no name outside this machine resolves, so npm's retries could only wait;"
            + " --env " + entry.get().getKey() + " keeps yours)");
        var env = new LinkedHashMap<>(base);
        env.put(entry.get().getKey(), entry.get().getValue());
        return env;
    }

    /** What {@link #of} adds to {@code base} in {@code mode}, if anything (for {@code -v}). */
    public static Optional<Map.Entry<String, String>> added(Map<String, String> base, NetworkMode mode) {
        if (mode != NetworkMode.BLOCKED && mode != NetworkMode.LOCALHOST_ONLY) return Optional.empty();
        // npm reads its settings from the environment case-insensitively.
        for (var name : List.of(NPM_FETCH_RETRIES.getKey(), NPM_FETCH_RETRIES.getKey().toUpperCase(java.util.Locale.ROOT))) {
            if (base.containsKey(name)) return Optional.empty();
        }
        return Optional.of(NPM_FETCH_RETRIES);
    }
}
