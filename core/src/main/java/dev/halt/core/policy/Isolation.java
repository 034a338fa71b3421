package dev.halt.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * What the child shares with the host besides its grants, and what inside its write grants
 * stays out of its reach. The backends enforce it as far as their kernel allows: with
 * privileges a private mount namespace makes it exact; without them halt grants less and
 * repairs what it cannot prevent.
 *
 * @param sharedTmp    use the host's {@code /tmp}, {@code /var/tmp} and {@code $TMPDIR} (and, with
 *                     privileges, {@code /dev/shm}) instead of the run's own: a tmpfs with
 *                     privileges, a private directory per run without ({@code [sandbox] shared_tmp})
 * @param sharedShm    without privileges, grant the host's {@code /dev/shm}, which POSIX shared
 *                     memory and semaphores need and which is shared with the user's other
 *                     programs ({@code [sandbox] shared_shm}); with privileges {@code /dev/shm}
 *                     follows {@code sharedTmp}
 * @param allowNewPtys without privileges, grant {@code /dev/pts}, so the child can open new
 *                     pseudo-terminals and also reach the user's other terminals
 *                     ({@code [sandbox] allow_new_ptys}); with privileges the child always has
 *                     a devpts instance of its own
 * @param mask         with privileges, paths hidden behind an empty read-only file or directory
 *                     besides the root-only entries of {@code /etc} ({@code [sandbox] mask})
 * @param protect      paths kept read-only inside the write grants besides
 *                     {@link #DEFAULT_PROTECTED}: a relative one is looked for at the top of each
 *                     write grant and each git work tree found in them, an absolute one is taken
 *                     as it is ({@code [sandbox] protect})
 * @param unprotect    entries of {@link #DEFAULT_PROTECTED} the user gave up protecting
 *                     ({@code [sandbox] unprotect})
 */
public record Isolation(boolean sharedTmp, boolean sharedShm, boolean allowNewPtys, List<Path> mask,
                        List<Path> protect, List<String> unprotect) {

    /**
     * The git metadata of every repository: its {@code config}, hooks, pointer files and the
     * files that redirect git elsewhere. Named by this entry in {@link #DEFAULT_PROTECTED}.
     */
    public static final String GIT = ".git";

    /**
     * Files and directories protected by default at the top of each write grant and each git
     * work tree: what a host program (git, a shell, an editor, an agent) runs or obeys the next
     * time the user works there outside the sandbox.
     */
    public static final List<String> DEFAULT_PROTECTED = List.of(
        GIT, ".gitmodules", ".gitconfig", ".halt",
        ".bashrc", ".bash_profile", ".bash_login", ".profile", ".zshrc", ".zprofile", ".zshenv", ".zlogin",
        ".npmrc", ".yarnrc", ".yarnrc.yml",
        ".vscode", ".idea", ".mcp.json", ".mcp-settings.json",
        ".claude/commands", ".claude/agents", ".claude/settings.json", ".claude/settings.local.json",
        ".husky", ".pre-commit-config.yaml", "lefthook.yml");

    /** Nothing shared beyond the defaults, every default protection on. */
    public static final Isolation DEFAULTS = new Isolation(false, true, false, List.of(), List.of(), List.of());

    /** @throws IllegalArgumentException naming every invalid value */
    public Isolation {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(protect, "protect");
        Objects.requireNonNull(unprotect, "unprotect");
        var problems = new ArrayList<String>();
        for (var m : mask) {
            if (!m.isAbsolute()) problems.add("mask: \"" + m + "\" is not an absolute path");
        }
        for (var p : protect) {
            problem(p).ifPresent(why -> problems.add("protect: " + why));
        }
        for (var u : unprotect) {
            if (!DEFAULT_PROTECTED.contains(u)) {
                problems.add("unprotect: \"" + u + "\" is not protected by default; the defaults are "
                    + String.join(", ", DEFAULT_PROTECTED));
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        mask = List.copyOf(new LinkedHashSet<>(mask.stream().map(Path::normalize).toList()));
        protect = List.copyOf(new LinkedHashSet<>(protect.stream().map(Path::normalize).toList()));
        unprotect = List.copyOf(new LinkedHashSet<>(unprotect));
    }

    /** Why {@code path} cannot be a {@code protect} entry, if it cannot. */
    public static java.util.Optional<String> problem(Path path) {
        if (path.toString().isEmpty()) return java.util.Optional.of("an empty path protects nothing");
        if (!path.isAbsolute()) {
            for (var name : path) {
                if (name.toString().equals("..")) {
                    return java.util.Optional.of("\"" + path + "\" leaves the directory it is looked for in (..)");
                }
            }
        }
        return java.util.Optional.empty();
    }

    /** The protected names in force: the defaults the user kept, then the relative {@code protect} entries. */
    public List<Path> protectedNames() {
        var names = new LinkedHashSet<Path>();
        for (var d : DEFAULT_PROTECTED) {
            if (!unprotect.contains(d)) names.add(Path.of(d));
        }
        for (var p : protect) {
            if (!p.isAbsolute()) names.add(p);
        }
        return List.copyOf(names);
    }

    /** The absolute {@code protect} entries. */
    public List<Path> protectedPaths() {
        return protect.stream().filter(Path::isAbsolute).toList();
    }

    /** Whether git repositories found in the write grants are protected. */
    public boolean protectsGit() {
        return !unprotect.contains(GIT);
    }
}
