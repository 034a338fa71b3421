package dev.halt.core;

import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.core.probe.PlatformFacts;
import dev.halt.core.probe.Probe;

import java.util.List;
import java.util.Map;

/**
 * The backend of a platform halt cannot sandbox on: {@code halt run} refuses (125, nothing run),
 * {@code halt check} says why in one FAIL line and a plan with every isolated mode unavailable.
 * The process-wide parts (exit, signals) work as the JDK can do them.
 */
final class UnsupportedBackend implements SandboxBackend {

    private final String os;
    private final String why;
    private final EnforcementPlan plan;

    /**
     * @param os  the platform's name in output
     * @param why what is missing, in words a person can act on
     */
    UnsupportedBackend(String os, String why) {
        this.os = os;
        this.why = why;
        this.plan = new EnforcementPlan(mode -> mode == NetworkMode.UNRESTRICTED
            ? new NetworkSupport.Enforced(mode, Mechanism.NONE, "no network restriction", false)
            : new NetworkSupport.Unavailable(mode, why));
    }

    /** What {@code halt run} says here. */
    String refusal() {
        return "halt run cannot sandbox a command on " + os + ": " + why + ". Nothing was run.";
    }

    @Override
    public String os() { return os; }

    @Override
    public EnforcementPlan plan() { return plan; }

    @Override
    public BackendReport check(Map<String, String> environment) {
        var facts = new PlatformFacts.Unsupported(why);
        var probes = List.of(new Probe(facts.filesystemProbe(), Availability.unavailable(why), Probe.Status.FAIL));
        return new BackendReport(facts, probes, List.of(), plan.network());
    }

    @Override
    public SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options) throws LaunchException {
        throw new LaunchException(ExitStatus.HALT_FAILED, refusal());
    }

    @Override
    public void exitNow(int status) {}

    @Override
    public ProcessSignals signals() {
        return new ProcessSignals() {
            @Override
            public boolean send(long pid, int signal) {
                // The JDK can send SIGTERM and SIGKILL only.
                var handle = ProcessHandle.of(pid);
                if (handle.isEmpty()) return false;
                return signal == 9 ? handle.get().destroyForcibly() : handle.get().destroy();
            }

            @Override
            public long processGroup(long pid) { return -1; }

            @Override
            public boolean inForegroundOfTerminal() { return false; }
        };
    }
}
