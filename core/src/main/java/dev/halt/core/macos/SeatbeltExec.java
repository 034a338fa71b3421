package dev.halt.core.macos;

import dev.halt.ffm.macos.errno_h;

import java.util.List;
import java.util.Map;

/**
 * Stage 2 of a macOS run, a {@code main} of halt's jar that halt's JVM starts for each command:
 * Seatbelt confines a whole process for good ({@code sandbox_init} has no per-thread form), so the
 * profile cannot be applied in the JVM that keeps the proxy and the supervisor. In order, it:
 * <ol>
 *   <li>opens the status FIFO ({@link StatusFifo}) close-on-exec and says it is ready;</li>
 *   <li>prepares every native structure of the exec (argv, envp, the spawn attributes that keep only
 *       fds 0-2 open and reset the signal mask and dispositions) and links every call it will make, so
 *       that nothing is loaded or linked once the profile applies;</li>
 *   <li>under sudo, becomes the user who ran it ({@code setgroups}, {@code setgid}, {@code setuid});</li>
 *   <li>applies the profile with {@code sandbox_init_with_parameters};</li>
 *   <li>replaces itself with the command: {@code posix_spawn} with {@code POSIX_SPAWN_SETEXEC}.</li>
 * </ol>
 * If a step fails it reports 125, 126 or 127 with a message through the FIFO and exits with that
 * status; the command never runs. Its environment is the command's, with the variables a JVM acts
 * on renamed ({@link SeatbeltExecEnvironment}); it depends on ffm-bindings only: no logging, no
 * picocli, no config, so that it starts in a few tens of milliseconds with its own start-up cache.
 */
public final class SeatbeltExec {
    private SeatbeltExec() {}

    /** The first argument of the start-up cache's training run: link everything, exec nothing, exit 0. */
    public static final String TRAIN = "--train";

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals(TRAIN)) {
            SeatbeltCalls.train();
            System.exit(0);
        }
        int status = run(args, System.getenv(), ProcessHandle.current().pid(), new SeatbeltCalls());
        System.err.flush();
        System.exit(status);
    }

    /**
     * The native steps, an interface so that the order and the failure reports are tested on any
     * OS ({@link SeatbeltCalls} is the real one, macOS only).
     */
    interface Steps {
        /** Opens the status FIFO for writing, close-on-exec, and writes {@link StatusFifo#READY}. */
        Report openStatus(String fifo) throws Failure;

        /** Builds the exec's argv, envp and spawn attributes, and links every call left to make. */
        void prepareExec(String executable, List<String> argv, String[] envp) throws Failure;

        /** Becomes {@code user}: its gid as the only group, then the gid, then the uid. */
        void switchUser(SeatbeltExecArguments.User user) throws Failure;

        /** Applies the profile; null on success, else Seatbelt's message. */
        String applyProfile(String profile, List<String> parameters);

        /** Whether this process already runs in a Seatbelt sandbox ({@code sandbox_check} on itself). */
        boolean sandboxed();

        /** Execs the prepared command; returns only when that failed, with the error number. */
        int exec();
    }

    /** Where a failure goes: the FIFO once it is open. */
    interface Report {
        /** Writes the failure; false when it could not (stage 1 is gone). */
        boolean failure(int code, String message);
    }

    /** A step failed before the exec. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int code;

        Failure(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * Runs stage 2 with {@code args} in {@code environment}, whose pid is {@code pid}; returns
     * the exit status only when it could not exec (the exec replaces this process).
     */
    static int run(String[] args, Map<String, String> environment, long pid, Steps steps) {
        SeatbeltExecArguments arguments;
        try {
            arguments = SeatbeltExecArguments.decode(args);
        } catch (IllegalArgumentException e) {
            // No FIFO to report through: stage 1 sees none and says stage 2 ended early; this is its detail.
            System.err.println("halt: stage 2 (SeatbeltExec) got bad arguments: " + e.getMessage() + ". Nothing was run.");
            return 125;
        }
        Report report;
        try {
            report = steps.openStatus(arguments.statusFifo());
        } catch (Failure f) {
            System.err.println("halt: " + f.getMessage() + ". Nothing was run.");
            return f.code;
        }
        try {
            steps.prepareExec(arguments.executable(), arguments.argv(), SeatbeltExecEnvironment.forCommand(environment, pid));
            // The failure path after the profile applies must load and link nothing: walk it once now.
            execFailure(arguments.executable(), errno_h.EACCES());
            StatusFifo.failure(126, "");
            if (arguments.user() != null) steps.switchUser(arguments.user());
            var refused = steps.applyProfile(arguments.profile(), arguments.parameters());
            if (refused != null) throw new Failure(125, profileRefusal(refused, steps.sandboxed()));
            int error = steps.exec();
            throw execFailure(arguments.executable(), error);
        } catch (Failure f) {
            return fail(report, f.code, f.getMessage());
        } catch (RuntimeException | Error e) {
            // Reported, not thrown: after "ready", an exit without a report would read as the command's own status.
            return fail(report, 125, "stage 2 (SeatbeltExec) failed before the command started: " + e);
        }
    }

    private static int fail(Report report, int code, String message) {
        if (!report.failure(code, message)) System.err.println("halt: " + message + ". Nothing was run.");
        return code;
    }

    /** Why the profile did not apply, in words a user can act on. */
    static String profileRefusal(String seatbeltMessage, boolean sandboxed) {
        var message = seatbeltMessage.strip().replace('\n', ' ');
        if (sandboxed) {
            return "cannot apply the macOS sandbox: halt is itself running inside a Seatbelt sandbox (another agent's or"
                + " tool's), and a sandboxed process cannot start a sandbox of its own (" + message + "). Run halt outside"
                + " it, or switch that tool's sandbox off and let halt be the boundary";
        }
        return "cannot apply the macOS sandbox (Seatbelt refused halt's profile): " + message;
    }

    /** The failure of the exec itself: 127 when the file is gone, 126 when it cannot be executed. */
    static Failure execFailure(String executable, int error) {
        if (error == errno_h.ENOENT() || error == errno_h.ENOTDIR()) {
            return new Failure(127, executable + ": no such file (it was there when halt resolved the command)");
        }
        if (error == errno_h.EACCES() || error == errno_h.EPERM()) {
            int slash = executable.lastIndexOf('/');
            return new Failure(126, executable + ": permission denied when executing it in the sandbox: it, or what it"
                + " needs to start (its #! interpreter, a library), is not granted for execution (--read "
                + (slash > 0 ? executable.substring(0, slash) : "/") + " grants its directory); -v lists the grants");
        }
        if (error == errno_h.ENOEXEC() || error == errno_h.EBADARCH() || error == errno_h.EBADEXEC()
            || error == errno_h.EBADMACHO()) {
            return new Failure(126, executable + ": cannot execute: not a program this Mac can run (error " + error
                + (error == errno_h.EBADARCH() ? ", bad CPU type: an Intel program needs Rosetta" : "") + ")");
        }
        if (error == errno_h.E2BIG()) return new Failure(126, executable + ": cannot execute: the arguments and environment are too long");
        return new Failure(126, executable + ": cannot execute: posix_spawn failed with error " + error);
    }
}
