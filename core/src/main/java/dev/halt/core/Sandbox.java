package dev.halt.core;

import dev.halt.core.linux.LinuxSandbox;
import dev.halt.core.policy.SandboxPolicy;

import java.util.List;

/**
 * Launches commands under a {@link SandboxPolicy}. This is the embedding API: build a policy
 * (or load one with {@code dev.halt.core.config.ConfigLoader}), then
 *
 * <pre>{@code
 * var policy = SandboxPolicy.builder(workDir)
 *     .grants(SystemDefaults.grants(workDir, System.getenv()))
 *     .networkMode(NetworkMode.UNRESTRICTED)
 *     .build();
 * var child = Sandbox.launch(policy, List.of("git", "status"), LaunchOptions.defaults());
 * int status = child.waitFor();
 * }</pre>
 *
 * On Linux each launch runs on a fresh platform thread (the jailer) that restricts itself with
 * Landlock (and drops capabilities when halt runs as root), then starts the child, which inherits
 * the restrictions; the rest of the JVM is untouched. A launch that cannot enforce what the policy
 * asks throws {@link LaunchException} and runs nothing, unless {@link LaunchOptions#bestEffort()}.
 */
public final class Sandbox {
    private Sandbox() {}

    /** Starts {@code command} (program and arguments) under {@code policy}. */
    public static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException(LaunchException.HALT_FAILED, "no command given");
        var os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            throw new LaunchException(LaunchException.HALT_FAILED,
                "halt run supports Linux for now; the " + os + " backend is not built yet. Nothing was run.");
        }
        return LinuxSandbox.launch(policy, command, options);
    }

    /**
     * Starts linking the native calls a launch makes, on a background thread, and returns at once.
     * In a fresh JVM the first foreign call costs ~35 ms (the JDK builds a downcall stub and its
     * method-handle forms, which no start-up cache keeps); a caller with other start-up work
     * (parsing arguments, reading config files) overlaps the two. Optional: a launch links
     * whatever is not linked yet.
     */
    public static void prepare() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) return;
        Thread.ofPlatform().daemon(true).name("halt-prepare").start(LinuxSandbox::prepare);
    }

    /**
     * Cleans up after runs whose halt was killed ({@code kill -9}) before it could: removes their
     * private temporary directories and puts back what they changed in their protected paths,
     * from the record each run kept, and switches audit off again when such a run switched it on
     * ({@code --explain-denials}). Logs one WARN line per thing done; costs one system call when
     * there is nothing to do. Every halt command calls it first.
     */
    public static void recoverKilledRuns(java.util.Map<String, String> environment) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) return;
        LinuxSandbox.recoverKilledRuns(environment);
    }

    /**
     * Makes this JVM the child subreaper of everything it starts, so processes a command leaves
     * behind are re-parented here rather than to init, where {@link SandboxedProcess#killLeftovers}
     * finds them.
     */
    public static void becomeSubreaper() throws LaunchException {
        try {
            dev.halt.core.linux.Prctl.setChildSubreaper();
        } catch (dev.halt.core.linux.ErrnoException e) {
            throw new LaunchException(LaunchException.HALT_FAILED, "cannot become the child subreaper: " + e.getMessage(), e);
        }
    }
}
