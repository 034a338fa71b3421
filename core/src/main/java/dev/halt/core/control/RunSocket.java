package dev.halt.core.control;

import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether one {@code halt run} gets a control socket ({@code halt ps}, {@code allow}, {@code watch},
 * {@code stop}, the answers of {@code --ask}), decided before the command starts. A run whose write
 * grants hold the control directory (halt's shared temporary defaults under {@code shared_tmp}; a
 * grant the user wrote over it is already an error of the config) gets none, with a warning that
 * says how to have one; a socket halt cannot make stops the run unless {@code --best-effort}. A run
 * with {@code --ask} needs its socket: its questions are answered through it.
 */
public sealed interface RunSocket {

    /** The run's socket, made and not yet answering. */
    record Open(ControlServer server) implements RunSocket {}

    /** No socket, and the warning that says why (null where the platform has none: halt check says so). */
    record None(String warning) implements RunSocket {}

    /** The run must not start: the message says why. */
    record Refused(String message) implements RunSocket {}

    /**
     * The control socket of a run of {@code policy}.
     *
     * @param environment halt's environment (XDG_RUNTIME_DIR)
     * @param bestEffort  {@code --best-effort}: a socket halt cannot make is a warning
     * @param ask         {@code --ask}: no socket is a refusal
     */
    static RunSocket forRun(SandboxPolicy policy, Map<String, String> environment, boolean bestEffort, boolean ask) {
        if (!ControlServer.supported()) return new None(null);
        var dir = ControlDirectory.locate(environment);
        var exposing = policy.grants(PathAccess.READ_WRITE).stream()
            .filter(g -> !runsOwn(g, policy) && covers(g.path(), dir)).findFirst();
        if (exposing.isPresent()) {
            var why = "its control directory " + dir + " lies in the write grant " + exposing.get().path() + " ("
                + exposing.get().source().describe() + "); set XDG_RUNTIME_DIR to a private directory outside it";
            return ask ? new Refused("--ask is answered through the run's control socket, and this run can have none: " + why
                + ". Nothing was run.")
                : new None("this run has no control socket (halt ps, allow, watch cannot reach it): " + why);
        }
        try {
            return new Open(ControlServer.open(ControlDirectory.prepare(environment)));
        } catch (IOException | RuntimeException e) {
            if (bestEffort && !ask) return new None("best effort: this run has no control socket: " + e.getMessage());
            return new Refused("cannot make the run's control socket: " + e.getMessage() + ". Nothing was run"
                + (ask ? " (--ask is answered through it)." : " (--best-effort runs without it and says so)."));
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
}
