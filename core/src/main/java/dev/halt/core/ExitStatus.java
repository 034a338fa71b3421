package dev.halt.core;

/**
 * The exit statuses halt itself gives, defined once for the CLI and the embedding API
 * ({@link LaunchException#exitStatus()}); {@code halt run} otherwise exits with its child's status,
 * or 128+N when signal N killed it.
 */
public final class ExitStatus {
    private ExitStatus() {}

    /** Success, or {@code halt check}: no line is FAIL. */
    public static final int OK = 0;
    /** {@code halt check}: a line is FAIL, so {@code halt run} refuses here. */
    public static final int CHECK_FAILED = 1;
    /** {@code halt allow}, {@code deny}, {@code watch}, {@code stop}: no such run, or it refused. */
    public static final int CONTROL_FAILED = 1;
    /** halt itself failed (bad flags, bad config, a sandbox it cannot build): nothing was run. */
    public static final int HALT_FAILED = 125;
    /** The command was found but cannot be executed (not executable, or not granted). */
    public static final int NOT_EXECUTABLE = 126;
    /** The command was not found. */
    public static final int NOT_FOUND = 127;
}
