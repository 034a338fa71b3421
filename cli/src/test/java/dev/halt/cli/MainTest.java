package dev.halt.cli;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.landlock.Landlock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MainTest {

    private record Result(int status, String out, String err) {}

    private static Result halt(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var stdout = new ByteArrayOutputStream();
        var previous = System.out;
        // check prints through System.out; capture it too.
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Result(status, out + stdout.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(previous);
        }
    }

    @Test
    void versionNamesHaltAndTheJdk() {
        var r = halt("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("halt "), r.out());
        assertFalse(r.out().contains("unknown"), "the build filtered the version in: " + r.out());
        assertTrue(r.out().contains("JDK " + Runtime.version()), r.out());
    }

    /** A typo in a control command is named, and no run is asked anything, whether one runs or not. */
    @Test
    void controlCommandsNameABadHostOrRunAndAskNoRun() {
        var allow = halt("allow", "exa mple.com", "*.ok.test");
        assertEquals(125, allow.status(), allow.err());
        assertTrue(allow.err().contains("\"exa mple.com\"") && allow.err().contains("nothing was changed"), allow.err());
        assertFalse(allow.err().contains("ok.test"), "only the bad one is named: " + allow.err());
        var deny = halt("deny", "42", "bad..name");
        assertEquals(125, deny.status(), deny.err());
        assertTrue(deny.err().contains("\"bad..name\""), deny.err());
        for (var command : new String[] {"stop", "watch"}) {
            var r = halt(command, "abc");
            assertEquals(125, r.status(), command + ": " + r.err());
            assertTrue(r.err().contains("\"abc\" is not a run"), command + ": " + r.err());
        }
    }

    @Test
    void helpListsTheCommands() {
        var r = halt("--help");
        assertEquals(0, r.status());
        for (var command : new String[] {"  run ", "  check ", "  config "}) assertTrue(r.out().contains(command), r.out());
        assertTrue(r.out().contains("-v"), r.out());
    }

    @Test
    void helpGivesEachCommandAWholeSentenceAndTheFooterWholeSentences() {
        var r = halt("--help");
        var lines = r.out().lines().toList();
        int start = lines.indexOf("Commands:");
        assertTrue(start > 0, r.out());
        var entries = new java.util.ArrayList<String>();
        for (var line : lines.subList(start + 1, lines.size())) {
            if (line.isBlank()) break;
            if (line.matches("^  \\S.*")) entries.add(line.strip());
            else entries.set(entries.size() - 1, entries.getLast() + " " + line.strip());
        }
        assertEquals(11, entries.size(), entries.toString());
        for (var entry : entries) assertTrue(entry.endsWith("."), "cut short: " + entry);
        assertTrue(r.out().contains("check       Probe every mechanism halt uses, for real, and say what halt run"), r.out());
        // The footer: filled lines, broken only where the width ends them or a sentence does.
        var footer = lines.subList(start + 1, lines.size()).stream().dropWhile(l -> !l.isBlank()).filter(l -> !l.isBlank()).toList();
        assertFalse(footer.isEmpty(), r.out());
        for (var line : footer) assertTrue(line.endsWith(".") || line.length() > 60, "broken mid-sentence: " + line);
    }

    @Test
    void aCommandsOptionWithoutTheSeparatorGetsTheCommandLineWithIt() {
        var r = halt("run", "ls", "-la", "/srv");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("Unknown option: '-la'"), r.err());
        assertTrue(r.err().contains("halt: did you mean: halt run -- ls -la /srv  (the command goes after --"), r.err());
        var withOptions = halt("-v", "run", "--network", "blocked", "--env=A", "grep", "-r", "a b", ".");
        assertTrue(withOptions.err().contains("did you mean: halt -v run --network blocked --env=A -- grep -r 'a b' ."),
            withOptions.err());
        var notThat = halt("run", "--netwrok", "proxy");
        assertFalse(notThat.err().contains("did you mean"), "an unknown option before any command is another mistake: " + notThat.err());
        // (Nothing here may parse: a run in this JVM would make it the subreaper of later tests' orphans.)
        var separated = halt("run", "--netwrok", "--", "ls", "-la");
        assertEquals(125, separated.status());
        assertFalse(separated.err().contains("did you mean"), separated.err());
    }

    @Test
    void unknownFlagIsAHaltFailureNamingTheFlag() {
        var r = halt("check", "--jsn");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("--jsn"), r.err());
        assertTrue(r.err().contains("halt check --help"), r.err());
    }

    @Test
    void aMisspelledRunFlagIsNamedEvenWithoutACommand() {
        var r = halt("run", "--netwrok", "proxy");
        assertEquals(125, r.status());
        assertTrue(r.err().contains("Unknown option: '--netwrok'"), r.err());
        assertTrue(r.err().contains("halt run --help"), r.err());
    }

    @Test
    void unknownCommandAndMissingCommandFail() {
        var unknown = halt("frobnicate");
        assertEquals(125, unknown.status());
        assertTrue(unknown.err().contains("frobnicate"), unknown.err());
        var missing = halt();
        assertEquals(125, missing.status());
        assertTrue(missing.err().contains("missing command"), missing.err());
    }

    @Test
    void verbosityIsRepeatableBeforeAndAfterTheCommand() {
        try {
            assertEquals(0, halt("-vv", "--version").status());
            assertEquals(2, Logging.verbosity());
            var r = halt("check", "-vvv", "--help");
            assertEquals(0, r.status(), r.err());
            assertEquals(3, Logging.verbosity());
            assertEquals(0, halt("-v", "run", "-v", "--help").status());
            assertEquals(2, Logging.verbosity(), "-v before and after the command add up");
            assertEquals(0, halt("-vv", "run", "--help").status());
            assertEquals(2, Logging.verbosity(), "-v before the command reaches it");
        } finally {
            Logging.configure(0, System.err);
        }
    }

    @Test
    @Tag("linux")
    void checkJsonIsOneObjectThatTellsThisMachinesTruth() throws Exception {
        int abi;
        try {
            abi = Landlock.abiVersion();
        } catch (ErrnoException e) {
            abi = 0;
        }
        assumeTrue(abi >= 1, "[landlock-abi-1] needs Landlock");
        var r = halt("check", "--json");
        @SuppressWarnings("unchecked")
        var json = (Map<String, Object>) Json.parse(r.out());
        assertEquals((long) abi, json.get("landlock_abi"));
        assertEquals(Boolean.TRUE, json.get("filesystem_enforced"));
        assertEquals(json.get("ok"), r.status() == 0);
        @SuppressWarnings("unchecked")
        var platform = (Map<String, Object>) json.get("platform");
        assertEquals("linux", platform.get("os"));
        assertEquals(System.getProperty("os.version"), platform.get("kernel"));
        @SuppressWarnings("unchecked")
        var modes = (Map<String, Map<String, Object>>) json.get("network_modes");
        assertEquals(List.of("unrestricted", "localhost_only", "proxy_only", "blocked"), List.copyOf(modes.keySet()));
        for (var mode : modes.values()) {
            assertTrue(List.of("none", "netns", "landlock-tcp+seccomp", "unavailable").contains(mode.get("mechanism")), mode.toString());
        }
        @SuppressWarnings("unchecked")
        var probes = (List<Map<String, Object>>) json.get("probes");
        var names = probes.stream().map(p -> p.get("name")).toList();
        assertTrue(names.containsAll(List.of("landlock", "landlock.enforcement", "landlock.tcp", "landlock.scopes", "audit",
            "no_new_privs", "seccomp", "tether", "privileges", "netns", "mountns", "config.global", "config.project")), names.toString());
        @SuppressWarnings("unchecked")
        var privileges = (Map<String, Object>) json.get("privileges");
        assertTrue(privileges.containsKey("euid") && privileges.containsKey("sudo_uid"));
    }

    @Test
    @Tag("linux")
    void checkTextHasOneAlignedLinePerProbe() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "[os-linux] Linux probes");
        var r = halt("check");
        var lines = r.out().lines().filter(l -> l.matches("^(OK|WARN|FAIL) .*")).toList();
        assertTrue(lines.size() >= 14, r.out());
        int column = lines.get(0).indexOf(' ', 6);
        for (var line : lines) assertTrue(line.matches("^(OK  |WARN|FAIL)  \\S.*"), line);
        assertTrue(r.out().contains(r.status() == 0 ? "OK: " : "FAIL: "), r.out());
        assertTrue(column > 0);
    }
}
