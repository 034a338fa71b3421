package dev.halt.core.protect;

import dev.halt.core.git.GitConfig;
import dev.halt.core.policy.InvokingUser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Where git finds the code it runs for one work tree: the git directory, the common directory it
 * shares with other work trees, the configuration files and the hooks directory. Resolved the
 * way git resolves them, so that a file that redirects git elsewhere ({@code .git} pointer
 * files, {@code commondir}, {@code config.worktree}, {@code core.hooksPath}, {@code include.path})
 * is seen.
 *
 * @param workTree    the directory holding {@code .git}
 * @param dotGit      {@code workTree/.git}: a directory, or a pointer file ({@code gitdir: ...})
 * @param gitDir      the git directory {@code dotGit} names
 * @param commonDir   the directory with the shared config, hooks, objects and refs
 * @param configFiles the configuration files git reads for this work tree that exist: the
 *                    common {@code config}, {@code config.worktree}, and the files they include
 * @param hooksDir    where git looks for hooks: {@code core.hooksPath}, or {@code commonDir/hooks}
 */
public record GitRepository(Path workTree, Path dotGit, Path gitDir, Path commonDir, List<Path> configFiles,
                            Path hooksDir) {

    public GitRepository {
        configFiles = List.copyOf(configFiles);
    }

    /**
     * The repository whose work tree is {@code workTree}, if {@code workTree/.git} is a git
     * directory or a readable pointer file. Links are not followed to find {@code .git}.
     */
    public static Optional<GitRepository> at(Path workTree) {
        var dotGit = workTree.resolve(".git");
        Path gitDir;
        if (Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            gitDir = dotGit;
        } else if (Files.isRegularFile(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            var target = pointer(dotGit, "gitdir:");
            if (target.isEmpty()) return Optional.empty();
            gitDir = workTree.resolve(target.get()).normalize();
        } else {
            return Optional.empty();
        }
        return Optional.of(of(workTree, dotGit, gitDir));
    }

    /** The repository of the git directory {@code gitDir} used by {@code workTree}. */
    static GitRepository of(Path workTree, Path dotGit, Path gitDir) {
        var commonDir = pointer(gitDir.resolve("commondir"), "").map(c -> gitDir.resolve(c).normalize()).orElse(gitDir);
        var home = home();
        var configs = new LinkedHashSet<Path>();
        String hooksPath = null;
        for (var file : List.of(commonDir.resolve("config"), gitDir.resolve("config.worktree"))) {
            var read = GitConfig.read(file, home);
            configs.addAll(read.files());
            hooksPath = read.last("core", "hookspath").orElse(hooksPath);
        }
        var hooks = hooksPath == null ? commonDir.resolve("hooks") : hooksDir(workTree, hooksPath, home);
        return new GitRepository(workTree, dotGit, gitDir, commonDir, List.copyOf(configs), hooks);
    }

    /** Where {@code ~/} in the repository's config leads git in the child: its {@code HOME}. */
    private static Path home() {
        try {
            return InvokingUser.current().childHome(System.getenv());
        } catch (IllegalStateException e) {
            return Path.of(System.getProperty("user.home"));
        }
    }

    /** {@code core.hooksPath}: {@code ~/} is the home directory; a relative path is the work tree's. */
    private static Path hooksDir(Path workTree, String value, Path home) {
        if (value.startsWith("~/")) return home.resolve(value.substring(2)).normalize();
        return workTree.resolve(value).normalize();
    }

    /** The first line of a small file, after {@code prefix}, stripped; empty when it is missing or different. */
    private static Optional<String> pointer(Path file, String prefix) {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 4096) return Optional.empty();
            var line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
            if (!line.startsWith(prefix)) return Optional.empty();
            var value = line.substring(prefix.length()).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The files of the git directory whose appearance would send git somewhere else, that do not
     * exist now: {@code commondir}, {@code config.worktree}, and the hooks directory.
     */
    public List<Path> absentRedirects() {
        var absent = new ArrayList<Path>();
        for (var p : List.of(gitDir.resolve("commondir"), gitDir.resolve("config.worktree"), hooksDir)) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) absent.add(p);
        }
        return absent;
    }

    /** What git would run or obey here, in the terms of the comparison made at exit. */
    public Layout layout() {
        return new Layout(dotGit, gitDir, commonDir, configFiles, hooksDir);
    }

    /**
     * The parts of a repository that decide what code git runs. Two layouts of one work tree that
     * differ mean a file redirected git during the run.
     */
    public record Layout(Path dotGit, Path gitDir, Path commonDir, List<Path> configFiles, Path hooksDir) {}
}
