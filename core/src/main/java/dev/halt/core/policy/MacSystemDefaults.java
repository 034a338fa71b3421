package dev.halt.core.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The grants every sandbox starts with on macOS, the counterpart of {@link SystemDefaults}'
 * Linux lists (git's user configuration and the CA files, {@link SystemDefaults#userGrants}, are
 * the same on both):
 *
 * <ul>
 *   <li>read (and execute): {@link #SYSTEM_DIRECTORIES}, with {@code /System} narrowed to what
 *       programs load: all of {@code /System} would hold every home directory under its
 *       {@code /System/Volumes/Data} spelling;</li>
 *   <li>read (and execute): {@link #DEVELOPER_TOOLS} (Homebrew, the Command Line Tools and Xcode,
 *       whose shims {@code /usr/bin/git} runs through {@code xcrun}, xcode-select's choice,
 *       Rosetta), every absolute directory on {@code PATH}, and {@code java.home} (halt's second
 *       stage runs in it until it becomes the command);</li>
 *   <li>read-write: {@link #DEVICES}, the working directory, {@link #TEMP_DIRECTORIES}, the
 *       canonical {@code $TMPDIR} and {@code DARWIN_USER_CACHE_DIR} (clang, swift and xcrun keep
 *       their caches there).</li>
 * </ul>
 *
 * {@link #LINUX_ONLY} entries are never granted here, even where such a path exists. Seatbelt
 * matches paths after links are resolved, so {@code /tmp}, {@code /var} and {@code /etc} are
 * granted in their {@code /private} form ({@link #privateForm}). Paths that do not exist are left
 * out silently, as on Linux.
 */
public final class MacSystemDefaults {
    private MacSystemDefaults() {
    }

    /** System directories granted read and execute when they exist. */
    public static final List<String> SYSTEM_DIRECTORIES = List.of(
            "/usr", "/bin", "/sbin", "/Library",
            // /System narrowed: frameworks, the dyld shared cache (in the cryptexes since macOS 13),
            // Catalyst's frameworks. Not /System/Volumes/Data, the data volume with every home.
            "/System/Library", "/System/Cryptexes", "/System/Volumes/Preboot/Cryptexes", "/System/iOSSupport",
            "/private/etc", "/private/var/db/timezone",
            // /etc/resolv.conf links here; resolvers that read it (Go's, c-ares) need it.
            "/private/var/run/resolv.conf");

    /** Developer tools granted read and execute when they exist. */
    public static final List<String> DEVELOPER_TOOLS = List.of(
            "/opt/homebrew", "/usr/local", "/Library/Developer/CommandLineTools",
            "/Applications/Xcode.app/Contents/Developer", "/private/var/select", "/Library/Apple/usr/libexec/oah");

    /** Devices and device directories granted read-write. */
    public static final List<String> DEVICES = List.of(
            "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/fd", "/dev/dtracehelper");

    /** Temporary directories granted read-write, besides {@code $TMPDIR} and {@code DARWIN_USER_CACHE_DIR}. */
    public static final List<String> TEMP_DIRECTORIES = List.of("/private/tmp", "/private/var/tmp");

    /**
     * Entries of the Linux lists that macOS leaves out: they do not exist there, or they exist and
     * mean something else ({@code /opt} beyond Homebrew's prefix is not a system directory).
     */
    public static final List<String> LINUX_ONLY = List.of(
            "/lib", "/lib32", "/lib64", "/libx32", "/opt", "/run/systemd/resolve", "/proc", "/sys",
            "/dev/full", "/dev/pts", "/dev/shm");

    /** The {@link ValueSource.Default#reason()} of the {@code DARWIN_USER_CACHE_DIR} grant. */
    public static final String USER_CACHE_DIR = "DARWIN_USER_CACHE_DIR";

    private static final List<String> LINKS_TO_PRIVATE = List.of("tmp", "var", "etc");

    /**
     * The default grants on macOS for a child started in {@code workingDirectory}.
     *
     * @param environment       halt's environment, for {@code PATH} and {@code TMPDIR}
     * @param javaHome          {@code java.home}
     * @param darwinUserTempDir {@code confstr(_CS_DARWIN_USER_TEMP_DIR)}, which the JDK reports as
     *                          {@code java.io.tmpdir} on macOS: the {@code $TMPDIR} launchd sets, used
     *                          when {@code TMPDIR} is unset, and where the user cache directory is found
     * @param exists            decides which candidates are kept (tests pass their own)
     */
    public static List<PathGrant> grants(Path workingDirectory, Map<String, String> environment, Path javaHome,
                                         Optional<Path> darwinUserTempDir, Predicate<Path> exists) {
        var grants = new ArrayList<PathGrant>();
        SystemDefaults.addAll(grants, SYSTEM_DIRECTORIES, PathAccess.READ, "system directory", exists);
        SystemDefaults.addAll(grants, DEVELOPER_TOOLS, PathAccess.READ, "developer tools", exists);
        var pathDirs = new LinkedHashSet<String>();
        var path = environment.get("PATH");
        if (path != null) {
            for (var entry : path.split(":")) {
                if (entry.startsWith("/")) pathDirs.add(privateForm(entry));
            }
        }
        SystemDefaults.addAll(grants, List.copyOf(pathDirs), PathAccess.READ, "directory on PATH", exists);
        SystemDefaults.add(grants, privateForm(javaHome), PathAccess.READ, "the JDK of halt's second stage", exists);
        SystemDefaults.addAll(grants, DEVICES, PathAccess.READ_WRITE, SystemDefaults.DEVICE, exists);
        SystemDefaults.add(grants, privateForm(workingDirectory), PathAccess.READ_WRITE, "working directory", exists);
        SystemDefaults.addAll(grants, TEMP_DIRECTORIES, PathAccess.READ_WRITE, SystemDefaults.TEMPORARY_DIRECTORY, exists);
        var tmpdir = environment.get("TMPDIR");
        var userTemp = tmpdir != null && tmpdir.startsWith("/") ? Optional.of(tmpdir) : darwinUserTempDir.map(Path::toString);
        userTemp.ifPresent(t -> SystemDefaults.addAll(grants, List.of(privateForm(t)), PathAccess.READ_WRITE, SystemDefaults.TMPDIR, exists));
        darwinUserTempDir.flatMap(MacSystemDefaults::userCacheDir).ifPresent(c ->
            SystemDefaults.add(grants, c, PathAccess.READ_WRITE, USER_CACHE_DIR, exists));
        return List.copyOf(grants);
    }

    /**
     * {@code DARWIN_USER_CACHE_DIR} from {@code DARWIN_USER_TEMP_DIR}: launchd makes both per user,
     * side by side, {@code /var/folders/XX/YYY/T} and {@code /var/folders/XX/YYY/C}. Empty when
     * {@code userTempDir} does not have that shape (a {@code java.io.tmpdir} set by hand).
     */
    public static Optional<Path> userCacheDir(Path userTempDir) {
        var temp = Path.of(privateForm(userTempDir.toString()));
        var folders = Path.of("/private/var/folders");
        if (temp.getNameCount() != folders.getNameCount() + 3 || !temp.startsWith(folders)
                || !temp.getFileName().toString().equals("T")) {
            return Optional.empty();
        }
        return Optional.of(temp.resolveSibling("C"));
    }

    /**
     * {@code path} (absolute) with {@code /tmp}, {@code /var} and {@code /etc}, links on macOS,
     * replaced by their targets under {@code /private}, and lexically normalised: the spelling
     * Seatbelt matches.
     */
    public static Path privateForm(Path path) {
        return Path.of(privateForm(path.toString()));
    }

    private static String privateForm(String path) {
        var normal = Path.of(path).normalize();
        for (var name : LINKS_TO_PRIVATE) {
            var link = Path.of("/", name);
            if (normal.startsWith(link)) {
                return Path.of("/private", name).resolve(link.relativize(normal)).toString();
            }
        }
        return normal.toString();
    }
}
