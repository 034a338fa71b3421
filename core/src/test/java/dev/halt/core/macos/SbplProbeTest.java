package dev.halt.core.macos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness of {@code SeatbeltDecisionTableTest}, on any OS and without a sandbox: with nothing
 * in the way every row the Mac runs for real must come out allowed, never "broken", so that on the
 * Mac a denial means Seatbelt and not a missing fixture file. The probes that only a Mac has
 * (Mach, sysctl, clonefile, {@code open}) are left to it.
 */
class SbplProbeTest {
    /** Probes that work on every OS. */
    private static final Set<String> PORTABLE = Set.of("read", "list", "write", "create", "unlink", "rename", "exec", "link",
        "connect", "connect-unix", "bind", "signal-self");

    @TempDir
    Path tmp;

    @Test
    void withoutASandboxEveryRealRowIsAllowed() throws Exception {
        var tried = new ArrayList<String>();
        var failures = new ArrayList<String>();
        try (var proxy = SbplCases.loopbackListener(); var portA = SbplCases.loopbackListener(); var portB = SbplCases.loopbackListener()) {
            int n = 0;
            for (var row : SbplCases.decisions()) {
                if (!row.real() || !PORTABLE.contains(row.probe())) continue;
                // A fixture per row: allowed here, each row changes it (renames .git, removes files).
                var fixture = SbplCases.realFixture(tmp.resolve("r" + n++), proxy.getLocalPort(), portA.getLocalPort(), portB.getLocalPort());
                var target = fixture.expand(row.target());
                if (row.probe().equals("connect-unix") && target.contains("mDNSResponder")) continue; // macOS's own socket
                if (target.startsWith("/System/")) continue; // the data volume exists only on a Mac
                try (var sock = SbplCases.unixListener(fixture.path("OUT").resolve("sock"))) {
                    tried.add(row.toString());
                    int status = SbplProbe.probe(row.probe(), target);
                    if (status != SbplProbe.ALLOWED) failures.add(row + ": exit " + status);
                }
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(tried.size() > 40, "rows tried: " + tried.size());
    }

    /** On a Mac the probe runs in a JVM of its own with its class directory alone on the class path: no class of core. */
    @Test
    void theProbeRunsWithItsOwnClassesAlone() throws Exception {
        var classes = Path.of(SbplProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var file = Files.writeString(tmp.resolve("f"), "x");
        var javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var probe = new ProcessBuilder(javaBin, "-XX:-UsePerfData", "-Xshare:auto", "-cp", classes.toString(), SbplProbe.class.getName(),
            "rename", file + ">" + tmp.resolve("g")).redirectErrorStream(true).start();
        var output = new String(probe.getInputStream().readAllBytes());
        assertTrue(probe.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(SbplProbe.ALLOWED, probe.exitValue(), output);
        assertTrue(output.startsWith("probe: allowed"), output);
        assertTrue(Files.exists(tmp.resolve("g")));
    }

    @Test
    void aMissingFixtureIsBrokenNotDenied() {
        assertEquals(SbplProbe.BROKEN, SbplProbe.probe("read", tmp.resolve("absent").toString()));
        assertEquals(SbplProbe.BROKEN, SbplProbe.probe("exec", tmp.resolve("absent.sh").toString()));
        assertEquals(SbplProbe.BROKEN, SbplProbe.probe("no-such-probe", "x"));
    }

    @Test
    void aRefusedConnectIsBrokenNotDenied() throws Exception {
        int port;
        try (var closed = SbplCases.loopbackListener()) {
            port = closed.getLocalPort();
        }
        assertEquals(SbplProbe.BROKEN, SbplProbe.probe("connect", "127.0.0.1:" + port), "ECONNREFUSED is not the sandbox");
        assertEquals(SbplProbe.BROKEN, SbplProbe.probe("connect-unix", tmp.resolve("no-socket").toString()));
    }

    @Test
    void theFixtureHasWhatTheTableNames() throws Exception {
        var fixture = SbplCases.realFixture(tmp.resolve("f"), 1, 2, 3);
        for (var row : SbplCases.decisions()) {
            var target = fixture.expand(row.target());
            assertTrue(!target.contains("$"), row + ": a placeholder the fixture has not");
        }
        assertTrue(Files.isExecutable(fixture.path("WS").resolve("tool.sh")));
        assertTrue(fixture.files().contains(fixture.path("ROFILE")));
    }
}
