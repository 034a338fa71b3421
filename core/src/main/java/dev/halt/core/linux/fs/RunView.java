package dev.halt.core.linux.fs;

import dev.halt.core.linux.landlock.Landlock;

import java.nio.file.Path;
import java.util.List;

/**
 * What a launch of a policy would give the child's filesystem, planned as {@code halt run} plans
 * it (the same grants, links followed the same way, the same shared places, mount namespace and
 * protected paths) but with no side effect: nothing is made, mounted or started. What
 * {@code halt explain} answers from ({@link dev.halt.core.linux.LinuxBackend#view}).
 *
 * @param abi            the kernel's Landlock ABI (0 without Landlock: nothing is restricted)
 * @param mountNamespace with privileges: the run's own mount namespace (read-only outside the write
 *                       grants, its own /tmp, root-only /etc entries masked)
 * @param privateTmp     without a mount namespace: the run gets a private temporary directory
 *                       instead of the host's /tmp, /var/tmp and $TMPDIR
 * @param rootChild      the child runs as uid 0 with no capability (halt as root, not under sudo)
 * @param rules          the Landlock rules of the child's domain
 * @param masks          with a mount namespace: what reads as an empty file or directory
 * @param readOnly       protected paths inside the write grants that stay read-only
 * @param pinned         {@code .git} directories that cannot be moved or removed
 * @param warnings       grants left out (missing paths, links the sandbox could have planted)
 * @param home           the child's home directory (the invoking user's under sudo)
 * @param mounts         with a mount namespace, its plan (which paths are mounted read-write); else null
 */
public record RunView(int abi, boolean mountNamespace, boolean privateTmp, boolean rootChild,
                      List<Landlock.Rule> rules, List<MountPlan.Mask> masks, List<Path> readOnly, List<Path> pinned,
                      List<String> warnings, Path home, MountPlan mounts) {

    public RunView {
        rules = List.copyOf(rules);
        masks = List.copyOf(masks);
        readOnly = List.copyOf(readOnly);
        pinned = List.copyOf(pinned);
        warnings = List.copyOf(warnings);
    }

    /** Whether the run's mounts let the child write at {@code path} (always, without a mount namespace). */
    public boolean mountedWritable(Path path) {
        return mounts == null || mounts.writable(path);
    }
}
