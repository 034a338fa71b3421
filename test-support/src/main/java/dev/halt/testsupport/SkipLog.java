package dev.halt.testsupport;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one line per skipped test or class, with its reason, to the file the system property
 * {@code halt.test.skipLog} names (the root pom sets it for Surefire; without it nothing is
 * written). Surefire's own reports lose the reason of a class whose {@code @BeforeAll}
 * assumption failed (the class shows "0 tests"), and bin/test needs every reason: under
 * {@code CI=true} it fails the build on a skip whose reason does not start with a
 * {@code [feature]} key that the machine declares missing ({@code HALT_CI_EXPECTED_SKIPS}).
 * Found by the JUnit Platform through {@code META-INF/services}; a line is
 * {@code class[.method[ display name]] TAB reason}.
 */
public final class SkipLog implements TestExecutionListener {
    private static final String PROPERTY = "halt.test.skipLog";
    private static final String ASSUMPTION = "Assumption failed: ";

    private final Path file;

    public SkipLog() {
        var name = System.getProperty(PROPERTY, "");
        file = name.isBlank() ? null : Path.of(name);
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        record(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            record(test, result.getThrowable().map(Throwable::getMessage).orElse(null));
        }
    }

    private void record(TestIdentifier test, String reason) {
        if (file == null) return;
        var why = reason == null || reason.isBlank() ? "(no reason given)" : reason.strip();
        if (why.startsWith(ASSUMPTION)) why = why.substring(ASSUMPTION.length());
        var line = name(test) + "\t" + why.replaceAll("\\s+", " ") + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the skip log " + file, e);
        }
    }

    private static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        return switch (source) {
            case MethodSource m -> m.getClassName() + "." + m.getMethodName()
                + (test.getDisplayName().startsWith("[") ? " " + test.getDisplayName() : "");
            case ClassSource c -> c.getClassName();
            case null, default -> test.getDisplayName();
        };
    }
}
