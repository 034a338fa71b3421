package dev.halt.core.linux.supervisor;

/**
 * Decides one kind of system call for the supervisor, on a worker thread of halt's (unrestricted)
 * JVM. It reads what it needs through {@code child} (which opens a pidfd and checks the
 * notification is still valid before any read), decides on its own copies, and performs the call
 * itself when it allows it; see {@link Supervisor} for the rules.
 */
@FunctionalInterface
public interface Handler {

    /**
     * The answer to {@code call}.
     *
     * @throws ChildView.GoneException       when the call stopped waiting (its thread was killed): nothing is answered
     * @throws ChildView.UnreadableException when the child's memory or descriptor could not be read: the call
     *                                       fails with its errno
     */
    Response handle(Notification call, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException;
}
