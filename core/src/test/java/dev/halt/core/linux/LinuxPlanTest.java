package dev.halt.core.linux;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.core.probe.Probe;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.function.Supplier;

import static dev.halt.core.policy.NetworkMode.*;
import static dev.halt.core.probe.Mechanism.*;
import static org.junit.jupiter.api.Assertions.*;

/** The Linux plan's decision per mode, from given facts. */
class LinuxPlanTest {

    private static final Availability YES = Availability.available("verified");
    private static final Availability NO = Availability.unavailable("refused");

    /** Facts with these probe results; root when {@code mayManage}, else uid 1000 without capabilities. */
    static LinuxFacts facts(boolean mayManage, Availability netns, Availability tcp, Availability seccomp, Availability supervisor) {
        return facts(mayManage, () -> netns, () -> tcp, () -> seccomp, () -> supervisor);
    }

    static LinuxFacts facts(boolean mayManage, Supplier<Availability> netns, Supplier<Availability> tcp,
                            Supplier<Availability> seccomp, Supplier<Availability> supervisor) {
        return new LinuxFacts(() -> new Credentials(mayManage ? 0 : 1000, 0, OptionalInt.empty(), OptionalInt.empty()),
            () -> new LinuxProbes.Abi(7, Availability.available("ABI 7")), netns, tcp, seccomp, supervisor);
    }

    private static NetworkSupport decide(LinuxFacts facts, NetworkMode mode) {
        return LinuxPlan.decide(mode, facts);
    }

    private static Mechanism mechanism(LinuxFacts facts, NetworkMode mode) {
        return ((NetworkSupport.Enforced) decide(facts, mode)).mechanism();
    }

    @Test
    void privilegedWithNamespacesUsesNetns() {
        var facts = facts(true, YES, YES, YES, NO);
        assertEquals(NONE, mechanism(facts, UNRESTRICTED));
        for (var m : new NetworkMode[] {LOCALHOST_ONLY, PROXY_ONLY, BLOCKED}) assertEquals(NETNS, mechanism(facts, m), m.configName());
    }

    @Test
    void rootlessFallsBackToLandlockAndSeccomp() {
        var facts = facts(false, NO, YES, YES, NO);
        assertEquals(LANDLOCK_TCP_SECCOMP, mechanism(facts, BLOCKED));
        assertTrue(decide(facts, LOCALHOST_ONLY).note().contains("cannot tell addresses apart"));
    }

    @Test
    void rootlessPortRulesAreAWarningThatSaysWhatIsOpen() {
        var rootless = facts(false, NO, YES, YES, NO);
        var proxy = decide(rootless, PROXY_ONLY);
        assertEquals(Probe.Status.WARN, proxy.status());
        assertTrue(proxy.note().contains("connect to that port on any address"), proxy.note());
        assertEquals(Probe.Status.WARN, decide(rootless, LOCALHOST_ONLY).status());
        assertEquals(Probe.Status.OK, decide(rootless, BLOCKED).status());
        assertEquals(Probe.Status.OK, decide(rootless, UNRESTRICTED).status());
        for (var m : NetworkSupport.MODES) assertEquals(Probe.Status.OK, decide(facts(true, YES, YES, YES, NO), m).status(), m.configName());
        assertEquals(Probe.Status.FAIL, decide(facts(false, NO, NO, YES, NO), PROXY_ONLY).status());
    }

    @Test
    void privilegedButNamespaceRefusedAlsoFallsBack() {
        assertEquals(LANDLOCK_TCP_SECCOMP, mechanism(facts(true, NO, YES, YES, NO), PROXY_ONLY));
    }

    @Test
    void nothingAvailableSaysWhy() {
        var blocked = decide(facts(false, NO, Availability.unavailable("Landlock ABI 3 has no TCP rules"), YES, NO), BLOCKED);
        assertInstanceOf(NetworkSupport.Unavailable.class, blocked);
        assertEquals("unavailable", blocked.mechanismId());
        assertTrue(blocked.note().contains("ABI 3"), blocked.note());
        var noSeccomp = decide(facts(false, NO, YES, Availability.unavailable("no seccomp here"), NO), PROXY_ONLY);
        assertInstanceOf(NetworkSupport.Unavailable.class, noSeccomp);
        assertTrue(noSeccomp.note().contains("no seccomp here"), noSeccomp.note());
        assertEquals(NONE, mechanism(facts(false, NO, NO, NO, NO), UNRESTRICTED));
    }

    @Test
    void rootlessWithTheSupervisorIsExactAndNoLongerAWarning() {
        var facts = facts(false, NO, YES, YES, YES);
        for (var m : new NetworkMode[] {LOCALHOST_ONLY, PROXY_ONLY, BLOCKED}) {
            assertEquals(LANDLOCK_TCP_SECCOMP_SUPERVISOR, mechanism(facts, m), m.configName());
            assertEquals(Probe.Status.OK, decide(facts, m).status(), m.configName());
            assertFalse(decide(facts, m).note().contains("any address"), decide(facts, m).note());
        }
        assertEquals("landlock-tcp+seccomp+supervisor", LANDLOCK_TCP_SECCOMP_SUPERVISOR.id());
        assertTrue(decide(facts, PROXY_ONLY).note().contains("proxy's address and port"), decide(facts, PROXY_ONLY).note());
        // With privileges the namespace wins; without the supervisor, the port rules and why.
        assertEquals(NETNS, mechanism(facts(true, YES, YES, YES, YES), PROXY_ONLY));
        var without = decide(facts(false, NO, YES, YES, Availability.unavailable("Yama ptrace_scope is 2")), PROXY_ONLY);
        assertEquals(LANDLOCK_TCP_SECCOMP, ((NetworkSupport.Enforced) without).mechanism());
        assertEquals(Probe.Status.WARN, without.status());
        assertTrue(without.note().contains("Yama ptrace_scope is 2"), without.note());
    }

    /** A run decides its own mode only: what that decision does not need is never probed. */
    @Test
    void aModeReadsOnlyTheFactsItNeeds() {
        Supplier<Availability> never = () -> fail("probed a fact this mode does not need");
        var unrestricted = new LinuxBackend(facts(true, never, never, never, never));
        assertEquals(NONE, ((NetworkSupport.Enforced) unrestricted.plan().support(UNRESTRICTED)).mechanism());
        var privileged = new LinuxBackend(facts(true, () -> YES, never, never, never));
        assertEquals(NETNS, ((NetworkSupport.Enforced) privileged.plan().support(PROXY_ONLY)).mechanism());
        var rootless = new LinuxBackend(facts(false, never, () -> YES, () -> YES, () -> YES));
        assertEquals(LANDLOCK_TCP_SECCOMP_SUPERVISOR, ((NetworkSupport.Enforced) rootless.plan().support(BLOCKED)).mechanism());
    }

    /** Each probe the plan reads runs once per backend, however often the plan or a run asks. */
    @Test
    void eachFactIsProbedOnce() {
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        Supplier<Availability> counted = () -> {
            calls.incrementAndGet();
            return YES;
        };
        var facts = facts(false, () -> NO, counted, () -> YES, () -> YES);
        var backend = new LinuxBackend(facts);
        backend.plan().network();
        backend.plan().network();
        facts.landlockTcp();
        assertEquals(1, calls.get());
    }
}
