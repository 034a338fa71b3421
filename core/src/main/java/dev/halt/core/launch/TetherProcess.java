package dev.halt.core.launch;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run's tether, seen from halt's JVM: a {@code /bin/sh} outside the sandbox that outlives the JVM
 * and reads orders on a pipe only this JVM writes to ({@code child PID} lines, then {@code done}).
 * When the pipe closes without {@code done} (the JVM died), its script kills what the run left.
 * Each platform's script, and what it can find of a run, is its backend's ({@code linux.Tether},
 * {@code macos.MacTether}); this class is the pipe.
 */
public abstract class TetherProcess {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final Path SHELL = Path.of("/bin/sh");

    private final Process process;
    private final OutputStream commands;
    /** Guarded by {@code this}. */
    private boolean released;

    protected TetherProcess(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
    }

    /**
     * Starts {@code /bin/sh -c script halt-tether arguments...} in {@code /}, its output discarded,
     * with exactly {@code environment}.
     */
    protected static Process startShell(String script, List<String> arguments, Map<String, String> environment) throws IOException {
        var command = new java.util.ArrayList<>(List.of(SHELL.toString(), "-c", script, "halt-tether"));
        command.addAll(arguments);
        var builder = new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
            .directory(Path.of("/").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder.start();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /**
     * Tells the tether about a process of the run (the command, or one the run started that halt
     * saw), which it kills if halt dies. Call it the moment the process is known: until then a
     * {@code kill -9} of halt leaves it.
     */
    public synchronized void watch(long pid) {
        if (!released) send("child " + pid + "\n");
    }

    public synchronized boolean released() {
        return released;
    }

    /** The run is over and cleaned up: the tether exits without touching anything. */
    public synchronized void release() {
        if (released) return;
        released = true;
        send("done\n");
        try {
            commands.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "tether: " + e.getMessage());
        }
    }

    /** How a platform starts its tether. */
    public interface Start {
        TetherProcess start() throws IOException;
    }

    /**
     * The {@code tether} probe of {@code halt check}: a tether started as a run starts one, released
     * and exited cleanly, as every run's does at its end.
     *
     * @param start     the platform's start
     * @param protects  what a run's tether does if halt is killed, for the line
     */
    public static dev.halt.core.probe.Availability probe(Start start, String protects) {
        try {
            start.start().releaseAndAwaitExit();
            return dev.halt.core.probe.Availability.available("/bin/sh started, took its orders and exited: if halt is killed, "
                + protects);
        } catch (IOException e) {
            return dev.halt.core.probe.Availability.unavailable("cannot start the tether: " + e.getMessage()
                + " (halt run refuses to run without it unless --best-effort)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return dev.halt.core.probe.Availability.unavailable("interrupted");
        }
    }

    /** Releases this tether and waits for it to exit cleanly; throws saying what went wrong. */
    public void releaseAndAwaitExit() throws IOException, InterruptedException {
        release();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("the tether (/bin/sh) did not exit within 5 s of being released");
        }
        int status = process.exitValue();
        if (status != 0) throw new IOException("the tether (/bin/sh) exited with status " + status);
    }

    /** Writes one order line. */
    protected void send(String line) {
        try {
            commands.write(line.getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            // It was killed from outside: the run goes on without it.
            LOG.log(Level.WARNING, "the tether process " + process.pid() + " is gone (" + e.getMessage()
                + "): if halt is killed with SIGKILL now, the run's processes survive it");
        }
    }
}
