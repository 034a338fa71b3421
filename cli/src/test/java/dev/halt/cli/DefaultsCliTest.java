package dev.halt.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The defaults a new user meets with common tools, through the CLI with real children: git with a
 * user configuration, the CA variables, {@code -v}'s list of dropped variables, and halt's own
 * message for a command it does not let the child execute. Each also checks what the defaults must
 * not open: git-credential-store's secrets, the rest of the home directory, a variable's value.
 */
@Tag("linux")
class DefaultsCliTest {

    @TempDir
    Path temp;
    Path work;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
    }

    private HaltProcess.Result halt(Map<String, String> extraEnv, String... args) throws Exception {
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.putAll(extraEnv);
        return HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false, args), work, env);
    }

    private static void git(Path dir, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }

    /**
     * git refuses to run when {@code ~/.gitconfig} or a file it includes cannot be read: the child
     * runs {@code git status} through an alias defined in an include, with an ignore file named by
     * {@code core.excludesFile}. It then tries to read what the defaults must leave closed.
     */
    @Test
    void gitStatusWorksWithTheUsersConfigurationAndNothingElseOfHomeOpens() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        Files.createDirectories(home.resolve("inc"));
        Files.createDirectories(home.resolve(".config/git"));
        Files.writeString(home.resolve(".gitconfig"), "[user]\n\tname = u\n\temail = u@example.invalid\n[include]\n"
            + "\tpath = ~/inc/aliases.conf\n[core]\n\texcludesFile = ~/global-ignore\n");
        Files.writeString(home.resolve("inc/aliases.conf"), "[alias]\n\tst = status --porcelain --ignored\n");
        Files.writeString(home.resolve("global-ignore"), "*.secret\n");
        Files.writeString(home.resolve(".config/git/credentials"), "https://u:cred-token@example.invalid\n");
        Files.writeString(home.resolve("private.txt"), "private\n");
        git(work, "init", "-q");
        Files.writeString(work.resolve("a.secret"), "x");

        var r = halt(Map.of(), "run", "--network", "unrestricted", "--", "sh", "-c", String.join("; ",
            "git st; echo git=$?",
            "cat ~/.config/git/credentials 2>/dev/null; echo credentials=$?",
            "cat ~/private.txt 2>/dev/null; echo private=$?"));
        var words = HaltProcess.words(r.out());
        assertEquals("0", words.get("git"), r.out() + r.err());
        assertTrue(r.out().contains("!! a.secret"), "core.excludesFile was read: " + r.out());
        assertNotEquals("0", words.get("credentials"), "git-credential-store's secrets stay closed: " + r.out());
        assertFalse(r.out().contains("cred-token"), r.out());
        assertNotEquals("0", words.get("private"), r.out());
    }

    /**
     * Behind a TLS-intercepting proxy every request fails without the CA variables: the child gets
     * them and may read the file each names, but a variable other than SSL_CERT_DIR naming a
     * directory opens nothing in it.
     */
    @Test
    void caVariablesReachTheChildWithWhatTheyName() throws Exception {
        var ca = Files.createDirectories(temp.resolve("ca"));
        var bundle = Files.writeString(ca.resolve("corp.pem"), "-----BEGIN CERTIFICATE-----corp\n");
        var dir = Files.createDirectories(temp.resolve("ca-dir"));
        Files.writeString(dir.resolve("abcd1234.0"), "hashed\n");
        Files.writeString(ca.resolve("other.pem"), "not-granted\n");
        var r = halt(Map.of("NODE_EXTRA_CA_CERTS", bundle.toString(), "SSL_CERT_DIR", dir.toString(),
                "REQUESTS_CA_BUNDLE", ca.toString()),
            "run", "--network", "unrestricted", "--", "sh", "-c", String.join("; ",
                "echo node=$NODE_EXTRA_CA_CERTS",
                "head -c 32 \"$NODE_EXTRA_CA_CERTS\"; echo",
                "cat \"$SSL_CERT_DIR\"/abcd1234.0",
                "cat \"$REQUESTS_CA_BUNDLE\"/other.pem 2>/dev/null; echo bundle-dir=$?"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("node=" + bundle), r.out() + r.err());
        assertTrue(r.out().contains("-----BEGIN CERTIFICATE-----corp"), r.out() + r.err());
        assertTrue(r.out().contains("hashed"), "SSL_CERT_DIR is granted: " + r.out() + r.err());
        assertNotEquals("0", HaltProcess.words(r.out()).get("bundle-dir"), "a directory only through SSL_CERT_DIR: " + r.out());
        assertFalse(r.out().contains("not-granted"), r.out());
    }

    @Test
    void verboseNamesEachDroppedVariableButNeverItsValue() throws Exception {
        var r = halt(Map.of("API_TOKEN", "tok-3c1b9", "OTHER_SECRET", "sec-77a2"), "-v", "run", "--network", "unrestricted",
            "--", "sh", "-c", "echo \"[$API_TOKEN]\"");
        assertEquals(0, r.status(), r.err());
        assertEquals("[]\n", r.out());
        var line = r.err().lines().filter(l -> l.contains("dropped")).findFirst().orElse("");
        assertTrue(line.contains("API_TOKEN") && line.contains("OTHER_SECRET"), r.err());
        assertFalse(r.err().contains("tok-3c1b9") || r.err().contains("sec-77a2"), "names only: " + r.err());
    }

    /**
     * A command outside every grant, and a script in the workspace whose {@code #!} interpreter is:
     * halt's message names the path and the flag that grants it, not the JDK's "Exec failed".
     */
    @Test
    void aCommandNotGrantedForExecutionNamesItsDirectoryAndTheFlag() throws Exception {
        // Outside /tmp and /var/tmp (default grants) and outside PATH: under the home directory halt runs with.
        var tools = Files.createTempDirectory(Path.of(System.getProperty("user.home")), ".halt-test-tools-");
        try {
            var tool = Files.writeString(tools.resolve("tool"), "#!/bin/sh\necho tool ran\n");
            var interpreter = tools.resolve("interp");
            Files.copy(Path.of("/bin/sh"), interpreter);
            interpreter.toFile().setExecutable(true);
            tool.toFile().setExecutable(true);
            var script = Files.writeString(work.resolve("script"), "#!" + interpreter + "\necho script ran\n");
            script.toFile().setExecutable(true);

            var direct = halt(Map.of(), "run", "--network", "unrestricted", "--", tool.toString());
            assertEquals(126, direct.status(), direct.err());
            assertTrue(direct.err().contains("--read " + tools.toRealPath()), direct.err());
            assertFalse(direct.err().contains("Exec failed") || direct.out().contains("tool ran"), direct.err());

            var interpreted = halt(Map.of(), "run", "--network", "unrestricted", "--", "./script");
            assertEquals(126, interpreted.status(), interpreted.err());
            assertTrue(interpreted.err().contains(interpreter.toString()) && interpreted.err().contains("--read " + tools.toRealPath()),
                interpreted.err());

            var granted = halt(Map.of(), "run", "--network", "unrestricted", "--read", tools.toString(), "--", tool.toString());
            assertEquals(0, granted.status(), granted.err());
            assertEquals("tool ran\n", granted.out());
        } finally {
            try (var files = Files.list(tools)) {
                for (var f : files.toList()) Files.delete(f);
            }
            Files.delete(tools);
        }
    }
}
