package dev.halt.core.macos;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How stage 1 tells a failure of stage 2 from the command's own exit status. The command keeps
 * stage 2's pid (stage 2 becomes it through {@code posix_spawn} with {@code SETEXEC}), so its
 * exit status alone cannot say whether {@code 125} came from halt or from the command.
 *
 * <p>The protocol, over a FIFO in halt's private (0700) run directory:
 * <ol>
 *   <li>stage 1 makes the FIFO and opens it for reading (on a thread: the open waits for a writer);</li>
 *   <li>stage 2 opens it for writing, close-on-exec, and writes {@link #READY};</li>
 *   <li>if a step fails, stage 2 writes {@code fail CODE\n} and the message, and exits with CODE;</li>
 *   <li>if the exec succeeds, the kernel closes stage 2's end: EOF after {@link #READY} alone means
 *       the command is running.</li>
 * </ol>
 * EOF with nothing at all means stage 2 ended before it could report (its JVM did not start, or
 * was killed): halt's failure, never the command's status. As soon as its open returns, stage 1
 * removes the FIFO's name, so no process started later can open it.
 */
public final class StatusFifo {
    private StatusFifo() {}

    /** The first bytes stage 2 writes, right after it opened the FIFO. */
    static final byte[] READY = "ready\n".getBytes(StandardCharsets.US_ASCII);
    /** Starts a failure report: {@code fail CODE\n}, then the message up to EOF. */
    static final String FAIL = "fail ";
    /** Reports longer than this are cut: a message is a line or a few. */
    static final int MAX_REPORT = 64 * 1024;

    /** What stage 2 reported. */
    public sealed interface Outcome {
        /** The exec succeeded: the process is now the command. */
        record Exec() implements Outcome {}

        /** A step of stage 2 failed: nothing ran; {@code code} is 125, 126 or 127. */
        record Failed(int code, String message) implements Outcome {}

        /** Stage 2 ended (or closed the FIFO) before it reported anything; {@code detail} says what was seen. */
        record NoReport(String detail) implements Outcome {}
    }

    /**
     * Makes a fresh FIFO, mode 0600, in {@code runDirectory}: made mode 0700 if missing, and
     * refused unless it is a directory of this user's that no one else may enter (the FIFO decides
     * whether halt reports a failure or a command's status). Returns its path.
     */
    public static Path create(Path runDirectory) throws IOException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var errno = dev.halt.ffm.macos.errno_h.allocate(arena);
            dev.halt.core.launch.PrivateDirectory.prepare(runDirectory, dev.halt.ffm.macos.unistd_h.geteuid(errno));
            var random = Long.toString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE, 36);
            var fifo = runDirectory.resolve(ProcessHandle.current().pid() + "-" + random + ".status");
            if (dev.halt.ffm.macos.unistd_h.mkfifo(errno, arena.allocateFrom(fifo.toString()), (short) 0600) != 0) {
                throw new IOException("cannot make the FIFO " + fifo + " (mkfifo: error " + dev.halt.ffm.macos.errno_h.get(errno) + ")");
            }
            return fifo;
        }
    }

    /** The failure report stage 2 writes after {@link #READY}. */
    static byte[] failure(int code, String message) {
        return (FAIL + code + "\n" + message).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads everything stage 2 wrote, up to EOF. */
    static Outcome parse(byte[] bytes) {
        int ready = READY.length;
        if (bytes.length == 0) return new Outcome.NoReport("it wrote nothing");
        if (bytes.length < ready || !java.util.Arrays.equals(bytes, 0, ready, READY, 0, ready)) {
            return new Outcome.NoReport("it wrote something other than the protocol");
        }
        if (bytes.length == ready) return new Outcome.Exec();
        var rest = new String(bytes, ready, bytes.length - ready, StandardCharsets.UTF_8);
        int newline = rest.indexOf('\n');
        if (!rest.startsWith(FAIL) || newline < 0) return new Outcome.NoReport("it wrote a malformed report");
        int code;
        try {
            code = Integer.parseInt(rest.substring(FAIL.length(), newline));
        } catch (NumberFormatException e) {
            return new Outcome.NoReport("it wrote a malformed report");
        }
        if (code != 125 && code != 126 && code != 127) return new Outcome.NoReport("it reported status " + code);
        return new Outcome.Failed(code, rest.substring(newline + 1).strip());
    }

    /**
     * The reading end, stage 1's side: open it before starting stage 2, then {@link #await} the
     * outcome.
     */
    public static final class Reader {
        private final Path fifo;
        private final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        private Reader(Path fifo) {
            this.fifo = fifo;
        }

        /**
         * Starts reading {@code fifo} (an existing FIFO) on a platform thread of its own: opening
         * a FIFO for reading waits for a writer, in native code.
         */
        public static Reader start(Path fifo) {
            var reader = new Reader(fifo);
            Thread.ofPlatform().daemon(true).name("halt-stage2-status").start(reader::read);
            return reader;
        }

        private void read() {
            try (var in = new FileInputStream(fifo.toFile())) {
                opened.complete(null);
                forget();
                outcome.complete(parse(in.readNBytes(MAX_REPORT)));
            } catch (IOException | RuntimeException e) {
                opened.complete(null);
                forget();
                outcome.complete(new Outcome.NoReport("its status FIFO " + fifo + " could not be read: " + e.getMessage()));
            }
        }

        /** Removes the FIFO's name; whoever holds it open keeps it. */
        private void forget() {
            try {
                Files.deleteIfExists(fifo);
            } catch (IOException e) {
                // A name left in halt's private run directory is harmless; the next run uses another.
            }
        }

        /**
         * The outcome once stage 2 reported it or ended. A stage 2 that ends without opening the
         * FIFO leaves this reader waiting in its open: then the reader is released by an open
         * for reading and writing, which counts as a writer, closed once the reader's open
         * returned, which makes its read see EOF with nothing.
         *
         * @param stageTwo the stage-2 process
         * @param timeout  how long stage 2 may take to report; after it, it is killed
         */
        public Outcome await(Process stageTwo, Duration timeout) throws InterruptedException {
            var exited = stageTwo.onExit();
            try {
                CompletableFuture.anyOf(outcome, exited).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                stageTwo.destroyForcibly();
                release();
                return new Outcome.NoReport("it did not report within " + timeout.toSeconds() + " s and was killed");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
            if (!outcome.isDone()) release();
            try {
                return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                return new Outcome.NoReport("its status FIFO could not be read: " + e);
            }
        }

        /** Stage 2 did not start: the reader stops waiting and the FIFO goes. */
        public void abandon() throws InterruptedException {
            release();
            forget();
        }

        /** Unblocks a reader whose writer never came (see {@link #await}). */
        private void release() throws InterruptedException {
            if (opened.isDone()) return;
            try (var unblock = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                opened.get(5, TimeUnit.SECONDS);
            } catch (IOException | TimeoutException | java.util.concurrent.ExecutionException e) {
                // The reader opened and forgot the name meanwhile, or is stuck: await's second wait bounds it.
            }
        }
    }
}
