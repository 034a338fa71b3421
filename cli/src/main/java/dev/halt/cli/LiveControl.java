package dev.halt.cli;

import dev.halt.core.SandboxedProcess;
import dev.halt.core.control.ControlDirectory;
import dev.halt.core.control.ControlServer;
import dev.halt.core.control.RunDescription;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;
import dev.halt.core.policy.SandboxPolicy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control socket of one {@code halt run}: made before the command starts (a socket halt cannot
 * make stops the run, 125, unless {@code --best-effort}), answering once it runs, removed when it
 * ends. A run whose write grants hold the control directory (a shared {@code /tmp}, which the user
 * chose with {@code shared_tmp}) gets none, and a warning says how to have one.
 */
final class LiveControl implements AutoCloseable {

    private final ControlServer server;

    private LiveControl(ControlServer server) {
        this.server = server;
    }

    /** The control socket for a run of {@code policy}; empty (a line said why) when the run must not start. */
    static Optional<LiveControl> open(SandboxPolicy policy, Map<String, String> environment, boolean bestEffort, PrintWriter err) {
        if (!ControlServer.supported()) return Optional.of(new LiveControl(null));
        var dir = ControlDirectory.locate(environment);
        var exposing = policy.grants(PathAccess.READ_WRITE).stream()
            .filter(g -> !runsOwn(g, policy) && covers(g.path(), dir)).findFirst();
        if (exposing.isPresent()) {
            err.println("halt: warning: this run has no control socket (halt ps, allow, watch cannot reach it): its control"
                + " directory " + dir + " lies in the write grant " + exposing.get().path() + " (" + exposing.get().source().describe()
                + "); set XDG_RUNTIME_DIR to a private directory outside it");
            return Optional.of(new LiveControl(null));
        }
        try {
            return Optional.of(new LiveControl(ControlServer.open(ControlDirectory.prepare(environment))));
        } catch (IOException | RuntimeException e) {
            if (bestEffort) {
                err.println("halt: warning: best effort: this run has no control socket: " + e.getMessage());
                return Optional.of(new LiveControl(null));
            }
            err.println("halt: cannot make the run's control socket: " + e.getMessage()
                + ". Nothing was run (--best-effort runs without it and says so).");
            return Optional.empty();
        }
    }

    /** A default temporary directory the run gets as its own (a tmpfs with privileges, a private directory without). */
    private static boolean runsOwn(PathGrant grant, SandboxPolicy policy) {
        return !policy.isolation().sharedTmp() && grant.source() instanceof ValueSource.Default d
            && (d.reason().equals(SystemDefaults.TEMPORARY_DIRECTORY) || d.reason().equals(SystemDefaults.TMPDIR));
    }

    private static boolean covers(Path grant, Path dir) {
        if (dir.startsWith(grant)) return true;
        try {
            return dir.toRealPath().startsWith(grant.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts answering for {@code child}: {@code halt stop} ends it as SIGTERM to halt would. */
    void serve(SandboxedProcess child, List<String> command, Path workingDirectory) {
        if (server == null) return;
        var description = new RunDescription(ProcessHandle.current().pid(), child.process().pid(), command, workingDirectory,
            Instant.now());
        server.serve(description, child.network(), child::onFileDenial, () -> child.signal(15));
    }

    @Override
    public void close() {
        if (server != null) server.close();
    }
}
