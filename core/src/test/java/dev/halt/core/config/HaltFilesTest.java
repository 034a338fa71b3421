package dev.halt.core.config;

import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * halt's own files against the sandbox and against odd files: a write grant that contains the
 * global config directory or the trust store is refused; config is read only from regular files
 * of at most 1 MiB, so a FIFO or a device named as config cannot hang halt.
 */
class HaltFilesTest extends WithFixture {
    private ConfigError.WritableHaltConfig refusal(CommandLineOptions options) {
        var errors = f.errors(options);
        assertEquals(1, errors.size(), errors.toString());
        return assertInstanceOf(ConfigError.WritableHaltConfig.class, errors.getFirst());
    }

    @Test
    void aWriteGrantOverTheControlDirectoryIsRefused() throws IOException {
        var runtime = Files.createDirectories(tmp.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        f.env.put("XDG_RUNTIME_DIR", runtime.toString());
        assertEquals(runtime.resolve("halt"), f.locations().controlDirectory(), "a private XDG_RUNTIME_DIR of this user's");
        var error = refusal(CommandLineOptions.NONE.withWrite(runtime.toString()));
        assertEquals("halt's control directory", error.what());
        assertTrue(error.message().contains("read the tokens of the runs' control sockets")
                && error.message().contains("set XDG_RUNTIME_DIR"), error.message());
        // another user's, or one others may enter, is not this user's runtime directory: halt looks elsewhere
        Files.setPosixFilePermissions(runtime, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(!f.locations().controlDirectory().startsWith(runtime), f.locations().controlDirectory().toString());
    }

    @Test
    void writeGrantOfTheHomeIsRefusedNamingTheFlagAndWhatItExposes() {
        var error = refusal(CommandLineOptions.NONE.withWrite("~"));
        assertEquals(f.home, error.grant());
        assertEquals(f.locations().globalDirectory(), error.exposed());
        var message = error.message();
        assertTrue(message.startsWith("command line --write: write grant " + f.home + " contains halt's config directory "
                + f.locations().globalDirectory()), message);
        assertTrue(message.contains("the agent could rewrite its next sandbox"), message);
        assertTrue(message.contains("Grant something narrower"), message);
        // reading it is fine
        f.loaded(CommandLineOptions.NONE.withRead("~"));
        // and so is a sibling of the config directory
        f.dir("home/.config/other");
        f.loaded(CommandLineOptions.NONE.withWrite("~/.config/other"));
    }

    @Test
    void writeGrantsOverTheRunRecordsAreRefusedWhereverTheyAre() throws IOException {
        // The next halt writes the files a record names: a record the agent could plant writes anywhere.
        var local = f.dir("home/.local");
        var error = refusal(CommandLineOptions.NONE.withWrite(local.toString()));
        assertEquals(f.home.resolve(".local/state/halt/runs"), error.exposed());
        assertTrue(error.message().contains("halt's run records") && error.message().contains("plant a record"), error.message());
        assertTrue(error.message().contains("set XDG_STATE_HOME to a directory outside the grant"), error.message());

        // Moved by XDG_STATE_HOME: that place is refused, and the default one still is (a later halt may read there).
        var state = f.dir("state");
        f.env.put("XDG_STATE_HOME", state.toString());
        assertEquals(state.resolve("halt/runs"), refusal(CommandLineOptions.NONE.withWrite(state.toString())).exposed());
        assertEquals(f.home.resolve(".local/state/halt/runs"), refusal(CommandLineOptions.NONE.withWrite(local.toString())).exposed());
        // A sibling is fine.
        f.loaded(CommandLineOptions.NONE.withWrite(f.dir("home/.local/share").toString()));
    }

    @Test
    void aWorkingDirectoryThatHoldsTheRunRecordsIsRefused() {
        f.env.put("XDG_STATE_HOME", f.work.resolve("state").toString());
        var error = refusal(CommandLineOptions.NONE);
        assertEquals(f.work, error.grant());
        assertTrue(error.message().contains("or set XDG_STATE_HOME to a directory outside it"), error.message());
    }

    @Test
    void writeGrantFromAConfigFileNamesItsLine() {
        var file = f.global("""
                [sandbox.paths]
                read = ["/usr"]
                read_write = [
                  "~/.config",
                ]
                """);
        var error = refusal(CommandLineOptions.NONE);
        assertEquals(f.home.resolve(".config"), error.grant());
        assertTrue(error.message().startsWith(file + ":4:"), error.message());
        assertEquals(java.util.Optional.of(file), error.inFile());
    }

    @Test
    void theTrustStoreAndTheGlobalFileAreProtectedOnTheirOwn() throws IOException {
        f.global("# empty\n");
        Files.writeString(f.locations().trustFile(), "");
        var store = refusal(CommandLineOptions.NONE.withWrite(f.locations().trustFile().toString()));
        assertTrue(store.message().contains("halt's trust store " + f.locations().trustFile()), store.message());
        var global = refusal(CommandLineOptions.NONE.withWrite(f.locations().globalFile().toString()));
        assertTrue(global.message().contains("halt's global config file"), global.message());
    }

    @Test
    void aGrantThroughASymbolicLinkIsSeenThrough() throws IOException {
        var link = Files.createSymbolicLink(f.work.resolve("h"), f.home);
        var error = refusal(CommandLineOptions.NONE.withWrite(link.toString()));
        assertEquals(link, error.grant());
        // the config directory behind a link: ~/.config -> elsewhere/cfg, and the grant names elsewhere
        var elsewhere = f.dir("elsewhere");
        Files.createDirectories(elsewhere.resolve("cfg"));
        Files.createSymbolicLink(f.home.resolve(".config"), elsewhere.resolve("cfg"));
        var behind = refusal(CommandLineOptions.NONE.withWrite(elsewhere.toString()));
        assertEquals(elsewhere, behind.grant());
    }

    @Test
    void dataDirNamesItsOwnFlag() {
        var error = refusal(CommandLineOptions.NONE.withDataDirectory(f.home.toString()));
        assertTrue(error.message().startsWith("command line --data-dir: write grant " + f.home), error.message());
        var data = f.dir("data");
        var loaded = f.loaded(CommandLineOptions.NONE.withDataDirectory(data.toString()));
        assertTrue(loaded.policy().grants(PathAccess.READ_WRITE).stream().map(PathGrant::path).toList().contains(data));
    }

    @Test
    void aWorkingDirectoryThatHoldsTheConfigDirectoryIsRefused() {
        f.env.put("XDG_CONFIG_HOME", f.work.resolve(".cfg").toString());
        var error = refusal(CommandLineOptions.NONE);
        assertEquals(f.work, error.grant());
        assertTrue(error.message().startsWith("default (working directory): "), error.message());
        assertTrue(error.message().contains("run halt from the project's own directory"), error.message());
    }

    @Test
    @Tag("linux")
    void aSharedTemporaryDefaultOverTheConfigDirectoryIsOnlyAWarning() throws Exception {
        // this test's home lies under /tmp, a default grant the user cannot narrow
        assumeTrue(f.home.startsWith("/tmp"), "[tmp-dir] the test's temporary directory is under /tmp");
        var shared = Files.writeString(f.work.resolve("shared-tmp.toml"), "[sandbox]\nshared_tmp = true\n");
        var loaded = f.loaded(CommandLineOptions.NONE.withConfigFile(shared));
        assertTrue(loaded.warnings().stream().anyMatch(w -> w instanceof ConfigWarning.WritableConfigDirectory c
                && c.grant().equals(Path.of("/tmp")) && c.message().contains("Set XDG_CONFIG_HOME")), loaded.warnings().toString());
    }

    @Test
    @Tag("linux")
    void aPrivateTemporaryDefaultOverTheConfigDirectoryIsNoConcern() {
        // without shared_tmp the run's /tmp is its own (a tmpfs, or a private directory): the host's is out of reach
        assumeTrue(f.home.startsWith("/tmp"), "[tmp-dir] the test's temporary directory is under /tmp");
        var loaded = f.loaded(CommandLineOptions.NONE);
        assertTrue(loaded.warnings().stream().noneMatch(w -> w instanceof ConfigWarning.WritableConfigDirectory c
                && c.grant().equals(Path.of("/tmp"))), loaded.warnings().toString());
    }

    // ---- what halt reads as config

    private ConfigError.Unreadable unreadable(Path file) {
        var errors = f.errors(CommandLineOptions.NONE.withConfigFile(file));
        assertEquals(1, errors.size(), errors.toString());
        return assertInstanceOf(ConfigError.Unreadable.class, errors.getFirst());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aDeviceIsRefusedNotRead() {
        var error = unreadable(Path.of("/dev/zero"));
        assertEquals("/dev/zero: cannot read config file: it is a character device, not a regular file;"
                + " halt reads config only from regular files", error.message());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsRefusedNotOpened() throws Exception {
        var fifo = mkfifo(tmp.resolve("config.fifo"));
        assertTrue(unreadable(fifo).message().contains("it is a FIFO (named pipe), not a regular file"));
        // the global file too
        Files.createDirectories(f.locations().globalDirectory());
        mkfifo(f.locations().globalFile());
        var errors = f.errors(CommandLineOptions.NONE);
        assertTrue(errors.getFirst().message().startsWith(f.locations().globalFile() + ": cannot read config file: it is a FIFO"),
                errors.toString());
    }

    @Test
    void anOversizedFileIsRefusedNamingTheCap() throws IOException {
        var big = tmp.resolve("big.toml");
        Files.write(big, new byte[ConfigFiles.MAX_BYTES + 1]);
        var error = unreadable(big);
        assertTrue(error.message().startsWith(big + ": cannot read config file: it is " + (ConfigFiles.MAX_BYTES + 1)
                + " bytes, more than the 1048576 (1 MiB) halt reads"), error.message());
        var justRight = tmp.resolve("ok.toml");
        Files.write(justRight, ("# " + "x".repeat(ConfigFiles.MAX_BYTES - 3) + "\n").getBytes());
        f.loaded(CommandLineOptions.NONE.withConfigFile(justRight));
    }

    @Test
    void aDirectoryIsRefused() {
        var error = unreadable(f.dir("adir"));
        assertTrue(error.message().contains("it is a directory"), error.message());
    }

    static Path mkfifo(Path at) throws Exception {
        var p = new ProcessBuilder("mkfifo", at.toString()).inheritIO().start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "[tool-mkfifo] mkfifo(1) works here");
        return at;
    }

}
