package dev.halt.core.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a configured value came from, so that {@code halt config show}, warnings and errors
 * can point the user at the line to change.
 */
public sealed interface ValueSource {

    /** A short human description such as {@code /home/u/.config/halt/halt.toml:12} or {@code --write}. */
    String describe();

    /** A built-in default; {@code reason} says why it is there ("system directory", "directory on PATH"). */
    record Default(String reason) implements ValueSource {
        public Default {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String describe() {
            return "default (" + reason + ")";
        }
    }

    /**
     * A config file, at a 1-based line and column ({@code 0} when unknown).
     *
     * @param file the file as the user named it or as halt located it (absolute)
     */
    record ConfigFile(Path file, int line, int column) implements ValueSource {
        public ConfigFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public String describe() {
            if (line <= 0) {
                return file.toString();
            }
            return file + ":" + line + (column > 0 ? ":" + column : "");
        }
    }

    /** A command-line option, such as {@code --write} or {@code --network}. */
    record CommandLine(String option) implements ValueSource {
        public CommandLine {
            Objects.requireNonNull(option, "option");
        }

        @Override
        public String describe() {
            return "command line " + option;
        }
    }

    /** Set by code that embeds halt and built the policy itself. */
    record Programmatic(String description) implements ValueSource {
        /** The source used by the policy builders when the caller names none. */
        public static final Programmatic API = new Programmatic("api");

        public Programmatic {
            Objects.requireNonNull(description, "description");
        }

        @Override
        public String describe() {
            return description;
        }
    }
}
