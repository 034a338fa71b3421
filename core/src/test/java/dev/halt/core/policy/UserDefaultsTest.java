package dev.halt.core.policy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The user-level defaults: git's configuration and the CA variables, each granted read, and what
 * a config or a variable must not make them grant (the home directory, /, a directory through a
 * file variable, git-credential-store's secrets).
 */
class UserDefaultsTest {

    @TempDir
    Path temp;
    Path home;

    @BeforeEach
    void setUp() throws Exception {
        home = Files.createDirectories(temp.resolve("home"));
    }

    private Map<Path, String> granted(Map<String, String> env, List<PathGrant> earlier) {
        var result = new HashMap<Path, String>();
        for (var g : SystemDefaults.userGrants(home, env, earlier)) {
            assertEquals(PathAccess.READ, g.access(), g.toString());
            result.put(g.path(), ((ValueSource.Default) g.source()).reason());
        }
        return result;
    }

    @Test
    void gitsUserConfigurationItsIncludesAndExcludesFileAreReadable() throws Exception {
        Files.createDirectories(home.resolve("inc/deeper"));
        Files.createDirectories(home.resolve(".config/git"));
        Files.writeString(home.resolve(".gitconfig"), """
            [user]
            \tname = T ; a comment
            [include]
            \tpath = ~/inc/a.conf
            \tpath = ~
            \tpath = /
            \tpath = inc
            [includeIf "gitdir:~/work/"]
            \tpath = "inc/b.conf"
            [core]
            \texcludesFile = ~/my ignore
            \tattributesFile = relative/attributes
            """);
        Files.writeString(home.resolve("inc/a.conf"), "[include]\npath = deeper/c.conf\npath = ../.gitconfig\n");
        Files.writeString(home.resolve("inc/b.conf"), "[alias]\nst = status\n");
        Files.writeString(home.resolve("inc/deeper/c.conf"), "[core]\nexcludesfile = ~/last-ignore\n");
        Files.writeString(home.resolve("my ignore"), "*.log\n");
        Files.writeString(home.resolve("last-ignore"), "*.tmp\n");
        Files.writeString(home.resolve(".config/git/config"), "[include]\npath = ../../inc/xdg.conf\n");
        Files.writeString(home.resolve("inc/xdg.conf"), "[x]\ny = 1\n");
        Files.writeString(home.resolve(".config/git/ignore"), "*.o\n");
        Files.writeString(home.resolve(".config/git/credentials"), "https://u:secret@example.com\n");

        var grants = granted(Map.of(), List.of());
        assertEquals(Map.of(
            home.resolve(".gitconfig"), "git configuration",
            home.resolve("inc/a.conf"), "git configuration (included by " + home.resolve(".gitconfig") + ")",
            home.resolve("inc/deeper/c.conf"), "git configuration (included by " + home.resolve("inc/a.conf") + ")",
            home.resolve("inc/b.conf"), "git configuration (included by " + home.resolve(".gitconfig") + ")",
            home.resolve("my ignore"), "git configuration (core.excludesFile)",
            home.resolve(".config/git/config"), "git configuration",
            home.resolve("inc/xdg.conf"), "git configuration (included by " + home.resolve(".config/git/config") + ")",
            home.resolve(".config/git/ignore"), "git configuration"), grants);
        assertFalse(grants.containsKey(home), "an include of ~ grants nothing");
        assertFalse(grants.containsKey(home.resolve("last-ignore")), "the last core.excludesFile git reads wins");
        assertFalse(grants.keySet().stream().anyMatch(p -> p.getFileName().toString().equals("credentials")));
    }

    @Test
    void xdgConfigHomeMovesGitsDirectoryAndIncludesAreBounded() throws Exception {
        var xdg = Files.createDirectories(temp.resolve("xdg/git"));
        Files.writeString(xdg.resolve("config"), "[include]\npath = 0.conf\n");
        for (int i = 0; i < 30; i++) Files.writeString(xdg.resolve(i + ".conf"), "[include]\npath = " + (i + 1) + ".conf\n");
        var grants = granted(Map.of("XDG_CONFIG_HOME", temp.resolve("xdg").toString()), List.of());
        assertTrue(grants.containsKey(xdg.resolve("config")), grants.toString());
        assertTrue(grants.containsKey(xdg.resolve("9.conf")), grants.toString());
        assertFalse(grants.containsKey(xdg.resolve("10.conf")), "git's limit of 10 nested includes: " + grants);
    }

    @Test
    void caVariablesGrantTheirFilesAndOnlySslCertDirADirectory() throws Exception {
        var certs = Files.createDirectories(temp.resolve("certs"));
        var bundle = Files.writeString(certs.resolve("corp.pem"), "-----BEGIN CERTIFICATE-----\n");
        var env = new HashMap<String, String>();
        env.put("SSL_CERT_FILE", bundle.toString());
        env.put("NODE_EXTRA_CA_CERTS", bundle.toString());
        env.put("REQUESTS_CA_BUNDLE", certs.toString());
        env.put("CURL_CA_BUNDLE", home.toString());
        env.put("GIT_SSL_CAINFO", "relative.pem");
        env.put("PIP_CERT", temp.resolve("missing.pem").toString());
        var rootLink = Files.createSymbolicLink(temp.resolve("root-link"), Path.of("/"));
        env.put("SSL_CERT_DIR", String.join(":", "/", home.toString(), temp.toString(), certs.toString(), "rel",
            rootLink.toString()));
        var grants = granted(env, List.of());
        assertEquals(Map.of(bundle, "$SSL_CERT_FILE", certs, "$SSL_CERT_DIR"), grants,
            "a file variable naming a directory, /, a link to it, the home directory or a directory above it grants nothing");
    }

    @Test
    void whatEarlierGrantsCoverForReadingIsNotGrantedAgain() throws Exception {
        var etc = Files.createDirectories(temp.resolve("etc"));
        var bundle = Files.writeString(etc.resolve("ca.pem"), "x");
        var earlier = List.of(new PathGrant(etc, PathAccess.READ, new ValueSource.Default("system directory")));
        assertEquals(Map.of(), granted(Map.of("SSL_CERT_FILE", bundle.toString()), earlier));
        var writable = List.of(new PathGrant(etc, PathAccess.READ_WRITE, new ValueSource.Default("temporary directory")));
        assertEquals(Map.of(bundle, "$SSL_CERT_FILE"), granted(Map.of("SSL_CERT_FILE", bundle.toString()), writable),
            "a temporary directory may be the run's own: a file in it is granted by name, to be carried in");
    }

    @Test
    void caVariablesAreAlwaysPassedAndDroppedVariablesAreNamed() {
        var host = Map.of("SSL_CERT_FILE", "/x.pem", "PIP_CERT", "/y.pem", "API_TOKEN", "secret", "HOME", "/h");
        var child = EnvPolicy.DEFAULT.resolve(host);
        assertEquals("/x.pem", child.variables().get("SSL_CERT_FILE"));
        assertEquals("/y.pem", child.variables().get("PIP_CERT"));
        assertEquals(List.of("API_TOKEN"), child.dropped());
        assertEquals(List.of(), EnvPolicy.DEFAULT.with(new EnvEntry.Pass("API_TOKEN")).resolve(host).dropped());
    }

    @Test
    void underSudoHomeIsTheInvokingUsersFromThePasswordDatabase() {
        var user = new InvokingUser.Account(1234, 1234, "u", Path.of("/home/u"));
        var accounts = (java.util.function.IntFunction<Optional<InvokingUser.Account>>) uid ->
            uid == 1234 ? Optional.of(user) : Optional.empty();
        var env = Map.of("SUDO_UID", "1234", "HOME", "/root");
        var sudo = InvokingUser.of(env, 0, Path.of("/root"), accounts);
        assertEquals(Path.of("/home/u"), sudo.home());
        assertEquals(Path.of("/home/u"), sudo.childHome(env), "halt gives the child the user's HOME");
        var plain = InvokingUser.of(env, 1234, Path.of("/home/u"), accounts);
        assertEquals(Optional.empty(), plain.sudo(), "SUDO_UID without root is a leftover variable, not sudo");
        assertEquals(Path.of("/root"), plain.childHome(env), "the child keeps halt's HOME");
        assertEquals(Path.of("/root"), InvokingUser.of(Map.of(), 0, Path.of("/root"), accounts).home());
        var unknown = assertThrows(IllegalStateException.class,
            () -> InvokingUser.of(Map.of("SUDO_UID", "99"), 0, Path.of("/root"), accounts));
        assertTrue(unknown.getMessage().contains("99"), unknown.getMessage());
        assertEquals(Optional.of(new InvokingUser.Account(1000, 100, "u", Path.of("/home/u"))),
            InvokingUser.parse(1000, List.of("root:x:0:0::/root:/bin/sh", "u:x:1000:100:U:/home/u:/bin/sh")));
    }

    @Test
    void macosUsersComeFromDirectoryServices() {
        // dscacheutil -q user -a uid 501 on macOS, whose /etc/passwd lists only system accounts.
        var output = List.of("name: runner", "password: ********", "uid: 501", "gid: 20", "dir: /Users/runner",
            "shell: /bin/bash", "gecos: runner", "");
        assertEquals(Optional.of(new InvokingUser.Account(501, 20, "runner", Path.of("/Users/runner"))),
            InvokingUser.parseDirectoryService(501, output));
        assertEquals(Optional.empty(), InvokingUser.parseDirectoryService(502, output), "another user's record");
        assertEquals(Optional.empty(), InvokingUser.parseDirectoryService(501, List.of()), "no such user: no output");
        assertEquals(Optional.empty(), InvokingUser.parseDirectoryService(501, List.of("name: x", "uid: 501", "gid: 20",
            "dir: relative")));
    }
}
