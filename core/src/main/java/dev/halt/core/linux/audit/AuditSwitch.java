package dev.halt.core.linux.audit;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.ProcessIdentity;
import dev.halt.core.linux.sys.Syscall;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Audit switched on for the runs of {@code halt run --explain-denials}, and back off afterwards.
 *
 * <p>Before it switches audit on, halt writes what it found into {@code /run/halt/audit-state}
 * (root's, mode 0600, in a tmpfs that a reboot empties along with the kernel's audit state): the
 * previous setting and, one line each, the halt processes (pid and start time) that need audit on.
 * The last of them to finish puts the previous setting back and removes the file. A halt killed
 * with {@code kill -9} cannot, and the tether (shell builtins) cannot send {@code AUDIT_SET}: the
 * next halt command finds the file, sees that none of the processes it names still runs, and
 * restores the setting ({@link #recoverAbandoned}). Concurrent runs share the file under a lock,
 * so one run's end does not switch audit off under another.
 */
public final class AuditSwitch {
    static final Path DIRECTORY = Path.of("/run/halt");
    private static final String STATE = "audit-state";
    private static final String LOCK = "audit.lock";
    private static final Object IN_PROCESS = new Object();

    /** Launches in this JVM that switched: several may run at once (halt embedded in a longer-lived program). */
    private static final java.util.concurrent.atomic.AtomicLong TOKENS = new java.util.concurrent.atomic.AtomicLong();

    private final Path directory;
    private final Holder self;
    private boolean released;

    private AuditSwitch(Path directory, Holder self) {
        this.directory = directory;
        this.self = self;
    }

    /** A run that needs audit on: its halt process and a number of its own within that process. */
    record Holder(ProcessIdentity process, long token) {
        boolean isRunning() {
            return process.isRunning();
        }
    }

    /**
     * Audit on for this run: records the previous setting, then switches it on if it is off. Needs
     * CAP_AUDIT_CONTROL (EPERM without, as a {@link ErrnoException}).
     */
    static AuditSwitch enable() throws IOException, ErrnoException {
        return enable(DIRECTORY);
    }

    static AuditSwitch enable(Path directory) throws IOException, ErrnoException {
        var self = new Holder(ProcessIdentity.self(), TOKENS.incrementAndGet());
        synchronized (IN_PROCESS) {
            try (var lock = lock(directory)) {
                var state = State.read(directory.resolve(STATE));
                var status = Audit.status();
                int previous = state.map(State::previous).orElse(status.enabled());
                var holders = new ArrayList<>(state.map(State::holders).orElse(List.of()).stream()
                    .filter(Holder::isRunning).toList());
                holders.add(self);
                // First the record, then the switch: a halt killed in between leaves a file that restores nothing wrong.
                new State(previous, holders).write(directory.resolve(STATE));
                if (!status.on()) {
                    try (var control = Audit.Control.open()) {
                        control.setEnabled(1);
                    }
                }
            }
        }
        return new AuditSwitch(directory, self);
    }

    /** This run is over: the last run that needed audit puts back the setting halt found. Idempotent. */
    List<String> release() {
        if (released) return List.of();
        released = true;
        synchronized (IN_PROCESS) {
            try (var lock = lock(directory)) {
                return restoreUnlessHeld(directory, self);
            } catch (IOException | ErrnoException e) {
                return List.of("cannot put audit back as it was (" + e.getMessage() + "): see " + directory.resolve(STATE));
            }
        }
    }

    /**
     * For every halt command: when the state file names only processes that are gone (halt was
     * killed during a run with {@code --explain-denials}), puts back the setting halt found and
     * removes the file. One line per thing done; empty (one failed {@code stat}) in the usual case,
     * and for every user but root, who cannot see the file.
     */
    public static List<String> recoverAbandoned() {
        return recoverAbandoned(DIRECTORY);
    }

    static List<String> recoverAbandoned(Path directory) {
        if (!Files.exists(directory.resolve(STATE), LinkOption.NOFOLLOW_LINKS)) return List.of();
        synchronized (IN_PROCESS) {
            try (var lock = lock(directory)) {
                return restoreUnlessHeld(directory, null);
            } catch (IOException | ErrnoException e) {
                return List.of("halt switched audit on for a run with --explain-denials and cannot put it back ("
                    + e.getMessage() + "); " + directory.resolve(STATE) + " says how it was");
            }
        }
    }

    /** Under the lock: removes {@code leaving} from the holders; when none is left, restores and removes the file. */
    private static List<String> restoreUnlessHeld(Path directory, Holder leaving)
            throws IOException, ErrnoException {
        var file = directory.resolve(STATE);
        var state = State.read(file);
        if (state.isEmpty()) return List.of();
        var holders = state.get().holders().stream().filter(h -> !h.equals(leaving) && h.isRunning()).toList();
        if (!holders.isEmpty()) {
            new State(state.get().previous(), holders).write(file);
            return List.of();
        }
        var done = new ArrayList<String>();
        var status = Audit.status();
        if (state.get().previous() == 0 && status.enabled() == 1) {
            try (var control = Audit.Control.open()) {
                control.setEnabled(0);
            }
            if (leaving == null) {
                var gone = state.get().holders().stream().map(h -> Long.toString(h.process().pid())).distinct().toList();
                done.add("halt (process " + String.join(", ", gone) + ") was killed during a run with --explain-denials:"
                    + " halt switched audit off again, as it was before that run");
            }
        }
        Files.deleteIfExists(file);
        return done;
    }

    private static FileChannel lock(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        var owner = (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (owner != Syscall.geteuid()) throw new IOException(directory + " belongs to uid " + owner + ", not to this user");
        var channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The file's content: the setting halt found, and the processes that need audit on. */
    private record State(int previous, List<Holder> holders) {
        static Optional<State> read(Path file) throws IOException {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            int previous = 0;
            var holders = new ArrayList<Holder>();
            for (var line : Files.readAllLines(file)) {
                var words = line.strip().split("\\s+");
                try {
                    if (words.length == 2 && words[0].equals("previous")) previous = Integer.parseInt(words[1]);
                    if (words.length == 4 && words[0].equals("holder")) {
                        holders.add(new Holder(new ProcessIdentity(Long.parseLong(words[1]), Long.parseLong(words[2])),
                            Long.parseLong(words[3])));
                    }
                } catch (NumberFormatException e) {
                    // A line of another version: ignored.
                }
            }
            return Optional.of(new State(previous, holders));
        }

        void write(Path file) throws IOException {
            var text = new StringBuilder("# audit as halt found it, and the halt runs that switched it on (--explain-denials)\n");
            text.append("previous ").append(previous).append('\n');
            holders.forEach(h -> text.append("holder ").append(h.process().pid()).append(' ').append(h.process().startTicks())
                .append(' ').append(h.token()).append('\n'));
            var temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.writeString(temp, text, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
