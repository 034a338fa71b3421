package dev.halt.cli;

/** Exit statuses of halt itself; {@code run} otherwise exits with its child's status. */
final class ExitCodes {
    private ExitCodes() {}

    /** Success, or {@code check}: everything can be enforced. */
    static final int OK = 0;
    /** {@code check}: the filesystem layer or some network mode cannot be enforced here. */
    static final int CHECK_FAILED = 1;
    /** {@code ps}, {@code allow}, {@code deny}, {@code watch}, {@code stop}: no such run, or it refused. */
    static final int CONTROL_FAILED = 1;
    /** halt itself failed (bad flags, bad config, a sandbox it cannot build): nothing was run. */
    static final int HALT_FAILED = 125;
    /** The command was found but cannot be executed. */
    static final int NOT_EXECUTABLE = 126;
    /** The command was not found. */
    static final int NOT_FOUND = 127;
}
