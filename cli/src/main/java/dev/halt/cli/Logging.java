package dev.halt.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;
import java.util.logging.Logger;

/**
 * Routes {@link System.Logger} (the JDK's default backend, java.util.logging) to one line per
 * record on stderr, at the level the {@code -v} count asks for.
 */
final class Logging {
    private Logging() {}

    /** Held strongly: java.util.logging forgets the level of a logger nobody references. */
    private static final Logger HALT = Logger.getLogger("halt");
    private static final Logger HALT_CLASSES = Logger.getLogger("dev.halt");

    /** 0: warnings; 1 ({@code -v}): info; 2: debug; 3 or more: trace. */
    static void configure(int verbosity, PrintStream err) {
        var level = switch (verbosity) {
            case 0 -> Level.WARNING;
            case 1 -> Level.INFO;
            case 2 -> Level.FINE;
            default -> Level.FINEST;
        };
        var root = Logger.getLogger("");
        for (var handler : root.getHandlers()) root.removeHandler(handler);
        // Not a ConsoleHandler: replacing its stream would close System.err, and with it fd 2,
        // which the child inherits.
        var handler = new StreamHandler(err, new Formatter() {
            @Override
            public String format(LogRecord r) {
                var text = "halt: " + levelName(r.getLevel()) + formatMessage(r) + System.lineSeparator();
                if (r.getThrown() != null && verbosity >= 2) {
                    var trace = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(trace));
                    text += trace;
                }
                return text;
            }
        }) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(level);
        root.addHandler(handler);
        // The JDK's own loggers (ProcessBuilder, Runtime.exit) stay at warnings: -v is about halt.
        root.setLevel(Level.WARNING);
        HALT.setLevel(level);
        HALT_CLASSES.setLevel(level);
    }

    private static String levelName(Level level) {
        if (level.intValue() >= Level.SEVERE.intValue()) return "error: ";
        if (level.intValue() >= Level.WARNING.intValue()) return "warning: ";
        if (level.intValue() >= Level.INFO.intValue()) return "";
        if (level.intValue() >= Level.FINE.intValue()) return "debug: ";
        return "trace: ";
    }
}
