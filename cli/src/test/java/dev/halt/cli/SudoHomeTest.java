package dev.halt.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Under sudo, {@code ~} is the home of the user who ran sudo, from the password database: in
 * flags, in halt's global config and trust store, and in the defaults (git's configuration). The
 * test makes a real account (useradd, removed at the end) and runs halt as root with the variables
 * sudo sets ({@code SUDO_UID}, {@code SUDO_GID}, {@code SUDO_USER}, {@code HOME} of root). Root's
 * home is a directory of the test's ({@code -Duser.home}), holding a config of its own that must
 * not be read, so the real {@code /root} is never touched.
 */
@Tag("linux")
@Tag("root")
class SudoHomeTest {

    @TempDir
    Path temp;

    private static String command(String... command) throws Exception {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }

    private static void chownTree(Path root, int uid, int gid) throws IOException {
        try (var walk = Files.walk(root)) {
            for (var p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", uid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", gid, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    @Test
    void tildeConfigAndTrustAreTheInvokingUsersUnderSudo() throws Exception {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] needs root, to make a user account (as CI runs)");
        assumeTrue(HaltProcess.landlockAbi() >= 3, "[landlock-abi-3] needs Landlock ABI >= 3");
        for (var tool : List.of("/usr/sbin/useradd", "/usr/sbin/userdel", "/usr/bin/git")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "[tool-" + Path.of(tool).getFileName() + "] needs " + tool);
        }
        var name = "halt-t" + ProcessHandle.current().pid();
        var base = Files.createDirectories(temp.resolve("homes"));
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(base, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var userHome = base.resolve(name);
        command("/usr/sbin/useradd", "-m", "-d", userHome.toString(), "-s", "/bin/sh", name);
        try {
            int uid = Integer.parseInt(command("id", "-u", name));
            int gid = Integer.parseInt(command("id", "-g", name));
            var rootHome = Files.createDirectories(temp.resolve("root-home"));
            Files.createDirectories(rootHome.resolve(".config/halt"));
            Files.createDirectories(rootHome.resolve("x"));
            Files.writeString(rootHome.resolve(".config/halt/halt.toml"), "[sandbox]\nenv = [\"WHOSE_CONFIG=root\"]\n");
            Files.writeString(rootHome.resolve(".gitconfig"), "[user]\n\tname = root-user\n");

            Files.createDirectories(userHome.resolve(".config"));
            Files.createDirectories(userHome.resolve("x"));
            var project = Files.createDirectories(userHome.resolve("project/.halt")).getParent();

            Files.writeString(project.resolve(".halt/halt.toml"), "[sandbox]\nenv = [\"PROJECT_CONFIG=read\"]\n");
            Files.writeString(userHome.resolve(".gitconfig"), "[user]\n\tname = sudo-user\n");
            chownTree(userHome, uid, gid);

            var env = new HashMap<String, String>(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", rootHome.toString(),
                "SUDO_UID", Integer.toString(uid), "SUDO_GID", Integer.toString(gid), "SUDO_USER", name));
            var classPath = System.getProperty("java.class.path");
            var jvm = List.of("-Duser.home=" + rootHome);

            var trust = HaltProcess.run(HaltProcess.command(classPath, false, jvm, "config", "trust"), project, env);
            assertEquals(0, trust.status(), trust.err());
            assertTrue(Files.exists(userHome.resolve(".config/halt/trusted.toml")), "the user's trust store: " + trust.out());
            assertFalse(Files.exists(rootHome.resolve(".config/halt/trusted.toml")), "not root's");
            assertEquals(uid, Files.getAttribute(userHome.resolve(".config/halt/trusted.toml"), "unix:uid"),
                "written as root, the user's trust store stays the user's");

            assertEquals(uid, Files.getAttribute(userHome.resolve(".config/halt"), "unix:uid"), "and so does its directory");
            Files.writeString(userHome.resolve(".config/halt/halt.toml"), "[sandbox]\nenv = [\"WHOSE_CONFIG=user\"]\n");

            var r = HaltProcess.run(HaltProcess.command(classPath, false, jvm, "run", "--network", "unrestricted",
                "--write", "~/x", "--", "sh", "-c", String.join("; ",
                    "id -u", "echo home=$HOME", "echo config=$WHOSE_CONFIG project=$PROJECT_CONFIG",
                    "touch ~/x/made; echo touched=$?", "echo git-name=$(git config --global user.name)")), project, env);
            assertEquals(0, r.status(), r.out() + r.err());
            var words = HaltProcess.words(r.out());
            assertEquals(Integer.toString(uid), r.out().lines().findFirst().orElse(""), r.out());
            assertEquals(userHome.toString(), words.get("home"), r.out());
            assertEquals("user", words.get("config"), "the user's global config, not root's: " + r.out() + r.err());
            assertEquals("read", words.get("project"), "trusted in the user's trust store: " + r.out() + r.err());
            assertEquals("0", words.get("touched"), "--write ~/x is the user's ~/x: " + r.out() + r.err());
            assertEquals(uid, Files.getAttribute(userHome.resolve("x/made"), "unix:uid"));
            assertFalse(Files.exists(rootHome.resolve("x/made")));
            assertEquals("sudo-user", words.get("git-name"), "the user's ~/.gitconfig is granted: " + r.out() + r.err());
        } finally {
            var removed = new ProcessBuilder("/usr/sbin/userdel", "-r", name).redirectErrorStream(true).start();
            removed.getInputStream().readAllBytes();
            removed.waitFor(30, TimeUnit.SECONDS);
        }
        assertFalse(Files.exists(userHome), "userdel -r removed the home");
    }
}
