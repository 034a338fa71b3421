package dev.halt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code bin/halt install}: a link on PATH to this clone's launcher, never over a file that is not
 * halt's without being told, and the completion script where the user's shell finds it.
 */
class InstallTest {

    private static final Path BIN = Path.of("..", "bin").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    /** Runs {@code launcher install args...} with stdin not a terminal. */
    private HaltProcess.Result install(Path launcher, Map<String, String> extraEnv, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(launcher.toString(), "install"));
        command.addAll(List.of(args));
        var env = new HashMap<>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "SHELL", "/bin/sh"));
        env.putAll(extraEnv);
        return HaltProcess.run(command, temp, env);
    }

    /**
     * A clone of halt's scripts whose launcher answers {@code completion SHELL} with a line of its
     * own instead of building and starting halt: the install script is the real one.
     */
    private Path fakeClone() throws Exception {
        var bin = Files.createDirectories(temp.resolve("clone/bin"));
        Files.copy(BIN.resolve("install.sh"), bin.resolve("install.sh"));
        Files.copy(BIN.resolve("jdk.sh"), bin.resolve("jdk.sh"));
        var launcher = Files.writeString(bin.resolve("halt"), """
            #!/bin/sh
            HALT_HOME=$(cd "$(dirname "$0")/.." && pwd -P)
            if [ "$1" = install ]; then shift; . "$HALT_HOME/bin/install.sh"; halt_install "$@"; exit $?; fi
            if [ "$1" = completion ]; then echo "# $2 completion for halt, printed by \\`halt completion $2\\`"; exit 0; fi
            exit 3
            """);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    @Test
    void linksThisClonesLauncherOnceAndSaysWhenItsDirectoryIsNotOnPath() throws Exception {
        var prefix = temp.resolve("prefix");
        var launcher = BIN.resolve("halt");
        var r = install(launcher, Map.of(), "--prefix", prefix.toString(), "--no-completion");
        assertEquals(0, r.status(), r.err());
        var link = prefix.resolve("bin/halt");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(launcher, Files.readSymbolicLink(link));
        assertTrue(r.out().contains(prefix.resolve("bin") + " is not on your PATH"), r.out());
        var again = install(launcher, Map.of("PATH", prefix.resolve("bin") + ":/usr/bin:/bin"), "--prefix", prefix.toString(), "--no-completion");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.out().contains("already links to " + launcher), again.out());
        assertFalse(again.out().contains("not on your PATH"), again.out());
    }

    @Test
    void aFileThatIsNotHaltsIsReplacedOnlyWhenToldAndAnotherClonesLinkIsReplaced() throws Exception {
        var prefix = temp.resolve("prefix");
        var link = Files.createDirectories(prefix.resolve("bin")).resolve("halt");
        Files.writeString(link, "#!/bin/sh\necho someone else's halt\n");
        var launcher = BIN.resolve("halt");
        var refused = install(launcher, Map.of(), "--prefix", prefix.toString(), "--no-completion");
        assertEquals(1, refused.status(), refused.out());
        assertTrue(refused.err().contains(link + " exists and is not halt's: left as it is (--force replaces it)"), refused.err());
        assertEquals("#!/bin/sh\necho someone else's halt\n", Files.readString(link), "untouched");
        var forced = install(launcher, Map.of(), "--prefix", prefix.toString(), "--no-completion", "--force");
        assertEquals(0, forced.status(), forced.err());
        assertEquals(launcher, Files.readSymbolicLink(link));

        var other = fakeClone();
        var moved = install(other, Map.of(), "--prefix", prefix.toString(), "--no-completion");
        assertEquals(0, moved.status(), "a link to another clone is halt's own: " + moved.err());
        assertEquals(other, Files.readSymbolicLink(link));
    }

    @Test
    void theCompletionScriptGoesWhereTheUsersShellFindsIt() throws Exception {
        var launcher = fakeClone();
        var home = temp.resolve("home");
        var expected = Map.of(
            "/bin/bash", home.resolve(".local/share/bash-completion/completions/halt"),
            "/usr/bin/zsh", home.resolve(".local/share/zsh/site-functions/_halt"),
            "/usr/bin/fish", home.resolve(".config/fish/completions/halt.fish"));
        for (var entry : expected.entrySet()) {
            var shell = Path.of(entry.getKey()).getFileName().toString();
            var r = install(launcher, Map.of("SHELL", entry.getKey()));
            assertEquals(0, r.status(), shell + ": " + r.err());
            assertEquals("# " + shell + " completion for halt, printed by `halt completion " + shell + "`\n",
                Files.readString(entry.getValue()), shell);
        }
        assertTrue(Files.isSymbolicLink(home.resolve(".local/bin/halt")));
        var env = new HashMap<>(Map.of("SHELL", "/bin/bash"));
        var other = install(launcher, env, "--prefix", temp.resolve("usr").toString());
        assertEquals(0, other.status(), other.err());
        assertTrue(Files.exists(temp.resolve("usr/share/bash-completion/completions/halt")), "a prefix's share directory");
        var none = install(launcher, Map.of("SHELL", "/bin/sh"));
        assertTrue(none.out().contains("no completion for sh; halt completion bash|zsh|fish prints one"), none.out());
        // A file of someone else's where the script goes stays as it is.
        var foreign = Files.writeString(home.resolve(".config/fish/completions/halt.fish"), "# mine\n");
        var kept = install(launcher, Map.of("SHELL", "/usr/bin/fish"));
        assertEquals(1, kept.status(), kept.out());
        assertEquals("# mine\n", Files.readString(foreign));
    }
}
