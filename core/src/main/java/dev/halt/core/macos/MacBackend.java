package dev.halt.core.macos;

import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxBackend;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.policy.MacSystemDefaults;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.ffm.macos.errno_h;
import dev.halt.ffm.macos.sandbox_h;
import dev.halt.ffm.macos.unistd_h;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The macOS backend: Seatbelt, which confines a whole process for good, so halt's JVM (the proxy,
 * the supervisor of the run) starts a second stage of its own per command ({@link SeatbeltExec})
 * that applies the profile ({@link SbplProfile}) and becomes the command; see {@link MacSandbox}.
 * Every network mode is enforced by the profile's network rules ({@link Mechanism#SEATBELT}).
 * macOS has no child subreaper: what leaves the command's process tree and groups before halt
 * sees it survives the run ({@code halt check} says so).
 */
public final class MacBackend implements SandboxBackend {

    private final EnforcementPlan plan = new EnforcementPlan(MacBackend::decide);

    @Override
    public String os() { return "macos"; }

    /** {@link MacSystemDefaults#grants}: the system, the JDK and the temporary directories as macOS has them. */
    @Override
    public List<PathGrant> defaultGrants(Path workingDirectory, Map<String, String> environment) {
        return MacSystemDefaults.grants(workingDirectory, environment, Path.of(System.getProperty("java.home")),
            Optional.ofNullable(System.getProperty("java.io.tmpdir")).map(Path::of), Files::exists);
    }

    @Override
    public EnforcementPlan plan() { return plan; }

    /**
     * How a mode is enforced: by the profile's rules wherever Seatbelt's entry point exists. The
     * lookup links nothing; whether the rules hold on this Mac is what {@code halt check}'s
     * {@code seatbelt} and {@code seatbelt.network} probes verify, and every run's profile that
     * does not compile stops the run (125).
     */
    static NetworkSupport decide(NetworkMode mode) {
        if (mode == NetworkMode.UNRESTRICTED) {
            return new NetworkSupport.Enforced(mode, Mechanism.NONE, "no network restriction (unix sockets but name lookups"
                + " closed unless allow_unix_sockets)", false);
        }
        if (!sandbox_h.available()) {
            return new NetworkSupport.Unavailable(mode, "this macOS has no sandbox_init_with_parameters, through which halt"
                + " applies its Seatbelt profile");
        }
        return new NetworkSupport.Enforced(mode, Mechanism.SEATBELT, switch (mode) {
            case LOCALHOST_ONLY -> "TCP only to localhost on localhost_ports, which are the host's loopback ports: Seatbelt"
                + " cannot tell the command's own servers from the host's; binds on localhost with allow_local_binding;"
                + " no name lookups";
            case PROXY_ONLY -> "TCP only to halt's proxy on localhost (127.0.0.1 and ::1, one port); no name lookups: clients"
                + " name hosts to the proxy (HTTP(S)_PROXY, ALL_PROXY=socks5h://); no transparent mode on macOS";
            default -> "no network at all (deny network*), no name lookups";
        }, false);
    }

    @Override
    public BackendReport check(Map<String, String> environment) {
        return MacCheck.report(plan, environment);
    }

    @Override
    public SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options) throws LaunchException {
        return MacSandbox.launch(policy, command, options, plan);
    }

    // prepare, recoverKilledRuns, becomeSubreaper: the interface's, which do nothing. A macOS run
    // leaves no record (its tether kills what it left), and macOS has no child subreaper (halt check
    // says what that leaves).

    /** {@code _exit(status)}: every thread at once, without the JVM's wait for threads in native code. */
    @Override
    public void exitNow(int status) {
        try (var arena = Arena.ofConfined()) {
            unistd_h._exit(errno_h.allocate(arena), status);
        } catch (RuntimeException | LinkageError e) {
            // The call could not be made: the JVM's exit is slower, not wrong.
        }
    }

    @Override
    public ProcessSignals signals() {
        return MacSignals.INSTANCE;
    }
}
