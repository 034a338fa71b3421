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
     * A writable grant covers halt's own global config directory, so the sandboxed child could
     * change the global config or trust its own project file.
     */
    record WritableConfigDirectory(Path grant, Path configDirectory, ValueSource source) implements ConfigWarning {
        @Override
        public String message() {
            return source.describe() + ": read_write grant " + grant + " contains halt's config directory "
                    + configDirectory + "; the sandboxed program could change halt's config and trust store";
        }
    }
}
