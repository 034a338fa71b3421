package dev.halt.core;

/**
 * halt could not start the command, and ran nothing. The message says why in words a user can
 * act on; {@link #exitStatus()} is what {@code halt run} exits with: {@link ExitStatus#HALT_FAILED},
 * {@link ExitStatus#NOT_EXECUTABLE} or {@link ExitStatus#NOT_FOUND}.
 */
public final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

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
