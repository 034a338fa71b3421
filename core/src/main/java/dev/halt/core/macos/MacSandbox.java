package dev.halt.core.macos;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.launch.CommandPath;
import dev.halt.core.launch.JavaToolOptions;
import dev.halt.core.launch.LoopbackProxy;
import dev.halt.core.launch.OfflineEnvironment;
import dev.halt.core.launch.ProxyEnvironment;
import dev.halt.core.launch.RedirectPumps;
import dev.halt.core.launch.RunLog;
import dev.halt.core.policy.InvokingUser;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.macos.errno_h;
import dev.halt.ffm.macos.sandbox_h;
import dev.halt.ffm.macos.unistd_h;
import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyServer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A macOS launch (stage 1, in halt's JVM): resolves the grants and the command, starts the proxy
 * when the mode has one, builds the child's exact environment and the profile ({@link SbplProfile}),
 * starts the tether, then the second stage ({@link StageTwoLauncher}), which becomes the command.
 */
final class MacSandbox {
    private MacSandbox() {}

    private static final System.Logger LOG = System.getLogger("halt");

    static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options, EnforcementPlan plan)
            throws LaunchException {
        // Live control of a run's network (issue 17) is Linux's so far: refuse rather than run without what was asked.
        if (options.askTimeout() != null) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "--ask is not available on macOS yet. Nothing was run.");
        }
        if (!policy.hostPorts().isEmpty()) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "exposed host ports (--expose-host-port, host_ports) are not"
                + " available on macOS yet. Nothing was run.");
        }
        // Without the entry point nothing at all can be confined, files included: no mode, not even best effort.
        if (!sandbox_h.available()) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "this system has no Seatbelt (sandbox_init_with_parameters):"
                + " halt cannot confine the command. Nothing was run.");
        }
        var mechanism = plan.require(policy.networkMode(), options.bestEffort());
        LOG.log(Level.INFO, "network " + policy.networkMode().configName() + ": " + mechanism.id()
            + " (the enforcement plan's, as halt check shows it)");
        var host = options.hostEnvironment();
        var user = sudoUser(host);
        int childUid = user != null ? user.uid() : euid();
        var grants = MacGrants.resolve(policy, childUid);
        var resolved = grants.policy();

        var environment = resolved.env().resolve(host);
        environment.absent().forEach(name -> LOG.log(Level.INFO, "env " + name + ": not set in halt's environment, so the child does not get it"));
        if (!environment.dropped().isEmpty()) {
            LOG.log(Level.INFO, "env: dropped (not on the allowlist; --env NAME passes one): " + String.join(" ", environment.dropped()));
        }
        var workingDirectory = resolved.workingDirectory();
        var executable = CommandPath.resolve(command.getFirst(), environment.variables().get("PATH"), workingDirectory);
        CommandPath.requireExecutionGranted(executable, grants::executes);

        var protectedPaths = ProtectedPaths.scan(grants.writeRoots(), resolved.isolation());
        protectedPaths.notices().forEach(n -> LOG.log(Level.INFO, n));

        var runLog = RunLog.open(options.decisionLog());
        ProxyServer proxy = null;
        MacTether tether = null;
        RedirectPumps files = null;
        try {
            if (resolved.networkMode() == NetworkMode.PROXY_ONLY) {
                // On 127.0.0.1:P and [::1]:P: the profile allows localhost:P, which names both.
                proxy = LoopbackProxy.start(ProxyConfig.builder().policy(resolved.proxy()), runLog, LoopbackListeners::bind);
            }
            var proxyAddress = proxy == null ? null : proxy.proxyAddress();
            var childEnvironment = childEnvironment(environment.variables(), proxyAddress, resolved.networkMode(), user);

            var runId = ProcessHandle.current().pid() + "-" + Long.toString(System.nanoTime() & 0xffffff, 36);
            var macEnvironment = MacEnvironment.builder(System.getProperty("os.version"), Path.of(System.getProperty("java.home")))
                .files(grants.files())
                .readOnly(concat(protectedPaths.readOnly(), protectedPaths.absent()))
                .pinned(protectedPaths.pinned())
                .runId(runId);
            terminals().forEach(macEnvironment::terminal);
            if (proxyAddress != null) macEnvironment.proxyPort(proxyAddress.getPort());
            SbplProfile profile;
            try {
                profile = SbplProfile.generate(resolved, macEnvironment.build());
            } catch (IllegalArgumentException e) {
                throw new LaunchException(ExitStatus.HALT_FAILED, "cannot express the policy as a macOS sandbox profile: "
                    + e.getMessage() + ". Nothing was run.", e);
            }
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, "Seatbelt profile:\n" + profile.text());
                profile.parameters().forEach(p -> LOG.log(Level.DEBUG, "  (param \"" + p.getKey() + "\") = " + p.getValue()));
            }
            LOG.log(Level.INFO, "denials of this run: log show --last 10m --predicate 'eventMessage CONTAINS \"halt:" + runId + "\"'");

            tether = startTether(options.bestEffort());
            files = RedirectPumps.open(options);
            var argv = new ArrayList<>(command);
            var request = new StageTwoLauncher.Request(StageTwoCommand.ofThisJvm(), runDirectory(host, user != null), user,
                profile.text(), profile.flatParameters(), executable.toString(), argv, childEnvironment, workingDirectory,
                new StageTwoLauncher.Stdio(RedirectPumps.pipeIfFile(options.stdin()), RedirectPumps.pipeIfFile(options.stdout()),
                    RedirectPumps.pipeIfFile(options.stderr())));
            var watched = tether;
            Process process;
            try {
                process = StageTwoLauncher.start(request, pid -> {
                    if (watched != null) watched.watch(pid);
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LaunchException(ExitStatus.HALT_FAILED, "interrupted while the sandbox started. Nothing was run.", e);
            }
            return new MacProcess(process, files.pump(process), proxy, runLog, tether);
        } catch (LaunchException | RuntimeException e) {
            if (files != null) files.close();
            if (tether != null) tether.release();
            if (proxy != null) proxy.close();
            if (runLog != null) runLog.close();
            throw e;
        }
    }

    /**
     * The command's exact environment: the policy's variables, npm told not to retry where no name
     * resolves ({@link OfflineEnvironment}), the proxy's variables when the run has one,
     * {@code -Djava.net.preferIPv4Stack=true} in {@code JAVA_TOOL_OPTIONS} where the profile allows
     * {@code localhost} (a Java client otherwise connects to {@code ::ffff:127.0.0.1}, which
     * Seatbelt's {@code localhost} does not match), and under sudo the home and names of the user
     * who ran it.
     */
    static Map<String, String> childEnvironment(Map<String, String> variables, InetSocketAddress proxy, NetworkMode mode,
                                                SeatbeltExecArguments.User user) {
        var env = new LinkedHashMap<>(ProxyEnvironment.of(OfflineEnvironment.of(variables, mode), proxy));
        if (mode == NetworkMode.LOCALHOST_ONLY || mode == NetworkMode.PROXY_ONLY) {
            var option = "-Djava.net.preferIPv4Stack=true";
            var existing = env.get(JavaToolOptions.VARIABLE);
            if (existing == null || !existing.contains(option)) env.put(JavaToolOptions.VARIABLE, JavaToolOptions.with(existing, option));
        }
        if (user != null) {
            InvokingUser.account(user.uid()).ifPresent(a -> {
                env.put("HOME", a.home().toString());
                env.put("USER", a.name());
                env.put("LOGNAME", a.name());
            });
        }
        return env;
    }

    private static MacTether startTether(boolean bestEffort) throws LaunchException {
        try {
            var tether = MacTether.start();
            LOG.log(Level.INFO, "tether: process " + tether.pid() + " kills the command's process tree and groups if halt is killed");
            return tether;
        } catch (IOException e) {
            var what = "cannot start the tether (/bin/sh) that ends the run if halt is killed: " + e.getMessage();
            if (!bestEffort) {
                throw new LaunchException(ExitStatus.HALT_FAILED, what + ". Nothing was run (--best-effort runs without it and says so).", e);
            }
            LOG.log(Level.WARNING, "best effort: " + what + "; if halt is killed with SIGKILL, the run's processes survive it");
            return null;
        }
    }

    /** Under sudo (euid 0 with SUDO_UID and SUDO_GID), the user who ran it; else null. */
    static SeatbeltExecArguments.User sudoUser(Map<String, String> host) throws LaunchException {
        var uid = host.get("SUDO_UID");
        var gid = host.get("SUDO_GID");
        if (uid == null || gid == null || euid() != 0) return null;
        try {
            return new SeatbeltExecArguments.User(Integer.parseUnsignedInt(uid.strip()), Integer.parseUnsignedInt(gid.strip()));
        } catch (NumberFormatException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "halt runs under sudo, but SUDO_UID=" + uid + " SUDO_GID=" + gid
                + " are not ids. Nothing was run.");
        }
    }

    /** The terminal devices open on halt's descriptors 0-2 (a program may reopen its terminal by name). */
    static java.util.Set<Path> terminals() {
        var found = new java.util.LinkedHashSet<Path>();
        try (var arena = Arena.ofConfined()) {
            var errno = errno_h.allocate(arena);
            var name = arena.allocate(1024);
            for (int fd = 0; fd <= 2; fd++) {
                if (unistd_h.ttyname_r(errno, fd, name, name.byteSize()) == 0) found.add(Path.of(name.getString(0)));
            }
        }
        return found;
    }

    static int euid() {
        try (var arena = Arena.ofConfined()) {
            return unistd_h.geteuid(errno_h.allocate(arena));
        }
    }

    /**
     * halt's private run directory, where the status FIFO goes: {@code $XDG_STATE_HOME/halt/runs}
     * or {@code ~/.local/state/halt/runs} (which halt refuses to put under a write grant); under
     * sudo root's own, never a directory the user who ran it owns.
     */
    static Path runDirectory(Map<String, String> host, boolean sudo) {
        var home = Path.of(System.getProperty("user.home"));
        var state = host.get("XDG_STATE_HOME");
        if (!sudo && state != null && state.startsWith("/")) return Path.of(state, "halt", "runs");
        return home.resolve(".local/state/halt/runs");
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
