package dev.halt.core;

import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.EnforcementPlan;

import java.util.List;
import java.util.Map;

/**
 * One platform's way of confining a command: its probes and the {@link EnforcementPlan} built from
 * them, the launch, signals and reaping, and what the process around a run needs from the
 * platform. {@link #current()} is the one for this JVM, chosen once (as Elasticsearch's
 * {@code NativeAccess} holder picks its implementation): Linux, where a jailer thread of halt's JVM
 * restricts itself and starts the child, or a platform halt has no backend for, which refuses and
 * says why. {@link Sandbox} is the embedding API over it.
 *
 * <p>A launch returns a {@link SandboxedProcess} whose {@link Process} may be the command itself
 * (started from a thread of this JVM) or a second process of halt's own that confines itself and
 * then becomes the command by {@code exec} (a platform whose sandbox confines a whole process,
 * like macOS's {@code sandbox_init}): either way the handle waits for, signals and reaps the
 * command. What is not platform-specific (the proxy on loopback, the child's proxy variables,
 * PATH resolution, redirects, the decision log) lives in {@code dev.halt.core.launch}, for every
 * backend.
 */
public interface SandboxBackend {

    /** This JVM's backend, chosen on first use from {@code os.name} and kept. */
    static SandboxBackend current() {
        return BackendHolder.INSTANCE;
    }

    /** The platform's name in output: {@code linux}, {@code macos}, or the JDK's {@code os.name} lower-cased. */
    String os();

    /**
     * The platform's default grants for a child started in {@code workingDirectory}, before the
     * user's own ({@link dev.halt.core.policy.SystemDefaults#grants(java.nio.file.Path, java.nio.file.Path, Map)}
     * adds those): Linux's system directories by default.
     */
    default List<dev.halt.core.policy.PathGrant> defaultGrants(java.nio.file.Path workingDirectory, Map<String, String> environment) {
        return dev.halt.core.policy.SystemDefaults.grants(workingDirectory, environment, java.nio.file.Files::exists);
    }

    /**
     * How this machine enforces each network mode. Built once per JVM; each mode is decided, from
     * the probes it needs, when first asked: {@code halt run} asks for its own mode only.
     */
    EnforcementPlan plan();

    /**
     * Every probe of {@code halt check}, run now, with the whole plan.
     *
     * @param environment halt's environment (SUDO_UID)
     */
    BackendReport check(Map<String, String> environment);

    /**
     * Starts {@code command} under {@code policy}, enforcing each network mode with the plan's
     * mechanism ({@link EnforcementPlan#require}); see {@link Sandbox#launch}.
     */
    SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options) throws LaunchException;

    /** See {@link Sandbox#prepare}: starts, in the background, what makes the next launch faster; nothing by default. */
    default void prepare() {}

    /** See {@link Sandbox#recoverKilledRuns}; nothing by default (a platform whose runs leave no record). */
    default void recoverKilledRuns(Map<String, String> environment) {}

    /** See {@link Sandbox#becomeSubreaper}; nothing by default (a platform without subreapers, which check says). */
    default void becomeSubreaper() throws LaunchException {}

    /** Whether runs here have control sockets ({@code halt ps}, {@code allow}, {@code watch}): not on every platform yet. */
    default boolean controlSockets() {
        return false;
    }

    /**
     * A listening control socket at {@code socket}, which tells who each peer is (its user, and
     * whether it is a process of the run).
     *
     * @throws java.io.IOException when it cannot be made, or the platform has none
     */
    default dev.halt.core.control.ControlListener listenForControl(java.nio.file.Path socket) throws java.io.IOException {
        throw new java.io.IOException("halt has no control sockets on " + os() + " yet");
    }

    /**
     * Ends this process at once with {@code status}, every thread with it; returns only when it
     * cannot, and the caller then leaves through {@link System#exit}. See {@link Sandbox#exit}.
     */
    void exitNow(int status);

    /** What {@link SignalForwarder} needs from the platform. */
    ProcessSignals signals();

    /** Signals to processes by pid, and the terminal's foreground group. */
    interface ProcessSignals {

        /** Sends {@code signal} to {@code pid}; false when it is gone. */
        boolean send(long pid, int signal);

        /** The process group of {@code pid}, or -1 when it is gone. */
        long processGroup(long pid);

        /** Whether this process's group is the foreground group of the terminal on stdin. */
        boolean inForegroundOfTerminal();
    }
}
