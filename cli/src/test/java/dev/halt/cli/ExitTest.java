package dev.halt.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * How halt's process ends. HotSpot's own exit (the {@code Exit} VM operation, behind
 * {@code System.exit} and {@code Runtime.halt} alike) waits up to 300 ms for every thread in
 * native code, and after a request through the proxy the JDK's I/O poller is one. halt ends with
 * {@code exit_group} instead, once its output is flushed and its logs are closed.
 *
 * <p>Not a timed test: on a shared 2-core machine a bound on milliseconds either flakes or is too
 * loose to tell 300 ms from none. The JVM's own log of VM operations ({@code -Xlog:vmoperation})
 * names the {@code Exit} operation when it begins, so these tests check which way the process
 * left, and that nothing was lost on the fast way; {@code bench/compare.sh} measures the time.
 */
@Tag("linux")
class ExitTest {

    @TempDir
    static Path temp;
    static Path work;
    static TestOrigin origin;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 (proxy mode rootless uses its TCP rules), this kernel has " + abi);
        work = Files.createDirectories(temp.resolve("work"));
        origin = new TestOrigin();
    }

    @AfterAll
    static void tearDown() {
        if (origin != null) origin.close();
    }

    private static HaltProcess.Result halt(List<String> jvmOptions, String... args) throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString());
        return HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false, jvmOptions, args), work, env);
    }

    /** The JVM option that logs each VM operation as it begins, into {@code file}. */
    private static String vmOperationLog(Path file) {
        return "-Xlog:vmoperation=debug:file=" + file;
    }

    /** Whether the JVM began its {@code Exit} operation, by its log. */
    private static boolean jvmExitBegan(Path log) throws Exception {
        return Files.readAllLines(log).stream().anyMatch(l -> l.contains("begin VM_Operation") && l.contains(": Exit,"));
    }

    @Test
    void aRunThatUsedTheProxyEndsWithoutTheJvmsExitAndLosesNothing() throws Exception {
        var config = Files.writeString(temp.resolve("proxy.toml"), """
            [sandbox]
            network = { mode = "proxy_only" }
            [proxy]
            domain_allowlist = ["localhost"]
            upstream_dns = ["127.0.0.1:9"]
            allow_local_destinations = true
            """);
        var vmLog = temp.resolve("vm-proxy.log");
        var decisions = temp.resolve("decisions.jsonl");
        var r = halt(List.of(vmOperationLog(vmLog)), "run", "--no-config", "--config", config.toString(),
            "--log", decisions.toString(), "--", "sh", "-c",
            "curl -s --noproxy '' -p -x \"$HTTP_PROXY\" http://localhost:" + origin.port() + "/; exit 3");
        assertEquals(3, r.status(), r.err());
        assertTrue(r.out().contains(TestOrigin.BODY), "the request went through the proxy: " + r.out() + r.err());
        assertTrue(r.err().contains("halt network: connections 1 allowed"), "halt's summary was flushed: " + r.err());
        var lines = Files.readAllLines(decisions);
        assertEquals(1, lines.size(), "the decision log was closed, complete, before the end: " + lines);
        assertTrue(lines.getFirst().contains("\"decision\":\"allowed\"") && lines.getFirst().endsWith("}"), lines.getFirst());
        assertFalse(jvmExitBegan(vmLog), "halt left through the JVM's Exit operation, which waits up to 300 ms for threads"
            + " in native code: " + Files.readString(vmLog));
    }

    @Test
    void theLaunchersTrainingRunLeavesThroughTheJvmWhichWritesTheStartUpCacheThere() throws Exception {
        var vmLog = temp.resolve("vm-training.log");
        var r = halt(List.of(vmOperationLog(vmLog), "-Dhalt.exit=jvm"), "run", "--no-config", "--network", "unrestricted",
            "--", "sh", "-c", "exit 4");
        assertEquals(4, r.status(), r.err());
        assertTrue(jvmExitBegan(vmLog), "with -Dhalt.exit=jvm the JVM's exit runs (and writes the cache): " + Files.readString(vmLog));
    }

    @Test
    void everyCommandEndsWithItsStatusAndItsOutputOnTheFastWay() throws Exception {
        var vmLog = temp.resolve("vm-commands.log");
        var version = halt(List.of(vmOperationLog(vmLog)), "--version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("halt ") && version.out().contains("JDK "), version.out());
        var badFormat = halt(List.of(), "config", "show", "--format", "yaml");
        assertEquals(125, badFormat.status());
        assertTrue(badFormat.err().contains("--format"), badFormat.err());
        var check = halt(List.of(), "check", "--json");
        @SuppressWarnings("unchecked")
        var report = (Map<String, Object>) Json.parse(check.out());
        assertEquals(Boolean.TRUE.equals(report.get("ok")) ? 0 : 1, check.status(), check.out());
        assertFalse(jvmExitBegan(vmLog), Files.readString(vmLog));
    }
}
