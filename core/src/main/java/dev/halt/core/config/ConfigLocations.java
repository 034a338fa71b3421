package dev.halt.core.config;

import dev.halt.core.policy.InvokingUser;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where halt looks for its files. Injectable so tests never touch the real user's
 * {@code ~/.config}.
 *
 * @param home             the user's home directory, for {@code ~} expansion (under sudo, the home
 *                         of the user who ran it: {@link InvokingUser})
 * @param workingDirectory the directory halt runs in: holds the project file and is what
 *                         relative paths in every config source are resolved against
 * @param globalDirectory  {@code $XDG_CONFIG_HOME/halt} when {@code XDG_CONFIG_HOME} is set to
 *                         an absolute path, otherwise {@code ~/.config/halt}, on every OS
 * @param stateDirectory   {@code $XDG_STATE_HOME/halt} when {@code XDG_STATE_HOME} is set to an
 *                         absolute path, otherwise {@code ~/.local/state/halt}: where the Linux
 *                         backend keeps its records of runs ({@link #runRecords()})
 * @param controlDirectory where the runs' control sockets and their tokens are
 *                         ({@link dev.halt.core.control.ControlDirectory#locate})
 */
public record ConfigLocations(Path home, Path workingDirectory, Path globalDirectory, Path stateDirectory,
                              Path controlDirectory) {

    /** File name of the global and the project config. */
    public static final String FILE_NAME = "halt.toml";
    /** Directory of the project config, inside the working directory. */
    public static final String PROJECT_DIRECTORY = ".halt";
    /** File name of the trust store, in the global directory. */
    public static final String TRUST_FILE_NAME = "trusted.toml";

    public ConfigLocations {
        home = absolute(home, "home");
        workingDirectory = absolute(workingDirectory, "workingDirectory");
        globalDirectory = absolute(globalDirectory, "globalDirectory");
        stateDirectory = absolute(stateDirectory, "stateDirectory");
        controlDirectory = absolute(controlDirectory, "controlDirectory");
    }

    /** Locations with the default state directory, {@code ~/.local/state/halt}, and this process's control directory. */
    public ConfigLocations(Path home, Path workingDirectory, Path globalDirectory) {
        this(home, workingDirectory, globalDirectory, defaultStateDirectory(home),
            dev.halt.core.control.ControlDirectory.locate(Map.of()));
    }

    /**
     * Locations for a user with {@code home}, running in {@code workingDirectory}, whose
     * environment is {@code environment} (only {@code XDG_CONFIG_HOME}, {@code XDG_STATE_HOME} and
     * {@code XDG_RUNTIME_DIR} are read; the XDG spec says a relative value is to be ignored).
     */
    public static ConfigLocations of(Path home, Path workingDirectory, Map<String, String> environment) {
        var xdg = environment.get("XDG_CONFIG_HOME");
        var base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : home.resolve(".config");
        var xdgState = environment.get("XDG_STATE_HOME");
        var state = xdgState != null && !xdgState.isEmpty() && Path.of(xdgState).isAbsolute()
                ? Path.of(xdgState).resolve("halt")
                : defaultStateDirectory(home);
        return new ConfigLocations(home, workingDirectory, base.resolve("halt"), state,
                dev.halt.core.control.ControlDirectory.locate(environment));
    }

    /** {@code ~/.local/state/halt}: the state directory without {@code XDG_STATE_HOME}. */
    public static Path defaultStateDirectory(Path home) {
        return home.resolve(".local").resolve("state").resolve("halt");
    }

    /**
     * The records of runs without a mount namespace ({@code runs/} in the state directory): the
     * next halt repairs files from them, so no sandbox may write them.
     */
    public Path runRecords() {
        return stateDirectory.resolve("runs");
    }

    /**
     * Locations of this process: the home of the user halt acts for ({@link InvokingUser#current()}:
     * under sudo the user who ran it, else {@code user.home}), {@code user.dir} and
     * {@link System#getenv()}.
     *
     * @throws IllegalStateException under sudo, when the password database does not know the user
     */
    public static ConfigLocations ofCurrentProcess() {
        return of(InvokingUser.current().home(), Path.of(System.getProperty("user.dir")), System.getenv());
    }

    /** The global config file. */
    public Path globalFile() {
        return globalDirectory.resolve(FILE_NAME);
    }

    /** The project config file. */
    public Path projectFile() {
        return workingDirectory.resolve(PROJECT_DIRECTORY).resolve(FILE_NAME);
    }

    /** The trust store of project files. */
    public Path trustFile() {
        return globalDirectory.resolve(TRUST_FILE_NAME);
    }

    /** The config file of {@code scope} ({@link ConfigScope#GLOBAL} or {@link ConfigScope#PROJECT}). */
    public Path file(ConfigScope scope) {
        return switch (scope) {
            case GLOBAL -> globalFile();
            case PROJECT -> projectFile();
            default -> throw new IllegalArgumentException(scope + " has no fixed file");
        };
    }

    private static Path absolute(Path p, String what) {
        Objects.requireNonNull(p, what);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(what + " must be absolute, got \"" + p + '"');
        }
        return p.normalize();
    }
}
