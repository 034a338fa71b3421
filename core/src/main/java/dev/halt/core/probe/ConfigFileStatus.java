package dev.halt.core.probe;

import org.tomlj.Toml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A config file halt would read, whether it is there and whether it parses.
 *
 * @param scope  {@code global} or {@code project}
 * @param path   where halt looks
 * @param exists whether a file is there
 * @param error  the first parse error (with line and column), or null when it parses or is absent
 */
public record ConfigFileStatus(String scope, Path path, boolean exists, String error) {

    /** Whether the file exists and parses. */
    public boolean parses() { return exists && error == null; }

    /** The global file: {@code $XDG_CONFIG_HOME/halt/halt.toml}, else {@code ~/.config/halt/halt.toml}. */
    public static Path globalPath(Map<String, String> env) {
        var xdg = env.get("XDG_CONFIG_HOME");
        var base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
            : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("halt").resolve("halt.toml");
    }

    /** The project file: {@code .halt/halt.toml} in the working directory. */
    public static Path projectPath(Path workingDirectory) {
        return workingDirectory.resolve(".halt").resolve("halt.toml");
    }

    /** Looks at {@code path}. */
    public static ConfigFileStatus inspect(String scope, Path path) {
        if (!Files.isRegularFile(path)) return new ConfigFileStatus(scope, path, false, null);
        try {
            var result = Toml.parse(path);
            if (result.hasErrors()) {
                var first = result.errors().get(0);
                return new ConfigFileStatus(scope, path, true, path + ":" + first.position().line() + ":"
                    + first.position().column() + ": " + first.getMessage());
            }
            return new ConfigFileStatus(scope, path, true, null);
        } catch (IOException e) {
            return new ConfigFileStatus(scope, path, true, "cannot read " + path + ": " + e.getMessage());
        }
    }
}
