package dev.halt.core.policy;

import dev.halt.core.git.GitConfig;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The grants every sandbox starts with, enough for ordinary tools (a shell, coreutils, git,
 * python, node, java, curl) to run:
 *
 * <p>On Linux ({@link MacSystemDefaults} has macOS's lists):
 *
 * <ul>
 *   <li>read (and execute): the system directories {@link #SYSTEM_DIRECTORIES} that exist
 *       ({@code /usr}, {@code /bin}, {@code /sbin}, {@code /lib*}, {@code /etc}, {@code /opt}),
 *       {@code /run/systemd/resolve} (where {@code /etc/resolv.conf} usually
 *       points), {@code /proc} and {@code /sys};</li>
 *   <li>read (and execute): every absolute directory on {@code PATH} (relative entries such as
 *       {@code .} are skipped: they would grant whatever directory the child stands in);</li>
 *   <li>read-write: {@link #DEVICES} ({@code /dev/null}, {@code /dev/zero}, {@code /dev/full},
 *       {@code /dev/random}, {@code /dev/urandom}, {@code /dev/tty}, {@code /dev/ptmx},
 *       {@code /dev/pts}, {@code /dev/shm});</li>
 *   <li>read-write: the working directory, {@code /tmp}, {@code /var/tmp} and {@code $TMPDIR}
 *       (a backend may give the child a private directory instead, see {@link Isolation#sharedTmp()});</li>
 *   <li>read: git's user configuration ({@link #userGrants}): {@code ~/.gitconfig}, the files git
 *       reads in {@code $XDG_CONFIG_HOME/git/}, what they include, {@code core.excludesFile} and
 *       {@code core.attributesFile};</li>
 *   <li>read: the certificate files and directories the CA variables name
 *       ({@link EnvPolicy#CA_VARIABLES}), which the child gets too;</li>
 *   <li>nothing else in the home directory: it stays closed.</li>
 * </ul>
 *
 * Paths that do not exist are left out silently (a default is not the user's mistake). A default
 * never grants {@code /}, the home directory or a directory above it.
 */
public final class SystemDefaults {
    private SystemDefaults() {
    }

    /** System directories granted read and execute when they exist (Linux; macOS has {@link MacSystemDefaults}). */
    public static final List<String> SYSTEM_DIRECTORIES = List.of(
            "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
            "/run/systemd/resolve");

    /** Kernel views granted read. */
    public static final List<String> KERNEL_VIEWS = List.of("/proc", "/sys");

    /** Devices and device directories granted read-write. */
    public static final List<String> DEVICES = List.of(
            "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
            "/dev/ptmx", "/dev/pts", "/dev/shm");

    /** Temporary directories granted read-write, besides {@code $TMPDIR}. */
    public static final List<String> TEMP_DIRECTORIES = List.of("/tmp", "/var/tmp");

    /** The {@link ValueSource.Default#reason()} of the {@link #TEMP_DIRECTORIES} grants. */
    public static final String TEMPORARY_DIRECTORY = "temporary directory";
    /** The {@link ValueSource.Default#reason()} of the {@code $TMPDIR} grant. */
    public static final String TMPDIR = "$TMPDIR";
    /** The {@link ValueSource.Default#reason()} of the {@link #DEVICES} grants. */
    public static final String DEVICE = "device";

    /** The {@link ValueSource.Default#reason()} of the grants of git's user configuration. */
    public static final String GIT_CONFIGURATION = "git configuration";
    /** The files git reads in {@code $XDG_CONFIG_HOME/git/}; not {@code credentials}, git-credential-store's secrets. */
    public static final List<String> GIT_XDG_FILES = List.of("config", "ignore", "attributes");

    private static final System.Logger LOG = System.getLogger("halt");

    /**
     * The default grants for a child started in {@code workingDirectory}, checking existence on
     * the real filesystem, with {@link #userGrants} for the home of {@link InvokingUser#current()}.
     *
     * @param environment halt's environment, for {@code PATH}, {@code TMPDIR}, {@code HOME},
     *                    {@code XDG_CONFIG_HOME} and the CA variables
     * @throws IllegalStateException under sudo, when the password database does not know the user
     */
    public static List<PathGrant> grants(Path workingDirectory, Map<String, String> environment) {
        return grants(workingDirectory, InvokingUser.current().childHome(environment), environment);
    }

    /**
     * The default grants for a child started in {@code workingDirectory} whose {@code HOME} is
     * {@code home}: the platform's ({@link dev.halt.core.SandboxBackend#defaultGrants}: on Linux
     * {@link #grants(Path, Map, Predicate)} on the real filesystem, on macOS
     * {@link MacSystemDefaults#grants}), then {@link #userGrants}.
     */
    public static List<PathGrant> grants(Path workingDirectory, Path home, Map<String, String> environment) {
        var grants = new ArrayList<>(dev.halt.core.SandboxBackend.current().defaultGrants(workingDirectory, environment));
        grants.addAll(userGrants(home, environment, grants));
        return List.copyOf(grants);
    }

    /**
     * Read grants on what common tools need from the user's own files, so that they work in the
     * sandbox: git's user configuration and the CA certificates the environment names. Each is
     * left out when {@code earlier} grants already cover it for reading, and the reasons for
     * leaving one out are logged at INFO ({@code -v}).
     *
     * <ul>
     *   <li>{@code home/.gitconfig} and the files of {@link #GIT_XDG_FILES} in
     *       {@code $XDG_CONFIG_HOME/git/} (default {@code home/.config/git/}), with the files they
     *       include ({@code include.path}, {@code includeIf.*.path}), recursively: git refuses to
     *       run when one exists and cannot be read; then {@code core.excludesFile} and
     *       {@code core.attributesFile}. Regular files only: an include naming a directory
     *       ({@code ~}, say) is left out.</li>
     *   <li>{@link EnvPolicy#CA_VARIABLES}: the regular file each names; {@code SSL_CERT_DIR} names
     *       directories (separated by {@code :}). Relative paths are left out.</li>
     * </ul>
     *
     * @param home        the child's {@code HOME}, where git looks
     * @param environment halt's environment
     * @param earlier     the grants made before these
     */
    public static List<PathGrant> userGrants(Path home, Map<String, String> environment, List<PathGrant> earlier) {
        var grants = new ArrayList<PathGrant>();
        var candidates = new UserCandidates(home, earlier, grants);
        var xdg = environment.get("XDG_CONFIG_HOME");
        var xdgGit = (xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config")).resolve("git");
        for (var start : List.of(home.resolve(".gitconfig"), xdgGit.resolve("config"))) {
            var config = GitConfig.read(start, home);
            for (var file : config.files()) {
                var includer = config.includers().get(file);
                candidates.file(file, includer == null ? GIT_CONFIGURATION : GIT_CONFIGURATION + " (included by " + includer + ")");
            }
            for (var key : List.of("excludesfile", "attributesfile")) {
                config.last("core", key).ifPresent(value -> GitConfig.path(value, home, null).ifPresentOrElse(
                    p -> candidates.file(p, GIT_CONFIGURATION + " (core." + key.replace("file", "File") + ")"),
                    () -> LOG.log(System.Logger.Level.INFO, "git: core." + key + " = " + value + " in " + start
                        + " is not an absolute or ~/ path: not granted")));
            }
        }
        for (var name : GIT_XDG_FILES) {
            if (!name.equals("config")) candidates.file(xdgGit.resolve(name), GIT_CONFIGURATION);
        }
        for (var name : EnvPolicy.CA_VARIABLES) {
            var value = environment.get(name);
            if (value == null || value.isEmpty()) continue;
            if (name.equals("SSL_CERT_DIR")) {
                for (var dir : value.split(":")) {
                    if (!dir.isEmpty()) candidates.directory(dir, "$" + name);
                }
            } else {
                candidates.file(value, "$" + name);
            }
        }
        return List.copyOf(grants);
    }

    /** The checks a user-level default passes before it is granted read. */
    private record UserCandidates(Path home, List<PathGrant> earlier, List<PathGrant> grants) {

        void file(String value, String reason) {
            var path = absolute(value, reason);
            if (path == null) return;
            if (Files.exists(path)) {
                file(path, reason);
            } else {
                LOG.log(System.Logger.Level.INFO, reason + ": " + path + " does not exist: not granted");
            }
        }

        void file(Path path, String reason) {
            if (Files.isDirectory(path)) {
                LOG.log(System.Logger.Level.INFO, reason + ": " + path + " is a directory: not granted (a default"
                    + " grants a directory only through SSL_CERT_DIR)");
            } else if (Files.isRegularFile(path)) {
                add(path, reason);
            } else if (Files.exists(path)) {
                LOG.log(System.Logger.Level.INFO, reason + ": " + path + " is not a regular file: not granted");
            }
        }

        void directory(String value, String reason) {
            var path = absolute(value, reason);
            if (path == null || !Files.isDirectory(path)) return;
            // Through its links: a directory that is a link to / is /.
            var real = realPath(path);
            if (real.getParent() == null || realPath(home).startsWith(real) || home.startsWith(path)) {
                LOG.log(System.Logger.Level.INFO, reason + ": " + path + " is / or holds the home directory: not granted");
                return;
            }
            add(path, reason);
        }

        private static Path realPath(Path path) {
            try {
                return path.toRealPath();
            } catch (java.io.IOException e) {
                return path;
            }
        }

        private static Path absolute(String value, String reason) {
            try {
                var path = Path.of(value);
                if (path.isAbsolute()) return path.normalize();
            } catch (InvalidPathException e) {
                // reported below like any other path halt cannot use
            }
            LOG.log(System.Logger.Level.INFO, reason + ": " + value + " is not an absolute path: not granted");
            return null;
        }

        private void add(Path path, String reason) {
            var normal = path.toAbsolutePath().normalize();
            for (var list : List.of(earlier, grants)) {
                for (var g : list) {
                    if (normal.startsWith(g.path()) && g.access() == PathAccess.READ) return;
                    if (g.path().equals(normal)) return;
                }
            }
            grants.add(new PathGrant(normal, PathAccess.READ, new ValueSource.Default(reason)));
        }
    }

    /**
     * The default grants on Linux, with {@code exists} deciding which candidates are kept (tests
     * pass their own).
     */
    public static List<PathGrant> grants(Path workingDirectory, Map<String, String> environment, Predicate<Path> exists) {
        var grants = new ArrayList<PathGrant>();
        addAll(grants, SYSTEM_DIRECTORIES, PathAccess.READ, "system directory", exists);
        addAll(grants, KERNEL_VIEWS, PathAccess.READ, "kernel interface", exists);
        var pathDirs = new LinkedHashSet<String>();
        var path = environment.get("PATH");
        if (path != null) {
            for (var entry : path.split(":")) {
                if (entry.startsWith("/")) {
                    pathDirs.add(entry);
                }
            }
        }
        addAll(grants, List.copyOf(pathDirs), PathAccess.READ, "directory on PATH", exists);
        addAll(grants, DEVICES, PathAccess.READ_WRITE, DEVICE, exists);
        add(grants, workingDirectory, PathAccess.READ_WRITE, "working directory", exists);
        addAll(grants, TEMP_DIRECTORIES, PathAccess.READ_WRITE, TEMPORARY_DIRECTORY, exists);
        var tmpdir = environment.get("TMPDIR");
        if (tmpdir != null && tmpdir.startsWith("/")) {
            addAll(grants, List.of(tmpdir), PathAccess.READ_WRITE, TMPDIR, exists);
        }
        return List.copyOf(grants);
    }

    static void addAll(List<PathGrant> grants, List<String> paths, PathAccess access, String reason,
                               Predicate<Path> exists) {
        for (var p : paths) {
            try {
                add(grants, Path.of(p), access, reason, exists);
            } catch (InvalidPathException e) {
                // a PATH entry the platform cannot even name grants nothing
            }
        }
    }

    static void add(List<PathGrant> grants, Path path, PathAccess access, String reason, Predicate<Path> exists) {
        var normal = path.toAbsolutePath().normalize();
        if (!exists.test(normal)) {
            return;
        }
        for (var g : grants) {
            if (g.path().equals(normal) && g.access().includes(access)) {
                return;
            }
        }
        grants.add(new PathGrant(normal, access, new ValueSource.Default(reason)));
    }
}
