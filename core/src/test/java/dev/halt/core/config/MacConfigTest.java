package dev.halt.core.config;

import dev.halt.core.policy.MacOptions;
import dev.halt.core.policy.NetworkMode;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code [sandbox.macos]}: its keys, their defaults (trustd follows the mode), their validation and how they are shown. */
class MacConfigTest extends WithFixture {
    @Test
    void keychainIsClosedAndTrustdFollowsTheMergedModeWhenNothingSetsThem() {
        for (var mode : NetworkMode.values()) {
            var loaded = f.loaded(CommandLineOptions.NONE.withNetwork(mode.configName()));
            var macos = loaded.policy().macos();
            assertFalse(macos.allowKeychain(), mode.toString());
            assertEquals(Optional.of(mode == NetworkMode.UNRESTRICTED), macos.allowTrustd(), mode.toString());
            var source = loaded.config().value(ConfigSchema.ALLOW_TRUSTD).source().describe();
            assertTrue(source.contains("unrestricted only") && source.contains(mode.configName()), source);
        }
        f.global("""
                [sandbox]
                network = { mode = "unrestricted" }
                """);
        assertEquals(Optional.of(false), f.loaded(CommandLineOptions.NONE.withNetwork("proxy")).policy().macos().allowTrustd(),
            "the mode the flag chose, not the file's, decides the default");
    }

    @Test
    void filesSetThemAndALaterFileWins() {
        var file = f.global("""
                [sandbox]
                network = { mode = "blocked" }
                [sandbox.macos]
                allow_keychain = true
                allow_trustd = true
                """);
        var loaded = f.loaded(CommandLineOptions.NONE);
        assertEquals(new MacOptions(true, Optional.of(true)), loaded.policy().macos());
        assertEquals(file + ":5:1", loaded.config().value(ConfigSchema.ALLOW_TRUSTD).source().describe());
        var later = f.write(f.root.resolve("later.toml"), """
                sandbox.macos.allow_trustd = false
                """);
        assertEquals(Optional.of(false), f.loaded(CommandLineOptions.NONE.withConfigFile(later)).policy().macos().allowTrustd());
    }

    @Test
    void wrongTypesAndUnknownKeysNameTheFileLineAndKey() {
        var file = f.global("""
                [sandbox.macos]
                allow_keychain = "yes"
                allow_trustd = 1
                allow_keychains = true
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        assertEquals(3, errors.size(), errors.toString());
        var keychain = assertInstanceOf(ConfigError.InvalidValue.class, errors.get(0));
        assertTrue(keychain.message().startsWith(file + ":2:") && keychain.message().contains("sandbox.macos.allow_keychain")
            && keychain.message().contains("without quotes"), keychain.message());
        var trustd = assertInstanceOf(ConfigError.InvalidValue.class, errors.get(1));
        assertTrue(trustd.message().contains("sandbox.macos.allow_trustd") && trustd.message().contains("true or false"),
            trustd.message());
        var unknown = assertInstanceOf(ConfigError.UnknownKey.class, errors.get(2));
        assertEquals("sandbox.macos.allow_keychains", unknown.key());
        assertEquals("sandbox.macos.allow_keychain", unknown.suggestion().orElseThrow());
    }

    @Test
    void keysInTheWrongTableAreSentToTheirs() {
        f.global("""
                [sandbox]
                allow_keychain = true
                """);
        var unknown = assertInstanceOf(ConfigError.UnknownKey.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals("sandbox.macos.allow_keychain", unknown.suggestion().orElseThrow());
    }

    @Test
    void configShowPrintsTheTableAndItReadsBack() {
        var loaded = f.loaded(CommandLineOptions.NONE.withNetwork("proxy"));
        var toml = ConfigRenderer.render(loaded.config(), loaded.warnings(), ConfigRenderer.Format.TOML);
        assertTrue(toml.contains("""
                [sandbox.macos]
                allow_keychain = false # default (built-in)
                allow_trustd = false # default (built-in: on in unrestricted only; the mode is proxy_only)
                """), toml);
        var json = ConfigRenderer.render(loaded.config(), loaded.warnings(), ConfigRenderer.Format.JSON);
        assertTrue(json.contains("\"macos\""), json);
        var section = toml.substring(toml.indexOf("[sandbox.macos]"), toml.indexOf("[sandbox.paths]"));
        var copy = f.write(f.root.resolve("shown.toml"), section);
        var reread = f.loaded(CommandLineOptions.NONE.withNoConfig(true).withConfigFile(copy).withNetwork("unrestricted"));
        assertEquals(Optional.of(false), reread.policy().macos().allowTrustd(), "a shown value is an explicit one");
    }

    @Test
    void onlyClaudesProfileOpensTheKeychainAndNoProfileOpensTrustd() throws Exception {
        var configs = Path.of("..", "configs").toAbsolutePath().normalize();
        try (var profiles = java.nio.file.Files.list(configs)) {
            for (var profile : profiles.filter(p -> p.toString().endsWith(".toml")).toList()) {
                var macos = f.loaded(CommandLineOptions.NONE.withNoConfig(true).withConfigFile(profile)).policy().macos();
                assertEquals(profile.endsWith("claude.toml"), macos.allowKeychain(), profile.toString());
                assertEquals(Optional.of(false), macos.allowTrustd(), profile + ": proxy_only keeps trustd closed");
            }
        }
        var apiKeyOnly = f.write(f.root.resolve("api-key.toml"), "[sandbox.macos]\nallow_keychain = false\n");
        var claude = configs.resolve("claude.toml");
        assertFalse(f.loaded(CommandLineOptions.NONE.withNoConfig(true).withConfigFile(claude).withConfigFile(apiKeyOnly))
            .policy().macos().allowKeychain(), "a later file closes it again, as the profile says");
    }

    @Test
    void theStarterFileMentionsTheTableCommentedOut() {
        var text = StarterConfig.text(ConfigScope.GLOBAL);
        assertTrue(text.contains("[sandbox.macos]\n# ") && text.contains("# allow_keychain = false")
            && text.contains("# allow_trustd = false"), text);
    }
}
