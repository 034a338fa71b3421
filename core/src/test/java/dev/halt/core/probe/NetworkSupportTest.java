package dev.halt.core.probe;

import org.junit.jupiter.api.Test;

import static dev.halt.core.probe.NetworkSupport.Mechanism.*;
import static org.junit.jupiter.api.Assertions.*;

class NetworkSupportTest {

    private static final Availability YES = Availability.available("verified");
    private static final Availability NO = Availability.unavailable("refused");

    private static NetworkSupport mode(java.util.List<NetworkSupport> all, String name) {
        return all.stream().filter(n -> n.mode().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void privilegedWithNamespacesUsesNetns() {
        var all = NetworkSupport.decide(true, YES, YES, YES);
        assertEquals(NONE, mode(all, "unrestricted").mechanism());
        for (var m : new String[] {"localhost_only", "proxy_only", "blocked"}) assertEquals(NETNS, mode(all, m).mechanism(), m);
    }

    @Test
    void rootlessFallsBackToLandlockAndSeccomp() {
        var all = NetworkSupport.decide(false, NO, YES, YES);
        assertEquals(LANDLOCK_TCP_SECCOMP, mode(all, "blocked").mechanism());
        assertTrue(mode(all, "localhost_only").note().contains("cannot tell addresses apart"));
    }

    @Test
    void rootlessPortRulesAreAWarningThatSaysWhatIsOpen() {
        var rootless = NetworkSupport.decide(false, NO, YES, YES);
        var proxy = mode(rootless, "proxy_only");
        assertEquals(Probe.Status.WARN, proxy.status());
        assertTrue(proxy.note().contains("connect to that port on any address"), proxy.note());
        assertEquals(Probe.Status.WARN, mode(rootless, "localhost_only").status());
        assertEquals(Probe.Status.OK, mode(rootless, "blocked").status());
        assertEquals(Probe.Status.OK, mode(rootless, "unrestricted").status());
        for (var m : NetworkSupport.decide(true, YES, YES, YES)) assertEquals(Probe.Status.OK, m.status(), m.mode());
        assertEquals(Probe.Status.FAIL, mode(NetworkSupport.decide(false, NO, NO, YES), "proxy_only").status());
    }

    @Test
    void privilegedButNamespaceRefusedAlsoFallsBack() {
        assertEquals(LANDLOCK_TCP_SECCOMP, mode(NetworkSupport.decide(true, NO, YES, YES), "proxy_only").mechanism());
    }

    @Test
    void nothingAvailableSaysWhy() {
        var blocked = mode(NetworkSupport.decide(false, NO, Availability.unavailable("Landlock ABI 3 has no TCP rules"), YES), "blocked");
        assertEquals(UNAVAILABLE, blocked.mechanism());
        assertTrue(blocked.note().contains("ABI 3"), blocked.note());
        var noSeccomp = mode(NetworkSupport.decide(false, NO, YES, Availability.unavailable("no seccomp here")), "proxy_only");
        assertEquals(UNAVAILABLE, noSeccomp.mechanism());
        assertTrue(noSeccomp.note().contains("no seccomp here"), noSeccomp.note());
        assertEquals(NONE, mode(NetworkSupport.decide(false, NO, NO, NO), "unrestricted").mechanism());
    }

    @Test
    void rootlessWithTheSupervisorIsExactAndNoLongerAWarning() {
        var all = NetworkSupport.decide(false, NO, YES, YES, YES);
        for (var m : new String[] {"localhost_only", "proxy_only", "blocked"}) {
            assertEquals(LANDLOCK_TCP_SECCOMP_SUPERVISOR, mode(all, m).mechanism(), m);
            assertEquals(Probe.Status.OK, mode(all, m).status(), m);
            assertFalse(mode(all, m).note().contains("any address"), mode(all, m).note());
        }
        assertEquals("landlock-tcp+seccomp+supervisor", LANDLOCK_TCP_SECCOMP_SUPERVISOR.id());
        assertTrue(mode(all, "proxy_only").note().contains("proxy's address and port"), mode(all, "proxy_only").note());
        // With privileges the namespace wins; without the supervisor, today's port rules and why.
        assertEquals(NETNS, mode(NetworkSupport.decide(true, YES, YES, YES, YES), "proxy_only").mechanism());
        var without = mode(NetworkSupport.decide(false, NO, YES, YES, Availability.unavailable("Yama ptrace_scope is 2")), "proxy_only");
        assertEquals(LANDLOCK_TCP_SECCOMP, without.mechanism());
        assertEquals(Probe.Status.WARN, without.status());
        assertTrue(without.note().contains("Yama ptrace_scope is 2"), without.note());
    }
}
