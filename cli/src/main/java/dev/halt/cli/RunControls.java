package dev.halt.cli;

import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ProjectFileEdit;
import dev.halt.core.control.ControlClient;
import dev.halt.core.ExitStatus;
import dev.halt.core.control.ControlDirectory;
import dev.halt.core.policy.InvokingUser;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the commands that control a running sandbox share: finding the run (by its id, or the only
 * one), reaching its socket, and saving a change to the run's project file.
 */
final class RunControls {
    private RunControls() {}

    /**
     * A run could not be reached, or refused, or what the user typed names none (then the status is
     * 125: nothing was asked of any run); the message says why.
     */
    static final class Failure extends Exception {
        private final int status;

        Failure(String message) {
            this(message, ExitStatus.CONTROL_FAILED);
        }

        private Failure(String message, int status) {
            super(message);
            this.status = status;
        }

        /** Bad input: nothing was sent to a run. */
        static Failure badInput(String message) {
            return new Failure(message, ExitStatus.HALT_FAILED);
        }

        /** The exit status of the command that failed so. */
        int status() {
            return status;
        }
    }

    /** The runs of this user whose halt still runs, oldest first. */
    static List<ControlDirectory.Endpoint> running() {
        return ControlDirectory.existing(System.getenv()).map(ControlDirectory::endpoints).orElse(List.of())
            .stream().filter(ControlDirectory.Endpoint::running).toList();
    }

    /** Whether {@code word} names a run rather than a host: run ids are halt's PIDs. */
    static boolean isRunId(String word) {
        return !word.isEmpty() && word.length() <= 10 && word.chars().allMatch(Character::isDigit);
    }

    /** The run {@code id} names, or with none the only one running. */
    static ControlDirectory.Endpoint pick(String id) throws Failure {
        if (id != null && !isRunId(id)) throw Failure.badInput("\"" + id + "\" is not a run: a run is the number halt ps lists");
        var runs = running();
        if (id != null) {
            return runs.stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new Failure("no sandbox " + id
                + " is running as this user" + (runs.isEmpty() ? "" : "; halt ps lists " + ids(runs))));
        }
        if (runs.isEmpty()) {
            return fail("no sandbox is running as this user (its control socket would be in "
                + ControlDirectory.locate(System.getenv()) + "; a run under sudo is root's: sudo halt ...)");
        }
        if (runs.size() > 1) return fail(runs.size() + " sandboxes are running: name one of " + ids(runs) + " (halt ps)");
        return runs.getFirst();
    }

    private static <T> T fail(String message) throws Failure {
        throw new Failure(message);
    }

    private static String ids(List<ControlDirectory.Endpoint> runs) {
        return String.join(", ", runs.stream().map(ControlDirectory.Endpoint::id).toList());
    }

    /** Connects to {@code run}'s socket. */
    static ControlClient connect(ControlDirectory.Endpoint run) throws Failure {
        try {
            return ControlClient.connect(run);
        } catch (IOException e) {
            throw new Failure("cannot reach sandbox " + run.id() + " at " + run.socket() + ": " + e.getMessage());
        }
    }

    /** Sends one request to {@code run} and returns its reply; a refusal is a {@link Failure} with the run's words. */
    static Map<String, Object> call(ControlDirectory.Endpoint run, String op, Map<String, Object> fields) throws Failure {
        try (var client = connect(run)) {
            var reply = client.request(op, fields);
            if (!Boolean.TRUE.equals(reply.get("ok"))) throw new Failure("sandbox " + run.id() + ": " + reply.get("error"));
            return reply;
        } catch (IOException e) {
            throw new Failure("sandbox " + run.id() + ": " + e.getMessage());
        }
    }

    /**
     * {@code --save}: adds {@code entries} to the allowlist (or with {@code deny} the denylist) of
     * the project file of the run that works in {@code workingDirectory}, after showing the diff
     * against its trusted content and asking on the terminal; trusts what it wrote.
     *
     * @return whether it was written
     */
    static boolean save(Path workingDirectory, boolean deny, List<String> entries, PrintWriter out, PrintWriter err) {
        var console = System.console();
        if (console == null) {
            err.println("halt: not saved: saving asks on the terminal before it writes " + workingDirectory.resolve(".halt/halt.toml")
                + ", and there is none");
            return false;
        }
        var locations = ConfigLocations.of(InvokingUser.current().home(), workingDirectory, System.getenv());
        switch (ProjectFileEdit.plan(locations, deny, entries)) {
            case ProjectFileEdit.Plan.Unchanged u -> {
                out.println("halt: nothing to save: " + u.why());
                return false;
            }
            case ProjectFileEdit.Plan.Refused r -> {
                err.println("halt: not saved: " + r.why());
                return false;
            }
            case ProjectFileEdit.Plan.Edit(var edit) -> {
                out.print(edit.diff());
                out.flush();
                var answer = console.readLine("Write this to %s and trust it? [y/N] ", edit.file());
                if (answer == null || !answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                    out.println("halt: not saved");
                    return false;
                }
                try {
                    edit.write(locations);
                    out.println("halt: saved and trusted " + edit.file());
                    return true;
                } catch (IOException e) {
                    err.println("halt: not saved: " + e.getMessage());
                    return false;
                }
            }
        }
    }

    /** A list of strings from a reply, or empty. */
    static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) return List.of();
        return list.stream().map(String::valueOf).toList();
    }
}
