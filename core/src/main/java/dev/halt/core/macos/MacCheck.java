package dev.halt.core.macos;

import dev.halt.core.launch.TetherProcess;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.probe.PlatformFacts;
import dev.halt.core.probe.Probe;
import dev.halt.ffm.macos.sandbox_h;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static dev.halt.core.probe.Probe.Status.FAIL;
import static dev.halt.core.probe.Probe.Status.WARN;

/**
 * {@code halt check} on macOS: Seatbelt applied for real by a throwaway second stage (files, then
 * network), whether halt itself is sandboxed already, the tether, and the note that macOS has no
 * child subreaper.
 */
final class MacCheck {
    private MacCheck() {}

    static BackendReport report(EnforcementPlan plan, Map<String, String> environment) {
        int euid = MacSandbox.euid();
        var sudoUid = OptionalInt.empty();
        try {
            var user = MacSandbox.sudoUser(environment);
            if (user != null) sudoUid = OptionalInt.of(user.uid());
        } catch (dev.halt.core.LaunchException e) {
            // Reported by the run itself; check shows the rest.
        }
        var facts = new PlatformFacts.Mac(euid, sudoUid, System.getProperty("os.version"));
        var probes = new ArrayList<Probe>();
        var nested = nested();
        probes.add(Probe.of(MacProbes.SEATBELT_NESTED, nested, FAIL));
        if (!sandbox_h.available()) {
            var missing = Availability.unavailable("this macOS has no sandbox_init_with_parameters: halt cannot apply a profile");
            probes.add(Probe.of(MacProbes.SEATBELT, missing, FAIL));
            probes.add(Probe.of(MacProbes.SEATBELT_NETWORK, missing, FAIL));
        } else {
            var command = StageTwoCommand.ofThisJvm();
            var runs = MacSandbox.runDirectory(environment, !sudoUid.isEmpty());
            Path scratch = null;
            try {
                scratch = Files.createTempDirectory("halt-check-");
                probes.add(Probe.of(MacProbes.SEATBELT, MacProbes.seatbelt(command, runs, scratch), FAIL));
                probes.add(Probe.of(MacProbes.SEATBELT_NETWORK, MacProbes.network(command, runs, scratch), FAIL));
            } catch (IOException e) {
                var cannot = Availability.unavailable("cannot make a scratch directory for the probes: " + e.getMessage());
                probes.add(Probe.of(MacProbes.SEATBELT, cannot, FAIL));
                probes.add(Probe.of(MacProbes.SEATBELT_NETWORK, cannot, FAIL));
            } finally {
                if (scratch != null) delete(scratch);
            }
        }
        probes.add(Probe.of(CheckReport.TETHER_PROBE, TetherProcess.probe(MacTether::start, "the command's process tree and"
            + " its process groups die with it (no subreaper on macOS: see the subreaper line)"), FAIL));
        var notes = List.of(new Probe(MacProbes.SUBREAPER, Availability.unavailable("macOS has no child subreaper: a process that"
            + " leaves the command's process tree and process groups before halt sees it (a daemon that double-forks and"
            + " calls setsid within a second) survives the run"), WARN));
        return new BackendReport(facts, probes, notes, plan.network());
    }

    private static Availability nested() {
        try {
            return MacProbes.nested(sandbox_h.sandbox_check((int) ProcessHandle.current().pid(), MemorySegment.NULL,
                sandbox_h.SANDBOX_FILTER_NONE()));
        } catch (LinkageError e) {
            return Availability.unavailable("sandbox_check is missing: cannot tell whether halt itself is sandboxed");
        }
    }

    private static void delete(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            // A probe's scratch directory left in $TMPDIR is harmless.
        }
    }
}
