package dev.halt.core.config;

import dev.halt.core.policy.ValueSource;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Something wrong with the configuration that stops {@code halt run} (exit 125) before
 * anything runs. Every variant says where (file, line, column or flag), which key, and what to
 * do about it; {@link #message()} is the one line to print.
 */
public sealed interface ConfigError {

    /** Where the problem is, such as {@code /p/.halt/halt.toml:3:1} or {@code command line --network}. */
    String location();

    /** What is wrong and what to do, without the location. */
    String detail();

    /** The line to show the user: location, then detail. */
    default String message() {
        return location() + ": " + detail();
    }

    /** The file the problem is in, when it is in one. */
    default Optional<Path> inFile() {
        return Optional.empty();
    }

    /** The TOML itself cannot be parsed. tomlj stops at the first syntax error. */
    record Syntax(Path file, int line, int column, String reason) implements ConfigError {
        @Override
        public String location() {
            return new ValueSource.ConfigFile(file, line, column).describe();
        }

        @Override
        public String detail() {
            return "TOML syntax error: " + reason;
        }

        @Override
        public Optional<Path> inFile() {
            return Optional.of(file);
        }
    }

    /** A key or table halt does not know; {@code suggestion} is the known name it most resembles. */
    record UnknownKey(Path file, int line, int column, String key, Optional<String> suggestion) implements ConfigError {
        public UnknownKey {
            Objects.requireNonNull(suggestion, "suggestion");
        }

        @Override
        public String location() {
            return new ValueSource.ConfigFile(file, line, column).describe();
        }

        @Override
        public String detail() {
            return "unknown key \"" + key + "\""
                    + suggestion.map(s -> "; did you mean \"" + s + "\"?").orElse("; remove it (see `halt config show` for the known keys)");
        }

        @Override
        public Optional<Path> inFile() {
            return Optional.of(file);
        }
    }

    /**
     * A known key with a value of the wrong type, out of range or malformed.
     *
     * @param where  a {@link ValueSource.ConfigFile} with line and column, or a {@link ValueSource.CommandLine}
     * @param key    the dotted key ({@code proxy.dns_ttl_seconds}, {@code proxy.domain_allowlist[2]}),
     *               or the flag and its value ({@code --network wifi})
     * @param reason what is wrong and what is expected
     */
    record InvalidValue(ValueSource where, String key, String reason) implements ConfigError {
        @Override
        public String location() {
            return where.describe();
        }

        @Override
        public String detail() {
            // a flag's location already names it: "command line --network: unknown network mode ..."
            return where instanceof ValueSource.CommandLine ? reason : key + ": " + reason;
        }

        @Override
        public Optional<Path> inFile() {
            return where instanceof ValueSource.ConfigFile f ? Optional.of(f.file()) : Optional.empty();
        }
    }

    /** A config file that must be read (one named by {@code --config}, or one that exists) cannot be. */
    record Unreadable(Path file, String reason) implements ConfigError {
        @Override
        public String location() {
            return file.toString();
        }

        @Override
        public String detail() {
            return "cannot read config file: " + reason;
        }

        @Override
        public Optional<Path> inFile() {
            return Optional.of(file);
        }
    }

    /**
     * A write grant that contains halt's own config directory, global config file, trust store or
     * run records ({@link HaltFilesGuard}): the sandboxed program could rewrite the config of its
     * next sandbox, trust a project file it wrote, or have the next halt write files for it.
     *
     * @param grant       the granted path
     * @param what        what it contains, such as "halt's config directory"
     * @param exposed     the path of that
     * @param source      where the grant was made (file:line, flag or default)
     * @param consequence what the agent could then do
     * @param remedy      what to grant or do instead
     */
    record WritableHaltConfig(Path grant, String what, Path exposed, ValueSource source, String consequence,
                              String remedy) implements ConfigError {
        @Override
        public String location() {
            return source.describe();
        }

        @Override
        public String detail() {
            return "write grant " + grant + " contains " + what + " " + exposed + ": " + consequence + ". " + remedy;
        }

        @Override
        public Optional<Path> inFile() {
            return source instanceof ValueSource.ConfigFile f ? Optional.of(f.file()) : Optional.empty();
        }
    }

    /**
     * A project config whose exact content the user has not trusted. It lives in the writable
     * workspace, so the sandboxed agent could have written it to widen its next sandbox.
     *
     * @param changed whether an earlier content of this file was trusted (it changed since)
     */
    record Untrusted(Path file, String sha256, boolean changed) implements ConfigError {
        @Override
        public String location() {
            return file.toString();
        }

        @Override
        public String detail() {
            return (changed ? "this project config changed since you trusted it" : "this project config is not trusted")
                    + " (anything in the workspace, the sandboxed agent included, can write it)."
                    + " Review it, then run `halt config trust` to use it, or run with --no-config to ignore it";
        }

        @Override
        public Optional<Path> inFile() {
            return Optional.of(file);
        }
    }
}
