package dev.halt.core.config;

import dev.halt.core.policy.SandboxPolicy;

import java.util.List;

/** The outcome of {@link ConfigLoader#load}. */
public sealed interface LoadResult {

    /** Warnings to print whatever the outcome. */
    List<ConfigWarning> warnings();

    /**
     * The configuration is valid.
     *
     * @param config   the merged configuration, for {@code halt config show}
     * @param policy   the policy to launch with
     * @param warnings missing paths and other things worth printing
     */
    record Loaded(EffectiveConfig config, SandboxPolicy policy, List<ConfigWarning> warnings) implements LoadResult {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The configuration cannot be used: {@code halt run} prints every error and exits 125
     * without running anything.
     *
     * @param errors every problem found, per file in source order
     */
    record Failed(List<ConfigError> errors, List<ConfigWarning> warnings) implements LoadResult {
        public Failed {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("a failed load needs at least one error");
            }
        }
    }
}
