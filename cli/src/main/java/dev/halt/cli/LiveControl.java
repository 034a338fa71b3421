package dev.halt.cli;

import dev.halt.core.SandboxedProcess;
import dev.halt.core.control.ControlServer;
import dev.halt.core.control.RunDescription;
import dev.halt.core.control.RunSocket;
import dev.halt.core.policy.SandboxPolicy;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control socket of one {@code halt run}, as core decides it ({@link RunSocket}): made before
 * the command starts, answering once it runs, removed when it ends.
 */
final class LiveControl implements AutoCloseable {

    private final ControlServer server;

    private LiveControl(ControlServer server) {
        this.server = server;
    }

    /**
     * The control socket for a run of {@code policy} ({@link RunSocket#forRun}); empty (a line said
     * why) when the run must not start.
     */
    static Optional<LiveControl> open(SandboxPolicy policy, Map<String, String> environment, boolean bestEffort, boolean ask,
                                      PrintWriter err) {
        return switch (RunSocket.forRun(policy, environment, bestEffort, ask)) {
            case RunSocket.Open open -> Optional.of(new LiveControl(open.server()));
            case RunSocket.None none -> {
                if (none.warning() != null) err.println("halt: warning: " + none.warning());
                yield Optional.of(new LiveControl(null));
            }
            case RunSocket.Refused refused -> {
                err.println("halt: " + refused.message());
                yield Optional.empty();
            }
        };
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
