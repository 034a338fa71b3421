package dev.halt.core.protect;

import dev.halt.core.policy.Isolation;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitor;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The paths inside a run's write grants that the child must not change: what a program on the
 * host runs or obeys the next time the user works there outside the sandbox. Git's hooks and
 * configuration first (a planted {@code pre-commit} hook or {@code core.fsmonitor} runs at the
 * user's next {@code git commit} or {@code git status}), then shell and editor start-up files and
 * agent settings ({@link Isolation#DEFAULT_PROTECTED}).
 *
 * <p>A scan of the write grants finds them before the launch. A backend with privileges binds
 * {@link #readOnly()} read-only and {@link #pinned()} onto themselves (a mount point can be
 * neither renamed nor removed); one without them keeps a copy and repairs. Both call
 * {@link #verify()} at exit: a file that redirects git ({@code .git/commondir} naming a planted
 * copy of the repository, say) cannot be bound over before it exists, so its appearance is found
 * afterwards, and the backend moves it aside.
 *
 * @param roots        the write grants scanned (top-most directories only)
 * @param readOnly     existing files and directories to keep as they are
 * @param pinned       {@code .git} directories that must stay where they are (writable inside)
 * @param absent       files whose appearance would redirect git
 * @param repositories every git work tree found, as it was at the scan
 * @param notices      what {@code -v} reports: a scan that stopped early, paths skipped
 */
public record ProtectedPaths(List<Path> roots, List<Path> readOnly, List<Path> pinned, List<Path> absent,
                             List<GitRepository> repositories, List<String> notices) {

    /** How many directory levels below a write grant repositories and names are looked for. */
    public static final int MAX_DEPTH = 3;
    /** How many directories one scan visits at most, so that a huge grant costs a bounded time. */
    public static final int MAX_DIRECTORIES = 20_000;
    /** Directories never descended into: they hold dependencies, not the user's repositories. */
    private static final Set<String> SKIPPED = Set.of("node_modules", ".venv", "venv", "__pycache__", ".tox",
        ".gradle", ".m2", ".cargo", ".rustup", ".npm", ".cache");

    public ProtectedPaths {
        roots = List.copyOf(roots);
        readOnly = List.copyOf(readOnly);
        pinned = List.copyOf(pinned);
        absent = List.copyOf(absent);
        repositories = List.copyOf(repositories);
        notices = List.copyOf(notices);
    }

    /** Nothing protected. */
    public static final ProtectedPaths NONE = new ProtectedPaths(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /**
     * Scans {@code writeGrants} (absolute, links resolved; files and missing paths are ignored)
     * for what {@code isolation} protects.
     */
    public static ProtectedPaths scan(List<Path> writeGrants, Isolation isolation) {
        var roots = topMost(writeGrants.stream().filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList());
        var readOnly = new LinkedHashSet<Path>();
        var pinned = new LinkedHashSet<Path>();
        var absent = new LinkedHashSet<Path>();
        var repositories = new ArrayList<GitRepository>();
        var notices = new ArrayList<String>();
        var names = isolation.protectedNames().stream().filter(n -> !n.toString().equals(Isolation.GIT)).toList();

        var workTrees = new LinkedHashSet<Path>();
        for (var root : roots) {
            addNames(root, names, readOnly);
            if (isolation.protectsGit()) findWorkTrees(root, workTrees, notices);
        }
        for (var workTree : workTrees) {
            if (!roots.contains(workTree)) addNames(workTree, names, readOnly);
            if (!isolation.protectsGit()) continue;
            var repository = GitRepository.at(workTree);
            if (repository.isEmpty()) continue;
            var repo = repository.get();
            repositories.add(repo);
            protectGit(repo, roots, readOnly, pinned, absent);
        }
        for (var path : isolation.protectedPaths()) {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && inside(path, roots)) readOnly.add(path);
        }
        return new ProtectedPaths(roots, List.copyOf(readOnly), List.copyOf(pinned), List.copyOf(absent), repositories, notices);
    }

    /** The roots that are not inside another root. */
    public static List<Path> topMost(List<Path> paths) {
        var result = new ArrayList<Path>();
        for (var p : paths.stream().map(Path::normalize).distinct().toList()) {
            if (paths.stream().map(Path::normalize).noneMatch(q -> !q.equals(p) && p.startsWith(q))) result.add(p);
        }
        return result;
    }

    private static boolean inside(Path path, List<Path> roots) {
        return roots.stream().anyMatch(path::startsWith);
    }

    private static void addNames(Path dir, List<Path> names, Set<Path> readOnly) {
        for (var name : names) {
            var p = dir.resolve(name);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) readOnly.add(p);
        }
    }

    /**
     * Every directory up to {@link #MAX_DEPTH} - 1 below {@code root} that holds a {@code .git}
     * (directory, pointer file or link), which lies at most {@link #MAX_DEPTH} below it. Links are
     * not followed; {@code .git} directories are not entered (their modules and worktrees are read
     * from the repository).
     */
    private static void findWorkTrees(Path root, Set<Path> workTrees, List<String> notices) {
        var visited = new int[1];
        var stoppedEarly = new boolean[1];
        try {
            Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), MAX_DEPTH, new FileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (++visited[0] > MAX_DIRECTORIES) {
                        stoppedEarly[0] = true;
                        return FileVisitResult.TERMINATE;
                    }
                    var name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (dir.equals(root)) return FileVisitResult.CONTINUE;
                    if (name.equals(".git")) {
                        workTrees.add(dir.getParent());
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return SKIPPED.contains(name) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                // A .git seen in the listing, not looked up in every directory: no stat per directory.
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().equals(".git")) workTrees.add(file.getParent());
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            notices.add("protected paths: cannot scan " + root + " for git repositories: " + e.getMessage());
        }
        if (stoppedEarly[0]) {
            notices.add("protected paths: the scan of " + root + " stopped after " + MAX_DIRECTORIES
                + " directories; git repositories further in are not protected");
        }
    }

    /**
     * A repository's git metadata: the pointer file or the {@code .git} directory itself (pinned),
     * the config files and hooks, the files that redirect git, and the same for its submodules'
     * and worktrees' git directories. Only what lies inside a write grant needs protecting: the
     * rest the child cannot write anyway.
     */
    private static void protectGit(GitRepository repo, List<Path> roots, Set<Path> readOnly, Set<Path> pinned, Set<Path> absent) {
        if (Files.isDirectory(repo.dotGit(), LinkOption.NOFOLLOW_LINKS)) {
            pinned.add(repo.dotGit());
        } else {
            readOnly.add(repo.dotGit());
        }
        var gitDirs = new LinkedHashSet<Path>(List.of(repo.gitDir(), repo.commonDir()));
        gitDirs.addAll(children(repo.commonDir().resolve("worktrees")));
        addModules(repo.commonDir().resolve("modules"), gitDirs, 0);
        for (var gitDir : gitDirs) {
            for (var name : List.of("config", "config.worktree", "hooks", "commondir", "gitdir")) {
                var p = gitDir.resolve(name);
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) readOnly.add(p);
            }
        }
        readOnly.addAll(repo.configFiles());
        if (Files.exists(repo.hooksDir(), LinkOption.NOFOLLOW_LINKS)) readOnly.add(repo.hooksDir());
        absent.addAll(repo.absentRedirects());
        readOnly.removeIf(p -> !inside(p, roots));
        absent.removeIf(p -> !inside(p, roots));
        if (!inside(repo.dotGit(), roots)) pinned.remove(repo.dotGit());
    }

    /** {@code modules/<name>/} git directories, and theirs in turn (nested submodules). */
    private static void addModules(Path modules, Set<Path> gitDirs, int depth) {
        if (depth > MAX_DEPTH) return;
        for (var module : children(modules)) {
            if (Files.exists(module.resolve("HEAD"), LinkOption.NOFOLLOW_LINKS)) {
                gitDirs.add(module);
                addModules(module.resolve("modules"), gitDirs, depth + 1);
            } else {
                // A submodule named a/b lives in modules/a/b.
                addModules(module, gitDirs, depth + 1);
            }
        }
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * What changed during the run that would make git on the host run code it did not run
     * before: a redirect file that appeared, a repository whose layout moved, a new repository.
     * Reads the filesystem as the calling thread sees it: call it from the host side.
     */
    public List<Finding> verify() {
        var findings = new ArrayList<Finding>();
        for (var p : absent) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) findings.add(new Finding.Appeared(p));
        }
        var known = new LinkedHashSet<Path>();
        for (var before : repositories) {
            known.add(before.workTree());
            var after = GitRepository.at(before.workTree());
            if (after.isEmpty()) {
                if (Files.exists(before.dotGit(), LinkOption.NOFOLLOW_LINKS)) findings.add(new Finding.Moved(before.dotGit(), "no longer a git repository git can read"));
            } else if (!after.get().layout().equals(before.layout())) {
                findings.add(new Finding.Moved(before.dotGit(), describe(before.layout(), after.get().layout())));
            }
        }
        var now = new LinkedHashSet<Path>();
        var ignored = new ArrayList<String>();
        for (var root : roots) findWorkTrees(root, now, ignored);
        for (var workTree : now) {
            if (!known.contains(workTree)) findings.add(new Finding.NewRepository(workTree.resolve(".git")));
        }
        return findings;
    }

    private static String describe(GitRepository.Layout before, GitRepository.Layout after) {
        var parts = new ArrayList<String>();
        if (!before.gitDir().equals(after.gitDir())) parts.add("git directory " + before.gitDir() + " -> " + after.gitDir());
        if (!before.commonDir().equals(after.commonDir())) parts.add("common directory " + before.commonDir() + " -> " + after.commonDir());
        if (!before.hooksDir().equals(after.hooksDir())) parts.add("hooks " + before.hooksDir() + " -> " + after.hooksDir());
        if (!before.configFiles().equals(after.configFiles())) parts.add("config files " + before.configFiles() + " -> " + after.configFiles());
        return String.join("; ", parts);
    }

    /** One change found at exit. */
    public sealed interface Finding {
        /** The file or directory concerned. */
        Path path();

        /** One line for the user. */
        String describe();

        /** A redirect file that did not exist at the start. */
        record Appeared(Path path) implements Finding {
            @Override
            public String describe() {
                return path + " appeared during the run; git would follow it";
            }
        }

        /** A repository git now resolves differently. */
        record Moved(Path path, String change) implements Finding {
            @Override
            public String describe() {
                return path + ": " + change;
            }
        }

        /** A repository created during the run: nothing of it was protected. */
        record NewRepository(Path path) implements Finding {
            @Override
            public String describe() {
                return path + " was created during the run: review its hooks and config before running git there";
            }
        }
    }
}
