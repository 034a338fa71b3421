package dev.halt.core.policy;

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
 * <ul>
 *   <li>read (and execute): the system directories {@link #SYSTEM_DIRECTORIES} that exist
 *       ({@code /usr}, {@code /bin}, {@code /sbin}, {@code /lib*}, {@code /etc}, {@code /opt},
 *       the macOS ones), {@code /run/systemd/resolve} (where {@code /etc/resolv.conf} usually
 *       points), {@code /proc} and {@code /sys};</li>
 *   <li>read (and execute): every absolute directory on {@code PATH} (relative entries such as
 *       {@code .} are skipped: they would grant whatever directory the child stands in);</li>
 *   <li>read-write: {@link #DEVICES} ({@code /dev/null}, {@code /dev/zero}, {@code /dev/full},
 *       {@code /dev/random}, {@code /dev/urandom}, {@code /dev/tty}, {@code /dev/ptmx},
 *       {@code /dev/pts}, {@code /dev/shm});</li>
 *   <li>read-write: the working directory, {@code /tmp}, {@code /var/tmp} and {@code $TMPDIR}
 *       (a backend may give the child a private directory instead, see {@link Isolation#sharedTmp()});</li>
 *   <li>nothing in the home directory except what {@code PATH} names: it stays closed.</li>
 * </ul>
 *
 * Paths that do not exist are left out silently (a default is not the user's mistake).
 */
public final class SystemDefaults {
    private SystemDefaults() {
    }

    /** System directories granted read and execute when they exist. */
    public static final List<String> SYSTEM_DIRECTORIES = List.of(
            "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/opt",
            "/run/systemd/resolve",
            // macOS
            "/System", "/Library", "/private/etc", "/private/var/db/timezone");

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

    /**
     * The default grants for a child started in {@code workingDirectory}, checking existence on
     * the real filesystem.
     *
     * @param environment halt's environment, for {@code PATH} and {@code TMPDIR}
     */
    public static List<PathGrant> grants(Path workingDirectory, Map<String, String> environment) {
        return grants(workingDirectory, environment, Files::exists);
    }

    /**
     * The default grants, with {@code exists} deciding which candidates are kept (tests pass
     * their own).
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

    private static void addAll(List<PathGrant> grants, List<String> paths, PathAccess access, String reason,
                               Predicate<Path> exists) {
        for (var p : paths) {
            try {
                add(grants, Path.of(p), access, reason, exists);
            } catch (InvalidPathException e) {
                // a PATH entry the platform cannot even name grants nothing
            }
        }
    }

    private static void add(List<PathGrant> grants, Path path, PathAccess access, String reason, Predicate<Path> exists) {
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
