package dev.halt.core.macos;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Stage 1's start of stage 2: makes the status FIFO in halt's run directory, starts
 * {@link SeatbeltExec} with exactly the child's environment ({@link SeatbeltExecEnvironment}),
 * and returns once stage 2 became the command, or throws with stage 2's 125, 126 or 127 and its
 * message once it is gone. The returned process is the command: it kept stage 2's pid.
 */
public final class StageTwoLauncher {
    private StageTwoLauncher() {}

    /** How long stage 2 may take to report: a JVM start, a profile compile, an exec. */
    static final Duration REPORT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What to start.
     *
     * @param command          how to start stage 2
     * @param runDirectory     halt's private run directory, where the status FIFO goes
     * @param user             under sudo, the user the command runs as; else null
     * @param profile          the SBPL profile text
     * @param parameters       its parameters, key then value
     * @param executable       the command's absolute path
     * @param argv             the command's arguments, {@code argv[0]} first
     * @param childEnvironment the command's exact environment
     * @param workingDirectory the command's working directory
     * @param stdio            the command's standard streams (stage 2's own before the exec)
     */
    public record Request(StageTwoCommand command, Path runDirectory, SeatbeltExecArguments.User user, String profile,
                          List<String> parameters, String executable, List<String> argv,
                          Map<String, String> childEnvironment, Path workingDirectory, Stdio stdio) {}

    /** Standard input, output and error. */
    public record Stdio(Redirect in, Redirect out, Redirect err) {
        /** halt's own, terminal included. */
        public static final Stdio INHERIT = new Stdio(Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT);
    }

    /**
     * Starts stage 2 and waits for its report.
     *
     * @param started told stage 2's pid as soon as it exists (the tether names it)
     */
    public static Process start(Request request, LongConsumer started) throws LaunchException, InterruptedException {
        Path fifo;
        try {
            fifo = StatusFifo.create(request.runDirectory());
        } catch (IOException | RuntimeException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot make the status FIFO of the macOS sandbox's second stage in "
                + request.runDirectory() + ": " + e.getMessage() + ". Nothing was run.", e);
        }
        SeatbeltExecArguments arguments;
        try {
            arguments = new SeatbeltExecArguments(fifo.toString(), request.user(), request.profile(), request.parameters(),
                request.executable(), request.argv());
        } catch (IllegalArgumentException e) {
            StatusFifo.Reader.start(fifo).abandon();
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot start the macOS sandbox's second stage: " + e.getMessage() + ". Nothing was run.", e);
        }
        var builder = new ProcessBuilder(request.command().build(arguments.encode()))
            .directory(request.workingDirectory().toFile())
            .redirectInput(request.stdio().in()).redirectOutput(request.stdio().out()).redirectError(request.stdio().err());
        var environment = builder.environment();
        environment.clear();
        environment.putAll(SeatbeltExecEnvironment.forStageTwo(request.childEnvironment()));
        var reader = StatusFifo.Reader.start(fifo);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            reader.abandon();
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot start the macOS sandbox's second stage (" + request.command().javaHome()
                + "/bin/java): " + e.getMessage() + ". Nothing was run.", e);
        }
        started.accept(process.pid());
        var outcome = reader.await(process, REPORT_TIMEOUT);
        return switch (outcome) {
            case StatusFifo.Outcome.Exec exec -> process;
            case StatusFifo.Outcome.Failed failed -> {
                int status = ended(process);
                throw new LaunchException(failed.code(), failed.message() + ". Nothing was run."
                    + (status == failed.code() ? "" : " (the second stage exited with " + status + ")"));
            }
            case StatusFifo.Outcome.NoReport none -> {
                int status = ended(process);
                throw new LaunchException(ExitStatus.HALT_FAILED, "the macOS sandbox's second stage (a JVM running " + SeatbeltExec.class.getSimpleName()
                    + ") ended before it started the command: " + none.detail() + ", exit status " + status
                    + "; its own message, if any, is above. Nothing was run.");
            }
        };
    }

    /**
     * Waits for a stage 2 that reported a failure or nothing to be gone (it exits right after a
     * report), killing it if it lingers: nothing of a refused launch may keep running.
     */
    private static int ended(Process process) throws InterruptedException {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

}
