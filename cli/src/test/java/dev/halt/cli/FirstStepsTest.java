package dev.halt.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a new user meets first, through a separate halt JVM: a run from the home directory or from
 * {@code /} (whose read-write grant would be everything), a {@code --log} file halt cannot write,
 * and {@code halt check} in a project whose config file is broken. Each refusal is exit 125 with
 * nothing run; the command of each would leave a marker file.
 */
@Tag("linux")
class FirstStepsTest {

    @TempDir
    Path temp;

    private HaltProcess.Result halt(Path directory, Path home, String... args) throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false, args), directory, env);
    }

    private static void assumeLandlock() {
        assumeTrue(HaltProcess.landlockAbi() >= 3, "[landlock-abi-3] needs Landlock ABI >= 3");
    }

    @Test
    void aRunFromTheHomeDirectoryOrADirectoryHoldingItIsRefusedSayingWhy() throws Exception {
        assumeLandlock();
        var home = Files.createDirectories(temp.resolve("users/me"));
        var marker = temp.resolve("ran");
        var fromHome = halt(home, home, "run", "--network", "unrestricted", "--", "touch", marker.toString());
        assertEquals(125, fromHome.status(), fromHome.err());
        assertTrue(fromHome.err().contains("halt: the working directory " + home.toRealPath() + " is your home directory, which halt"
            + " would grant read-write"), fromHome.err());
        assertTrue(fromHome.err().contains("cd ~/src/project") && fromHome.err().contains("halt: nothing was run."), fromHome.err());
        var fromAbove = halt(temp.resolve("users"), home, "run", "--network", "unrestricted", "--", "touch", marker.toString());
        assertEquals(125, fromAbove.status(), fromAbove.err());
        assertTrue(fromAbove.err().contains("holds your home directory " + home.toRealPath()), fromAbove.err());
        assertFalse(Files.exists(marker), "nothing ran");
        var project = Files.createDirectories(home.resolve("src/project"));
        var fromProject = halt(project, home, "run", "--network", "unrestricted", "--", "touch", marker.toString());
        assertEquals(0, fromProject.status(), "a project inside the home directory is where halt runs: " + fromProject.err());
    }

    @Test
    void aRunFromTheRootDirectoryIsRefusedSayingWhy() throws Exception {
        assumeLandlock();
        var r = halt(Path.of("/"), temp.resolve("home"), "run", "--network", "unrestricted", "--", "true");
        assertEquals(125, r.status(), r.err());
        assertTrue(r.err().contains("halt: the working directory is /, which halt grants read-write"), r.err());
    }

    @Test
    void aLogFileHaltCannotWriteStopsTheRunAtOnceSayingWhy() throws Exception {
        assumeLandlock();
        var work = Files.createDirectories(temp.resolve("work"));
        var marker = temp.resolve("ran");
        // A mode without a proxy, where the file used never to be opened at all.
        var directory = Files.createDirectories(temp.resolve("a-directory"));
        var r = halt(work, temp.resolve("home"), "run", "--network", "unrestricted", "--log", directory.toString(), "--",
            "touch", marker.toString());
        assertEquals(125, r.status(), r.err());
        assertTrue(r.err().contains("halt: --log " + directory + ": cannot write it: is a directory. Nothing was run."), r.err());
        var missing = temp.resolve("no-such-dir/decisions.jsonl");
        var noDir = halt(work, temp.resolve("home"), "run", "--network", "proxy", "--log", missing.toString(), "--",
            "touch", marker.toString());
        assertEquals(125, noDir.status(), noDir.err());
        assertTrue(noDir.err().contains("--log " + missing + ": cannot write it: its directory " + missing.getParent()
            + " does not exist"), noDir.err());
        assertFalse(Files.exists(marker), "nothing ran");
    }

    @Test
    @Tag("root")
    void aLogFileInADirectoryOfAnotherUserIsPermissionDenied() throws Exception {
        assumeLandlock();
        assumeTrue(HaltProcess.asNobody(), "[root] needs root, to run halt as user 65534 in a directory of root's (CI runs as root)");
        var classPath = HaltProcess.prepareForHaltsUser(temp);
        var work = Files.createDirectories(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        var roots = Files.createDirectories(temp.resolve("roots"));
        Files.setPosixFilePermissions(roots, PosixFilePermissions.fromString("rwxr-xr-x"));
        var log = roots.resolve("decisions.jsonl");
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", "/nonexistent",
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        var r = HaltProcess.run(HaltProcess.command(classPath, true, "run", "--network", "proxy", "--log", log.toString(),
            "--", "true"), work, env);
        assertEquals(125, r.status(), r.err());
        assertTrue(r.err().contains("halt: --log " + log + ": cannot write it: permission denied. Nothing was run."), r.err());
    }

    @Test
    void checkExitsOneWithAFailLineAndNeverSaysOkAfterIt() throws Exception {
        var project = Files.createDirectories(temp.resolve("project/.halt"));
        Files.writeString(project.resolve("halt.toml"), "[sandbox]\nnetwork = { mode = \"proxyonly\" }\n");
        var r = halt(project.getParent(), temp.resolve("home"), "check");
        var lines = r.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("FAIL  config.project ")), r.out());
        assertEquals(1, r.status(), r.out());
        var last = lines.getLast();
        assertTrue(last.startsWith("FAIL: halt run refuses here: ") && last.contains("config.project cannot be used"), last);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("OK:")), r.out());
        // Every FAIL line is in the verdict, and check --json says the same.
        var json = halt(project.getParent(), temp.resolve("home"), "check", "--json");
        @SuppressWarnings("unchecked")
        var report = (Map<String, Object>) Json.parse(json.out());
        assertEquals(false, report.get("ok"));
        assertEquals(1, json.status());
        @SuppressWarnings("unchecked")
        var probes = (List<Map<String, Object>>) report.get("probes");
        for (var probe : probes) {
            if (probe.get("status").equals("fail")) assertTrue(last.contains((String) probe.get("name")) || isNamedByPhrase(probe, last), last);
        }
    }

    /** The probes whose verdict phrase does not repeat their name. */
    private static boolean isNamedByPhrase(Map<String, Object> probe, String verdict) {
        return switch ((String) probe.get("name")) {
            case "landlock.enforcement" -> verdict.contains("the filesystem layer");
            case "tether" -> verdict.contains("the tether");
            case "mountns" -> verdict.contains("mount namespace");
            default -> false;
        };
    }
}
