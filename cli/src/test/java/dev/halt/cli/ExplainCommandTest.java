package dev.halt.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code halt explain} through the CLI: what it says of paths must be what a real child under the
 * same flags can do, and what it says of hosts must be the proxy's matcher's verdict, with the
 * pattern and where it was configured.
 */
@Tag("linux")
class ExplainCommandTest {

    @TempDir
    Path temp;
    Path work;
    Path fixtures;
    Path readable;
    Path writable;
    Path outside;
    Path link;

    @BeforeEach
    void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        work = Files.createDirectories(temp.resolve("work"));
        // Outside /tmp, which a privileged run replaces with a tmpfs of its own.
        fixtures = Files.createTempDirectory(HaltProcess.fixtureRoot(), "explain-");
        readable = Files.createDirectories(fixtures.resolve("r"));
        Files.writeString(readable.resolve("file.txt"), "readable\n");
        writable = Files.createDirectories(fixtures.resolve("w"));
        outside = Files.createDirectories(fixtures.resolve("o"));
        Files.writeString(outside.resolve("secret.txt"), "top-secret\n");
        link = Files.createSymbolicLink(fixtures.resolve("link"), readable.resolve("file.txt"));
    }

    @AfterEach
    void removeFixtures() throws Exception {
        if (fixtures == null) return;
        try (var walk = Files.walk(fixtures)) {
            for (var p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private HaltProcess.Result halt(String... args) throws Exception {
        return halt(System.getProperty("java.class.path"), false, args);
    }

    private HaltProcess.Result halt(String classPath, boolean asNobody, String... args) throws Exception {
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", temp.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", temp.resolve("config").toString());
        env.put("XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, args), work, env);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> answer(Map<String, Object> explanation, String kind, String asked) {
        return ((List<Map<String, Object>>) explanation.get(kind)).stream().filter(a -> asked.equals(a.get("asked")))
            .findFirst().orElseThrow(() -> new AssertionError("no answer for " + asked + " in " + explanation));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HaltProcess.Result r) {
        assertEquals(0, r.status(), r.err());
        return (Map<String, Object>) Json.parse(r.out());
    }

    /**
     * The attack: a child under {@code --read r --write w} tries to read, write and create in each
     * path; {@code halt explain} with the same flags must say exactly what it managed.
     */
    @Test
    void whatExplainSaysOfAPathIsWhatTheChildCanDo() throws Exception {
        assertExplainAgreesWithTheChild(System.getProperty("java.class.path"), false);
    }

    /** The same without privileges (user 65534 when the test runs as root): no mount namespace, a private /tmp. */
    @Test
    void rootlessWhatExplainSaysOfAPathIsWhatTheChildCanDo() throws Exception {
        boolean asNobody = HaltProcess.asNobody();
        var classPath = HaltProcess.prepareForHaltsUser(temp);
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try (var walk = Files.walk(fixtures)) {
            for (var p : walk.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
            }
        }
        assertExplainAgreesWithTheChild(classPath, asNobody);
    }

    private void assertExplainAgreesWithTheChild(String classPath, boolean asNobody) throws Exception {
        var flags = List.of("--no-config", "--read", readable.toString(), "--write", writable.toString());
        var paths = List.of(readable.resolve("file.txt"), writable, outside.resolve("secret.txt"), link);

        var script = new StringBuilder();
        for (int i = 0; i < paths.size(); i++) {
            var p = paths.get(i);
            var target = Files.isDirectory(p) ? p.resolve("new.txt") : p;
            script.append("cat ").append(target).append(" >/dev/null 2>&1 || [ -d ").append(p).append(" ]; echo read").append(i)
                .append("=$?; ");
            script.append("(echo x >> ").append(target).append(") 2>/dev/null; echo write").append(i).append("=$?; ");
        }
        var runArgs = new ArrayList<>(List.of("run"));
        runArgs.addAll(flags);
        runArgs.addAll(List.of("--network", "unrestricted", "--", "sh", "-c", script.toString()));
        var run = halt(classPath, asNobody, runArgs.toArray(String[]::new));
        assertEquals(0, run.status(), run.err());
        var did = HaltProcess.words(run.out());

        var explainArgs = new ArrayList<>(List.of("explain", "--json"));
        explainArgs.addAll(flags);
        paths.forEach(p -> explainArgs.add(p.toString()));
        var explanation = json(halt(classPath, asNobody, explainArgs.toArray(String[]::new)));
        for (int i = 0; i < paths.size(); i++) {
            var a = answer(explanation, "paths", paths.get(i).toString());
            var rights = (String) a.get("rights");
            boolean saysRead = rights.equals("read") || rights.equals("read-write");
            boolean saysWrite = rights.equals("read-write");
            assertEquals(saysRead, "0".equals(did.get("read" + i)), paths.get(i) + ": explain says " + rights + ", the child: " + run.out());
            assertEquals(saysWrite, "0".equals(did.get("write" + i)), paths.get(i) + ": explain says " + rights + ", the child: " + run.out());
        }

        var granted = answer(explanation, "paths", readable.resolve("file.txt").toString());
        assertEquals(List.of(Map.of("path", readable.toString(), "access", "read", "source", "command line --read")),
            granted.get("granted_by"));
        var secret = answer(explanation, "paths", outside.resolve("secret.txt").toString());
        assertEquals("nothing", secret.get("rights"));
        assertEquals(List.of(), secret.get("granted_by"));
        assertTrue(((List<?>) secret.get("flags")).contains("--read " + outside.resolve("secret.txt") + " (read)"), secret.toString());
        var viaLink = answer(explanation, "paths", link.toString());
        assertEquals(readable.resolve("file.txt").toString(), viaLink.get("resolved"));
        assertTrue(((List<?>) viaLink.get("notes")).contains("follows the link " + link + " -> " + readable.resolve("file.txt")),
            viaLink.toString());
    }

    @Test
    void textNamesTheGrantItsSourceAndTheFlagThatWouldGrantMore() throws Exception {
        var r = halt("explain", "--no-config", "--read", readable.toString(), readable.resolve("file.txt").toString(),
            outside.resolve("secret.txt").toString(), fixtures.resolve("missing").toString());
        assertEquals(0, r.status(), r.err());
        var lines = r.out().lines().toList();
        assertTrue(lines.contains(readable.resolve("file.txt") + ": read"), r.out());
        assertTrue(lines.contains("  read from " + readable + ", command line --read"), r.out());
        assertTrue(lines.contains(outside.resolve("secret.txt") + ": not granted"), r.out());
        assertTrue(lines.contains("  to grant more: --read " + outside.resolve("secret.txt") + " (read) | --write "
            + outside.resolve("secret.txt") + " (read-write)"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(fixtures.resolve("missing") + ": ") && l.endsWith("(does not exist)")), r.out());
    }

    /** Each host gets the matcher's verdict: the allowlist entry, the denylist entry with its file and line, or the flag. */
    @Test
    void hostsGetTheMatchersVerdictWithThePatternAndItsSource() throws Exception {
        var deny = Files.writeString(fixtures.resolve("deny.toml"), "[proxy]\ndomain_denylist = [\"*.bad.corp.example\"]\n");
        var r = halt("explain", "--json", "--no-config", "--config", deny.toString(), "--allow", "api.example.com",
            "--allow", "*.corp.example", "--allow", "localhost", "api.example.com:443", "x.bad.corp.example", "ok.corp.example",
            "other.org", "127.0.0.1", "localhost:8080");
        var explanation = json(r);
        assertEquals("proxy_only", explanation.get("network_mode"));

        var api = answer(explanation, "hosts", "api.example.com:443");
        assertEquals(true, api.get("allowed"));
        assertEquals("api.example.com", api.get("pattern"));
        assertEquals("command line --allow", api.get("source"));
        assertEquals(443L, api.get("port"));

        var bad = answer(explanation, "hosts", "x.bad.corp.example");
        assertEquals(false, bad.get("allowed"));
        assertEquals("*.bad.corp.example", bad.get("pattern"));
        assertTrue(((String) bad.get("source")).startsWith(deny + ":2"), bad.toString());

        assertEquals("*.corp.example", answer(explanation, "hosts", "ok.corp.example").get("pattern"));

        var other = answer(explanation, "hosts", "other.org");
        assertEquals(false, other.get("allowed"));
        assertEquals("not in allowlist", other.get("reason"));
        assertEquals("--allow other.org", other.get("flag"));

        var loopback = answer(explanation, "hosts", "127.0.0.1");
        assertEquals(false, loopback.get("allowed"));
        assertTrue(((String) loopback.get("reason")).contains("local address 127.0.0.1"), loopback.toString());

        if (Files.readString(Path.of("/etc/hosts")).lines().anyMatch(l -> l.matches("127\\.0\\.0\\.1\\s.*\\blocalhost\\b.*"))) {
            var localhost = answer(explanation, "hosts", "localhost:8080");
            assertEquals(false, localhost.get("allowed"), "allowed by its pattern, refused by the local-address rule");
            assertEquals("localhost", localhost.get("pattern"));
            assertEquals("[proxy] allow_local_destinations = true", localhost.get("flag"));
        }

        var text = halt("explain", "--no-config", "--allow", "api.example.com", "other.org");
        assertTrue(text.out().lines().toList().containsAll(List.of("other.org: refused (not in allowlist)",
            "  to allow it: --allow other.org")), text.out());

        var blocked = json(halt("explain", "--json", "--no-config", "--network", "blocked", "api.example.com"));
        assertEquals(false, answer(blocked, "hosts", "api.example.com").get("allowed"));
    }

    /**
     * As root the child has no capability: a directory of another user's with mode 0700 stays
     * closed to it whatever the grants, and explain says so and points to the README's note.
     */
    @Test
    @Tag("root")
    void asRootExplainNamesUnixPermissionsAndPointsToTheRootToolsNote() throws Exception {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] needs root (as CI runs)");
        var partial = Files.createDirectories(HaltProcess.fixtureRoot().resolve("explain-partial-" + ProcessHandle.current().pid()));
        try {
            Files.setAttribute(partial, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(partial, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            var run = halt("run", "--no-config", "--write", partial.toString(), "--network", "unrestricted", "--",
                "sh", "-c", "ls " + partial + " >/dev/null 2>&1; echo list=$?");
            assertNotEquals("0", HaltProcess.words(run.out()).get("list"), "granted, yet closed to a root child: " + run.out());

            var r = halt("explain", "--no-config", "--write", partial.toString(), partial.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.contains("Unix permissions (owner ") && l.contains("mode 0700")
                && l.contains("list " + partial) && l.contains("README, section \"Root tools\"")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("note: as root the child keeps uid 0 but no capability")), r.out());
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
