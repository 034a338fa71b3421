package dev.halt.core.linux;

import dev.halt.core.probe.Availability;
import dev.halt.core.probe.Probe;

import java.util.List;

/**
 * What a run without a mount namespace (halt without privileges) cannot make private or
 * read-only, and how halt makes up for it: one WARN line each in {@code halt check}. Not a probe
 * of the kernel: these follow from what Landlock governs (file content and directory changes,
 * not metadata, not a sub-path of a write grant) and from sharing the host's mounts. Metadata is
 * the exception where halt's supervisor can run: it decides those calls itself, and the line is OK.
 */
final class RootlessLimits {
    private RootlessLimits() {}

    /**
     * The lines.
     *
     * @param metadata null when halt's supervisor decides metadata changes in a run, else why it cannot
     */
    static List<Probe> probes(String metadata) {
        return List.of(
            warn("tmp", "each run gets a private /tmp/halt-UID-RANDOM as TMPDIR and java.io.tmpdir, removed at exit; the"
                + " host's /tmp and /var/tmp are not granted (shared_tmp = true grants them), so a tool that ignores TMPDIR"
                + " cannot write its temporary files"),
            warn("terminals", "only the terminal halt runs on is granted: new ptys (script, tmux, Python's pty, ssh -t)"
                + " fail; allow_new_ptys = true grants /dev/pts, and with it your other terminals"),
            warn("shm", "/dev/shm is granted and shared with your other programs: the child can read and change their"
                + " POSIX shared memory and semaphores (shared_shm = false removes the grant)"),
            warn("protect", "git hooks and config and start-up files inside the write grants cannot be made read-only:"
                + " halt watches them and puts back what a run changes, at once and at exit. Detection and repair, not"
                + " prevention: a shell prompt or IDE running git in that moment runs what was planted"),
            metadata == null
                ? new Probe("metadata", Availability.available("enforced by halt's supervisor: chmod, chown, utimes, extended"
                    + " attributes, ACLs and file_setattr on files outside the write grants are refused (EACCES)"), Probe.Status.OK)
                : warn("metadata", "Landlock does not govern metadata: chmod, utimes, extended attributes and ACLs on your"
                    + " files outside the grants are not refused (" + metadata + ")"));
    }

    private static Probe warn(String name, String detail) {
        return new Probe(name, Availability.unavailable(detail), Probe.Status.WARN);
    }
}
