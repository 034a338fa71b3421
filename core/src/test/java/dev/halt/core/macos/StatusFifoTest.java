package dev.halt.core.macos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stage 1's side of the status FIFO against fake second stages (a shell that opens the FIFO, then
 * writes a report or execs): a command that exits 125 by itself stays the command's 125, a stage
 * 2 that fails is halt's failure with its message, and a stage 2 that dies before reporting is
 * never taken for a running command.
 */
class StatusFifoTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<Process> started = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void killFakes() {
        for (var p : started) p.destroyForcibly();
    }

    private static Path mkfifo(Path dir) throws Exception {
        var fifo = dir.resolve("1-test.status");
        var made = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        assertTrue(made.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, made.exitValue());
        return fifo;
    }

    /** Starts {@code script} as a fake stage 2 with the FIFO as $0 and {@code args} after it. */
    private Process fake(Path fifo, String script, String... args) throws IOException {
        var command = new ArrayList<>(List.of("/bin/sh", "-c", script, fifo.toString()));
        command.addAll(List.of(args));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        return process;
    }

    @Test
    void aCommandThatExits125ByItselfIsTheCommandsStatus(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        // What a successful exec does: the FIFO's descriptor closes, the command runs.
        var stage = fake(fifo, "exec 3>\"$0\"; printf 'ready\\n' >&3; exec \"$@\" 3>&-", "/bin/sh", "-c", "sleep 0.2; exit 125");
        assertEquals(new StatusFifo.Outcome.Exec(), reader.await(stage, TIMEOUT));
        assertTrue(stage.isAlive(), "the outcome is known once the exec happened, while the command runs");
        assertTrue(stage.waitFor(10, TimeUnit.SECONDS));
        assertEquals(125, stage.exitValue());
        assertFalse(Files.exists(fifo), "the FIFO's name is gone once stage 1 opened it: nothing later can open it");
    }

    @Test
    void aFailedStageTwoIsHaltsFailureWithItsMessage(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        var stage = fake(fifo, "exec 3>\"$0\"; printf 'ready\\nfail 126\\n/bin/x: permission denied\\nsecond line' >&3; exit 126");
        assertEquals(new StatusFifo.Outcome.Failed(126, "/bin/x: permission denied\nsecond line"), reader.await(stage, TIMEOUT));
    }

    @Test
    void aStageTwoThatNeverOpensTheFifoIsNoReportNotACommand(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        // A JVM that could not start: exits without touching the FIFO (the reader waits in its open).
        var stage = fake(fifo, "exit 1");
        var outcome = reader.await(stage, TIMEOUT);
        assertInstanceOf(StatusFifo.Outcome.NoReport.class, outcome);
        assertEquals("it wrote nothing", ((StatusFifo.Outcome.NoReport) outcome).detail());
    }

    @Test
    void aStageTwoThatDiesAfterOpeningWithoutReadyIsNoReport(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        var stage = fake(fifo, "exec 3>\"$0\"; kill -KILL $$");
        assertInstanceOf(StatusFifo.Outcome.NoReport.class, reader.await(stage, TIMEOUT));
    }

    @Test
    void aStageTwoThatHangsIsKilledAfterTheTimeout(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        var stage = fake(fifo, "exec sleep 30");
        var outcome = reader.await(stage, Duration.ofMillis(300));
        assertEquals(new StatusFifo.Outcome.NoReport("it did not report within 0 s and was killed"), outcome);
        assertTrue(stage.waitFor(10, TimeUnit.SECONDS), "killed");
    }

    @Test
    void stageTwosWriterAndStageOnesParserAgree(@TempDir Path dir) throws Exception {
        var fifo = mkfifo(dir);
        var reader = StatusFifo.Reader.start(fifo);
        var stage = fake(fifo, "sleep 30");
        // SeatbeltExec's own report path, with the FIFO written from Java as the macOS steps write it.
        var steps = new SeatbeltExecTest.RecordingSteps() {
            @Override
            public SeatbeltExec.Report openStatus(String path) {
                try {
                    var out = new FileOutputStream(path);
                    out.write(StatusFifo.READY);
                    out.flush();
                    return (code, message) -> {
                        try (out) {
                            out.write(StatusFifo.failure(code, message));
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    };
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        };
        steps.execError = dev.halt.ffm.macos.errno_h.ENOENT();
        var args = new SeatbeltExecArguments(fifo.toString(), null, "(version 1)", List.of(), "/opt/tool", List.of("tool"));
        assertEquals(127, SeatbeltExec.run(args.encode().toArray(String[]::new), java.util.Map.of(), 1, steps));
        var outcome = reader.await(stage, TIMEOUT);
        assertEquals(new StatusFifo.Outcome.Failed(127, "/opt/tool: no such file (it was there when halt resolved the command)"),
            outcome);
    }

    @Test
    void malformedReportsAreNoReport() {
        assertEquals(new StatusFifo.Outcome.NoReport("it wrote something other than the protocol"), StatusFifo.parse("hello".getBytes()));
        assertEquals(new StatusFifo.Outcome.NoReport("it wrote a malformed report"), StatusFifo.parse("ready\nfail x\nm".getBytes()));
        assertEquals(new StatusFifo.Outcome.NoReport("it reported status 0"), StatusFifo.parse("ready\nfail 0\nm".getBytes()));
        assertEquals(new StatusFifo.Outcome.Exec(), StatusFifo.parse(StatusFifo.READY));
    }
}
