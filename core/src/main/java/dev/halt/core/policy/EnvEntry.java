package dev.halt.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One {@code --env} / {@code [sandbox] env} entry: either pass a variable from halt's own
 * environment ({@code KEY}) or set it to a value ({@code KEY=VALUE}).
 */
public sealed interface EnvEntry {

    /** The variable's name. */
    String name();

    /** The entry as written in config and on the command line. */
    String toConfigString();

    /** Names as POSIX shells accept them: a letter or underscore, then letters, digits, underscores. */
    Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Pass {@code name} from halt's environment; omitted when halt's environment lacks it. */
    record Pass(String name) implements EnvEntry {
        public Pass {
            checkName(name);
        }

        @Override
        public String toConfigString() {
            return name;
        }
    }

    /** Set {@code name} to {@code value} in the child, whatever halt's environment says. */
    record Set(String name, String value) implements EnvEntry {
        public Set {
            checkName(name);
            Objects.requireNonNull(value, "value");
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("the value of " + name + " contains a NUL character, which no environment can hold");
            }
        }

        @Override
        public String toConfigString() {
            return name + '=' + value;
        }
    }

    /**
     * Parses {@code KEY} or {@code KEY=VALUE} (the value may be empty and may contain {@code =}).
     *
     * @throws IllegalArgumentException with a message fit for the user when the name is not valid
     */
    static EnvEntry parse(String text) {
        Objects.requireNonNull(text, "text");
        int eq = text.indexOf('=');
        return eq < 0 ? new Pass(text) : new Set(text.substring(0, eq), text.substring(eq + 1));
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid environment variable name"
                    + " (expected KEY or KEY=VALUE, KEY made of letters, digits and '_', not starting with a digit)");
        }
    }
}
