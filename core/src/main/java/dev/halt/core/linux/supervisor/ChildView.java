package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.ProcFiles;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.iovec;
import dev.halt.ffm.linux.pidfd_h;
import dev.halt.ffm.linux.statx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD;
import static dev.halt.ffm.linux.SyscallNumbers.O_CLOEXEC;
import static dev.halt.ffm.linux.SyscallNumbers.O_PATH;
import static dev.halt.ffm.linux.seccomp_h.SECCOMP_IOCTL_NOTIF_ID_VALID;

/**
 * What the supervisor may see of the thread behind one {@link Notification}, in the order the
 * kernel's rules make safe: a pidfd of the calling thread first ({@code pidfd_open} with
 * {@code PIDFD_THREAD}), then {@code SECCOMP_IOCTL_NOTIF_ID_VALID} (the thread behind the number is
 * still the one waiting, not a later one that reused its id), and only then its memory or its
 * descriptors. Every memory read is bounded, copied once into halt's memory and followed by another
 * {@code ID_VALID}: what a handler decides on is that copy, which the child cannot change.
 *
 * <p>One view per notification, used on one worker thread; {@link #close()} closes the pidfd, every
 * descriptor taken and the copies (the worker's {@link Scratch}, given back for its next call).
 * Not thread-safe.
 */
public final class ChildView implements AutoCloseable {

    /** The most a handler may copy in one read: a path is at most 4096 bytes, a sockaddr 128. */
    public static final int MAX_READ = 64 * 1024;
    private static final int PAGE = 4096;

    /** Set when this kernel predates {@code PIDFD_THREAD} (Linux 6.9): then the pidfd names the thread group. */
    private static volatile boolean processPidfdsOnly;

    /** The call is no longer waiting: its thread was killed, or the run is over. There is nothing to answer. */
    public static final class GoneException extends Exception {
        private static final long serialVersionUID = 1L;

        GoneException(String what) {
            super(what, null, false, false);
        }
    }

    /**
     * The child's memory or descriptor could not be read, and the call must fail with {@link #errno()}:
     * EFAULT for a bad pointer, EBADF for a bad descriptor, EACCES when the kernel refused halt access
     * (a child that is not dumpable, Yama's ptrace_scope). Never a reason to let the call through.
     */
    public static final class UnreadableException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int errno;

        UnreadableException(String what, int errno) {
            super(what, null, false, false);
            this.errno = errno;
        }

        /** The errno the child's call fails with. */
        public int errno() { return errno; }
    }

    private final int listener;
    private final Notification call;
    /** Where the copies live: the worker's, given back when this view closes. */
    private final Scratch memory;
    private final List<Integer> taken = new ArrayList<>();
    private int pidfd = -1;
    /** The notification's id, for ID_VALID; two iovecs for process_vm_readv: made once per view. */
    private MemorySegment id;
    private MemorySegment iovecs;

    /** A view whose copies live in {@code scratch}, reset when this view closes. */
    ChildView(int listener, Notification call, Scratch scratch) {
        this.listener = listener;
        this.call = call;
        this.memory = scratch;
    }

    /** Whether pidfds name the calling thread (PIDFD_THREAD), as far as seen so far. */
    static boolean threadPidfds() {
        return !processPidfdsOnly;
    }

    /** The notification this view belongs to. */
    public Notification call() { return call; }

    /**
     * Checks that the call is still waiting ({@code SECCOMP_IOCTL_NOTIF_ID_VALID}); after it, the thread
     * id and the pidfd still name the caller.
     */
    public void requireValid() throws GoneException {
        if (id == null) {
            id = memory.allocate(ValueLayout.JAVA_LONG);
            id.set(ValueLayout.JAVA_LONG, 0, call.id());
        }
        long r = Syscall.callRaw(Syscall.TABLE.ioctl(), listener, SECCOMP_IOCTL_NOTIF_ID_VALID(),
            id.address(), 0, 0, 0);
        if (r < 0) throw new GoneException("call " + Long.toUnsignedString(call.id()) + " no longer waits (errno " + -r + ")");
    }

    /** The pidfd of the calling thread (of its process on kernels before 6.9), opened and validated once. */
    public int pidfd() throws GoneException {
        if (pidfd >= 0) return pidfd;
        long fd = processPidfdsOnly ? -Errno.EINVAL
            : Syscall.callRaw(Syscall.TABLE.pidfdOpen(), call.pid(), pidfd_h.PIDFD_THREAD(), 0, 0, 0, 0);
        if (fd == -Errno.EINVAL) {
            // Before PIDFD_THREAD only a thread-group leader has a pidfd; the fd table is the process's.
            if (!processPidfdsOnly) processPidfdsOnly = true;
            fd = Syscall.callRaw(Syscall.TABLE.pidfdOpen(), threadGroup(call.pid()), 0, 0, 0, 0, 0);
        }
        if (fd < 0) throw new GoneException("pidfd_open(" + call.pid() + "): errno " + -fd);
        pidfd = (int) fd;
        requireValid();
        return pidfd;
    }

    /**
     * Copies {@code length} bytes of the child's memory at {@code address} into halt's memory, once,
     * with {@code process_vm_readv}. The copy lives until {@link #close()}.
     *
     * @throws UnreadableException EFAULT when the range is not (all) readable, EACCES when the kernel denies halt
     */
    public MemorySegment read(long address, int length) throws GoneException, UnreadableException {
        if (length < 0 || length > MAX_READ) throw new IllegalArgumentException("a read is 0.." + MAX_READ + " bytes, not " + length);
        pidfd();
        var copy = memory.allocate(Math.max(length, 1));
        if (length == 0) return copy.asSlice(0, 0);
        long got = readInto(copy, address, length);
        if (got != length) throw new UnreadableException("the child's memory at 0x" + Long.toHexString(address) + " is not readable", Errno.EFAULT);
        requireValid();
        return copy.asSlice(0, length);
    }

    /**
     * Copies the NUL-terminated string at {@code address} (a path), at most {@code max} bytes before
     * the NUL, page by page (a string may end just before an unmapped page).
     *
     * @throws UnreadableException EFAULT when unreadable, ENAMETOOLONG when no NUL comes within {@code max}
     */
    public byte[] readString(long address, int max) throws GoneException, UnreadableException {
        if (max < 1 || max > MAX_READ) throw new IllegalArgumentException("a string is read up to 1.." + MAX_READ + " bytes");
        pidfd();
        var copy = memory.allocate(max + 1);
        long done = 0;
        while (done <= max) {
            long at = address + done;
            int chunk = (int) Math.min(max + 1 - done, PAGE - Long.remainderUnsigned(at, PAGE));
            long got = readInto(copy.asSlice(done, chunk), at, chunk);
            if (got <= 0) break;
            for (long i = done; i < done + got; i++) {
                if (copy.get(ValueLayout.JAVA_BYTE, i) == 0) {
                    requireValid();
                    return copy.asSlice(0, i).toArray(ValueLayout.JAVA_BYTE);
                }
            }
            done += got;
            if (got < chunk) break;
        }
        if (done > max) throw new UnreadableException("the child's string at 0x" + Long.toHexString(address) + " is longer than " + max, Errno.ENAMETOOLONG);
        throw new UnreadableException("the child's memory at 0x" + Long.toHexString(address + done) + " is not readable", Errno.EFAULT);
    }

    /** process_vm_readv of one range: bytes read, or a negated errno mapped to exceptions. */
    private long readInto(MemorySegment into, long address, int length) throws GoneException, UnreadableException {
        // By size: allocate(layout, 2) makes a sequence layout per call.
        if (iovecs == null) iovecs = memory.allocate(2 * iovec.sizeof(), iovec.layout().byteAlignment());
        // Both struct iovec written at once: {local base, length, remote base, length}.
        MemorySegment.copy(new long[] {into.address(), length, address, length}, 0, iovecs, ValueLayout.JAVA_LONG, 0, 4);
        long r = Syscall.callRaw(Syscall.TABLE.processVmReadv(), call.pid(), iovecs.address(), 1,
            iovecs.address() + iovec.sizeof(), 1, 0);
        if (r >= 0) return r;
        return switch ((int) -r) {
            case Errno.EFAULT -> 0;
            case Errno.ESRCH -> throw new GoneException("thread " + call.pid() + " is gone");
            default -> throw new UnreadableException("process_vm_readv of thread " + call.pid() + ": errno " + -r, Errno.EACCES);
        };
    }

    /**
     * Takes a duplicate of the child's descriptor {@code fd} with {@code pidfd_getfd}: the same open
     * file (for a socket, the same socket), as a descriptor of halt's (O_CLOEXEC), closed with this view.
     *
     * @throws UnreadableException EBADF when the child has no such descriptor, EACCES when the kernel denies halt
     */
    public int takeFd(int fd) throws GoneException, UnreadableException {
        int pid = pidfd();
        long r = Syscall.callRaw(Syscall.TABLE.pidfdGetfd(), pid, fd, 0, 0, 0, 0);
        if (r == -Errno.EBADF) throw new UnreadableException("the child has no descriptor " + fd, Errno.EBADF);
        if (r == -Errno.ESRCH) throw new GoneException("thread " + call.pid() + " is gone");
        if (r < 0) throw new UnreadableException("pidfd_getfd of descriptor " + fd + ": errno " + -r, Errno.EACCES);
        taken.add((int) r);
        return (int) r;
    }

    /** {@code size} bytes of halt's memory that live as long as this view: copies a handler makes for a call it performs. */
    public MemorySegment scratch(long size) {
        return memory.allocate(Math.max(size, 1));
    }

    /**
     * The calling thread's working directory, opened {@code O_PATH} through {@code /proc/TID/cwd}, then
     * {@code ID_VALID}: the thread behind the number was still the caller when it was opened. Closed with
     * this view. A relative path of the child's is resolved from it, as the kernel resolves it for the child.
     *
     * @throws UnreadableException EACCES when the kernel denies halt the child's {@code /proc} (not dumpable)
     */
    public int openCwd() throws GoneException, UnreadableException {
        pidfd();
        long fd = Syscall.callRaw(Syscall.TABLE.openat(), AT_FDCWD, memory.allocateFrom("/proc/" + call.pid() + "/cwd").address(),
            O_PATH | Syscall.TABLE.oDirectory() | O_CLOEXEC, 0, 0, 0);
        if (fd >= 0) taken.add((int) fd);
        requireValid();
        if (fd < 0) throw new UnreadableException("the working directory of thread " + call.pid() + ": errno " + -fd, Errno.EACCES);
        return (int) fd;
    }

    /**
     * Whether the calling thread's root directory is halt's: the same directory on the same mount
     * ({@code statx} of {@code /proc/TID/root}, then {@code ID_VALID}). It is not after a {@code chroot}
     * in a user namespace of the child's own, or in a mount namespace of its own, where its paths do not
     * mean what they mean to halt.
     */
    public boolean rootIsHalts() throws GoneException, UnreadableException {
        pidfd();
        var buffer = memory.allocate(statx.layout());
        long r = Syscall.callRaw(Syscall.TABLE.statx(), AT_FDCWD, memory.allocateFrom("/proc/" + call.pid() + "/root").address(),
            0, Inode.MASK, buffer.address(), 0);
        requireValid();
        if (r < 0) throw new UnreadableException("the root directory of thread " + call.pid() + ": errno " + -r, Errno.EACCES);
        var root = Inode.of(buffer);
        return root.sameFile(HALTS_ROOT) && root.mount() == HALTS_ROOT.mount();
    }

    /** halt's own root directory, as {@link #rootIsHalts()} compares it. */
    private static final Inode HALTS_ROOT = haltsRoot();

    private static Inode haltsRoot() {
        try (var arena = Arena.ofConfined()) {
            var buffer = arena.allocate(statx.layout());
            long r = Syscall.callRaw(Syscall.TABLE.statx(), AT_FDCWD, arena.allocateFrom("/").address(), 0, Inode.MASK,
                buffer.address(), 0);
            if (r < 0) throw new IllegalStateException("statx(\"/\"): errno " + -r);
            return Inode.of(buffer);
        }
    }

    @Override
    public void close() {
        for (int fd : taken) Syscall.close(fd);
        taken.clear();
        if (pidfd >= 0) Syscall.close(pidfd);
        pidfd = -1;
        memory.reset();
    }

    /**
     * Runs this class's calls on halt's own thread, once, before any notification: pidfd_open,
     * pidfd_getfd, process_vm_readv and the ID_VALID ioctl (on the eventfd {@code wakeup}: ENOTTY). The
     * first notification then finds them loaded and linked instead of paying for it while a child waits.
     */
    static void warmUp(int wakeup, Scratch scratch) {
        int tid = (int) Syscall.callRaw(Syscall.TABLE.gettid(), 0, 0, 0, 0, 0, 0);
        try (var view = new ChildView(wakeup, new Notification(0, tid, 0, Syscall.TABLE.auditArch(), new long[6]), scratch)) {
            try {
                view.pidfd();
            } catch (GoneException expected) {
                // ID_VALID on an eventfd: not a listener
            }
            var source = view.memory.allocate(ValueLayout.JAVA_LONG);
            view.readInto(view.memory.allocate(8), source.address(), 8);
            view.takeFd(wakeup);
            view.readString(view.memory.allocateFrom("/").address(), 16);
        } catch (GoneException | UnreadableException | RuntimeException e) {
            // Only a warm-up: the real calls report their own failures.
        }
    }

    /** The thread group (process) of thread {@code tid}, from {@code /proc/TID/status}. */
    private static long threadGroup(int tid) {
        long group = ProcFiles.number(Path.of("/proc", Integer.toString(tid), "status"), "Tgid:");
        // Gone: pidfd_open of the thread id then fails with ESRCH.
        return group >= 0 ? group : tid;
    }
}
