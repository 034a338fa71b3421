package dev.halt.core.config;

import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigRendererTest extends WithFixture {
    private String show(CommandLineOptions options, ConfigRenderer.Format format) {
        var shown = assertInstanceOf(ConfigActions.ShowResult.Shown.class,
                ConfigActions.show(f.locations(), options, f.env, format));
        return shown.text();
    }

    @Test
    void tomlShowsEveryValueWithItsSourceAndReadsBackToTheSamePolicy() throws Exception {
        var docs = f.dir("work/docs");
        var global = f.global("""
                [sandbox]
                network = { mode = "proxy_only" }
                env = ["API_KEY"]

                [proxy]
                domain_allowlist = ["api.example.com"]
                dns_ttl_seconds = 77
                """);
        var options = CommandLineOptions.NONE.withRead("docs").withAllow("pypi.org").withNetwork("proxy");
        var text = show(options, ConfigRenderer.Format.TOML);

        assertTrue(text.contains("network = { mode = \"proxy_only\", exact = false } # command line --network; default (built-in)"), text);
        assertTrue(text.contains("dns_ttl_seconds = 77 # " + global + ":7"), text);
        assertTrue(text.contains("\"api.example.com\", # " + global + ":6"), text);
        assertTrue(text.contains("\"pypi.org\", # command line --allow"), text);
        assertTrue(text.contains("\"" + docs + "\", # command line --read"), text);
        assertTrue(text.contains("\"/usr\", # default (system directory)"), text);
        assertTrue(text.contains("max_connections = 1024 # default (built-in)"), text);
        assertTrue(text.contains("tcp_idle_timeout_secs = 60 # default"), text);
        assertTrue(text.contains("global       " + global), text);
        assertTrue(text.contains("LC_*"), text);

        // the output is itself a valid config: loaded alone it gives the same policy
        var parsed = Toml.parse(text);
        assertEquals(List.of(), parsed.errors());
        var copy = f.write(tmp.resolve("copy.toml"), text);
        var original = f.loaded(options).policy();
        // Written in a file, the default /tmp grant is the user's: refused while it holds halt's config
        // directory or run records (under ~/.local/state), as this test's home does, or the control
        // directory (/tmp/halt-UID without XDG_RUNTIME_DIR). Only --config is read now, and every path in
        // it is absolute, so any config directory, home and private runtime directory will do.
        f.env.put("XDG_CONFIG_HOME", "/nonexistent/halt-test-config");
        // Not under the default /tmp and /var/tmp grants, where a clone in /tmp would put target/.
        var base = Path.of("target").toAbsolutePath();
        if (base.startsWith("/tmp") || base.startsWith("/var/tmp")) base = Path.of(System.getProperty("user.home"));
        var runtime = Files.createTempDirectory(base, "halt-test-runtime-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            f.env.put("XDG_RUNTIME_DIR", runtime.toString());
            var elsewhere = ConfigLocations.of(Path.of("/nonexistent/halt-test-home"), f.work, f.env);
            var result = ConfigLoader.load(elsewhere, CommandLineOptions.NONE.withNoConfig(true).withConfigFile(copy), f.env);
            var reloaded = assertInstanceOf(LoadResult.Loaded.class, result, result.toString()).policy();
            assertEquals(withoutSources(original), withoutSources(reloaded));
        } finally {
            Files.delete(runtime);
        }
    }

    /** The policy with every grant's source replaced: a copy differs from its original only in where values came from. */
    private static SandboxPolicy withoutSources(SandboxPolicy p) {
        var grants = p.grants().stream().map(g -> PathGrant.of(g.path(), g.access())).toList();
        return p.withGrants(grants);
    }

    @Test
    void tomlListsWarningsForMissingPaths() {
        var text = show(CommandLineOptions.NONE.withRead("gone"), ConfigRenderer.Format.TOML);
        assertTrue(text.contains("# Warnings:"), text);
        assertTrue(text.contains(f.work.resolve("gone") + " does not exist; skipped"), text);
    }

    @Test
    void jsonGivesValueAndSource() {
        var global = f.global("""
                [sandbox]
                env = ["QUOTE=say \\"hi\\"\\tand\\\\go"]
                """);
        var text = show(CommandLineOptions.NONE, ConfigRenderer.Format.JSON);
        assertTrue(text.startsWith("{\n"), text);
        assertTrue(text.contains("\"mode\": {\n        \"value\": \"localhost_only\",\n        \"source\": \"default (built-in)\""), text);
        assertTrue(text.contains("\"value\": \"QUOTE=say \\\"hi\\\"\\tand\\\\go\""), text);
        assertTrue(text.contains("\"source\": \"" + global + ":2:8\""), text);
        assertTrue(text.contains("\"dns_ttl_seconds\": {\n      \"value\": 300,"), text);
        assertTrue(text.contains("\"allow_unix_sockets\": {\n      \"value\": false,"), text);
        assertTrue(text.contains("\"scope\": \"global\""), text);
        assertBalanced(text);
    }

    @Test
    void formatNamesParse() {
        assertEquals(ConfigRenderer.Format.JSON, ConfigRenderer.Format.parse("Json").orElseThrow());
        assertFalse(ConfigRenderer.Format.parse("yaml").isPresent());
    }

    /** Brackets and braces outside strings balance: a cheap structural check without a JSON library. */
    private static void assertBalanced(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
                assertTrue(c >= 0x20, "raw control character in a JSON string");
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                assertTrue(depth >= 0);
            }
        }
        assertEquals(0, depth);
        assertFalse(inString);
    }

    @Test
    void oddFileNamesStillRenderValidToml() throws Exception {
        var odd = java.nio.file.Files.createDirectories(tmp.resolve("we\"ird\nname #1"));
        var locations = ConfigLocations.of(f.home, odd, f.env);
        java.nio.file.Files.createDirectories(locations.globalDirectory());
        java.nio.file.Files.writeString(locations.globalFile(), "[proxy]\ndns_ttl_seconds = 9\n");
        var shown = assertInstanceOf(ConfigActions.ShowResult.Shown.class,
                ConfigActions.show(locations, CommandLineOptions.NONE.withRead("."), f.env, ConfigRenderer.Format.TOML));
        var parsed = Toml.parse(shown.text());
        assertEquals(List.of(), parsed.errors());
        assertTrue(parsed.getArray("sandbox.paths.read").toList().contains(odd.toString()));
        assertEquals(9L, parsed.getLong("proxy.dns_ttl_seconds"));
    }
}
