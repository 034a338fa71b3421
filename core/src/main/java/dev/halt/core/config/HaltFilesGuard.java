package dev.halt.core.config;

import dev.halt.core.policy.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Keeps halt's own files out of the sandbox's write grants. The global config file and the trust
 * store of project files decide what the next sandbox allows; a child that can write them can
 * widen every later run. The records of runs (in the state directory, {@code runs/}) name files
 * that the next halt writes, unsandboxed, when the run's halt was killed; a child that can write
 * them can have any file of the user's written. The control directory holds the tokens of the
 * runs' control sockets; a child that can read them can widen its own sandbox. So a write grant
 * that contains halt's config directory, its global config file, its trust store, its run records
 * (where this environment puts them, and at their default place) or its control directory is a
 * {@link ConfigError.WritableHaltConfig} and nothing runs.
 *
 * <p>Both the grant and the protected path are compared as written and with their symbolic links
 * resolved ({@code --write /data} when {@code ~/.config} links to {@code /data/cfg}). A protected
 * path that does not exist yet counts all the same: a child could create it.
 *
 * <p>One exception: halt's own shared temporary defaults ({@code /tmp}, {@code $TMPDIR},
 * {@code /dev/shm}) are not the user's choice and cannot be narrowed, so a config directory
 * under one of them (in practice, a test's {@code XDG_CONFIG_HOME}) gets a
 * {@link ConfigWarning.WritableConfigDirectory} instead, run records under one make the launch
 * keep no record of the run, and a control directory under one makes it run without a control
 * socket.
 */
final class HaltFilesGuard {
    private final ConfigLocations locations;
    private final List<Protected> protectedPaths;

    /**
     * @param config   whether it is config (a default grant over it is a warning), not run records
     * @param variable the environment variable that moves it
     */
    private record Protected(String what, Path path, Path real, boolean config, String variable, String consequence) {
    }

    private static final String REWRITES_CONFIG = "the agent could rewrite its next sandbox (the global config, or the"
            + " trust store of project configs)";
    private static final String PLANTS_RECORDS = "the agent could plant a record of a killed run there, and the next"
            + " halt would write the files it names, anywhere in your home";
    private static final String READS_TOKENS = "the agent could read the tokens of the runs' control sockets there and"
            + " widen its own sandbox (halt allow)";

    HaltFilesGuard(ConfigLocations locations) {
        this.locations = locations;
        var records = new java.util.ArrayList<>(List.of(
                protect("halt's config directory", locations.globalDirectory(), true, "XDG_CONFIG_HOME", REWRITES_CONFIG),
                protect("halt's global config file", locations.globalFile(), true, "XDG_CONFIG_HOME", REWRITES_CONFIG),
                protect("halt's trust store", locations.trustFile(), true, "XDG_CONFIG_HOME", REWRITES_CONFIG),
                protect("halt's run records", locations.runRecords(), false, "XDG_STATE_HOME", PLANTS_RECORDS),
                protect("halt's control directory", locations.controlDirectory(), false, "XDG_RUNTIME_DIR", READS_TOKENS)));
        // Also the default place: a later halt without this XDG_STATE_HOME reads its records there.
        var usual = ConfigLocations.defaultStateDirectory(locations.home()).resolve("runs");
        if (!usual.equals(locations.runRecords())) {
            records.add(protect("halt's run records", usual, false, "XDG_STATE_HOME", PLANTS_RECORDS));
        }
        this.protectedPaths = List.copyOf(records);
    }

    private static Protected protect(String what, Path path, boolean config, String variable, String consequence) {
        return new Protected(what, path, realOfNearestExisting(path), config, variable, consequence);
    }

    /**
     * Checks one write grant: an error or a warning when it contains a protected path, else
     * nothing.
     */
    void check(Path grant, ValueSource source, List<ConfigError> errors, List<ConfigWarning> warnings) {
        var exposed = exposedBy(grant);
        if (exposed.isEmpty()) {
            return;
        }
        if (source instanceof ValueSource.Default && !grant.equals(locations.workingDirectory())) {
            // Run records or the control directory under such a default: the launch keeps no record of
            // the run, or has no control socket, and says so.
            if (exposed.get().config()) {
                warnings.add(new ConfigWarning.WritableConfigDirectory(grant, locations.globalDirectory(), source));
            }
            return;
        }
        var variable = exposed.get().variable();
        var remedy = grant.equals(locations.workingDirectory())
                ? "The working directory is always writable: run halt from the project's own directory,"
                        + " or set " + variable + " to a directory outside it"
                : "Grant something narrower that leaves it out, such as the project directory or only the"
                        + " subdirectories the program needs" + (exposed.get().config() ? "" : ", or set " + variable
                        + " to a directory outside the grant");
        errors.add(new ConfigError.WritableHaltConfig(grant, exposed.get().what(), exposed.get().path(), source,
                exposed.get().consequence(), remedy));
    }

    /** The first protected path that {@code grant} contains, lexically or after resolving links. */
    private Optional<Protected> exposedBy(Path grant) {
        var real = realOfNearestExisting(grant);
        for (var p : protectedPaths) {
            if (p.path().startsWith(grant) || p.real().startsWith(real)
                    || p.path().startsWith(real) || p.real().startsWith(grant)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code path} with the links of its longest existing prefix resolved and the rest appended;
     * the normalised path itself when nothing of it can be resolved.
     */
    static Path realOfNearestExisting(Path path) {
        var absolute = path.toAbsolutePath().normalize();
        for (var existing = absolute; existing != null; existing = existing.getParent()) {
            if (Files.exists(existing)) {
                try {
                    return existing.toRealPath().resolve(existing.relativize(absolute));
                } catch (IOException | SecurityException e) {
                    return absolute;
                }
            }
        }
        return absolute;
    }
}
