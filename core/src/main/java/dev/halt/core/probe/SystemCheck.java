package dev.halt.core.probe;

import dev.halt.core.SandboxBackend;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ConfigScope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.halt.core.probe.Probe.Status.FAIL;

/**
 * The feature probe behind {@code halt check}: the platform backend's probes and enforcement plan,
 * and the config files {@code halt run} would read.
 */
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
     * Runs every probe of this platform's backend ({@link SandboxBackend#check}), with the plan
     * {@code halt run} uses, and checks the config files.
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
        var found = SandboxBackend.current().check(env);
        var probes = new ArrayList<>(found.probes());
        for (var file : configFiles) probes.add(configProbe(file));
        probes.addAll(found.notes());
        return new CheckReport(haltVersion, platform, found.facts(), probes, found.network(), configFiles);
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
}
