package dev.halt.core.linux;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxBackend;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.linux.control.UnixControlSocket;
import dev.halt.core.linux.fs.RunView;
import dev.halt.core.linux.launch.LinuxSandbox;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.Signals;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.EnforcementPlan;

import java.util.List;
import java.util.Map;

/**
 * The Linux backend: Landlock, seccomp, namespaces and halt's supervisor, applied by a jailer
 * thread of halt's JVM that restricts itself and starts the child ({@link LinuxSandbox}). Its
 * enforcement plan is decided by {@link LinuxPlan} from {@link LinuxFacts}, the probes a run and
 * {@code halt check} share.
 */
public final class LinuxBackend implements SandboxBackend {

    private final LinuxFacts facts;
    private final EnforcementPlan plan;

    /** The backend of this machine: its facts probed for real, when first asked. */
    public LinuxBackend() {
        this(LinuxFacts.probing());
    }

    /** A backend deciding from {@code facts}. */
    LinuxBackend(LinuxFacts facts) {
        this.facts = facts;
        this.plan = new EnforcementPlan(mode -> LinuxPlan.decide(mode, facts));
    }

    @Override
    public String os() { return "linux"; }

    @Override
    public EnforcementPlan plan() { return plan; }

    @Override
    public BackendReport check(Map<String, String> environment) {
        return LinuxCheck.report(facts, plan, environment);
    }

    @Override
    public SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options) throws LaunchException {
        return LinuxSandbox.launch(policy, command, options, facts, plan);
    }

    /**
     * What a launch of {@code policy} would grant the child, without launching: see {@link RunView}.
     *
     * @param environment halt's environment (SUDO_UID, HOME)
     * @throws LaunchException when a grant passes through a link the sandboxed side could have
     *                         planted, as {@code halt run} would refuse it
     */
    public RunView view(SandboxPolicy policy, Map<String, String> environment) throws LaunchException {
        return LinuxSandbox.view(policy, environment, facts.landlock());
    }

    @Override
    public void prepare() {
        Thread.ofPlatform().daemon(true).name("halt-prepare").start(LinuxSandbox::prepare);
    }

    @Override
    public void recoverKilledRuns(Map<String, String> environment) {
        LinuxSandbox.recoverKilledRuns(environment);
    }

    @Override
    public boolean controlSockets() {
        return true;
    }

    @Override
    public dev.halt.core.control.ControlListener listenForControl(java.nio.file.Path socket) throws java.io.IOException {
        return UnixControlSocket.listen(socket);
    }

    @Override
    public void becomeSubreaper() throws LaunchException {
        try {
            Prctl.setChildSubreaper();
        } catch (ErrnoException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot become the child subreaper: " + e.getMessage(), e);
        }
    }

    /** {@code exit_group(status)}, which returns only if the call could not be made. */
    @Override
    public void exitNow(int status) {
        try {
            Syscall.callRaw(Syscall.TABLE.exitGroup(), status, 0, 0, 0, 0, 0);
        } catch (RuntimeException | LinkageError e) {
            // The downcall could not be made: the JVM's exit is slower, not wrong.
        }
    }

    @Override
    public ProcessSignals signals() {
        return new ProcessSignals() {
            @Override
            public boolean send(long pid, int signal) { return Signals.sendToPid(pid, signal); }

            @Override
            public long processGroup(long pid) { return Signals.processGroup(pid); }

            @Override
            public boolean inForegroundOfTerminal() { return Signals.inForegroundOfTerminal(); }
        };
    }
}
