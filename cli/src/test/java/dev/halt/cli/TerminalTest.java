package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * halt started on a real terminal (a pty that python3's {@code pty.spawn} makes): with
 * privileges the child has a devpts of its own, and halt's terminal must still be its terminal.
 */
@Tag("linux")
class TerminalTest {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path work;

    @Test
    @Tag("root")
    void theChildsTerminalIsHaltsOnTheRunsOwnDevpts() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).mayMount(),
            "[mount-admin] needs root, or CAP_SYS_ADMIN, for the run's own mount namespace (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "[tool-python3] needs " + PYTHON + " to make a pty");
        var command = new ArrayList<>(List.of(PYTHON, "-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"));
        command.addAll(HaltProcess.command(System.getProperty("java.class.path"), false, "run", "--no-config", "--",
            "sh", "-c", "tty; test -t 0 && test -t 1 && echo both-terminals; echo hi > /dev/tty; ls /dev/pts"));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/nonexistent", "TERM", "dumb");

        var r = HaltProcess.run(command, work, env);

        var lines = r.out().replace("\r", "").lines().toList();
        assertEquals(List.of("/dev/console", "both-terminals", "hi", "ptmx"), lines, r.out() + r.err());
        assertEquals(0, r.status(), r.err());
    }

    /**
     * Rootless, halt's terminal is a write grant of its own ({@code /dev/pts/N}), and the supervisor
     * allows a metadata change on a grant: the child makes the user's terminal readable and writable by
     * every local user ({@code chmod 666}), who can then read what the user types there after the run.
     */
    @Test
    void aRootlessChildCannotOpenTheUsersTerminalToOthers() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "[tool-python3] needs " + PYTHON + " to make a pty");
        boolean nobody = HaltProcess.asNobody();
        var classPath = HaltProcess.prepareForHaltsUser(work);
        var command = new ArrayList<String>();
        if (nobody) command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(List.of(PYTHON, "-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)"));
        command.addAll(HaltProcess.command(classPath, false, "run", "--no-config", "--network", "unrestricted", "--",
            "sh", "-c", "t=$(tty); chmod 666 $t; echo mode=$(stat -c %a $t)"));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", work.resolve("home").toString(), "TERM", "dumb",
            "XDG_STATE_HOME", work.resolve("state").toString());

        var ws = Files.createDirectories(work.resolve("ws"));
        Files.setPosixFilePermissions(ws, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        var r = HaltProcess.run(command, ws, env);

        var mode = HaltProcess.words(r.out().replace("\r", "")).get("mode");
        assertNotNull(mode, r.out() + r.err());
        assertNotEquals("666", mode, "the child opened the user's terminal to every local user: " + r.out());
    }
}
