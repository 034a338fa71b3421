package dev.halt.core.probe;

import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ConfigScope;
import dev.halt.core.linux.Credentials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static dev.halt.core.probe.Probe.Status.FAIL;
import static dev.halt.core.probe.Probe.Status.WARN;

/** The feature probe behind {@code halt check}: tries every mechanism halt relies on. */
public final class SystemCheck {
    private SystemCheck() {}

    /** Under sudo, the home of the user who ran it, whose config {@code halt run} reads. */
    private static java.util.Optional<Path> sudoHome() {
        try {
            return dev.halt.core.policy.InvokingUser.current().sudo().map(dev.halt.core.policy.InvokingUser.Account::home);
        } catch (IllegalStateException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Runs every probe.
     *
     * @param env              the environment (HOME, XDG_CONFIG_HOME, SUDO_UID)
     * @param workingDirectory where the project config is looked for
     * @param haltVersion      reported as is
     */
    public static CheckReport run(Map<String, String> env, Path workingDirectory, String haltVersion) {
        var platform = Platform.current();
        var home = sudoHome().orElseGet(() -> Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
        var locations = ConfigLocations.of(home, workingDirectory, env);
        var configFiles = List.of(ConfigFileStatus.inspect(ConfigScope.GLOBAL, locations),
            ConfigFileStatus.inspect(ConfigScope.PROJECT, locations));
        if (!platform.os().equals("linux")) {
            return unsupported(platform, configFiles, haltVersion);
        }
        var credentials = Credentials.current(env);
        var probes = new ArrayList<Probe>();

        int[] abi = new int[1];
        var landlock = LinuxProbes.landlockAbi(abi);
        probes.add(Probe.of("landlock", landlock, FAIL));
        probes.add(Probe.of(CheckReport.FILESYSTEM_PROBE, LinuxProbes.landlockEnforcement(abi[0]), FAIL));
        var tcp = LinuxProbes.landlockTcp(abi[0]);
        probes.add(Probe.of("landlock.tcp", tcp, WARN));
        probes.add(Probe.of("landlock.scopes", LinuxProbes.landlockScopes(abi[0]), WARN));
        probes.add(Probe.of("audit", LinuxProbes.audit(abi[0]), WARN));
        var nnp = LinuxProbes.noNewPrivs();
        probes.add(Probe.of("no_new_privs", nnp, FAIL));
        var seccomp = LinuxProbes.seccompFilter();
        // FAIL: every run installs it (a filter the kernel refuses stops the run, unless --best-effort).
        probes.add(Probe.of("seccomp", seccomp, FAIL));
        var supervisor = LinuxProbes.supervisor();
        probes.add(Probe.of("seccomp.supervisor", supervisor, WARN));
        probes.add(Probe.of(CheckReport.TETHER_PROBE, LinuxProbes.tether(), FAIL));

        boolean mayManage = credentials.mayManageNetworkNamespaces();
        probes.add(Probe.of("privileges", privileges(credentials), WARN));
        var netns = LinuxProbes.networkNamespace();
        probes.add(Probe.of("netns", netns, WARN));
        var mountns = LinuxProbes.mountNamespace();
        // With privileges halt run requires it (125 without --best-effort); rootless it cannot have one.
        probes.add(Probe.of(CheckReport.MOUNT_NAMESPACE_PROBE, credentials.mayMount() ? mountns
            : Availability.unavailable("rootless: no mount namespace (" + mountns.explanation() + "); the child shares"
                + " the host's mounts"), credentials.mayMount() ? FAIL : WARN));

        for (var file : configFiles) probes.add(configProbe(file));
        if (!dev.halt.core.linux.LinuxSandbox.ownMountNamespace(credentials, abi[0])) {
            probes.addAll(RootlessLimits.probes(metadataUnsupervised(credentials, supervisor)));
        }

        var network = NetworkSupport.decide(mayManage, netns, tcp, seccomp, supervisor);
        return new CheckReport(haltVersion, platform, credentials.euid(), credentials.sudoUid(),
            credentials.capSysAdmin(), credentials.capNetAdmin(), abi[0], probes, network, configFiles);
    }

    /**
     * Null when a rootless run's supervisor decides metadata changes (as {@code LinuxSandbox} decides
     * it), else why not.
     */
    private static String metadataUnsupervised(Credentials credentials, Availability supervisor) {
        if (credentials.euid() == 0 || credentials.effectiveCaps() != 0) {
            return "halt has capabilities, which its supervisor's calls would lend the command";
        }
        return supervisor.isAvailable() ? null : "halt's supervisor cannot run here: see seccomp.supervisor";
    }

    private static Availability privileges(Credentials c) {
        var who = "euid " + c.euid() + (c.sudoUid().isPresent() ? ", SUDO_UID " + c.sudoUid().getAsInt() : "")
            + ", CAP_SYS_ADMIN " + (c.capSysAdmin() ? "yes" : "no") + ", CAP_NET_ADMIN " + (c.capNetAdmin() ? "yes" : "no");
        return c.mayManageNetworkNamespaces()
            ? Availability.available(who + ": network namespaces allowed")
            : Availability.unavailable(who + ": rootless, network isolation uses Landlock TCP rules and seccomp");
    }

    private static Probe configProbe(ConfigFileStatus file) {
        var name = "config." + file.scope();
        if (!file.exists()) return new Probe(name, Availability.available(file.path() + " (absent)"), Probe.Status.OK);
        if (file.error() != null) return new Probe(name, Availability.unavailable(file.error()), FAIL);
        if (file.trust() != null && !file.trust().equals("trusted")) {
            // FAIL, as halt run refuses it: check's exit status says whether run works here.
            return new Probe(name, Availability.unavailable(file.path() + " is valid but " + file.trust()
                + ": halt run refuses it until you review it and run 'halt config trust'"), FAIL);
        }
        return new Probe(name, Availability.available(file.path() + " is valid"
            + (file.trust() != null ? " and trusted" : "")), Probe.Status.OK);
    }

    private static CheckReport unsupported(Platform platform, List<ConfigFileStatus> configFiles, String haltVersion) {
        var why = platform.os().equals("macos")
            ? "the macOS backend (sandbox_init) is not built yet"
            : "halt supports Linux (and macOS later), not " + platform.os();
        var probes = List.of(new Probe(CheckReport.FILESYSTEM_PROBE, Availability.unavailable(why), FAIL));
        var network = NetworkSupport.MODES.stream()
            .map(m -> m.equals("unrestricted") ? new NetworkSupport(m, NetworkSupport.Mechanism.NONE, "no network restriction")
                : new NetworkSupport(m, NetworkSupport.Mechanism.UNAVAILABLE, why))
            .toList();
        return new CheckReport(haltVersion, platform, -1, OptionalInt.empty(), false, false, 0, probes, network, configFiles);
    }
}
