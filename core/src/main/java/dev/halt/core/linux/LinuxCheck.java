package dev.halt.core.linux;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.probe.PlatformFacts;
import dev.halt.core.probe.Probe;

import java.util.ArrayList;
import java.util.Map;

import static dev.halt.core.probe.Probe.Status.FAIL;
import static dev.halt.core.probe.Probe.Status.WARN;

/**
 * The Linux lines of {@code halt check}: every probe of {@link LinuxProbes}, the plan's facts read
 * from the same {@link LinuxFacts} a run reads, and the plan itself.
 */
final class LinuxCheck {
    private LinuxCheck() {}

    static BackendReport report(LinuxFacts facts, EnforcementPlan plan, Map<String, String> environment) {
        var credentials = Credentials.current(environment);
        var probes = new ArrayList<Probe>();
        var landlock = facts.landlock();
        int abi = landlock.version();
        probes.add(Probe.of("landlock", landlock.availability(), FAIL));
        var linux = new PlatformFacts.Linux(credentials.euid(), credentials.sudoUid(), credentials.capSysAdmin(),
            credentials.capNetAdmin(), abi);
        probes.add(Probe.of(linux.filesystemProbe(), LinuxProbes.landlockEnforcement(abi), FAIL));
        probes.add(Probe.of("landlock.tcp", facts.landlockTcp(), WARN));
        probes.add(Probe.of("landlock.scopes", LinuxProbes.landlockScopes(abi), WARN));
        probes.add(Probe.of("audit", LinuxProbes.audit(abi), WARN));
        probes.add(Probe.of("no_new_privs", LinuxProbes.noNewPrivs(), FAIL));
        // FAIL: every run installs it (a filter the kernel refuses stops the run, unless --best-effort).
        probes.add(Probe.of("seccomp", facts.seccomp(), FAIL));
        probes.add(supervisorLine(facts.supervisor()));
        probes.add(Probe.of(CheckReport.TETHER_PROBE, LinuxProbes.tether(), FAIL));
        probes.add(Probe.of("privileges", privileges(credentials), WARN));
        probes.add(netnsLine(credentials, facts));
        var mountns = LinuxProbes.mountNamespace();
        // With privileges halt run requires it (125 without --best-effort); rootless it cannot have one.
        probes.add(Probe.of(CheckReport.MOUNT_NAMESPACE_PROBE, credentials.mayMount() ? mountns
            : Availability.unavailable("rootless: no mount namespace (" + mountns.explanation() + "); the child shares"
                + " the host's mounts"), credentials.mayMount() ? FAIL : WARN));
        var notes = LinuxBackend.ownMountNamespace(credentials, abi) ? java.util.List.<Probe>of()
            : RootlessLimits.probes(LinuxBackend.metadataUnsupervised(credentials, facts::supervisor));
        return new BackendReport(linux, probes, notes, plan.network());
    }

    /**
     * The supervisor's line: its pieces, which the plan and every run read, and when they are
     * there its round trip with a throwaway child, which only check makes. A round trip that fails
     * while the pieces are there is a WARN that names both: runs use the supervisor.
     */
    private static Probe supervisorLine(Availability pieces) {
        if (!pieces.isAvailable()) return new Probe("seccomp.supervisor", pieces, WARN);
        var roundTrip = LinuxProbes.supervisorRoundTrip();
        if (roundTrip.isAvailable()) return new Probe("seccomp.supervisor", roundTrip, Probe.Status.OK);
        return new Probe("seccomp.supervisor", Availability.unavailable("its pieces are here (" + pieces.explanation()
            + "), so rootless runs use it, but its round trip with a throwaway child failed: " + roundTrip.explanation()), WARN);
    }

    /**
     * The namespace made for real. With privileges the plan names {@code netns} and a run would stop
     * (125) where the kernel refuses one: then FAIL; rootless a WARN, as runs do without.
     */
    private static Probe netnsLine(Credentials credentials, LinuxFacts facts) {
        var made = LinuxProbes.networkNamespace();
        boolean planned = credentials.mayManageNetworkNamespaces() && facts.networkNamespace().isAvailable();
        if (made.isAvailable() || !planned) return Probe.of("netns", made, WARN);
        return new Probe("netns", Availability.unavailable(made.explanation() + ": halt run uses a network namespace for"
            + " every isolated mode here (the plan's netns) and would stop (125)"), FAIL);
    }

    private static Availability privileges(Credentials c) {
        var who = "euid " + c.euid() + (c.sudoUid().isPresent() ? ", SUDO_UID " + c.sudoUid().getAsInt() : "")
            + ", CAP_SYS_ADMIN " + (c.capSysAdmin() ? "yes" : "no") + ", CAP_NET_ADMIN " + (c.capNetAdmin() ? "yes" : "no");
        return c.mayManageNetworkNamespaces()
            ? Availability.available(who + ": network namespaces allowed")
            : Availability.unavailable(who + ": rootless, network isolation uses Landlock TCP rules and seccomp");
    }
}
