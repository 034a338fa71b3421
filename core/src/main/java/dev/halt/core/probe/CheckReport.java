package dev.halt.core.probe;

import dev.halt.core.json.JsonWriter;

import java.util.List;

/**
 * Everything {@code halt check} found. {@link #ok()} holds when no line is FAIL. {@link #toJson()}
 * is the documented schema of {@code halt check --json} (see the README).
 *
 * @param haltVersion   halt's version
 * @param platform      machine and JVM
 * @param facts         the platform sandbox's own facts (Linux: privileges, the Landlock ABI)
 * @param probes        one entry per probe, in output order
 * @param network       the enforcement plan: one entry per network mode
 * @param configFiles   the global and project config files
 */
public record CheckReport(String haltVersion, Platform platform, PlatformFacts facts,
                          List<Probe> probes, List<NetworkSupport> network, List<ConfigFileStatus> configFiles) {

    /** The probe of the process that ends a run whose halt was killed; {@code halt run} needs it. */
    public static final String TETHER_PROBE = "tether";
    /** The probe of a run's own mount namespace (Linux); {@code halt run} needs it with privileges. */
    public static final String MOUNT_NAMESPACE_PROBE = "mountns";

    public CheckReport {
        probes = List.copyOf(probes);
        network = List.copyOf(network);
        configFiles = List.copyOf(configFiles);
    }

    /** Whether the filesystem layer was verified to be enforced ({@link PlatformFacts#filesystemProbe()} passed). */
    public boolean filesystemEnforced() {
        return probes.stream().anyMatch(p -> p.name().equals(facts.filesystemProbe()) && p.availability().isAvailable());
    }

    /** Whether a run's tether could be started. */
    public boolean tetherAvailable() {
        return probes.stream().anyMatch(p -> p.name().equals(TETHER_PROBE) && p.availability().isAvailable());
    }

    /**
     * No line is FAIL: nothing makes {@code halt run} refuse here (see {@link Probe.Status}), so
     * the filesystem layer, the tether, every network mode and, with privileges, the run's own
     * mount namespace are there, and the config files are valid and trusted. {@code halt check}
     * exits 0 exactly then.
     */
    public boolean ok() {
        return failures().isEmpty();
    }

    /** What makes {@code halt run} refuse here, one phrase per FAIL line, in output order. */
    public List<String> failures() {
        var failures = new java.util.ArrayList<String>();
        for (var probe : probes) {
            if (probe.status() != Probe.Status.FAIL) continue;
            var name = probe.name();
            failures.add(name.equals(facts.filesystemProbe()) ? "the filesystem layer (" + name + ") cannot be enforced"
                : name.equals(TETHER_PROBE) ? "the tether that ends a run if halt is killed cannot start"
                : name.equals(MOUNT_NAMESPACE_PROBE) ? "the run's own mount namespace (mountns) cannot be built"
                : name.startsWith("config.") ? name + " cannot be used (its line says why)"
                : name + " (its line says why)");
        }
        network.stream().filter(n -> n.status() == Probe.Status.FAIL)
            .forEach(n -> failures.add("network mode " + n.mode().configName() + " cannot be enforced"));
        return List.copyOf(failures);
    }

    /** Whether any line, of a probe or of a network mode, is WARN. */
    public boolean anyWarning() {
        return probes.stream().anyMatch(p -> p.status() == Probe.Status.WARN)
            || network.stream().anyMatch(n -> n.status() == Probe.Status.WARN);
    }

    /** The report as one JSON object. */
    public String toJson() {
        var json = new JsonWriter().beginObject();
        json.name("halt_version").value(haltVersion);
        json.name("ok").value(ok());
        json.name("filesystem_enforced").value(filesystemEnforced());
        json.name("platform").beginObject()
            .name("os").value(platform.os())
            .name("arch").value(platform.arch())
            .name("kernel").value(platform.kernel())
            .name("jdk_version").value(platform.jdkVersion())
            .name("jdk_vendor").value(platform.jdkVendor())
            .name("java_home").value(platform.javaHome())
            .name("macos_version").value(facts instanceof PlatformFacts.Mac mac ? mac.macosVersion() : null)
            .endObject();
        facts.writeJson(json);
        json.name("probes").beginArray();
        for (var probe : probes) {
            json.beginObject()
                .name("name").value(probe.name())
                .name("status").value(probe.status().name().toLowerCase())
                .name("available").value(probe.availability().isAvailable())
                .name("detail").value(probe.availability().explanation())
                .endObject();
        }
        json.endArray();
        json.name("network_modes").beginObject();
        for (var mode : network) {
            json.name(mode.mode().configName()).beginObject()
                .name("mechanism").value(mode.mechanismId())
                .name("status").value(mode.status().name().toLowerCase())
                .name("note").value(mode.note())
                .endObject();
        }
        json.endObject();
        json.name("config_files").beginArray();
        for (var file : configFiles) {
            json.beginObject()
                .name("scope").value(file.scope())
                .name("path").value(file.path().toString())
                .name("exists").value(file.exists())
                .name("parses").value(file.parses())
                .name("error").value(file.error())
                .name("trust").value(file.trust())
                .endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }
}
