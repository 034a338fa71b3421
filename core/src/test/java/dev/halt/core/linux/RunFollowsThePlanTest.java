package dev.halt.core.linux;

import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxBackend;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.probe.NetworkSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A launch enforces the network mode with the mechanism the enforcement plan names for it, and
 * refuses a mode the plan says is unavailable with the plan's reason: given a plan that disagrees
 * with what halt's own credentials would suggest, the run follows the plan.
 */
class RunFollowsThePlanTest {

    @TempDir
    Path temp;

    private static final Availability YES = Availability.available("verified");
    private static final Availability NO = Availability.unavailable("refused");

    private SandboxPolicy policy(Path work, NetworkMode mode) {
        var builder = SandboxPolicy.builder(work).networkMode(mode);
        for (PathGrant g : SystemDefaults.grants(work, System.getenv())) {
            if (!temp.startsWith(g.path())) builder.grant(g);
        }
        return builder.build();
    }

    private record Run(int status, String out) {}

    private Run run(SandboxBackend backend, SandboxPolicy policy, boolean bestEffort, String... command) throws Exception {
        var out = temp.resolve("out-" + System.nanoTime());
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.toString());
        var options = new LaunchOptions(env, bestEffort).withOutput(Redirect.to(out.toFile()), Redirect.DISCARD);
        var child = backend.launch(policy, List.of(command), options);
        assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "the child finished");
        return new Run(child.waitFor(), Files.readString(out));
    }

    /**
     * As root halt could make a network namespace, but this plan says the port rules (as it would
     * rootless): the child stays in halt's network namespace and Landlock refuses its TCP connect.
     */
    @Test
    void theRunTakesItsMechanismFromThePlanNotFromItsCredentials() throws Exception {
        Requires.landlockAbi(4);
        Requires.networkAdmin();
        var work = Files.createDirectories(temp.resolve("work"));
        var facts = LinuxPlanTest.facts(false, NO, YES, YES, Availability.unavailable("not in this plan"));
        var portRules = new LinuxBackend(facts);
        assertEquals(Mechanism.LANDLOCK_TCP_SECCOMP,
            ((NetworkSupport.Enforced) portRules.plan().support(NetworkMode.BLOCKED)).mechanism());
        var ownNamespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        try (var listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            var probe = "readlink /proc/self/ns/net; python3 -c 'import socket\ntry:\n socket.create_connection((\"127.0.0.1\", "
                + listener.getLocalPort() + "), 5); print(\"connected\")\nexcept OSError as e: print(\"errno\", e.errno)'";
            var r = run(portRules, policy(work, NetworkMode.BLOCKED), false, "sh", "-c", probe);
            var lines = r.out().lines().toList();
            assertEquals(ownNamespace, lines.getFirst(), "no namespace of the run's own: " + r.out());
            assertEquals("errno 13", lines.get(1), "Landlock's TCP rule refused the connect (EACCES): " + r.out());

            // The machine's own plan, as root: a namespace of the run's own, where 127.0.0.1 has no listener.
            var r2 = run(SandboxBackend.current(), policy(work, NetworkMode.BLOCKED), false, "sh", "-c", probe);
            var lines2 = r2.out().lines().toList();
            assertNotEquals(ownNamespace, lines2.getFirst(), r2.out());
            assertEquals("errno 111", lines2.get(1), "ECONNREFUSED in an empty namespace: " + r2.out());
        }
    }

    /** A mode the plan cannot enforce stops the launch with the plan's own reason, and nothing runs. */
    @Test
    void aModeThePlanSaysIsUnavailableIsRefusedWithThePlansReason() throws Exception {
        Requires.landlockAbi(1);
        var work = Files.createDirectories(temp.resolve("work"));
        var facts = LinuxPlanTest.facts(false, NO, Availability.unavailable("Landlock ABI 3 has no TCP rules (ABI 4, Linux 6.7)"),
            YES, YES);
        var backend = new LinuxBackend(facts);
        var reason = backend.plan().support(NetworkMode.BLOCKED).note();
        var marker = work.resolve("ran");
        var e = assertThrows(LaunchException.class,
            () -> run(backend, policy(work, NetworkMode.BLOCKED), false, "touch", marker.toString()));
        assertEquals(125, e.exitStatus());
        assertTrue(e.getMessage().contains(reason) && e.getMessage().contains("Nothing was run"), e.getMessage());
        assertTrue(reason.contains("ABI 3"), reason);
        assertFalse(Files.exists(marker), "nothing ran");

        // --best-effort runs it, with the network NOT restricted (a WARN line says so).
        assertEquals(0, run(backend, policy(work, NetworkMode.BLOCKED), true, "touch", marker.toString()).status());
        assertTrue(Files.exists(marker));
    }
}
