package dev.halt.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * halt's own files through the CLI: a write grant over halt's config directory stops the run
 * before anything starts, and a config "file" that is a FIFO, a device or too large fails at once
 * instead of hanging. Every halt here is bounded in time and killed if it overruns.
 */
class HaltFilesCliTest {

    private static final long BOUND_SECONDS = 30;

    @TempDir
    Path temp;
    Path work;
    Path home;
    Path marker;

    private record Result(int status, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        marker = work.resolve("ran");
    }

    /** Runs halt with its output in files, so a hung halt cannot hang the test: it is killed after the bound. */
    private Result run(String... args) throws Exception {
        var out = temp.resolve("out");
        var err = temp.resolve("err");
        var pb = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false, args))
            .directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(java.util.Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(),
            "XDG_CONFIG_HOME", home.resolve(".config").toString()));
        var p = pb.start();
        try {
            assertTrue(p.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), "halt finished within " + BOUND_SECONDS
                + " s (it hung: " + Files.readString(err) + ")");
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private void assertNothingRan(Result r) {
        assertEquals(125, r.status(), r.err());
        assertTrue(r.err().contains("nothing was run"), r.err());
        assertFalse(Files.exists(marker), "the command ran");
    }

    @Test
    void writeOfTheHomeIsRefusedAndNothingRuns() throws Exception {
        var r = run("run", "--network", "unrestricted", "--write", home.toString(), "--", "touch", marker.toString());
        assertNothingRan(r);
        assertTrue(r.err().contains("halt: command line --write: write grant " + home + " contains halt's config directory "
            + home.resolve(".config/halt")), r.err());
        assertTrue(r.err().contains("the agent could rewrite its next sandbox"), r.err());
        assertTrue(r.err().contains("Grant something narrower"), r.err());

        var viaDataDir = run("run", "--network", "unrestricted", "--data-dir", home.toString(), "--", "touch", marker.toString());
        assertNothingRan(viaDataDir);
        assertTrue(viaDataDir.err().contains("command line --data-dir: write grant " + home), viaDataDir.err());
    }

    @Test
    void aNarrowerGrantRuns() throws Exception {
        // --best-effort: the point is the grant check, which comes first, not Landlock on this kernel
        var project = Files.createDirectories(home.resolve("project"));
        var r = run("run", "--best-effort", "--network", "unrestricted", "--write", project.toString(), "--",
            "touch", marker.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(marker));
    }

    @Test
    void aDeviceAsConfigFailsAtOnce() throws Exception {
        var r = run("run", "--config", "/dev/zero", "--", "touch", marker.toString());
        assertNothingRan(r);
        assertTrue(r.err().contains("/dev/zero: cannot read config file: it is a character device, not a regular file"), r.err());
    }

    @Test
    void aFifoAsConfigFailsAtOnce() throws Exception {
        var fifo = temp.resolve("config.fifo");
        var p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "[tool-mkfifo] mkfifo(1) works here");
        var r = run("run", "--config", fifo.toString(), "--", "touch", marker.toString());
        assertNothingRan(r);
        assertTrue(r.err().contains(fifo + ": cannot read config file: it is a FIFO (named pipe), not a regular file"), r.err());
    }

    @Test
    void anOversizedConfigFailsNamingTheCap() throws Exception {
        var big = temp.resolve("big.toml");
        Files.write(big, ("#" + "x".repeat(2 << 20) + "\n").getBytes(StandardCharsets.US_ASCII));
        var r = run("run", "--config", big.toString(), "--", "touch", marker.toString());
        assertNothingRan(r);
        assertTrue(r.err().contains(big + ": cannot read config file: it is " + Files.size(big)
            + " bytes, more than the 1048576 (1 MiB) halt reads from a config file"), r.err());
    }
}
