package dev.halt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.text.MessageFormat;
import java.util.ResourceBundle;

/**
 * The CLI's {@link System.Logger} backend: one line per record on stderr, at the level the
 * {@code -v} count asks for. halt's loggers ({@code halt}, {@code dev.halt.*}) follow {@code -v};
 * the JDK's own stay at warnings.
 *
 * <p>Installed as the JVM's {@link System.LoggerFinder} (a service of halt.jar) rather than
 * through java.util.logging: a start loads neither that module nor its shutdown thread, and
 * nothing has to keep a console handler from closing {@code System.err}, which the child shares.
 */
public final class Logging extends System.LoggerFinder {

    /** What {@code -v} set, read by every record: one volatile, so a record never sees half of it. */
    private record Settings(int verbosity, System.Logger.Level haltLevel, PrintStream err) {
        Settings(int verbosity, PrintStream err) {
            this(verbosity, switch (verbosity) {
                case 0 -> System.Logger.Level.WARNING;
                case 1 -> System.Logger.Level.INFO;
                case 2 -> System.Logger.Level.DEBUG;
                default -> System.Logger.Level.TRACE;
            }, err);
        }
    }

    private static volatile Settings settings = new Settings(0, System.err);

    /** When this class was initialised, early in main: at {@code -vvv} each line says how long after. */
    private static final long START_NANOS = System.nanoTime();

    /** For {@link java.util.ServiceLoader}. */
    public Logging() {}

    /**
     * 0: warnings; 1 ({@code -v}): info; 2: debug (with stack traces); 3 or more: trace. halt's
     * loggers follow it; the JDK's stay at {@link System.Logger.Level#WARNING}.
     */
    static void configure(int verbosity, PrintStream err) {
        settings = new Settings(verbosity, err);
    }

    /** The {@code -v} count last configured. */
    static int verbosity() {
        return settings.verbosity();
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new LineLogger(name, name.equals("halt") || name.startsWith("dev.halt."));
    }

    private record LineLogger(String name, boolean ours) implements System.Logger {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean isLoggable(Level level) {
            return level != Level.OFF && level.getSeverity() >= (ours ? settings.haltLevel() : Level.WARNING).getSeverity();
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            if (!isLoggable(level)) return;
            var current = settings;
            var elapsed = current.verbosity() >= 3 ? "[" + (System.nanoTime() - START_NANOS) / 100_000 / 10.0 + " ms] " : "";
            var text = "halt: " + elapsed + prefix(level) + message + System.lineSeparator();
            if (thrown != null && current.verbosity() >= 2) {
                var trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                text += trace;
            }
            var out = current.err();
            // One write per record: lines of concurrent threads do not interleave.
            synchronized (out) {
                out.print(text);
                out.flush();
            }
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            if (!isLoggable(level)) return;
            log(level, bundle, params == null || params.length == 0 ? format : MessageFormat.format(format, params), (Throwable) null);
        }

        private static String prefix(Level level) {
            return switch (level) {
                case ERROR -> "error: ";
                case WARNING -> "warning: ";
                case INFO -> "";
                case DEBUG -> "debug: ";
                default -> "trace: ";
            };
        }
    }
}
