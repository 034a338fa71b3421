package dev.halt.core.config;

/**
 * The layers of configuration, lowest priority first. Scalars of a later layer replace those
 * of an earlier one; lists are extended and deduplicated.
 */
public enum ConfigScope {
    /** Built-in defaults. */
    DEFAULT("defaults"),
    /** {@code $XDG_CONFIG_HOME/halt/halt.toml}, default {@code ~/.config/halt/halt.toml}. */
    GLOBAL("global"),
    /** {@code .halt/halt.toml} in the working directory; used only when trusted. */
    PROJECT("project"),
    /** A file named by {@code --config}. */
    EXTRA("--config"),
    /** Flags of {@code halt run}. */
    COMMAND_LINE("command line");

    private final String label;

    ConfigScope(String label) {
        this.label = label;
    }

    /** How the layer is named to the user. */
    public String label() {
        return label;
    }
}
