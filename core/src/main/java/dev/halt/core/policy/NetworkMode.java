package dev.halt.core.policy;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How much network the sandboxed child gets.
 *
 * <p>The config file spells a mode by its {@link #configName() config name}
 * ({@code network = { mode = "proxy_only" }}); the command line also accepts the short
 * aliases {@code localhost} and {@code proxy}. The default is {@link #LOCALHOST_ONLY}, as in
 * the reference tool.
 */
public enum NetworkMode {
    /** No network restriction at all. */
    UNRESTRICTED("unrestricted", null),
    /** Loopback only: the child reaches itself, nothing else. The default. */
    LOCALHOST_ONLY("localhost_only", "localhost"),
    /** Outbound traffic only through halt's proxy, to allowlisted domains. */
    PROXY_ONLY("proxy_only", "proxy"),
    /** No network at all. */
    BLOCKED("blocked", null);

    /** The mode used when neither a config file nor the command line names one. */
    public static final NetworkMode DEFAULT = LOCALHOST_ONLY;

    private final String configName;
    private final String alias;

    NetworkMode(String configName, String alias) {
        this.configName = configName;
        this.alias = alias;
    }

    /** The spelling used in config files and printed by {@code halt config show}. */
    public String configName() {
        return configName;
    }

    /**
     * Parses a mode by its config name or its command-line alias. Case-insensitive, so a
     * user typing {@code Proxy} is not punished; surrounding blanks are ignored.
     *
     * @return the mode, or empty when {@code text} names none (see {@link #validNames()})
     */
    public static Optional<NetworkMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        var wanted = text.strip().toLowerCase(Locale.ROOT);
        for (var mode : values()) {
            if (mode.configName.equals(wanted) || wanted.equals(mode.alias)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }

    /** Every accepted spelling, for error messages: {@code "unrestricted", "localhost_only" (or "localhost"), ...}. */
    public static String validNames() {
        return Arrays.stream(values())
                .map(m -> '"' + m.configName + '"' + (m.alias == null ? "" : " (or \"" + m.alias + "\")"))
                .collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return configName;
    }
}
