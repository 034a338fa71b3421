package dev.halt.core.macos;

import dev.halt.ffm.macos.errno_h;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stage 2's order of steps and its failure reports, with the native steps recorded instead of
 * made (the real ones run on the macOS runner: {@code SeatbeltExecMacTest}). Each failure must
 * stop before the exec, with 125, 126 or 127 and a message a user can act on.
 */
class SeatbeltExecTest {

    private static final SeatbeltExecArguments ARGUMENTS = new SeatbeltExecArguments("/run/halt/1.status",
        new SeatbeltExecArguments.User(501, 20), "(version 1)(allow default)", List.of("RW_0", "/Users/u/p"),
        "/usr/bin/git", List.of("git", "status", "--short"));

    /** Records each step; fails the one named. */
    static class RecordingSteps implements SeatbeltExec.Steps {
        final List<String> calls = new ArrayList<>();
        final List<String> reports = new ArrayList<>();
        String failAt;
        String seatbeltMessage = "unbound variable: TIOCSTI at <input string>, line 3, column 2";
        boolean sandboxed;
        int execError = errno_h.ENOENT();
        boolean reportWorks = true;
        List<String> argv;
        String[] envp;

        @Override
        public SeatbeltExec.Report openStatus(String fifo) throws SeatbeltExec.Failure {
            calls.add("openStatus " + fifo);
            if ("openStatus".equals(failAt)) throw new SeatbeltExec.Failure(125, "stage 2 cannot open its status FIFO " + fifo);
            return (code, message) -> {
                reports.add(code + " " + message);
                return reportWorks;
            };
        }

        @Override
        public void prepareExec(String executable, List<String> argv, String[] envp) throws SeatbeltExec.Failure {
            calls.add("prepareExec " + executable);
            this.argv = argv;
            this.envp = envp;
            if ("prepareExec".equals(failAt)) throw new SeatbeltExec.Failure(125, "posix_spawnattr_init failed with error 12");
        }

        @Override
        public void switchUser(SeatbeltExecArguments.User user) throws SeatbeltExec.Failure {
            calls.add("switchUser " + user.uid() + ":" + user.gid());
            if ("switchUser".equals(failAt)) throw new SeatbeltExec.Failure(125, "setuid failed: error 1");
        }

        @Override
        public String applyProfile(String profile, List<String> parameters) {
            calls.add("applyProfile " + parameters);
            return "applyProfile".equals(failAt) ? seatbeltMessage : null;
        }

        @Override
        public boolean sandboxed() {
            calls.add("sandboxed");
            return sandboxed;
        }

        @Override
        public int exec() {
            calls.add("exec");
            return execError;
        }
    }

    private static int run(RecordingSteps steps, Map<String, String> env) {
        return SeatbeltExec.run(ARGUMENTS.encode().toArray(String[]::new), env, 4242, steps);
    }

    @Test
    void theStepsComeInOrderWithTheCommandsOwnArgvAndEnvironment() {
        var steps = new RecordingSteps();
        var child = new LinkedHashMap<String, String>();
        child.put("JAVA_TOOL_OPTIONS", "-Djava.net.preferIPv4Stack=true");
        child.put("HOME", "/Users/u");
        var env = new LinkedHashMap<>(SeatbeltExecEnvironment.forStageTwo(child));
        env.put("JAVA_MAIN_CLASS_4242", "dev.halt.core.macos.SeatbeltExec");
        run(steps, env);
        // The user first (as root it may still open anything), the profile on that user, then the exec.
        assertEquals(List.of("openStatus /run/halt/1.status", "prepareExec /usr/bin/git", "switchUser 501:20",
            "applyProfile [RW_0, /Users/u/p]", "exec"), steps.calls);
        assertEquals(List.of("git", "status", "--short"), steps.argv);
        assertEquals(List.of("JAVA_TOOL_OPTIONS=-Djava.net.preferIPv4Stack=true", "HOME=/Users/u"), List.of(steps.envp));
    }

    @Test
    void aProfileSeatbeltRefusesIs125AndNothingRuns() {
        var steps = new RecordingSteps();
        steps.failAt = "applyProfile";
        assertEquals(125, run(steps, Map.of()));
        assertFalse(steps.calls.contains("exec"));
        assertEquals(1, steps.reports.size());
        var report = steps.reports.getFirst();
        assertTrue(report.startsWith("125 cannot apply the macOS sandbox (Seatbelt refused halt's profile): unbound variable: TIOCSTI"), report);
    }

    @Test
    void aSandboxedParentIsNamedAsTheCause() {
        var steps = new RecordingSteps();
        steps.failAt = "applyProfile";
        steps.seatbeltMessage = "Operation not permitted";
        steps.sandboxed = true;
        assertEquals(125, run(steps, Map.of()));
        assertFalse(steps.calls.contains("exec"));
        var report = steps.reports.getFirst();
        assertTrue(report.contains("halt is itself running inside a Seatbelt sandbox"), report);
        assertTrue(report.contains("Operation not permitted"), report);
    }

    @Test
    void aFailedUserSwitchIs125AndTheProfileIsNeverApplied() {
        var steps = new RecordingSteps();
        steps.failAt = "switchUser";
        assertEquals(125, run(steps, Map.of()));
        assertEquals(List.of("openStatus /run/halt/1.status", "prepareExec /usr/bin/git", "switchUser 501:20"), steps.calls);
        assertEquals(List.of("125 setuid failed: error 1"), steps.reports);
    }

    @Test
    void execFailuresAre127Or126() {
        var expected = Map.of(errno_h.ENOENT(), 127, errno_h.EACCES(), 126, errno_h.EPERM(), 126, errno_h.ENOEXEC(), 126,
            errno_h.EBADARCH(), 126, errno_h.E2BIG(), 126, errno_h.ETXTBSY(), 126);
        expected.forEach((error, code) -> {
            var steps = new RecordingSteps();
            steps.execError = error;
            assertEquals(code, run(steps, Map.of()), "error " + error);
            assertEquals(1, steps.reports.size());
            assertTrue(steps.reports.getFirst().startsWith(code + " /usr/bin/git: "), steps.reports.getFirst());
        });
        var denied = new RecordingSteps();
        denied.execError = errno_h.EACCES();
        run(denied, Map.of());
        assertTrue(denied.reports.getFirst().contains("--read /usr/bin grants its directory"), denied.reports.getFirst());
    }

    @Test
    void withoutAStatusFifoTheMessageGoesToStderr() {
        var steps = new RecordingSteps();
        steps.failAt = "openStatus";
        var stderr = captureStderr(() -> assertEquals(125, run(steps, Map.of())));
        assertEquals(List.of("openStatus /run/halt/1.status"), steps.calls);
        assertTrue(stderr.contains("halt: stage 2 cannot open its status FIFO /run/halt/1.status. Nothing was run."), stderr);

        var gone = new RecordingSteps();
        gone.reportWorks = false;
        var message = captureStderr(() -> assertEquals(127, run(gone, Map.of())));
        assertTrue(message.contains("/usr/bin/git: no such file"), "stage 1 is gone: the message still reaches the user: " + message);
    }

    @Test
    void anUnexpectedErrorIsReported125NotTakenForTheCommandsStatus() {
        var steps = new RecordingSteps() {
            @Override
            public String applyProfile(String profile, List<String> parameters) {
                throw new IllegalStateException("arena closed");
            }
        };
        assertEquals(125, run(steps, Map.of()));
        assertFalse(steps.calls.contains("exec"));
        assertEquals(List.of("125 stage 2 (SeatbeltExec) failed before the command started: java.lang.IllegalStateException: arena closed"),
            steps.reports);
    }

    @Test
    void badArgumentsAre125WithoutAnyStep() {
        var steps = new RecordingSteps();
        var stderr = captureStderr(() -> assertEquals(125, SeatbeltExec.run(new String[] {"--exec"}, Map.of(), 1, steps)));
        assertEquals(List.of(), steps.calls);
        assertTrue(stderr.contains("stage 2 (SeatbeltExec) got bad arguments: --exec needs a value"), stderr);
    }

    private static String captureStderr(Runnable action) {
        var saved = System.err;
        var bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
