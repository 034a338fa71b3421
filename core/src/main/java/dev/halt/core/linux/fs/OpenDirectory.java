package dev.halt.core.linux.fs;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.open_how;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static dev.halt.ffm.linux.fcntl_h.AT_REMOVEDIR;
import static dev.halt.ffm.linux.fcntl_h.RENAME_NOREPLACE;
import static dev.halt.ffm.linux.fcntl_h.RESOLVE_BENEATH;
import static dev.halt.ffm.linux.fcntl_h.RESOLVE_NO_MAGICLINKS;
import static dev.halt.ffm.linux.fcntl_h.RESOLVE_NO_SYMLINKS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A directory held open by its descriptor, and what halt does in it by name, relative to that
 * descriptor, never following a symbolic link. halt repairs protected paths and removes the private
 * temporary directory in trees that the run (and what it left running) can write: a path halt
 * checked from the top can be redirected before halt uses it (a directory swapped for a link to
 * {@code ~/.ssh} with {@code renameat2(RENAME_EXCHANGE)}), so halt resolves no path twice. A held
 * directory stays that directory whatever is renamed around it, and a name is looked up in it alone:
 * one component, with {@code O_NOFOLLOW}; {@code unlinkat}, {@code renameat2} and {@code mkdirat}
 * never follow a last link. The worst a swap can then do is make halt act on another file of the
 * same tree, which the run could change itself.
 *
 * <p>What only reads goes through {@code /proc/self/fd/N/NAME} with the JDK ({@code lstat},
 * {@code readlink}, a listing): the kernel takes the magic link {@code N} to the held directory
 * itself and looks {@code NAME} up in it, not following it.
 */
final class OpenDirectory implements AutoCloseable {
    /** How deep {@link #deleteTree} goes: one descriptor and one Java frame a level. */
    static final int MAX_DEPTH = 256;
    private static final int READ_CHUNK_BYTES = 64 * 1024;
    private static final int DIRECTORY = Syscall.TABLE.oDirectory();
    private static final int NOFOLLOW = Syscall.TABLE.oNofollow();

    private final int fd;
    /** Where the directory was when it was opened: for messages, never to act on. */
    private final Path path;
    /** {@code /proc/self/fd/N}: the held directory itself, for the JDK's reads. */
    private final Path proc;
    private boolean closed;

    private OpenDirectory(int fd, Path path) {
        this.fd = fd;
        this.path = path;
        this.proc = procPath(fd);
    }

    /**
     * A system call in the directory failed: its errno, and a message naming what and where, made
     * only when asked for (halt's exit checks run in a cold JVM, where each string concatenation
     * costs its own bootstrap the first time).
     */
    static final class Failed extends IOException {
        private static final long serialVersionUID = 1L;
        private final String verb;
        private final transient Path where;
        private final int errno;
        /** What went wrong, when not the errno's own text. */
        private final String why;

        Failed(String verb, Path where, int errno) {
            this(verb, where, errno, null);
        }

        Failed(String verb, Path where, int errno, String why) {
            this.verb = verb;
            this.where = where;
            this.errno = errno;
            this.why = why;
        }

        @Override
        public String getMessage() {
            return verb + " " + where + ": " + (why != null ? why : ErrnoException.describe(errno));
        }

        int errno() {
            return errno;
        }

        /** The name is (now) a symbolic link or something else that is not a directory. */
        boolean notADirectory() {
            return errno == Errno.ELOOP || errno == Errno.ENOTDIR;
        }
    }

    /**
     * Opens {@code trusted}, following the links in it: only for a directory of halt's own choosing
     * whose parents the run cannot write (a top-most write grant, {@code /tmp}).
     */
    static OpenDirectory open(Path trusted) throws Failed {
        try (var a = Arena.ofConfined()) {
            return new OpenDirectory(call("open", trusted, Syscall.TABLE.openat(), SyscallNumbers.AT_FDCWD,
                a.allocateFrom(trusted.toString()).address(), SyscallNumbers.O_RDONLY | DIRECTORY | SyscallNumbers.O_CLOEXEC, 0, 0, 0), trusted);
        }
    }

    /**
     * The directory {@code relative} names below this one, reached without any symbolic link and
     * without leaving it ({@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}).
     */
    OpenDirectory openBeneath(Path relative) throws Failed {
        if (relative.toString().isEmpty()) return openChild(".");
        try (var a = Arena.ofConfined()) {
            var how = open_how.allocate(a);
            open_how.flags(how, SyscallNumbers.O_RDONLY | DIRECTORY | NOFOLLOW | SyscallNumbers.O_CLOEXEC);
            open_how.resolve(how, RESOLVE_BENEATH() | RESOLVE_NO_SYMLINKS() | RESOLVE_NO_MAGICLINKS());
            return new OpenDirectory(call("open", path.resolve(relative), Syscall.TABLE.openat2(), fd,
                a.allocateFrom(relative.toString()).address(), how.address(), open_how.sizeof(), 0, 0), path.resolve(relative));
        }
    }

    /**
     * The directory {@code name} in this one, not following a link ({@link Failed#notADirectory()}
     * when it is one). A directory the run made unreadable to its owner (mode 0000) is given back
     * its owner's bits first: the caller puts the mode it expects.
     */
    OpenDirectory openChild(String name) throws Failed {
        var child = path.resolve(name);
        try (var a = Arena.ofConfined()) {
            var cName = a.allocateFrom(name);
            long r = Syscall.callRaw(Syscall.TABLE.openat(), fd, cName.address(),
                SyscallNumbers.O_RDONLY | DIRECTORY | NOFOLLOW | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
            if (r == -Errno.EACCES) {
                int held = call("open", child, Syscall.TABLE.openat(), fd, cName.address(),
                    SyscallNumbers.O_PATH | DIRECTORY | NOFOLLOW | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
                try {
                    chmodHeld(held, child, modeOfHeld(held, child) | 0700);
                    r = Syscall.callRaw(Syscall.TABLE.openat(), held, a.allocateFrom(".").address(),
                        SyscallNumbers.O_RDONLY | DIRECTORY | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
                } finally {
                    Syscall.close(held);
                }
            }
            if (r < 0) throw new Failed("open", child, (int) -r);
            return new OpenDirectory((int) r, child);
        }
    }

    /** Where this directory was when it was opened (for messages). */
    Path path() {
        return path;
    }

    /** What {@code lstat} says of {@code name} in this directory; empty when there is nothing. */
    Optional<ProtectedSnapshot.Stat> stat(String name) {
        return ProtectedSnapshot.Stat.of(proc.resolve(name));
    }

    /** What {@code stat} says of this directory itself. */
    Optional<ProtectedSnapshot.Stat> stat() {
        return ProtectedSnapshot.Stat.ofFollowed(proc);
    }

    /** The target of the symbolic link {@code name}. */
    String readLink(String name) throws IOException {
        return Files.readSymbolicLink(proc.resolve(name)).toString();
    }

    /** The names in this directory. */
    List<String> list() throws IOException {
        var names = new ArrayList<String>();
        try (var entries = Files.newDirectoryStream(proc)) {
            for (var entry : entries) names.add(entry.getFileName().toString());
        }
        return names;
    }

    /**
     * The content of the regular file {@code name}, or null when it is not one or is longer than
     * {@code max} bytes. {@code O_NOFOLLOW | O_NONBLOCK}: neither a link nor a FIFO in its place can
     * redirect or block the reader.
     */
    byte[] readRegularFile(String name, int max) {
        try (var a = Arena.ofConfined()) {
            int file = (int) Syscall.callRaw(Syscall.TABLE.openat(), fd, a.allocateFrom(name).address(),
                SyscallNumbers.O_RDONLY | NOFOLLOW | SyscallNumbers.O_NONBLOCK | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
            if (file < 0) return null;
            try {
                // A FIFO without a writer reads as empty: the descriptor itself must be a regular file.
                var opened = ProtectedSnapshot.Stat.ofFollowed(procPath(file));
                if (opened.isEmpty() || !opened.get().isRegularFile()) return null;
                var chunk = a.allocate(Math.min(Math.max(max + 1, 1), READ_CHUNK_BYTES));
                var out = new ByteArrayOutputStream();
                while (out.size() <= max) {
                    long n = Syscall.callRaw(Syscall.TABLE.read(), file, chunk.address(), chunk.byteSize(), 0, 0, 0);
                    if (n == -Errno.EINTR) continue;
                    if (n < 0) return null;
                    if (n == 0) return out.toByteArray();
                    out.write(chunk.asSlice(0, n).toArray(JAVA_BYTE), 0, (int) n);
                }
                return null;
            } finally {
                Syscall.close(file);
            }
        }
    }

    /** Sets this directory's permission bits ({@code fchmod}). */
    void setMode(int mode) throws Failed {
        call("chmod", path, Syscall.TABLE.fchmod(), fd, mode, 0, 0, 0, 0);
    }

    /**
     * Sets the permission bits of the directory or regular file {@code name} (anything else is left
     * as it is): opened {@code O_PATH | O_NOFOLLOW}, which needs no permission and never blocks, its
     * type checked on the descriptor, then changed through {@code /proc/self/fd/M}, which leads to
     * that very file.
     */
    void setMode(String name, int mode) throws Failed {
        var child = path.resolve(name);
        try (var a = Arena.ofConfined()) {
            int held = call("open", child, Syscall.TABLE.openat(), fd, a.allocateFrom(name).address(),
                SyscallNumbers.O_PATH | NOFOLLOW | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
            try {
                var st = ProtectedSnapshot.Stat.ofFollowed(procPath(held));
                if (st.isEmpty() || (!st.get().isDirectory() && !st.get().isRegularFile())) return;
                chmodHeld(held, child, mode);
            } finally {
                Syscall.close(held);
            }
        }
    }

    /** Makes the directory {@code name} with exactly {@code mode}; EEXIST when something is there. */
    void makeDirectory(String name, int mode) throws Failed {
        try (var a = Arena.ofConfined()) {
            call("mkdir", path.resolve(name), Syscall.TABLE.mkdirat(), fd, a.allocateFrom(name).address(), 0700, 0, 0, 0);
        }
        if (mode != 0700) setMode(name, mode);
    }

    /** Makes the symbolic link {@code name} to {@code target}. */
    void makeLink(String name, String target) throws Failed {
        try (var a = Arena.ofConfined()) {
            call("symlink", path.resolve(name), Syscall.TABLE.symlinkat(), a.allocateFrom(target).address(), fd,
                a.allocateFrom(name).address(), 0, 0, 0);
        }
    }

    /**
     * Renames {@code name} here to {@code targetName} in {@code target} ({@code renameat2}). Without
     * {@code replace}, false when the target name is taken (EEXIST).
     */
    boolean move(String name, OpenDirectory target, String targetName, boolean replace) throws Failed {
        try (var a = Arena.ofConfined()) {
            var from = a.allocateFrom(name);
            var to = a.allocateFrom(targetName);
            long r = Syscall.callRaw(Syscall.TABLE.renameat2(), fd, from.address(), target.fd, to.address(),
                replace ? 0 : RENAME_NOREPLACE(), 0);
            if (r == -Errno.EINVAL && !replace) {
                // A filesystem without RENAME_NOREPLACE: look, then rename (a kept copy may be lost to a race).
                if (target.stat(targetName).isPresent()) return false;
                r = Syscall.callRaw(Syscall.TABLE.renameat2(), fd, from.address(), target.fd, to.address(), 0, 0);
            }
            if (r == -Errno.EEXIST && !replace) return false;
            if (r < 0) throw new Failed("rename " + path.resolve(name) + " to", target.path.resolve(targetName), (int) -r);
            return true;
        }
    }

    /**
     * Writes {@code content} with {@code mode} to a new file of a random name here, made with
     * {@code O_CREAT | O_EXCL | O_NOFOLLOW} (nothing already there is opened), and returns the name:
     * a copy ready to be renamed over a file.
     */
    String writeNewFile(byte[] content, int mode) throws Failed {
        try (var a = Arena.ofConfined()) {
            for (int attempt = 0; ; attempt++) {
                var name = ".halt-restore-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
                long r = Syscall.callRaw(Syscall.TABLE.openat(), fd, a.allocateFrom(name).address(),
                    SyscallNumbers.O_WRONLY | SyscallNumbers.O_CREAT | SyscallNumbers.O_EXCL | NOFOLLOW | SyscallNumbers.O_CLOEXEC, 0600, 0, 0);
                if (r == -Errno.EEXIST && attempt < 8) continue;
                if (r < 0) throw new Failed("create a file in", path, (int) -r);
                int file = (int) r;
                try {
                    write(file, content, a, path.resolve(name));
                    call("chmod", path.resolve(name), Syscall.TABLE.fchmod(), file, mode, 0, 0, 0, 0);
                } catch (Failed e) {
                    unlink(name, 0);
                    throw e;
                } finally {
                    Syscall.close(file);
                }
                return name;
            }
        }
    }

    private static void write(int file, byte[] content, Arena a, Path where) throws Failed {
        if (content.length == 0) return;
        var buffer = a.allocate(content.length);
        MemorySegment.copy(content, 0, buffer, JAVA_BYTE, 0, content.length);
        long written = 0;
        while (written < content.length) {
            long n = Syscall.callRaw(Syscall.TABLE.write(), file, buffer.address() + written, content.length - written, 0, 0, 0);
            if (n == -Errno.EINTR) continue;
            if (n < 0) throw new Failed("write", where, (int) -n);
            written += n;
        }
    }

    /**
     * Removes {@code name} and everything under it, never following a link: directories are opened
     * one level at a time from this one, and a directory the run made unwritable is opened up to be
     * emptied. A name that changes kind in between (a file that became a directory, a directory
     * that became a link) is looked at again, a few times.
     */
    void deleteTree(String name) throws Failed {
        deleteTree(name, 0);
    }

    private void deleteTree(String name, int depth) throws Failed {
        var where = path.resolve(name);
        if (depth > MAX_DEPTH) throw new Failed("remove", where, Errno.ENAMETOOLONG, "more than " + MAX_DEPTH + " levels of directories");
        for (int attempt = 0; attempt < 4; attempt++) {
            var st = stat(name);
            if (st.isEmpty()) return;
            if (!st.get().isDirectory()) {
                int errno = unlink(name, 0);
                if (errno == 0 || errno == Errno.ENOENT) return;
                if (errno == Errno.EISDIR) continue;
                throw new Failed("remove", where, errno);
            }
            try (var child = openChild(name)) {
                var mode = child.stat().map(ProtectedSnapshot.Stat::mode).orElse(0700);
                if ((mode & 0700) != 0700) child.setMode(mode | 0700);
                List<String> names;
                try {
                    names = child.list();
                } catch (IOException e) {
                    throw new Failed("list", where, Errno.EACCES, e.getMessage());
                }
                for (var n : names) child.deleteTree(n, depth + 1);
            } catch (Failed e) {
                if (e.notADirectory() || e.errno() == Errno.ENOENT) continue;
                throw e;
            }
            int errno = unlink(name, AT_REMOVEDIR());
            if (errno == 0 || errno == Errno.ENOENT) return;
            if (errno == Errno.ENOTDIR || errno == Errno.ENOTEMPTY) continue;
            throw new Failed("remove", where, errno);
        }
        throw new Failed("remove", where, Errno.EBUSY, "it kept changing while halt removed it");
    }

    /** {@code unlinkat(fd, name, flags)}: 0, or the errno. */
    private int unlink(String name, int flags) {
        try (var a = Arena.ofConfined()) {
            long r = Syscall.callRaw(Syscall.TABLE.unlinkat(), fd, a.allocateFrom(name).address(), flags, 0, 0, 0);
            return r < 0 ? (int) -r : 0;
        }
    }

    /** {@code /proc/self/fd/N}, which the kernel takes to the file descriptor N holds. */
    private static Path procPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    private static int modeOfHeld(int held, Path what) throws Failed {
        var st = ProtectedSnapshot.Stat.ofFollowed(procPath(held));
        if (st.isEmpty()) throw new Failed("stat", what, Errno.ENOENT);
        return st.get().mode();
    }

    /** chmod of the file that the O_PATH descriptor {@code held} holds, through its magic link. */
    private static void chmodHeld(int held, Path what, int mode) throws Failed {
        try (var a = Arena.ofConfined()) {
            call("chmod", what, Syscall.TABLE.fchmodat(), SyscallNumbers.AT_FDCWD, a.allocateFrom(procPath(held).toString()).address(),
                mode, 0, 0, 0);
        }
    }

    private static int call(String verb, Path where, int number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws Failed {
        long r = Syscall.callRaw(number, a1, a2, a3, a4, a5, a6);
        if (r < 0) throw new Failed(verb, where, (int) -r);
        return (int) r;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Syscall.close(fd);
    }
}
