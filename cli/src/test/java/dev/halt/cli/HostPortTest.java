package dev.halt.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Host ports exposed into a sandbox ({@code --expose-host-port}): the child reaches a service on
 * the host's 127.0.0.1 that the run names, and no other port of the host, with privileges (a relay
 * into the run's network namespace) and without (halt's supervisor admits that port on 127.0.0.1).
 * The services are this test's own, on 127.0.0.1.
 */
@Tag("linux")
class HostPortTest {

    @TempDir
    Path temp;
    static TestOrigin exposed;
    static TestOrigin other;

    @BeforeAll
    static void setUp() throws Exception {
        exposed = new TestOrigin();
        other = new TestOrigin();
    }

    @AfterAll
    static void tearDown() {
        if (exposed != null) exposed.close();
        if (other != null) other.close();
    }

    @ParameterizedTest(name = "privileged={0}")
    @ValueSource(booleans = {false, true})
    void anExposedPortReachesTheHostsServiceAndAnotherPortDoesNot(boolean privileged) throws Exception {
        try (var runs = LiveRuns.in(temp, privileged)) {
            var log = runs.work.resolve("decisions.jsonl");
            Files.writeString(log, "");
            Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
            var curl = "curl -s -m 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:";
            var r = runs.halt("run", "--network", "blocked", "--log", log.toString(), "--expose-host-port",
                Integer.toString(exposed.port()), "--", "sh", "-c",
                "echo exposed=$(" + curl + exposed.port() + "/); echo other=$(" + curl + other.port() + "/)");
            assertTrue(r.out().contains("exposed=200"), "the exposed port reaches the host's service: " + r.out() + r.err());
            assertTrue(r.out().contains("other=000"), "another port of the host stays out of reach: " + r.out());
            if (privileged) {
                var lines = Files.readAllLines(log);
                assertTrue(lines.stream().anyMatch(l -> l.contains("\"via\":\"host_port\"") && l.contains("\"decision\":\"allowed\"")
                    && l.contains("\"port\":" + exposed.port())), "each connection is a decision: " + lines);
                var remapped = runs.halt("run", "--network", "blocked", "--expose-host-port", exposed.port() + ":9000", "--",
                    "sh", "-c", "echo remapped=$(" + curl + "9000/)");
                assertTrue(remapped.out().contains("remapped=200"), remapped.out() + remapped.err());
            } else {
                assertTrue(r.err().contains("halt: refused 127.0.0.1:" + other.port()), r.err());
                var remapped = runs.halt("run", "--network", "blocked", "--expose-host-port", exposed.port() + ":9000", "--", "true");
                assertEquals(125, remapped.status(), "no namespace to remap a port in: " + remapped.err());
                assertTrue(remapped.err().contains("cannot be remapped"), remapped.err());
            }
        }
    }
}
