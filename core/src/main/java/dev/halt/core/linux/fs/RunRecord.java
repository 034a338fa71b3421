package dev.halt.core.linux.fs;

import dev.halt.core.launch.PrivateDirectory;
import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.linux.sys.ProcessIdentity;
import dev.halt.core.linux.sys.Syscall;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The file that names what a run without a mount namespace leaves to clean up: its private
 * temporary directory and the snapshot of its protected paths. halt writes it before the child
 * starts and deletes it once it cleaned up at exit. When halt is killed ({@code kill -9}) its
 * tether ends the run's processes but runs shell builtins only and can neither remove a
 * directory nor repair a file; the next halt command ({@link #recoverAbandoned}) finds records
 * whose halt is gone and does it.
 *
 * <p>Where: {@code $XDG_STATE_HOME/halt/runs/} (default {@code ~/.local/state/halt/runs/}), mode
 * 0700, one file per run named by halt's PID and start time. It survives a reboot, so a repair
 * is not lost with {@code /tmp}, and it is private to the user. The next halt writes files from
 * it, so a record the sandboxed side could write would let it write anywhere through halt: a
 * write grant that contains the directory is refused before anything runs (the config's
 * {@code HaltFilesGuard}; a default grant that cannot be narrowed keeps no record of the run, and
 * says so), and a record that halt cannot have written is ignored ({@link #distrust}).
 */
public final class RunRecord {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final String SUFFIX = ".run";
    private static final String RECOVERING = ".recovering-";
    private static final int MAGIC = 0x68616c74; // "halt"
    private static final int FORMAT = 1;
    private static final Pattern RUN_NAME = Pattern.compile("(\\d+)-(\\d+)\\.run(?:\\.recovering-(\\d+)-(\\d+))?");
    /** The private temporary directories halt makes: only such a directory is ever removed from a record. */
    static final Pattern PRIVATE_TMP = Pattern.compile("/tmp/halt-\\d+-[0-9a-z]+");

    private final Path file;

    private RunRecord(Path file) {
        this.file = file;
    }

    /**
     * {@code $XDG_STATE_HOME/halt/runs}, or {@code $HOME/.local/state/halt/runs}; empty without
     * either. Under sudo, root's own (from {@code /etc/passwd}): {@code HOME} may still name the
     * user's, where root must not make directories.
     */
    public static Optional<Path> directory(Map<String, String> env) {
        if (env.containsKey("SUDO_UID") && Syscall.geteuid() == 0) {
            return Credentials.account(0, Path.of("/etc/passwd")).map(a -> a.home().resolve(".local/state/halt/runs"));
        }
        var state = env.get("XDG_STATE_HOME");
        if (state != null && state.startsWith("/")) return Optional.of(Path.of(state, "halt", "runs"));
        var home = env.get("HOME");
        if (home != null && home.startsWith("/")) return Optional.of(Path.of(home, ".local", "state", "halt", "runs"));
        return Optional.empty();
    }

    /**
     * Makes {@code dir} (mode 0700) if needed and returns its real path, or throws when it is not
     * a private directory of this user's.
     */
    public static Path prepareDirectory(Path dir) throws IOException {
        PrivateDirectory.prepare(dir, Syscall.geteuid());
        return dir.toRealPath();
    }

    /** Writes the record of this halt's run into {@code dir} (from {@link #prepareDirectory}). */
    public static RunRecord write(Path dir, Path privateTmp, ProtectedSnapshot snapshot) throws IOException {
        var self = ProcessIdentity.self();
        var name = self.pid() + "-" + self.startTicks() + SUFFIX;
        var temp = dir.resolve("." + name + ".tmp");
        var bytes = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(privateTmp == null ? "" : privateTmp.toString());
            out.writeBoolean(snapshot != null);
            if (snapshot != null) SnapshotFormat.write(snapshot, out);
        }
        Files.deleteIfExists(temp);
        try (var channel = Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            var buffer = ByteBuffer.wrap(bytes.toByteArray());
            while (buffer.hasRemaining()) channel.write(buffer);
        }
        var file = dir.resolve(name);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        return new RunRecord(file);
    }

    /** The run is cleaned up: the record goes. */
    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete the run record " + file + ": " + e.getMessage());
        }
    }

    Path file() {
        return file;
    }

    /**
     * Cleans up after every run in the records directory of {@code env} whose halt is no longer
     * running: repairs its protected paths, removes its private temporary directory. Returns one
     * line per thing done, for WARN lines; empty when there was nothing to do (the usual case: a
     * missing or empty directory costs one system call).
     */
    public static List<String> recoverAbandoned(Map<String, String> env) {
        var dir = directory(env);
        if (dir.isEmpty()) return List.of();
        List<Path> files;
        try (var list = Files.list(dir.get())) {
            files = list.toList();
        } catch (IOException e) {
            return List.of();
        }
        var done = new ArrayList<String>();
        for (var file : files) {
            var name = file.getFileName().toString();
            if (name.startsWith(".")) {
                deleteStaleTemp(file, name);
                continue;
            }
            var m = RUN_NAME.matcher(name);
            if (!m.matches()) continue;
            var owner = new ProcessIdentity(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            if (owner.isRunning()) continue;
            if (m.group(3) != null && new ProcessIdentity(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))).isRunning()) {
                continue; // another halt is cleaning it up now
            }
            var distrusted = distrust(dir.get(), file);
            if (distrusted.isPresent()) {
                done.add("halt ignored and deleted the run record " + file + ": " + distrusted.get()
                    + ", so halt did not write it (a program with write access to " + dir.get() + " may have)");
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    done.add("cannot delete the run record " + file + ": " + e.getMessage());
                }
                continue;
            }
            var self = ProcessIdentity.self();
            var base = m.group(3) == null ? name : name.substring(0, name.indexOf(RECOVERING));
            var claimed = file.resolveSibling(base + RECOVERING + self.pid() + "-" + self.startTicks());
            try {
                Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                continue; // another halt took it first
            }
            done.addAll(recover(claimed, owner.pid(), dir.get()));
        }
        return done;
    }

    /**
     * Why the record {@code file} in {@code dir} is not one halt wrote, or empty. halt makes the
     * directory this user's with mode 0700, writes each record with mode 0600 and one link, and
     * refuses a run whose write grants contain the directory; a record that is a link, another
     * user's, shared with the group or others, or in a directory that is, was not written by halt.
     * This second look catches a careless forgery only: a sandboxed program of an earlier run that
     * could write the directory (under another {@code XDG_STATE_HOME}) could also have set the modes.
     */
    static Optional<String> distrust(Path dir, Path file) {
        int self = Syscall.geteuid();
        try {
            var d = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int dirMode = (Integer) d.get("mode");
            if ((dirMode & 0xF000) != 0x4000) return Optional.of(dir + " is not a directory");
            if ((Integer) d.get("uid") != self) return Optional.of(dir + " belongs to uid " + d.get("uid"));
            if ((dirMode & 077) != 0) return Optional.of(dir + " has mode " + String.format("%04o", dirMode & 07777) + ", not 0700");
            var f = Files.readAttributes(file, "unix:uid,mode,nlink", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) f.get("mode");
            if ((mode & 0xF000) != 0x8000) return Optional.of("it is not a regular file");
            if ((Integer) f.get("uid") != self) return Optional.of("it belongs to uid " + f.get("uid"));
            if ((mode & 077) != 0) return Optional.of("it has mode " + String.format("%04o", mode & 07777) + ", not 0600");
            if ((Integer) f.get("nlink") != 1) return Optional.of("it has " + f.get("nlink") + " links");
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("it cannot be examined (" + e.getMessage() + ")");
        }
    }

    private static List<String> recover(Path file, long pid, Path dir) {
        var done = new ArrayList<String>();
        var prefix = "halt (process " + pid + ") was killed during a run: ";
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) throw new IOException("not a run record of this halt version");
            var tmp = in.readUTF();
            var snapshot = in.readBoolean() ? SnapshotFormat.read(in) : null;
            var real = dir.toRealPath();
            if (snapshot != null && snapshot.scanRoots().stream().anyMatch(real::startsWith)) {
                // halt refuses such a run: this record is not of one of its runs.
                throw new IOException("its write grants " + snapshot.scanRoots() + " contain " + dir + ", which halt refuses");
            }
            if (snapshot != null) {
                for (var line : snapshot.repair(snapshot.scanningLocator())) done.add(prefix + line);
            }
            if (!tmp.isEmpty()) removePrivateTmp(Path.of(tmp)).ifPresent(line -> done.add(prefix + line));
        } catch (IOException | RuntimeException e) {
            done.add(prefix + "its run record " + file + " cannot be read (" + e.getMessage() + "); halt deleted it");
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            done.add("cannot delete the run record " + file + ": " + e.getMessage());
        }
        return done;
    }

    /**
     * Removes a private temporary directory of halt's, never following a link: from {@code /tmp}
     * held open, one directory at a time ({@link OpenDirectory#deleteTree}), so that a process of the
     * run still alive cannot swap a directory of it for a link and have halt delete elsewhere. What
     * was done, if anything.
     */
    static Optional<String> removePrivateTmp(Path dir) {
        if (!PRIVATE_TMP.matcher(dir.toString()).matches()) return Optional.empty();
        var name = dir.getFileName().toString();
        try (var tmp = OpenDirectory.open(dir.getParent())) {
            var st = tmp.stat(name);
            if (st.isEmpty() || !st.get().isDirectory()) return Optional.empty();
            tmp.deleteTree(name);
            return Optional.of("halt removed its temporary directory " + dir);
        } catch (IOException e) {
            return Optional.of("halt could not remove all of its temporary directory " + dir + " (" + e.getMessage() + ")");
        }
    }

    private static void deleteStaleTemp(Path file, String name) {
        var m = RUN_NAME.matcher(name.substring(1).replaceFirst("\\.tmp$", ""));
        if (!name.endsWith(".tmp") || !m.matches()) return;
        if (new ProcessIdentity(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))).isRunning()) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover of a write cut short: harmless, tried again next time.
        }
    }
}
