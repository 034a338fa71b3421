package dev.halt.core.protect;

import dev.halt.core.policy.Isolation;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The scan of write grants for what a host program would run, on real repositories made by git. */
class ProtectedPathsTest {

    @TempDir
    Path temp;
    Path ws;

    @BeforeEach
    void workspace() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        ws = Files.createDirectories(temp.resolve("ws")).toRealPath();
    }

    private void git(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-c", "init.defaultBranch=main", "-c", "user.name=t",
            "-c", "user.email=t@t", "-c", "protocol.file.allow=always"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "git finished");
        assertEquals(0, p.exitValue(), String.join(" ", args) + ": " + out);
    }

    private ProtectedPaths scan(Isolation isolation) {
        return ProtectedPaths.scan(List.of(ws), isolation);
    }

    @Test
    void aRepositoryAtTheTopPinsGitAndProtectsConfigAndHooks() throws Exception {
        git(ws, "init", "-q");
        var p = scan(Isolation.DEFAULTS);
        assertEquals(List.of(ws.resolve(".git")), p.pinned());
        assertTrue(p.readOnly().contains(ws.resolve(".git/config")), p.readOnly().toString());
        assertTrue(p.readOnly().contains(ws.resolve(".git/hooks")), p.readOnly().toString());
        assertTrue(p.absent().contains(ws.resolve(".git/commondir")), p.absent().toString());
        assertTrue(p.absent().contains(ws.resolve(".git/config.worktree")), p.absent().toString());
        assertEquals(1, p.repositories().size());
    }

    @Test
    void hooksPathAndIncludedConfigInsideTheGrantAreProtected() throws Exception {
        git(ws, "init", "-q");
        Files.createDirectories(ws.resolve(".husky/_"));
        Files.writeString(ws.resolve("extra.gitconfig"), "[user]\n\tname = x\n");
        git(ws, "config", "core.hooksPath", ".husky/_");
        git(ws, "config", "include.path", "../extra.gitconfig");
        var p = scan(Isolation.DEFAULTS);
        assertEquals(ws.resolve(".husky/_"), p.repositories().getFirst().hooksDir());
        assertTrue(p.readOnly().contains(ws.resolve(".husky/_")), p.readOnly().toString());
        assertTrue(p.readOnly().contains(ws.resolve("extra.gitconfig")), p.readOnly().toString());
    }

    @Test
    void worktreesSubmodulesAndNestedRepositoriesAreFound() throws Exception {
        var upstream = Files.createDirectories(temp.resolve("upstream"));
        git(upstream, "init", "-q");
        git(upstream, "commit", "-q", "--allow-empty", "-m", "u");
        git(ws, "init", "-q");
        git(ws, "commit", "-q", "--allow-empty", "-m", "first");
        git(ws, "worktree", "add", "-q", "wt");
        git(ws, "submodule", "add", "-q", upstream.toString(), "sub");
        var nested = Files.createDirectories(ws.resolve("a/b")); // .git at depth 3, the deepest scanned
        git(nested, "init", "-q");
        var hidden = Files.createDirectories(ws.resolve("node_modules/pkg"));
        git(hidden, "init", "-q");

        var p = scan(Isolation.DEFAULTS);
        var trees = p.repositories().stream().map(GitRepository::workTree).toList();
        assertTrue(trees.containsAll(List.of(ws, ws.resolve("wt"), ws.resolve("sub"), nested)), trees.toString());
        assertFalse(trees.contains(hidden), "dependencies are not scanned: " + trees);
        assertTrue(p.readOnly().contains(ws.resolve("wt/.git")), "a pointer file: " + p.readOnly());
        assertTrue(p.readOnly().contains(ws.resolve(".git/worktrees/wt/commondir")), p.readOnly().toString());
        assertTrue(p.readOnly().contains(ws.resolve(".git/modules/sub/config")), p.readOnly().toString());
        assertTrue(p.readOnly().contains(ws.resolve(".git/modules/sub/hooks")), p.readOnly().toString());
        assertTrue(p.pinned().contains(nested.resolve(".git")), p.pinned().toString());
        assertEquals(ws.resolve(".git"), p.repositories().get(trees.indexOf(ws.resolve("wt"))).commonDir());
    }

    @Test
    void startUpFilesAndEditorSettingsAreProtectedAndUnprotectDropsThem() throws Exception {
        Files.writeString(ws.resolve(".bashrc"), "# mine\n");
        Files.createDirectories(ws.resolve(".vscode"));
        Files.createDirectories(ws.resolve(".claude/commands"));
        Files.writeString(ws.resolve(".envrc"), "export A=1\n");
        var p = scan(Isolation.DEFAULTS);
        assertTrue(p.readOnly().containsAll(List.of(ws.resolve(".bashrc"), ws.resolve(".vscode"), ws.resolve(".claude/commands"))),
            p.readOnly().toString());
        assertFalse(p.readOnly().contains(ws.resolve(".envrc")));

        var custom = new Isolation(false, true, false, List.of(), List.of(Path.of(".envrc")), List.of(".vscode"));
        var q = scan(custom);
        assertTrue(q.readOnly().contains(ws.resolve(".envrc")), q.readOnly().toString());
        assertFalse(q.readOnly().contains(ws.resolve(".vscode")), q.readOnly().toString());
    }

    @Test
    void unprotectGitLeavesRepositoriesAlone() throws Exception {
        git(ws, "init", "-q");
        var p = scan(new Isolation(false, true, false, List.of(), List.of(), List.of(Isolation.GIT)));
        assertEquals(List.of(), p.pinned());
        assertEquals(List.of(), p.repositories());
        assertTrue(p.readOnly().stream().noneMatch(x -> x.startsWith(ws.resolve(".git"))), p.readOnly().toString());
    }

    @Test
    void aPlantedCommondirIsFoundAndANewRepositoryIsNamed() throws Exception {
        git(ws, "init", "-q");
        var p = scan(Isolation.DEFAULTS);
        assertEquals(List.of(), p.verify(), "nothing changed yet");

        // The attack: a copy of .git with a planted hook, and .git/commondir pointing at it.
        git(ws, "clone", "-q", "--bare", ".", "evil");
        Files.writeString(ws.resolve(".git/commondir"), "../evil\n");
        var later = Files.createDirectories(ws.resolve("later"));
        git(later, "init", "-q");

        var findings = p.verify();
        var appeared = findings.stream().filter(f -> f instanceof ProtectedPaths.Finding.Appeared).toList();
        assertEquals(List.of(ws.resolve(".git/commondir")), appeared.stream().map(ProtectedPaths.Finding::path).toList(), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f instanceof ProtectedPaths.Finding.Moved m && m.describe().contains("evil")), findings.toString());
        assertTrue(findings.stream().anyMatch(f -> f instanceof ProtectedPaths.Finding.NewRepository n && n.path().equals(later.resolve(".git"))),
            findings.toString());
    }

    @Test
    void onlyTopMostGrantsAreScannedAndOutsidePathsAreLeftOut() throws Exception {
        var sub = Files.createDirectories(ws.resolve("sub"));
        assertEquals(List.of(ws), ProtectedPaths.topMost(List.of(sub, ws, ws)));
        var outsideRepo = Files.createDirectories(temp.resolve("outside"));
        git(outsideRepo, "init", "-q");
        var p = ProtectedPaths.scan(List.of(ws), new Isolation(false, true, false, List.of(),
            List.of(outsideRepo.resolve(".git/config")), List.of()));
        assertFalse(p.readOnly().contains(outsideRepo.resolve(".git/config")), "outside every write grant: nothing to protect");
    }
}
