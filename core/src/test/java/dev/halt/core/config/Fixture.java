package dev.halt.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A fake user under a temporary directory: its own home, working directory and environment,
 * so no test reads or writes the real user's ~/.config.
 */
final class Fixture {
    final Path root;
    final Path home;
    final Path work;
    final Map<String, String> env = new HashMap<>();

    Fixture(Path root) {
        this.root = root;
        this.home = root.resolve("home");
        this.work = root.resolve("work");
        try {
            Files.createDirectories(home);
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", home.toString());
    }

    ConfigLocations locations() {
        return ConfigLocations.of(home, work, env);
    }

    Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path global(String content) {
        return write(locations().globalFile(), content);
    }

    /** Writes the project file without trusting it. */
    Path untrustedProject(String content) {
        return write(locations().projectFile(), content);
    }

    /** Writes the project file and trusts it through the public command. */
    Path project(String content) {
        var file = untrustedProject(content);
        assertInstanceOf(ConfigActions.TrustResult.Trusted.class, ConfigActions.trust(locations()));
        return file;
    }

    Path dir(String relative) {
        try {
            return Files.createDirectories(root.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LoadResult load(CommandLineOptions options) {
        return ConfigLoader.load(locations(), options, env);
    }

    LoadResult.Loaded loaded(CommandLineOptions options) {
        var result = load(options);
        if (result instanceof LoadResult.Failed f) {
            throw new AssertionError("expected a valid config, got " + f.errors().stream().map(ConfigError::message).toList());
        }
        return (LoadResult.Loaded) result;
    }

    List<ConfigError> errors(CommandLineOptions options) {
        var result = load(options);
        if (result instanceof LoadResult.Failed f) {
            return f.errors();
        }
        throw new AssertionError("expected errors, the config loaded");
    }
}
