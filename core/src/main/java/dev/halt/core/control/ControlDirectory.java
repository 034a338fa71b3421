package dev.halt.core.control;

import dev.halt.core.linux.sys.ProcessIdentity;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where the control sockets of a user's runs live: {@code $XDG_RUNTIME_DIR/halt} when that is a
 * private directory of the user's, else {@code /run/user/UID/halt} when that exists, else
 * {@code /tmp/halt-UID}; mode 0700 in every case. One socket per run, {@code PID-START.sock} (halt's
 * PID and its start time, so that a reused PID is not taken for it), with the run's token beside
 * it in {@code PID-START.token} (mode 0600).
 *
 * <p>Under sudo the directory is root's: {@code XDG_RUNTIME_DIR} is then the invoking user's (or
 * unset), which the owner check passes over, and {@code sudo halt allow} finds the same one. No
 * sandbox may be granted write access to it ({@code HaltFilesGuard}): a run that could write it
 * could read the tokens and plant sockets.
 *
 * @param path the directory
 */
public record ControlDirectory(Path path) {

    private static final Pattern SOCKET = Pattern.compile("(\\d+)-(\\d+)\\.sock");

    /**
     * The directory for a process with {@code environment} and effective uid {@code uid}, whether or
     * not it exists yet.
     */
    public static Path locate(Map<String, String> environment, int uid) {
        var runtime = environment.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/") && privateDirectoryOf(Path.of(runtime), uid)) {
            return Path.of(runtime, "halt");
        }
        var perUser = Path.of("/run/user", Integer.toString(uid));
        if (privateDirectoryOf(perUser, uid)) return perUser.resolve("halt");
        // root: /run, which only root may write and no run grants, rather than /tmp, which a run
        // may be granted (--write /tmp would then be refused for holding the tokens).
        if (uid == 0 && directoryOf(Path.of("/run"), 0, 022)) return Path.of("/run", "halt-0");
        return Path.of("/tmp", "halt-" + uid);
    }

    /** {@link #locate} for this process. */
    public static Path locate(Map<String, String> environment) {
        return locate(environment, effectiveUid());
    }

    private static boolean privateDirectoryOf(Path dir, int uid) {
        return directoryOf(dir, uid, 077);
    }

    /** Whether {@code dir} is a directory (not a link) of {@code uid} with none of the {@code deniedModeBits}. */
    private static boolean directoryOf(Path dir, int uid, int deniedModeBits) {
        try {
            var a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            return (mode & 0170000) == 0040000 && (Integer) a.get("uid") == uid && (mode & deniedModeBits) == 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Makes the directory (mode 0700) if it is missing and checks it: a directory, not a link, this
     * user's, mode 0700. What halt made itself it sets to 0700; one it found it only checks.
     *
     * @throws IOException naming what is wrong and what to do, when it cannot be used
     */
    public static ControlDirectory prepare(Map<String, String> environment) throws IOException {
        int uid = effectiveUid();
        var dir = locate(environment, uid);
        boolean made = false;
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            made = true;
        } catch (FileAlreadyExistsException e) {
            // checked below, as found
        }
        if (made) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        var problem = problem(dir, uid);
        if (problem.isPresent()) throw new IOException(problem.get());
        return new ControlDirectory(dir);
    }

    /** The directory, when it exists and passes the checks of {@link #prepare}; for the commands that only look. */
    public static Optional<ControlDirectory> existing(Map<String, String> environment) {
        int uid = effectiveUid();
        var dir = locate(environment, uid);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        return problem(dir, uid).isPresent() ? Optional.empty() : Optional.of(new ControlDirectory(dir));
    }

    /** Why {@code dir} is not a private directory of {@code uid}'s, or empty. */
    static Optional<String> problem(Path dir, int uid) {
        try {
            var a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            if (type == 0120000) return Optional.of(dir + " is a symbolic link: halt keeps its control sockets only in a directory of its own;"
                + " remove it");
            if (type != 0040000) return Optional.of(dir + " is not a directory; remove it");
            int owner = (Integer) a.get("uid");
            if (owner != uid) {
                return Optional.of(dir + " belongs to uid " + owner + ", not to you (uid " + uid + "): another user may have"
                    + " made it to read your runs' tokens; remove it, or set XDG_RUNTIME_DIR to a private directory of yours");
            }
            if ((mode & 077) != 0) {
                return Optional.of(dir + " has mode " + String.format("%04o", mode & 07777) + ", not 0700: chmod 700 " + dir);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot examine " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The effective uid of this process, from {@code /proc/self/status} (not the owner of
     * {@code /proc/self}, which is root while halt is not dumpable).
     */
    public static int effectiveUid() {
        return EffectiveUid.VALUE;
    }

    /** Read once: a process's effective uid does not change under halt. */
    private static final class EffectiveUid {
        static final int VALUE = read();
    }

    private static int read() {
        try {
            for (var line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the owner of a file this process makes is its effective uid
        }
        try {
            var probe = Files.createTempFile("halt-uid", "");
            try {
                return (Integer) Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot tell this process's user id: " + e.getMessage(), e);
        }
    }

    /** The socket of the run of halt process {@code pid} started at {@code startTicks}. */
    public Path socket(long pid, long startTicks) {
        return path.resolve(pid + "-" + startTicks + ".sock");
    }

    /** The token file beside {@code socket}. */
    public static Path tokenOf(Path socket) {
        var name = socket.getFileName().toString();
        return socket.resolveSibling(name.substring(0, name.length() - ".sock".length()) + ".token");
    }

    /**
     * One run's socket.
     *
     * @param pid        halt's PID, which is the run's id
     * @param startTicks halt's start time (field 22 of {@code /proc/PID/stat})
     * @param socket     the socket
     */
    public record Endpoint(long pid, long startTicks, Path socket) {
        /** The run's id, as {@code halt ps} shows it and the commands take it. */
        public String id() {
            return Long.toString(pid);
        }

        /** The token file. */
        public Path token() {
            return tokenOf(socket);
        }

        /** Whether the halt that made it still runs. */
        public boolean running() {
            return new ProcessIdentity(pid, startTicks).isRunning();
        }
    }

    /** The sockets in the directory, oldest run first. */
    public List<Endpoint> endpoints() {
        var found = new ArrayList<Endpoint>();
        try (var list = Files.list(path)) {
            for (var file : list.toList()) {
                var m = SOCKET.matcher(file.getFileName().toString());
                if (m.matches()) found.add(new Endpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), file));
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(Comparator.comparingLong(Endpoint::startTicks).thenComparingLong(Endpoint::pid));
        return found;
    }

    /**
     * Removes the socket and token of every run whose halt is gone ({@code kill -9}, which the tether
     * cannot clean up after) and whose socket refuses connections; returns one line per removal.
     */
    public List<String> removeStale() {
        var done = new ArrayList<String>();
        for (var e : endpoints()) {
            if (e.running() || ControlClient.answers(e.socket())) continue;
            try {
                Files.deleteIfExists(e.socket());
                Files.deleteIfExists(e.token());
                done.add("halt removed the control socket " + e.socket() + " of a run whose halt (process " + e.pid() + ") was killed");
            } catch (IOException x) {
                done.add("cannot remove the control socket " + e.socket() + ": " + x.getMessage());
            }
        }
        return done;
    }

    /** Removes the stale sockets of {@code environment}'s directory, if it has one: every halt command does it first. */
    public static List<String> removeStale(Map<String, String> environment) {
        return existing(environment).map(ControlDirectory::removeStale).orElse(List.of());
    }
}
