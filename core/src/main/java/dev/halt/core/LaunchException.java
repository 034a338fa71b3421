package dev.halt.core;

/**
 * halt could not start the command, and ran nothing. The message says why in words a user can
 * act on; {@link #exitStatus()} is what {@code halt run} exits with.
 */
public final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    /** halt itself failed: bad policy, a sandbox it cannot build. */
    public static final int HALT_FAILED = 125;
    /** The command exists but cannot be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** The command was not found. */
    public static final int NOT_FOUND = 127;

    private final int exitStatus;

    public LaunchException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    public LaunchException(int exitStatus, String message, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /** 125, 126 or 127. */
    public int exitStatus() {
        return exitStatus;
    }
}
