package dev.halt.core.config;

import dev.halt.core.policy.NetworkMode;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustTest extends WithFixture {
    @Test
    void untrustedThenTrustedThenChanged() throws Exception {
        var file = f.untrustedProject("[sandbox]\nnetwork = { mode = \"blocked\" }\n");

        var untrusted = assertInstanceOf(ConfigError.Untrusted.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals(file, untrusted.file());
        assertFalse(untrusted.changed());
        assertTrue(untrusted.message().contains("halt config trust"), untrusted.message());
        assertTrue(untrusted.message().contains("--no-config"), untrusted.message());
        assertEquals(TrustStore.sha256(Files.readAllBytes(file)), untrusted.sha256());

        var trusted = assertInstanceOf(ConfigActions.TrustResult.Trusted.class, ConfigActions.trust(f.locations()));
        assertEquals(TrustStore.sha256(Files.readAllBytes(file)), trusted.sha256());
        assertTrue(Files.exists(f.locations().trustFile()), "recorded under the global config directory");
        assertEquals(NetworkMode.BLOCKED, f.loaded(CommandLineOptions.NONE).policy().networkMode());

        // the agent widens its next sandbox: the change is caught
        Files.writeString(file, "[sandbox]\nnetwork = { mode = \"unrestricted\" }\n");
        var changed = assertInstanceOf(ConfigError.Untrusted.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertTrue(changed.changed());
        assertTrue(changed.message().contains("changed"), changed.message());

        // --no-config ignores it
        assertEquals(NetworkMode.LOCALHOST_ONLY, f.loaded(CommandLineOptions.NONE.withNoConfig(true)).policy().networkMode());

        // trusting again accepts the new content
        assertInstanceOf(ConfigActions.TrustResult.Trusted.class, ConfigActions.trust(f.locations()));
        assertEquals(NetworkMode.UNRESTRICTED, f.loaded(CommandLineOptions.NONE).policy().networkMode());
    }

    @Test
    void trustIsPerFileAndKeepsOtherEntries() throws Exception {
        var other = f.write(tmp.resolve("other/.halt/halt.toml"), "[proxy]\ndns_ttl_seconds = 7\n");
        var store = TrustStore.of(f.locations());
        assertInstanceOf(TrustStore.TrustResult.Trusted.class, store.trust(other));
        f.project("[proxy]\ndns_ttl_seconds = 8\n");
        assertEquals(2, store.entries().size());
        assertEquals(TrustStore.Status.TRUSTED, store.check(other, Files.readAllBytes(other)));
        assertEquals(TrustStore.Status.CHANGED, store.check(other, "x".getBytes()));
        assertEquals(TrustStore.Status.UNKNOWN, store.check(tmp.resolve("nowhere.toml"), "x".getBytes()));
    }

    @Test
    void trustKeysOnTheCanonicalPath() throws Exception {
        var real = f.dir("real");
        f.write(real.resolve(".halt/halt.toml"), "[proxy]\ndns_ttl_seconds = 9\n");
        var link = Files.createSymbolicLink(tmp.resolve("link"), real);
        var viaLink = ConfigLocations.of(f.home, link, f.env);
        assertInstanceOf(ConfigActions.TrustResult.Trusted.class, ConfigActions.trust(viaLink));
        var direct = ConfigLocations.of(f.home, real, f.env);
        var loaded = assertInstanceOf(LoadResult.Loaded.class, ConfigLoader.load(direct, CommandLineOptions.NONE, f.env));
        assertEquals(9, loaded.policy().proxy().dnsTtl().toSeconds());
        assertTrue(TrustStore.of(f.locations()).entries().containsKey(real.resolve(".halt/halt.toml").toRealPath().toString()));
    }

    @Test
    void invalidContentIsNotTrusted() {
        f.untrustedProject("[proxy]\nbogus = true\n");
        var invalid = assertInstanceOf(ConfigActions.TrustResult.Invalid.class, ConfigActions.trust(f.locations()));
        assertInstanceOf(ConfigError.UnknownKey.class, invalid.errors().getFirst());
        assertFalse(Files.exists(f.locations().trustFile()));
    }

    @Test
    void trustWithoutProjectFileSaysHowToCreateOne() {
        var failed = assertInstanceOf(ConfigActions.TrustResult.Failed.class, ConfigActions.trust(f.locations()));
        assertTrue(failed.reason().contains("halt config init"), failed.reason());
    }

    @Test
    void damagedStoreTrustsNothingAndRefusesToOverwrite() throws Exception {
        var file = f.untrustedProject("[proxy]\n");
        f.write(f.locations().trustFile(), "this is = not [ toml");
        assertInstanceOf(ConfigError.Untrusted.class, f.errors(CommandLineOptions.NONE).getFirst());
        var failed = assertInstanceOf(TrustStore.TrustResult.Failed.class, TrustStore.of(f.locations()).trust(file));
        assertTrue(failed.reason().contains("damaged"), failed.reason());
    }

    @Test
    void pathsWithQuotesSurviveTheStore() throws Exception {
        var odd = f.write(tmp.resolve("we\"ird \\ dir/.halt/halt.toml"), "[proxy]\n");
        var store = TrustStore.of(f.locations());
        assertInstanceOf(TrustStore.TrustResult.Trusted.class, store.trust(odd));
        assertEquals(TrustStore.Status.TRUSTED, store.check(odd, Files.readAllBytes(odd)));
    }

    @Test
    void aLinkToAnotherTrustedConfigIsRefused() throws Exception {
        // another project whose wide config the user trusted
        var other = f.dir("other");
        f.write(other.resolve(".halt/halt.toml"), "[sandbox]\nnetwork = { mode = \"unrestricted\" }\n");
        assertInstanceOf(ConfigActions.TrustResult.Trusted.class, ConfigActions.trust(ConfigLocations.of(f.home, other, f.env)));

        // the agent plants .halt -> other/.halt in its workspace
        var planted = Files.createSymbolicLink(f.work.resolve(".halt"), other.resolve(".halt"));
        var error = assertInstanceOf(ConfigError.Unreadable.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals(planted, error.file());
        assertTrue(error.message().contains("symbolic link"), error.message());
        assertInstanceOf(ConfigActions.TrustResult.Failed.class, ConfigActions.trust(f.locations()));
        assertEquals(NetworkMode.LOCALHOST_ONLY, f.loaded(CommandLineOptions.NONE.withNoConfig(true)).policy().networkMode());

        // or plants the file itself as a link
        Files.delete(planted);
        Files.createDirectories(f.work.resolve(".halt"));
        Files.createSymbolicLink(f.locations().projectFile(), other.resolve(".halt/halt.toml"));
        var fileError = assertInstanceOf(ConfigError.Unreadable.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals(f.locations().projectFile(), fileError.file());
        assertInstanceOf(ConfigActions.InitResult.Failed.class, ConfigActions.init(f.locations(), ConfigScope.PROJECT, true));
        assertTrue(Files.isSymbolicLink(f.locations().projectFile()), "init --force did not write through the link");
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        var file = f.locations().globalFile();
        Files.createDirectories(file.getParent());
        Files.write(file, ("\uFEFF[proxy]\ndns_ttl_seconds = 3\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(3, f.loaded(CommandLineOptions.NONE).policy().proxy().dnsTtl().toSeconds());
    }
}
