package dev.halt.core;

import java.time.Duration;

/**
 * A command running in a sandbox: a handle over its {@link Process}, plus what halt adds
 * (signal forwarding, cleanup of what the command left behind).
 */
public interface SandboxedProcess {

    /** The child process. Its streams are the ones the launch was given (inherited by default). */
    Process process();

    /** Sends signal {@code signal} (for example 2 for SIGINT) to the child; false when it has already exited. */
    boolean signal(int signal);

    /**
     * Waits for the child and returns its status the way a shell reports it: the exit code, or
     * 128+N when signal N killed it.
     */
    int waitFor() throws InterruptedException;

    /**
     * Kills every process this JVM still has as a descendant, forcibly, and reaps it; returns
     * how many there were. With {@link Sandbox#becomeSubreaper()} in effect, processes the command
     * left behind (daemons, background jobs) are re-parented to this JVM, so this leaves nothing
     * of the run alive. Only for a JVM whose children are all sandboxed commands, such as
     * {@code halt run}. In such a JVM the sandbox's exit work on what the run could write (Linux
     * rootless: the repair of protected paths, the removal of the run's temporary directory) is
     * done here, after the leftovers are dead, not in {@link #waitFor()}: call this after it.
     */
    int killLeftovers(Duration timeout);

    /**
     * Whether the filesystem accesses Landlock denied the command were reported, how many, or why
     * not; complete once {@link #waitFor()} returned.
     */
    default DenialReporting denialReporting() {
        return DenialReporting.inactive("this platform does not report denials");
    }

    /**
     * Gives {@code line} each filesystem denial the run reports, as it is reported: its JSON line,
     * as the decision log ({@code --log}) has it ({@code "via":"landlock"}), until the returned
     * handle is closed. Only where denials are reported ({@link #denialReporting()}: on Linux with
     * privileges and audit); elsewhere nothing comes.
     */
    default AutoCloseable onFileDenial(java.util.function.Consumer<String> line) {
        return () -> { };
    }

    /**
     * The run's network, to change and watch while it runs: the proxy's allowlist and denylist,
     * a listener of its decisions, the exposed host ports, the questions of {@code --ask}.
     *
     * @throws UnsupportedOperationException on a platform without it
     */
    default LiveNetwork network() {
        throw new UnsupportedOperationException("this platform has no live control of a run's network");
    }
}
