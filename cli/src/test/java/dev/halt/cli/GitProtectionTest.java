package dev.halt.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The classic way out of a workspace-only sandbox: the child plants code that git runs on the
 * host at the user's next {@code git status} or {@code git commit}, outside any sandbox. Each
 * test is the attack, made in a real repository, followed by the user's git on the host; the
 * planted code would create a marker file. As root and as user 65534 (rootless).
 */
@Tag("linux")
class GitProtectionTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean root;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        root = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
    }

    /**
     * A repository with one commit, owned by the user halt runs as, and a script that makes
     * {@code marker} (what the planted hook or fsmonitor would run).
     */
    private record Repo(Path dir, Path script, Path marker, boolean rootless) {}

    private static Repo repo(String name, String who) throws Exception {
        boolean rootless = who.equals("rootless");
        if (!rootless) assumeTrue(root, "[root] halt as root needs this test to run as root");
        var dir = Files.createDirectories(temp.resolve(name + "-" + who));
        command(dir, false, "git", "init", "-q");
        command(dir, false, "git", "-c", "user.name=u", "-c", "user.email=u@example.invalid", "commit", "-q", "--allow-empty",
            "-m", "first");
        var marker = temp.resolve(name + "-" + who + ".planted-code-ran");
        var script = Files.writeString(temp.resolve(name + "-" + who + ".sh"), "#!/bin/sh\ntouch " + marker + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (rootless && root) command(dir, false, "chown", "-R", "65534:65534", dir.toString());
        return new Repo(dir, script, marker, rootless);
    }

    /** Each user its own state directory (halt's run records). */
    private static Map<String, String> environment(boolean asNobody) {
        return Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(),
            "XDG_STATE_HOME", temp.resolve(asNobody ? "state-nobody" : "state").toString(), "GIT_CONFIG_NOSYSTEM", "1");
    }

    /** halt runs {@code script} in the repository; the child sees the planted script's path as $S. */
    private static HaltProcess.Result attack(Repo repo, String script) throws Exception {
        var asNobody = repo.rootless() && root;
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--network", "unrestricted", "--",
            "sh", "-c", "S=" + repo.script() + "; " + script), repo.dir(), environment(asNobody));
    }

    /** The user's git on the host, as the user halt ran as, after the run. */
    private static String hostGit(Repo repo, String... args) throws Exception {
        var git = new ArrayList<>(List.of("git", "-c", "user.name=u", "-c", "user.email=u@example.invalid"));
        git.addAll(List.of(args));
        return command(repo.dir(), repo.rootless() && root, git.toArray(String[]::new));
    }

    private static String command(Path dir, boolean asNobody, String... args) throws Exception {
        var command = new ArrayList<String>();
        if (asNobody) command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(environment(asNobody));
        var p = pb.start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", args) + " finished");
        return out;
    }

    /** The user's next {@code git status} and {@code git commit} on the host run none of the planted code. */
    private static void assertNothingPlantedRunsOnTheHost(Repo repo, HaltProcess.Result r) throws Exception {
        hostGit(repo, "status");
        hostGit(repo, "commit", "-q", "--allow-empty", "-m", "the user's commit");
        assertFalse(Files.exists(repo.marker()), "the planted code ran on the host: " + r.err());
    }

    /** The child waits (5 s at most) until its plant is gone: without a mount namespace the repair is immediate. */
    private static String untilGone(String test) {
        return "i=0; while " + test + " && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
            + "if " + test + "; then echo STILL-PLANTED; else echo GONE-DURING-RUN; fi";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"root", "rootless"})
    void aPlantedHookAndFsmonitorRunNothingOnTheHost(String who) throws Exception {
        var repo = repo("hook", who);
        var r = attack(repo, String.join("; ",
            "printf '#!/bin/sh\\nexec %s\\n' \"$S\" > .git/hooks/pre-commit",
            "chmod +x .git/hooks/pre-commit",
            untilGone("[ -e .git/hooks/pre-commit ]"),
            "git config core.fsmonitor \"$S\"",
            untilGone("git config core.fsmonitor >/dev/null"),
            "git init -q later"));
        assertEquals(0, r.status(), r.err());
        assertEquals(2, r.out().split("GONE-DURING-RUN", -1).length - 1, r.out() + r.err());

        assertNothingPlantedRunsOnTheHost(repo, r);
        assertFalse(Files.exists(repo.dir().resolve(".git/hooks/pre-commit")));
        assertTrue(hostGit(repo, "log", "--oneline").contains("the user's commit"), "git still works");
        assertTrue(r.err().contains(repo.dir().resolve("later/.git") + " was created during the run"), r.err());
        if (repo.rootless()) {
            assertTrue(Files.readString(repo.dir().resolve(".git/hooks.halt-refused/pre-commit")).contains(repo.script().toString()),
                "the run's version is kept aside");
            assertTrue(Files.readString(repo.dir().resolve(".git/config.halt-refused/config")).contains("fsmonitor"));
            assertTrue(r.err().contains("warning: protect: " + repo.dir().resolve(".git/hooks/pre-commit")), r.err());
            assertTrue(r.err().contains("warning: protect: " + repo.dir().resolve(".git/config")), r.err());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"root", "rootless"})
    void aGitDirectoryMovedAwayAndReplacedIsPutBack(String who) throws Exception {
        var repo = repo("moved", who);
        var head = hostGit(repo, "rev-parse", "HEAD").strip();
        var r = attack(repo, String.join("; ",
            "mv .git .git-old",
            "git init -q",
            "git config core.fsmonitor \"$S\"",
            "printf '#!/bin/sh\\nexec %s\\n' \"$S\" > .git/hooks/pre-commit",
            "chmod +x .git/hooks/pre-commit",
            "sleep 0.3"));
        assertEquals(0, r.status(), r.err());

        assertNothingPlantedRunsOnTheHost(repo, r);
        var log = hostGit(repo, "log", "--format=%H");
        assertTrue(log.contains(head), "the original repository is back: " + head + " in " + log + r.err());
        assertFalse(Files.exists(repo.dir().resolve(".git-old")), r.err());
        if (repo.rootless()) assertTrue(r.err().contains("had been moved to " + repo.dir().resolve(".git-old")), r.err());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"root", "rootless"})
    void aCommondirPointingAtAPlantedCopyIsMovedAside(String who) throws Exception {
        var repo = repo("commondir", who);
        var r = attack(repo, String.join("; ",
            "cp -r .git evil",
            "printf '#!/bin/sh\\nexec %s\\n' \"$S\" > evil/hooks/pre-commit",
            "chmod +x evil/hooks/pre-commit",
            "git --git-dir=evil config core.fsmonitor \"$S\"",
            "echo ../evil > .git/commondir",
            "sleep 0.3"));
        assertEquals(0, r.status(), r.err());

        assertNothingPlantedRunsOnTheHost(repo, r);
        assertFalse(Files.exists(repo.dir().resolve(".git/commondir")));
        assertEquals("../evil\n", Files.readString(repo.dir().resolve(".git/commondir.halt-refused/commondir")), "kept aside");
        assertTrue(r.err().contains("warning: protect: " + repo.dir().resolve(".git/commondir")), r.err());
    }
}
