package dev.halt.core;

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
 * Each call goes to this platform's {@link SandboxBackend} ({@link SandboxBackend#current()}). On
 * Linux each launch runs on a fresh platform thread (the jailer) that restricts itself with
 * Landlock (and drops capabilities when halt runs as root), then starts the child, which inherits
 * the restrictions; the rest of the JVM is untouched. A launch that cannot enforce what the policy
 * asks throws {@link LaunchException} and runs nothing, unless {@link LaunchOptions#bestEffort()}.
 */
public final class Sandbox {
    private Sandbox() {}

    /** Starts {@code command} (program and arguments) under {@code policy}. */
    public static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options)
            throws LaunchException {
        if (command.isEmpty()) throw new LaunchException(ExitStatus.HALT_FAILED, "no command given");
        if (options.decisionLog() != null) dev.halt.core.launch.RunLog.checkWritable(options.decisionLog());
        return SandboxBackend.current().launch(policy, command, options);
    }

    /**
     * Starts linking the native calls a launch makes, on a background thread, and returns at once.
     * In a fresh JVM the first foreign call costs ~35 ms (the JDK builds a downcall stub and its
     * method-handle forms, which no start-up cache keeps); a caller with other start-up work
     * (parsing arguments, reading config files) overlaps the two. Optional: a launch links
     * whatever is not linked yet.
     */
    public static void prepare() {
        SandboxBackend.current().prepare();
    }

    /**
     * Cleans up after runs whose halt was killed ({@code kill -9}) before it could: removes their
     * private temporary directories and puts back what they changed in their protected paths,
     * from the record each run kept, and switches audit off again when such a run switched it on
     * ({@code --explain-denials}), and removes the control sockets of such runs. Logs one line per
     * thing done; costs a few system calls when there is nothing to do. Every halt command calls it first.
     */
    public static void recoverKilledRuns(java.util.Map<String, String> environment) {
        SandboxBackend.current().recoverKilledRuns(environment);
    }

    /**
     * Why {@code halt run} refuses to start in {@code workingDirectory}, or empty. halt grants the
     * working directory read-write, so from {@code /} the command could change every file it has
     * the permission to, and from the home directory (or a directory that holds it, {@code /home})
     * every file of the user: dotfiles, keys, other projects. The home directories are {@code HOME}
     * of {@code environment} and, under sudo, the home of the user who ran it (the child's);
     * links are resolved on both sides.
     */
    public static java.util.Optional<String> workingDirectoryRefusal(java.nio.file.Path workingDirectory,
                                                                     java.util.Map<String, String> environment) {
        var homes = new java.util.ArrayList<java.nio.file.Path>();
        var homeVariable = environment.get("HOME");
        if (homeVariable != null && homeVariable.startsWith("/")) homes.add(java.nio.file.Path.of(homeVariable));
        try {
            homes.add(dev.halt.core.policy.InvokingUser.current().home());
        } catch (IllegalStateException e) {
            // Under sudo with no password entry: the launch stops on that, naming it.
        }
        return workingDirectoryRefusal(workingDirectory, homes);
    }

    /** {@link #workingDirectoryRefusal(java.nio.file.Path, java.util.Map)} with the home directories given. */
    static java.util.Optional<String> workingDirectoryRefusal(java.nio.file.Path workingDirectory,
                                                              java.util.List<java.nio.file.Path> homes) {
        var dir = realOrNormal(workingDirectory.toAbsolutePath());
        var hint = " Run halt from the project's directory (cd ~/src/project), or from an empty directory made for the run.";
        if (dir.getParent() == null) {
            return java.util.Optional.of("the working directory is " + dir + ", which halt grants read-write: the command could"
                + " change any file on this machine it has the permission to." + hint);
        }
        for (var h : homes) {
            var home = realOrNormal(h);
            if (!home.startsWith(dir)) continue;
            return java.util.Optional.of("the working directory " + dir + (home.equals(dir) ? " is your home directory" : " holds your home"
                + " directory " + home) + ", which halt would grant read-write: the command could change every file in it"
                + " (dotfiles, keys, other projects)." + hint);
        }
        return java.util.Optional.empty();
    }

    private static java.nio.file.Path realOrNormal(java.nio.file.Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path.normalize();
        }
    }

    /**
     * The system property that makes {@link #exit} leave through the JVM's own exit: {@code
     * -Dhalt.exit=jvm}. The launcher's training run sets it, since the JVM writes the start-up
     * cache it trains ({@code -XX:AOTCacheOutput}, {@code -XX:ArchiveClassesAtExit}) in that exit.
     */
    public static final String EXIT_PROPERTY = "halt.exit";

    /**
     * Ends this process with {@code status} once {@link System#out} and {@link System#err} are
     * flushed; never returns.
     *
     * <p>The backend ends it ({@link SandboxBackend#exitNow}): on Linux every thread at once, with
     * {@code exit_group(2)}. The JVM's own exit
     * ({@code System.exit} and {@code Runtime.halt} alike) waits up to 300 ms for each thread that
     * is in native code, daemon threads included: after any virtual-thread socket read the JDK's I/O
     * poller is parked in {@code epoll_wait}, so every run that used the proxy ended ~300 ms late.
     * Nothing else runs on the way out (no shutdown hook, no JVM exit log), so call it only when the
     * process has nothing left to do: its files closed (a run's decision log closes with its
     * network, before {@link SandboxedProcess#waitFor} returns), its children reaped or left to the
     * tether. Elsewhere, with {@code -Dhalt.exit=jvm} ({@link #EXIT_PROPERTY}), or if the system
     * call cannot be made, it is {@link System#exit}.
     */
    public static void exit(int status) {
        System.out.flush();
        System.err.flush();
        if (!"jvm".equals(System.getProperty(EXIT_PROPERTY))) SandboxBackend.current().exitNow(status);
        System.exit(status);
    }

    /**
     * Makes this JVM the child subreaper of everything it starts, so processes a command leaves
     * behind are re-parented here rather than to init, where {@link SandboxedProcess#killLeftovers}
     * finds them (Linux; a platform without subreapers does nothing, and its {@code halt check} says so).
     */
    public static void becomeSubreaper() throws LaunchException {
        SandboxBackend.current().becomeSubreaper();
    }
}
