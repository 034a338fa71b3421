package dev.halt.core.probe;

import dev.halt.core.config.ConfigFiles;
import dev.halt.core.config.ConfigLoader;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ConfigScope;
import dev.halt.core.config.TrustStore;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A config file halt would read: whether it is there, whether it is valid (the same checks as
 * {@code halt run}: syntax, unknown keys, types, values), and for the project file whether its
 * content is trusted.
 *
 * @param scope  {@code global} or {@code project}
 * @param path   where halt looks
 * @param exists whether a file is there
 * @param error  the first problem ({@code file:line:column: ...}), or null when valid or absent
 * @param trust  project file only: {@code trusted}, {@code untrusted} or {@code changed}; else null
 */
public record ConfigFileStatus(String scope, Path path, boolean exists, String error, String trust) {

    /** Whether the file exists and is valid. */
    public boolean parses() { return exists && error == null; }

    /** Looks at the global or project file of {@code locations}. */
    public static ConfigFileStatus inspect(ConfigScope scope, ConfigLocations locations) {
        var path = locations.file(scope);
        var label = scope.label();
        if (!Files.exists(path)) return new ConfigFileStatus(label, path, false, null, null);
        byte[] content;
        try {
            content = ConfigFiles.read(path);
        } catch (ConfigFiles.Unusable e) {
            return new ConfigFileStatus(label, path, true, "cannot read " + path + ": " + e.getMessage(), null);
        }
        var errors = ConfigLoader.validate(path, content, scope, locations);
        var error = errors.isEmpty() ? null
            : errors.get(0).message() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "");
        String trust = null;
        if (scope == ConfigScope.PROJECT) {
            trust = switch (TrustStore.of(locations).check(path, content)) {
                case TRUSTED -> "trusted";
                case UNKNOWN -> "untrusted";
                case CHANGED -> "changed";
            };
        }
        return new ConfigFileStatus(label, path, true, error, trust);
    }
}
