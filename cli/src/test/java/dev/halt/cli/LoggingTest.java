package dev.halt.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The CLI's System.Logger backend: registered as the JVM's finder, levels by -v count, one line per record. */
class LoggingTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void reset() {
        Logging.configure(0, System.err);
    }

    private String logged() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void isTheJvmsLoggerFinder() {
        assertInstanceOf(Logging.class, System.LoggerFinder.getLoggerFinder());
        Logging.configure(1, err);
        System.getLogger("dev.halt.core.Example").log(System.Logger.Level.INFO, "through System.getLogger");
        assertEquals("halt: through System.getLogger" + System.lineSeparator(), logged());
    }

    @Test
    void haltLoggersFollowTheVerbosityAndTheJdksStayAtWarnings() {
        var halt = new Logging().getLogger("halt", getClass().getModule());
        var core = new Logging().getLogger("dev.halt.core.linux.LinuxBackend", getClass().getModule());
        var jdk = new Logging().getLogger("java.lang.ProcessBuilder", getClass().getModule());

        Logging.configure(0, err);
        halt.log(System.Logger.Level.INFO, "hidden at 0");
        halt.log(System.Logger.Level.WARNING, "shown at 0");
        assertEquals("halt: warning: shown at 0" + System.lineSeparator(), logged());

        bytes.reset();
        Logging.configure(2, err);
        core.log(System.Logger.Level.DEBUG, "debug at -vv");
        core.log(System.Logger.Level.TRACE, "trace hidden at -vv");
        jdk.log(System.Logger.Level.INFO, "the JDK's info stays hidden");
        jdk.log(System.Logger.Level.ERROR, "the JDK's errors show");
        assertEquals("halt: debug: debug at -vv" + System.lineSeparator()
            + "halt: error: the JDK's errors show" + System.lineSeparator(), logged());
        assertTrue(core.isLoggable(System.Logger.Level.DEBUG));
        assertFalse(jdk.isLoggable(System.Logger.Level.INFO));
    }

    @Test
    void stackTracesOnlyFromMinusVvAndParametersAreFormatted() {
        var halt = new Logging().getLogger("halt", getClass().getModule());
        Logging.configure(1, err);
        halt.log(System.Logger.Level.WARNING, "failed", new IllegalStateException("inner"));
        assertEquals("halt: warning: failed" + System.lineSeparator(), logged());

        bytes.reset();
        Logging.configure(2, err);
        halt.log(System.Logger.Level.WARNING, "failed", new IllegalStateException("inner"));
        assertTrue(logged().contains("java.lang.IllegalStateException: inner"), logged());
        assertTrue(logged().contains("\tat "), logged());

        bytes.reset();
        halt.log(System.Logger.Level.INFO, "{0} of {1}", 3, 4);
        assertEquals("halt: 3 of 4" + System.lineSeparator(), logged());
    }

    @Test
    void fromMinusVvvEveryLineSaysWhenInTheRunItWasWritten() {
        var halt = new Logging().getLogger("halt", getClass().getModule());
        Logging.configure(3, err);
        halt.log(System.Logger.Level.TRACE, "a phase");
        assertTrue(logged().matches("halt: \\[\\d+\\.\\d ms\\] trace: a phase" + System.lineSeparator()), logged());

        bytes.reset();
        Logging.configure(2, err);
        halt.log(System.Logger.Level.DEBUG, "no time at -vv");
        assertEquals("halt: debug: no time at -vv" + System.lineSeparator(), logged());
    }
}
