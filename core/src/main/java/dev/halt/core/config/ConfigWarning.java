package dev.halt.core.config;

import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.ValueSource;

import java.nio.file.Path;

/** Something worth telling the user that does not stop {@code halt run}. */
public sealed interface ConfigWarning {

    /** The line to show the user. */
    String message();

    /** A granted path that does not exist; the grant is skipped. */
    record MissingPath(Path path, PathAccess access, ValueSource source) implements ConfigWarning {
        @Override
        public String message() {
            return source.describe() + ": " + access.configKey() + " grant " + path + " does not exist; skipped";
        }
    }

    /**
     * One of halt's shared temporary defaults ({@code /tmp}, {@code $TMPDIR}, {@code /dev/shm})
     * contains halt's own global config directory, so the sandboxed child could change the global
     * config or trust its own project file. A grant the user made is refused instead
     * ({@link ConfigError.WritableHaltConfig}); a default cannot be narrowed, hence a warning.
     */
    record WritableConfigDirectory(Path grant, Path configDirectory, ValueSource source) implements ConfigWarning {
        @Override
        public String message() {
            return source.describe() + ": read_write grant " + grant + " contains halt's config directory "
                    + configDirectory + "; the sandboxed program could change halt's config and trust store."
                    + " Set XDG_CONFIG_HOME to a directory outside " + grant;
        }
    }
}
