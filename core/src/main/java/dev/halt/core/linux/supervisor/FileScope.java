package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.open_how;
import dev.halt.ffm.linux.statx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD;
import static dev.halt.ffm.linux.SyscallNumbers.O_CLOEXEC;
import static dev.halt.ffm.linux.SyscallNumbers.O_PATH;
import static dev.halt.ffm.linux.fcntl_h.AT_EMPTY_PATH;
import static dev.halt.ffm.linux.fcntl_h.AT_SYMLINK_NOFOLLOW;
import static dev.halt.ffm.linux.fcntl_h.RESOLVE_NO_MAGICLINKS;
import static dev.halt.ffm.linux.limits_h.PATH_MAX;

/**
 * The descriptors and memory of one metadata call's handling, all closed together, and the file
 * calls halt makes for it: {@code openat2}, {@code statx}, {@code readlinkat}. One per notification,
 * used on one worker thread. Not thread-safe.
 */
final class FileScope implements AutoCloseable {
    /** An empty C string: the path of the {@code AT_EMPTY_PATH} forms. */
    static final MemorySegment EMPTY = Arena.global().allocate(1);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment stat = arena.allocate(statx.layout());
    private final MemorySegment how = open_how.allocate(arena);
    private MemorySegment link;
    private int[] open = new int[8];
    private int count;

    FileScope() {
        open_how.resolve(how, RESOLVE_NO_MAGICLINKS());
    }

    /** Memory that lives as long as this scope. */
    Arena arena() {
        return arena;
    }

    /** {@code bytes} as a NUL-terminated C string. */
    MemorySegment string(byte[] bytes, int from, int to) {
        var segment = arena.allocate(to - from + 1L);
        MemorySegment.copy(bytes, from, segment, ValueLayout.JAVA_BYTE, 0, to - from);
        return segment;
    }

    /**
     * {@code openat2(dirfd, path, {flags | O_PATH | O_CLOEXEC, RESOLVE_NO_MAGICLINKS})}: a descriptor of
     * this scope. No magic link of {@code /proc} is crossed on the way (ELOOP): halt's {@code /proc/self}
     * is not the child's, and such a link leads wherever its process's descriptor does.
     */
    int open(int dirfd, byte[] path, int from, int to, int flags) throws CallFailed {
        open_how.flags(how, Integer.toUnsignedLong(flags | O_PATH | O_CLOEXEC));
        long fd = Syscall.callRaw(Syscall.TABLE.openat2(), dirfd, string(path, from, to).address(), how.address(),
            open_how.sizeof(), 0, 0);
        return keep(CallFailed.check(fd, "openat2"));
    }

    /** How many levels up {@link #statUp} reaches from one directory. */
    static final int DOTS_LEVELS = 64;

    /**
     * {@code "../../ ... /.."}, {@link #DOTS_LEVELS} times, NUL-terminated: its last {@code 3k - 1} bytes
     * are the path {@code k} levels up ({@link #up}).
     */
    private static final MemorySegment DOTS = Arena.global().allocateFrom("../".repeat(DOTS_LEVELS - 1) + "..");

    /** The address of the path {@code levels} directories up ({@code ".."}, {@code "../.."}, ...). */
    private static long up(int levels) {
        if (levels < 1 || levels > DOTS_LEVELS) throw new IllegalArgumentException("1.." + DOTS_LEVELS + " levels, not " + levels);
        return DOTS.address() + DOTS.byteSize() - 1 - (3L * levels - 1);
    }

    /**
     * {@code statx} of the directory {@code levels} above {@code dirfd}: one call where opening each
     * level would take three ({@code openat}, {@code statx}, {@code close}).
     */
    Inode statUp(int dirfd, int levels) throws CallFailed {
        CallFailed.check(Syscall.callRaw(Syscall.TABLE.statx(), dirfd, up(levels), AT_SYMLINK_NOFOLLOW(), Inode.MASK,
            stat.address(), 0), "statx ..");
        return Inode.of(stat);
    }

    /** The directory {@code levels} above {@code dirfd}, opened. */
    int openUp(int dirfd, int levels) throws CallFailed {
        long fd = Syscall.callRaw(Syscall.TABLE.openat(), dirfd, up(levels), O_PATH | Syscall.TABLE.oDirectory() | O_CLOEXEC, 0, 0, 0);
        return keep(CallFailed.check(fd, "openat .."));
    }

    /** {@code statx} of descriptor {@code fd} itself (a symbolic link's own, for an O_PATH link). */
    Inode stat(int fd) throws CallFailed {
        CallFailed.check(Syscall.callRaw(Syscall.TABLE.statx(), fd, EMPTY.address(), AT_EMPTY_PATH() | AT_SYMLINK_NOFOLLOW(),
            Inode.MASK, stat.address(), 0), "statx");
        return Inode.of(stat);
    }

    /** The text of the symbolic link {@code fd} (opened O_PATH without following it). */
    byte[] readLink(int fd) throws CallFailed {
        return readLink(fd, EMPTY);
    }

    /**
     * Where descriptor {@code fd} of halt's leads ({@code /proc/self/fd/N}): the path of its file as
     * halt's root sees it, or a name such as {@code pipe:[123]} for a file on no path.
     */
    byte[] pathOf(int fd) throws CallFailed {
        return readLink(AT_FDCWD, procPath(fd));
    }

    /** {@code /proc/self/fd/N}: through it, halt's own calls reach the very file of its descriptor {@code fd}. */
    MemorySegment procPath(int fd) {
        return arena.allocateFrom("/proc/self/fd/" + fd);
    }

    /** {@link #pathOf} for a person, or a placeholder. */
    String describe(int fd) {
        try {
            return printable(pathOf(fd));
        } catch (CallFailed e) {
            return "descriptor of an unknown file";
        }
    }

    /** {@code path} for a line on the terminal: control characters shown as {@code ?}. */
    static String printable(byte[] path) {
        var text = new String(path, StandardCharsets.UTF_8);
        var sb = new StringBuilder(text.length());
        text.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return sb.toString();
    }

    private byte[] readLink(int dirfd, MemorySegment path) throws CallFailed {
        if (link == null) link = arena.allocate(PATH_MAX());
        long n = CallFailed.check(Syscall.callRaw(Syscall.TABLE.readlinkat(), dirfd, path.address(), link.address(), PATH_MAX(),
            0, 0), "readlinkat");
        if (n >= PATH_MAX()) throw new CallFailed("a link longer than PATH_MAX", Errno.ENAMETOOLONG);
        return link.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private int keep(long fd) {
        if (count == open.length) open = Arrays.copyOf(open, count * 2);
        open[count++] = (int) fd;
        return (int) fd;
    }

    /** Closes {@code fd}, a descriptor of this scope, now (the walk up a tree closes as it goes). */
    void close(int fd) {
        for (int i = count - 1; i >= 0; i--) {
            if (open[i] == fd) {
                open[i] = open[--count];
                Syscall.close(fd);
                return;
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < count; i++) Syscall.close(open[i]);
        count = 0;
        arena.close();
    }
}
