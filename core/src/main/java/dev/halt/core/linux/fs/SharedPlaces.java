package dev.halt.core.linux.fs;

import dev.halt.core.LaunchException;
import dev.halt.core.launch.JavaToolOptions;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static dev.halt.core.ExitStatus.HALT_FAILED;

/**
 * The places every program of the user shares -- the temporary directories, the terminals, POSIX
 * shared memory -- as a run without a mount namespace gets them. The default grants name the
 * host's own {@code /tmp}, {@code /var/tmp}, {@code $TMPDIR}, {@code /dev/pts} and
 * {@code /dev/shm}; without a namespace to put private ones in their place, halt grants less:
 *
 * <ul>
 *   <li>temporary directories: a private directory per run, {@code /tmp/halt-UID-RANDOM} (mode
 *       0700, not under {@code $XDG_RUNTIME_DIR}, a small tmpfs), set as {@code TMPDIR} and as
 *       {@code -Djava.io.tmpdir} (the JVM ignores {@code TMPDIR}), removed at exit; the host's
 *       are not granted unless {@code shared_tmp};</li>
 *   <li>terminals: only the {@code /dev/pts/N} halt's standard streams are on, not
 *       {@code /dev/pts} (the user's other terminals), unless {@code allow_new_ptys};</li>
 *   <li>{@code /dev/shm}: kept (POSIX shared memory and semaphores need it) and said to be
 *       shared, unless {@code shared_shm = false}.</li>
 * </ul>
 *
 * Only default grants are narrowed: a path the user granted stays granted.
 *
 * @param policy     the policy with those grants
 * @param privateTmp the run's temporary directory, or null when the host's are shared
 */
public record SharedPlaces(SandboxPolicy policy, Path privateTmp) {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final Path PTS = Path.of("/dev/pts");
    private static final Path SHM = Path.of("/dev/shm");
    private static final Path TMP = Path.of("/tmp");
    private static final int NAME_ATTEMPTS = 16;

    /** With a mount namespace of the run's own: the grants stay as they are. */
    public static SharedPlaces unchanged(SandboxPolicy policy) {
        return new SharedPlaces(policy, null);
    }

    /**
     * Narrows the default grants of {@code policy} and makes the private temporary directory.
     *
     * @param hostEnvironment halt's environment ({@code TMPDIR})
     * @param owner           under sudo, the uid and gid the child runs as, who must own the directory; else null
     * @param terminals       the terminals halt's standard streams are on ({@link #terminalsOfThisProcess})
     */
    public static SharedPlaces narrow(SandboxPolicy policy, Map<String, String> hostEnvironment, int uid, int[] owner,
                               List<Path> terminals) throws LaunchException {
        var isolation = policy.isolation();
        var tmpdir = hostEnvironment.get("TMPDIR");
        var grants = narrowGrants(policy, terminals);
        Path privateTmp = null;
        if (!isolation.sharedTmp()) {
            privateTmp = makePrivateTmp(uid, owner, tmpdir);
            grants.add(new PathGrant(privateTmp, PathAccess.READ_WRITE, new ValueSource.Default(PRIVATE_TMP)));
            LOG.log(Level.INFO, "tmp: the run's temporary directory is " + privateTmp + " (TMPDIR, java.io.tmpdir), removed at exit");
        }
        return new SharedPlaces(policy.withGrants(grants), privateTmp);
    }

    /** The reason of the private temporary directory's grant. */
    static final String PRIVATE_TMP = "the run's private temporary directory";

    /**
     * The grants of {@code policy} with the shared places narrowed, and without the run's private
     * temporary directory, which only a launch makes ({@code halt explain} plans without it).
     */
    public static List<PathGrant> narrowGrants(SandboxPolicy policy, List<Path> terminals) {
        var isolation = policy.isolation();
        var grants = new ArrayList<PathGrant>();
        for (var grant : policy.grants()) {
            if (!(grant.source() instanceof ValueSource.Default d)) {
                grants.add(grant);
            } else if (!isolation.sharedTmp() && (d.reason().equals(SystemDefaults.TEMPORARY_DIRECTORY)
                    || d.reason().equals(SystemDefaults.TMPDIR))) {
                LOG.log(Level.INFO, "tmp: not granting " + grant.path() + " (" + d.reason() + "): the run gets a private one"
                    + " (shared_tmp = true shares the host's)");
            } else if (!isolation.allowNewPtys() && d.reason().equals(SystemDefaults.DEVICE) && grant.path().equals(PTS)) {
                LOG.log(Level.INFO, "terminals: not granting /dev/pts: the child may open only the terminal halt runs on "
                    + (terminals.isEmpty() ? "(none: no standard stream is a terminal)" : terminals.toString())
                    + "; new ptys (script, tmux, Python's pty) fail (allow_new_ptys = true grants /dev/pts)");
            } else if (!isolation.sharedShm() && d.reason().equals(SystemDefaults.DEVICE) && grant.path().equals(SHM)) {
                LOG.log(Level.INFO, "shm: not granting /dev/shm (shared_shm = false): POSIX shared memory and semaphores fail");
            } else {
                grants.add(grant);
            }
        }
        if (isolation.allowNewPtys()) {
            LOG.log(Level.WARNING, "allow_new_ptys: the child may open /dev/pts, so it can also reach your other terminals"
                + " (/dev/pts/*) and read what you type there; a mount namespace (run as root) would give it ptys of its own");
        } else {
            for (var terminal : terminals) {
                grants.add(new PathGrant(terminal, PathAccess.READ_WRITE, new ValueSource.Default("the terminal halt runs on")));
            }
        }
        if (isolation.sharedShm() && grants.stream().anyMatch(g -> g.path().equals(SHM))) {
            LOG.log(Level.INFO, "shm: /dev/shm is granted and shared with your other programs: the child can read and change"
                + " their POSIX shared memory and semaphores (shared_shm = false removes the grant)");
        }
        return grants;
    }

    private static Path makePrivateTmp(int uid, int[] owner, String tmpdir) throws LaunchException {
        var random = ThreadLocalRandom.current();
        IOException last = null;
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            // The name need not be secret: mkdir fails on a name another user took, and then halt tries another.
            var dir = TMP.resolve("halt-" + (owner == null ? uid : owner[0]) + "-"
                + Long.toString(random.nextLong() >>> 1, 36));
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                if (owner != null) {
                    Files.setAttribute(dir, "unix:gid", owner[1], LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(dir, "unix:uid", owner[0], LinkOption.NOFOLLOW_LINKS);
                }
                return dir;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                last = e;
            } catch (IOException e) {
                last = e;
                break;
            }
        }
        throw new LaunchException(HALT_FAILED, "cannot make the run's private temporary directory in /tmp ("
            + (last == null ? "no name left" : last.getMessage()) + "). Set [sandbox] shared_tmp = true to give the child"
            + " the host's /tmp" + (tmpdir != null ? " and " + tmpdir : "") + " instead. Nothing was run.");
    }

    /** {@code TMPDIR} and {@code -Djava.io.tmpdir} for the child, added to what {@code env} holds. */
    public Map<String, String> environment(Map<String, String> env) {
        if (privateTmp == null) return env;
        var result = new LinkedHashMap<>(env);
        result.put("TMPDIR", privateTmp.toString());
        var jvm = "-Djava.io.tmpdir=" + privateTmp;
        result.put(JavaToolOptions.VARIABLE, JavaToolOptions.with(env.get(JavaToolOptions.VARIABLE), jvm));
        return result;
    }

    /** Removes the private temporary directory (a launch that failed, or the run's exit). */
    public void removePrivateTmp() {
        if (privateTmp == null) return;
        RunRecord.removePrivateTmp(privateTmp).filter(line -> line.contains("could not"))
            .ifPresent(line -> LOG.log(Level.WARNING, line));
    }

    /**
     * The {@code /dev/pts/N} that this process's standard input, output and error are on, each
     * once: what a program of the run reopens by name ({@code tty}, {@code $(tty)}).
     */
    public static List<Path> terminalsOfThisProcess() {
        var terminals = new ArrayList<Path>();
        for (int fd = 0; fd <= 2; fd++) {
            try {
                var target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
                if (target.startsWith(PTS) && target.getNameCount() == 3 && !terminals.contains(target)) terminals.add(target);
            } catch (IOException | UnsupportedOperationException e) {
                // Closed, or not a link: no terminal there.
            }
        }
        return List.copyOf(terminals);
    }
}
