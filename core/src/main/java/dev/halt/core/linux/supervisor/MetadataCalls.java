package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.file_attr;
import dev.halt.ffm.linux.xattr_args;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD;
import static dev.halt.ffm.linux.fcntl_h.AT_EMPTY_PATH;
import static dev.halt.ffm.linux.fcntl_h.AT_SYMLINK_NOFOLLOW;
import static dev.halt.ffm.linux.limits_h.PATH_MAX;
import static dev.halt.ffm.linux.limits_h.XATTR_NAME_MAX;
import static dev.halt.ffm.linux.limits_h.XATTR_SIZE_MAX;
import static dev.halt.ffm.linux.stat_h.S_IFBLK;
import static dev.halt.ffm.linux.stat_h.S_IFCHR;

/**
 * The supervisor's metadata calls, for rootless runs, where Landlock does not govern them and no
 * read-only mount namespace keeps the files outside the grants as they are: {@code chmod},
 * {@code fchmod}, {@code fchmodat}, {@code fchmodat2}, {@code chown}, {@code lchown}, {@code fchown},
 * {@code fchownat}, {@code utime}, {@code utimes}, {@code futimesat}, {@code utimensat},
 * {@code setxattr}, {@code lsetxattr}, {@code fsetxattr}, {@code removexattr}, {@code lremovexattr},
 * {@code fremovexattr}, {@code setxattrat}, {@code removexattrat} and {@code file_setattr}. A change
 * is made only inside the write grants ({@link WriteGrants}), and never to the mode, owner or attributes
 * of a device (the terminal halt runs on is a write grant of its own); anything else is EACCES, with a
 * line on stderr ({@link Refusals}).
 *
 * <p><b>Why each call is emulated rather than continued.</b> A path is memory of the child's: another
 * of its threads can rewrite it between halt's check and the kernel's own reading, so a CONTINUE after
 * checking {@code ws/file} could change {@code ~/.ssh/id_rsa}. And a path means something only with the
 * child's working directory, directory descriptors and root, which a check by name from halt's side
 * does not have. So halt copies the path once (at most PATH_MAX), opens what it names itself, as the
 * child would ({@link ChildPath}: from the child's working directory or from halt's copy of its
 * directory descriptor, not following a last symbolic link when the call does not), checks where that
 * opened file is, and makes the change on that very file through its descriptor
 * ({@code fchmodat2}, {@code fchownat} and {@code utimensat} with {@code AT_EMPTY_PATH}; the xattr
 * calls and {@code file_setattr} through {@code /proc/self/fd/N}, which the kernel takes to the file,
 * or to the symbolic link itself, that the descriptor holds). Nothing the child changes afterwards
 * moves the change elsewhere. The other pointer arguments (the times, the attribute's name and value,
 * {@code struct xattr_args}, {@code struct file_attr}) are copied once too, bounded as the kernel
 * bounds them, and the change is made with the copies.
 *
 * <p>A call on a descriptor ({@code fchmod}, {@code fchown}, {@code fsetxattr}, {@code fremovexattr},
 * {@code futimens} as {@code utimensat(fd, NULL)}, and a {@code *at} call with an empty path and
 * {@code AT_EMPTY_PATH}) takes the child's descriptor with {@code pidfd_getfd}, checks that file, and
 * makes the very call the child made on halt's copy (so an O_PATH descriptor gets EBADF where the
 * kernel gives it).
 *
 * <p>The calls are made by halt's thread, with halt's credentials: rootless these are the child's
 * (the same user and groups, no capability), so the kernel's own checks (only the owner changes a
 * mode; chown only to oneself and one's groups) come out the same. The supervisor serves metadata only
 * then ({@code LinuxBackend} does not route it for a halt with capabilities). The set-id bits of a mode
 * never get here: the filter refuses them first (EPERM).
 *
 * <p>What differs from the kernel: a child whose root directory is not halt's (a {@code chroot} in a
 * user namespace of its own) gets EACCES for a path, which halt cannot resolve as it would; a magic
 * link of {@code /proc} inside a path gives ELOOP ({@link ChildPath}).
 */
public final class MetadataCalls {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final String OUTSIDE = "outside the write grants";
    private static final String DEVICE = "a device (such as your terminal): its mode, owner and attributes stay as they are";
    /** {@code struct xattr_args} and {@code struct file_attr} may be longer than the first version, up to a page. */
    private static final int MAX_STRUCT = 4096;

    private final WriteGrants grants;
    private final Refusals refusals;
    /** Set when this kernel has no {@code fchmodat2} (before Linux 6.6). */
    private static volatile boolean noFchmodat2;

    private MetadataCalls(WriteGrants grants, Refusals refusals) {
        this.grants = grants;
        this.refusals = refusals;
    }

    /** Registers every metadata call for {@code grants}, reporting refusals to {@code refusals}. */
    public static MetadataCalls register(Supervisor.Builder builder, WriteGrants grants, Refusals refusals) {
        var calls = new MetadataCalls(grants, refusals);
        var t = Syscall.TABLE;
        builder.handle("chmod", t.chmod(), (n, c) -> calls.mode(n, c, AT_FDCWD, 0, n.arg(1), 0));
        builder.handle("fchmodat", t.fchmodat(), (n, c) -> calls.mode(n, c, n.intArg(0), 1, n.arg(2), 0));
        builder.handle("fchmodat2", t.fchmodat2(), (n, c) -> calls.mode(n, c, n.intArg(0), 1, n.arg(2), n.intArg(3)));
        builder.handle("fchmod", t.fchmod(), calls::fchmod);
        builder.handle("chown", t.chown(), (n, c) -> calls.owner(n, c, AT_FDCWD, 0, 1, 0));
        builder.handle("lchown", t.lchown(), (n, c) -> calls.owner(n, c, AT_FDCWD, 0, 1, AT_SYMLINK_NOFOLLOW()));
        builder.handle("fchownat", t.fchownat(), (n, c) -> calls.owner(n, c, n.intArg(0), 1, 2, n.intArg(4)));
        builder.handle("fchown", t.fchown(), calls::fchown);
        builder.handle("utime", t.utime(), calls::utime);
        builder.handle("utimes", t.utimes(), (n, c) -> calls.timevals(n, c, AT_FDCWD, 0, 1));
        builder.handle("futimesat", t.futimesat(), (n, c) -> calls.timevals(n, c, n.intArg(0), 1, 2));
        builder.handle("utimensat", t.utimensat(), calls::utimensat);
        builder.handle("setxattr", t.setxattr(), (n, c) -> calls.setxattr(n, c, 0));
        builder.handle("lsetxattr", t.lsetxattr(), (n, c) -> calls.setxattr(n, c, AT_SYMLINK_NOFOLLOW()));
        builder.handle("fsetxattr", t.fsetxattr(), calls::fsetxattr);
        builder.handle("setxattrat", t.setxattrat(), calls::setxattrat);
        builder.handle("removexattr", t.removexattr(), (n, c) -> calls.removexattr(n, c, 0));
        builder.handle("lremovexattr", t.lremovexattr(), (n, c) -> calls.removexattr(n, c, AT_SYMLINK_NOFOLLOW()));
        builder.handle("fremovexattr", t.fremovexattr(), calls::fremovexattr);
        builder.handle("removexattrat", t.removexattrat(), calls::removexattrat);
        builder.handle("file_setattr", t.fileSetattr(), calls::fileSetattr);
        return calls;
    }

    // --- the change, once the file is known to be inside ---

    /** What halt does to the file the child named, once it is inside. */
    private interface Change {
        /** On {@code fd}, halt's O_PATH descriptor of the file (or of the symbolic link itself). */
        long onOpened(FileScope scope, int fd);
    }

    /** The child's call itself, made on halt's copy {@code fd} of the child's descriptor. */
    private interface OnDescriptor {
        long apply(int fd);
    }

    /**
     * A call on a path: {@code dirfd} (the child's, or AT_FDCWD), the path at {@code pathAddress}, the
     * call's {@code AT_*} flags. An empty path with AT_EMPTY_PATH is {@code onDescriptor} on the
     * descriptor itself (null for a call that has no such form: its flags never hold AT_EMPTY_PATH).
     */
    private Response atPath(String call, ChildView child, int dirfd, long pathAddress, int flags, Change change,
                            OnDescriptor onDescriptor) throws ChildView.GoneException, ChildView.UnreadableException {
        var path = child.readString(pathAddress, PATH_MAX() - 1);
        try (var scope = new FileScope()) {
            if (path.length == 0) {
                if ((flags & AT_EMPTY_PATH()) == 0) return Response.error(Errno.ENOENT);
                if (dirfd == AT_FDCWD) {
                    // The working directory itself.
                    int cwd = child.openCwd();
                    return changeIfInside(call, scope, new ChildPath.Found(cwd, -1, scope.stat(cwd)), change);
                }
                return onDescriptor(call, child, scope, dirfd, onDescriptor);
            }
            if (!child.rootIsHalts()) {
                refusals.refuse(call, FileScope.printable(path), "its root directory is not halt's (chroot): halt cannot"
                    + " resolve its paths");
                return Response.error(Errno.EACCES);
            }
            var descriptor = procDescriptor(path);
            if (descriptor >= 0 && (flags & AT_SYMLINK_NOFOLLOW()) == 0) {
                // /proc/self/fd/N: the kernel would follow the magic link to the child's descriptor N.
                int fd = child.takeFd(descriptor);
                return changeIfInside(call, scope, new ChildPath.Found(fd, -1, scope.stat(fd)), change);
            }
            int base = path[0] == '/' ? AT_FDCWD : dirfd == AT_FDCWD ? child.openCwd() : child.takeFd(dirfd);
            var found = ChildPath.resolve(scope, base, path, (flags & AT_SYMLINK_NOFOLLOW()) == 0);
            return changeIfInside(call, scope, found, change);
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /** The change on {@code found}, or EACCES and a line when it is outside or a device ({@link #refusedOnDevices}). */
    private Response changeIfInside(String call, FileScope scope, ChildPath.Found found, Change change) {
        if (!inside(scope, found)) return refuse(call, scope, found.fd());
        if (refusedOnDevices(call, found.inode())) return refuseDevice(call, scope, found.fd());
        return Response.ofRaw(change.onOpened(scope, found.fd()));
    }

    /**
     * Whether {@code call} is refused on {@code inode} because it is a device. A device granted for
     * writing (the terminal halt runs on, {@code /dev/null}) is granted to be read and written, not to
     * have its mode, owner or attributes changed: the terminal is the user's own, and after
     * {@code chmod 666}, or an ACL, every local user could read what the user types there, during the
     * run and after it. Only its times may change ({@code touch}), as on any granted file.
     */
    private static boolean refusedOnDevices(String call, Inode inode) {
        return (inode.type() == S_IFCHR() || inode.type() == S_IFBLK()) && !TIME_CALLS.contains(call);
    }

    /** The calls that change times only. */
    private static final java.util.Set<String> TIME_CALLS = java.util.Set.of("utime", "utimes", "futimesat", "utimensat");

    private Response refuseDevice(String call, FileScope scope, int fd) {
        refusals.refuse(call, scope.describe(fd), DEVICE);
        return Response.error(Errno.EACCES);
    }

    private boolean inside(FileScope scope, ChildPath.Found found) {
        try {
            return grants.isInside(scope, found);
        } catch (CallFailed e) {
            if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "supervisor: cannot place " + scope.describe(found.fd()) + ": " + e.getMessage());
            return false;
        }
    }

    /** A call on the child's descriptor {@code fd}: its file checked, then the call made on halt's copy. */
    private Response onDescriptor(String call, ChildView child, FileScope scope, int fd, OnDescriptor action)
            throws ChildView.GoneException, ChildView.UnreadableException, CallFailed {
        int copy = child.takeFd(fd);
        var inode = scope.stat(copy);
        boolean inside;
        try {
            inside = grants.isInsideDescriptor(scope, copy, inode);
        } catch (CallFailed e) {
            if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "supervisor: cannot place " + scope.describe(copy) + ": " + e.getMessage());
            inside = false;
        }
        if (!inside) return refuse(call, scope, copy);
        if (refusedOnDevices(call, inode)) return refuseDevice(call, scope, copy);
        return Response.ofRaw(action.apply(copy));
    }

    private Response descriptorCall(String call, ChildView child, int fd, OnDescriptor action)
            throws ChildView.GoneException, ChildView.UnreadableException {
        try (var scope = new FileScope()) {
            return onDescriptor(call, child, scope, fd, action);
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    private Response refuse(String call, FileScope scope, int fd) {
        refusals.refuse(call, scope.describe(fd), OUTSIDE);
        return Response.error(Errno.EACCES);
    }

    /**
     * N of {@code /proc/self/fd/N} or {@code /proc/thread-self/fd/N} (digits only), else -1: the child's
     * descriptor N, which the kernel reaches through that magic link of the child's own.
     */
    static int procDescriptor(byte[] path) {
        var text = new String(path, StandardCharsets.ISO_8859_1);
        String digits;
        if (text.startsWith("/proc/self/fd/")) digits = text.substring("/proc/self/fd/".length());
        else if (text.startsWith("/proc/thread-self/fd/")) digits = text.substring("/proc/thread-self/fd/".length());
        else return -1;
        if (digits.isEmpty() || digits.length() > 9) return -1;
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') return -1;
        }
        return Integer.parseInt(digits);
    }

    /** Only AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH: the kernel refuses other flags with EINVAL. */
    private static boolean validAtFlags(int flags) {
        return (flags & ~(AT_SYMLINK_NOFOLLOW() | AT_EMPTY_PATH())) == 0;
    }

    // --- mode ---

    /** chmod, fchmodat, fchmodat2: path argument {@code pathArg}, mode {@code mode}, {@code flags} (fchmodat2's). */
    private Response mode(Notification n, ChildView child, int dirfd, int pathArg, long mode, int flags)
            throws ChildView.GoneException, ChildView.UnreadableException {
        if (!validAtFlags(flags)) return Response.error(Errno.EINVAL);
        // umode_t: the kernel keeps 16 bits. The set-id bits never get here (the filter's EPERM); kept out regardless.
        int bits = (int) mode & 0xffff;
        if ((bits & 06000) != 0) return Response.error(Errno.EPERM);
        return atPath(name(n), child, dirfd, n.arg(pathArg), flags,
            (scope, fd) -> chmodOpened(scope, fd, bits),
            fd -> Syscall.callRaw(Syscall.TABLE.fchmodat2(), fd, FileScope.EMPTY.address(), bits, flags, 0, 0));
    }

    /** {@code fchmodat2(fd, "", mode, AT_EMPTY_PATH)}; before Linux 6.6 through {@code /proc/self/fd/N}. */
    private static long chmodOpened(FileScope scope, int fd, int mode) {
        if (!noFchmodat2) {
            long r = Syscall.callRaw(Syscall.TABLE.fchmodat2(), fd, FileScope.EMPTY.address(), mode, AT_EMPTY_PATH(), 0, 0);
            if (r != -Errno.ENOSYS) return r;
            noFchmodat2 = true;
        }
        // A symbolic link's mode cannot change: fchmodat2 answers EOPNOTSUPP, and so does this.
        return Syscall.callRaw(Syscall.TABLE.fchmodat(), AT_FDCWD, scope.procPath(fd).address(), mode, 0, 0, 0);
    }

    private Response fchmod(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int bits = (int) n.arg(1) & 0xffff;
        if ((bits & 06000) != 0) return Response.error(Errno.EPERM);
        return descriptorCall(name(n), child, n.intArg(0), fd -> Syscall.callRaw(Syscall.TABLE.fchmod(), fd, bits, 0, 0, 0, 0));
    }

    // --- owner ---

    /** chown, lchown, fchownat: the uid and gid at arguments {@code uidArg} and {@code uidArg + 1}. */
    private Response owner(Notification n, ChildView child, int dirfd, int pathArg, int uidArg, int flags)
            throws ChildView.GoneException, ChildView.UnreadableException {
        if (!validAtFlags(flags)) return Response.error(Errno.EINVAL);
        long uid = n.intArg(uidArg), gid = n.intArg(uidArg + 1);
        return atPath(name(n), child, dirfd, n.arg(pathArg), flags,
            (scope, fd) -> Syscall.callRaw(Syscall.TABLE.fchownat(), fd, FileScope.EMPTY.address(), uid, gid, AT_EMPTY_PATH(), 0),
            fd -> Syscall.callRaw(Syscall.TABLE.fchownat(), fd, FileScope.EMPTY.address(), uid, gid, flags, 0));
    }

    private Response fchown(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        long uid = n.intArg(1), gid = n.intArg(2);
        return descriptorCall(name(n), child, n.intArg(0), fd -> Syscall.callRaw(Syscall.TABLE.fchown(), fd, uid, gid, 0, 0, 0));
    }

    // --- times ---

    /** The change of times {@code times} (a timespec[2] of halt's, or NULL for now) on an opened file. */
    private static long utimensOpened(int fd, MemorySegment times) {
        return Syscall.callRaw(Syscall.TABLE.utimensat(), fd, FileScope.EMPTY.address(), times.address(), AT_EMPTY_PATH(), 0, 0);
    }

    /** {@code utime(path, struct utimbuf *)}: seconds only; NULL is now. */
    private Response utime(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        var times = MemorySegment.NULL;
        if (n.arg(1) != 0) {
            var buf = child.read(n.arg(1), 16);
            times = timespecs(buf.get(ValueLayout.JAVA_LONG, 0), 0, buf.get(ValueLayout.JAVA_LONG, 8), 0, child);
        }
        var copy = times;
        return atPath(name(n), child, AT_FDCWD, n.arg(0), 0, (scope, fd) -> utimensOpened(fd, copy), null);
    }

    /**
     * utimes and futimesat: {@code struct timeval[2]} at argument {@code timesArg} (NULL is now), as
     * the kernel checks it (microseconds 0 to 999999, else EINVAL). futimesat with a NULL path changes
     * the descriptor's file.
     */
    private Response timevals(Notification n, ChildView child, int dirfd, int pathArg, int timesArg)
            throws ChildView.GoneException, ChildView.UnreadableException {
        var times = MemorySegment.NULL;
        if (n.arg(timesArg) != 0) {
            var buf = child.read(n.arg(timesArg), 32);
            long[] tv = buf.toArray(ValueLayout.JAVA_LONG);
            for (int i : new int[] {1, 3}) {
                if (tv[i] < 0 || tv[i] >= 1_000_000) return Response.error(Errno.EINVAL);
            }
            times = timespecs(tv[0], tv[1] * 1000, tv[2], tv[3] * 1000, child);
        }
        var copy = times;
        if (n.arg(pathArg) == 0) {
            if (dirfd == AT_FDCWD) return Response.error(Errno.EFAULT);
            return descriptorCall(name(n), child, dirfd,
                fd -> Syscall.callRaw(Syscall.TABLE.utimensat(), fd, 0, copy.address(), 0, 0, 0));
        }
        return atPath(name(n), child, dirfd, n.arg(pathArg), 0, (scope, fd) -> utimensOpened(fd, copy), null);
    }

    /** {@code utimensat(dirfd, path, struct timespec[2], flags)}; a NULL path is {@code futimens(dirfd)}. */
    private Response utimensat(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int dirfd = n.intArg(0), flags = n.intArg(3);
        if (!validAtFlags(flags)) return Response.error(Errno.EINVAL);
        // The kernel checks the nanoseconds (UTIME_NOW, UTIME_OMIT or below a second) when halt makes the call.
        var times = n.arg(2) == 0 ? MemorySegment.NULL : child.read(n.arg(2), 32);
        if (n.arg(1) == 0) {
            if (dirfd == AT_FDCWD) return Response.error(Errno.EFAULT);
            return descriptorCall(name(n), child, dirfd,
                fd -> Syscall.callRaw(Syscall.TABLE.utimensat(), fd, 0, times.address(), flags, 0, 0));
        }
        return atPath(name(n), child, dirfd, n.arg(1), flags, (scope, fd) -> utimensOpened(fd, times),
            fd -> Syscall.callRaw(Syscall.TABLE.utimensat(), fd, FileScope.EMPTY.address(), times.address(), flags, 0, 0));
    }

    /** A timespec[2] in the view's memory (it lives as long as the call's handling). */
    private static MemorySegment timespecs(long atime, long atimeNanos, long mtime, long mtimeNanos, ChildView child)
            throws ChildView.GoneException, ChildView.UnreadableException {
        var times = child.scratch(32);
        MemorySegment.copy(new long[] {atime, atimeNanos, mtime, mtimeNanos}, 0, times, ValueLayout.JAVA_LONG, 0, 4);
        return times;
    }

    // --- extended attributes ---

    /**
     * An extended attribute's name, copied once: 1 to 255 bytes, else ERANGE as the kernel answers;
     * with its NUL, ready to pass on.
     */
    private static MemorySegment attributeName(ChildView child, long address) throws ChildView.GoneException, ChildView.UnreadableException, CallFailed {
        byte[] name;
        try {
            name = child.readString(address, XATTR_NAME_MAX());
        } catch (ChildView.UnreadableException e) {
            if (e.errno() == Errno.ENAMETOOLONG) throw new CallFailed("an attribute name longer than 255", Errno.ERANGE);
            throw e;
        }
        if (name.length == 0) throw new CallFailed("an empty attribute name", Errno.ERANGE);
        var segment = child.scratch(name.length + 1);
        MemorySegment.copy(name, 0, segment, ValueLayout.JAVA_BYTE, 0, name.length);
        return segment;
    }

    /** An attribute's value of {@code size} bytes, copied once (E2BIG above 64 KiB, as the kernel). */
    private static MemorySegment attributeValue(ChildView child, long address, long size)
            throws ChildView.GoneException, ChildView.UnreadableException, CallFailed {
        if (Long.compareUnsigned(size, XATTR_SIZE_MAX()) > 0) throw new CallFailed("an attribute value over 64 KiB", Errno.E2BIG);
        if (size == 0) return MemorySegment.NULL;
        return child.read(address, (int) size);
    }

    /** setxattr, lsetxattr: (path, name, value, size, flags). */
    private Response setxattr(Notification n, ChildView child, int atFlags) throws ChildView.GoneException, ChildView.UnreadableException {
        try {
            var name = attributeName(child, n.arg(1));
            var value = attributeValue(child, n.arg(2), n.arg(3));
            long size = n.arg(3);
            int flags = n.intArg(4);
            return atPath(name(n), child, AT_FDCWD, n.arg(0), atFlags,
                (scope, fd) -> Syscall.callRaw(Syscall.TABLE.setxattr(), scope.procPath(fd).address(), name.address(), value.address(),
                    size, flags, 0), null);
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /** fsetxattr(fd, name, value, size, flags). */
    private Response fsetxattr(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        try {
            var name = attributeName(child, n.arg(1));
            var value = attributeValue(child, n.arg(2), n.arg(3));
            long size = n.arg(3);
            int flags = n.intArg(4);
            return descriptorCall(name(n), child, n.intArg(0),
                fd -> Syscall.callRaw(Syscall.TABLE.fsetxattr(), fd, name.address(), value.address(), size, flags, 0));
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /**
     * setxattrat(dirfd, path, at_flags, name, struct xattr_args *, size): the struct copied once (at least
     * its first version, at most a page, its extra bytes zero), then the value it points to.
     */
    private Response setxattrat(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int dirfd = n.intArg(0), atFlags = n.intArg(2);
        if (!validAtFlags(atFlags)) return Response.error(Errno.EINVAL);
        try {
            var args = struct(child, n.arg(4), n.arg(5), (int) xattr_args.sizeof());
            var name = attributeName(child, n.arg(3));
            long size = Integer.toUnsignedLong(xattr_args.size(args));
            int flags = xattr_args.flags(args);
            var value = attributeValue(child, xattr_args.value(args), size);
            // halt's own struct, pointing at halt's copy of the value.
            var ours = child.scratch((int) xattr_args.sizeof());
            xattr_args.value(ours, value.address());
            xattr_args.size(ours, (int) size);
            xattr_args.flags(ours, flags);
            return atPath(name(n), child, dirfd, n.arg(1), atFlags,
                (scope, fd) -> Syscall.callRaw(Syscall.TABLE.setxattr(), scope.procPath(fd).address(), name.address(), value.address(),
                    size, flags, 0),
                fd -> Syscall.callRaw(Syscall.TABLE.setxattrat(), fd, FileScope.EMPTY.address(), atFlags, name.address(), ours.address(),
                    xattr_args.sizeof()));
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /** removexattr, lremovexattr: (path, name). */
    private Response removexattr(Notification n, ChildView child, int atFlags) throws ChildView.GoneException, ChildView.UnreadableException {
        try {
            var name = attributeName(child, n.arg(1));
            return atPath(name(n), child, AT_FDCWD, n.arg(0), atFlags,
                (scope, fd) -> Syscall.callRaw(Syscall.TABLE.removexattr(), scope.procPath(fd).address(), name.address(), 0, 0, 0, 0),
                null);
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /** fremovexattr(fd, name). */
    private Response fremovexattr(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        try {
            var name = attributeName(child, n.arg(1));
            return descriptorCall(name(n), child, n.intArg(0),
                fd -> Syscall.callRaw(Syscall.TABLE.fremovexattr(), fd, name.address(), 0, 0, 0, 0));
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /** removexattrat(dirfd, path, at_flags, name). */
    private Response removexattrat(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int atFlags = n.intArg(2);
        if (!validAtFlags(atFlags)) return Response.error(Errno.EINVAL);
        try {
            var name = attributeName(child, n.arg(3));
            return atPath(name(n), child, n.intArg(0), n.arg(1), atFlags,
                (scope, fd) -> Syscall.callRaw(Syscall.TABLE.removexattr(), scope.procPath(fd).address(), name.address(), 0, 0, 0, 0),
                fd -> Syscall.callRaw(Syscall.TABLE.removexattrat(), fd, FileScope.EMPTY.address(), atFlags, name.address(), 0, 0));
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    // --- inode flags ---

    /** file_setattr(dirfd, path, struct file_attr *, size, at_flags): the struct copied once and passed on as it is. */
    private Response fileSetattr(Notification n, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int atFlags = n.intArg(4);
        if (!validAtFlags(atFlags)) return Response.error(Errno.EINVAL);
        try {
            var attr = struct(child, n.arg(2), n.arg(3), (int) file_attr.sizeof());
            long size = attr.byteSize();
            return atPath(name(n), child, n.intArg(0), n.arg(1), atFlags,
                (scope, fd) -> Syscall.callRaw(Syscall.TABLE.fileSetattr(), AT_FDCWD, scope.procPath(fd).address(), attr.address(), size, 0, 0),
                fd -> Syscall.callRaw(Syscall.TABLE.fileSetattr(), fd, FileScope.EMPTY.address(), attr.address(), size, atFlags, 0));
        } catch (CallFailed e) {
            return Response.error(e.errno());
        }
    }

    /**
     * An extensible struct of {@code size} bytes at {@code address}, copied once, as the kernel's
     * {@code copy_struct_from_user} takes it: at least {@code first} bytes (EINVAL), at most a page
     * (E2BIG), and any bytes past those this kernel knows zero (E2BIG).
     */
    private static MemorySegment struct(ChildView child, long address, long size, int first)
            throws ChildView.GoneException, ChildView.UnreadableException, CallFailed {
        if (Long.compareUnsigned(size, MAX_STRUCT) > 0) throw new CallFailed("a struct over a page", Errno.E2BIG);
        if (size < first) throw new CallFailed("a struct shorter than its first version", Errno.EINVAL);
        var copy = child.read(address, (int) size);
        for (long i = first; i < size; i++) {
            if (copy.get(ValueLayout.JAVA_BYTE, i) != 0) throw new CallFailed("unknown fields set", Errno.E2BIG);
        }
        return copy;
    }

    private static String name(Notification n) {
        return CALL_NAMES.getOrDefault(n.nr(), "call " + n.nr());
    }

    /** The calls' names by number, for the refusal lines. */
    private static final java.util.Map<Integer, String> CALL_NAMES = callNames();

    private static java.util.Map<Integer, String> callNames() {
        var t = Syscall.TABLE;
        var names = new java.util.HashMap<Integer, String>();
        names.put(t.chmod(), "chmod");
        names.put(t.fchmod(), "fchmod");
        names.put(t.fchmodat(), "fchmodat");
        names.put(t.fchmodat2(), "fchmodat2");
        names.putAll(invert(dev.halt.core.linux.seccomp.SeccompPolicy.metadataCalls(t)));
        names.remove(SyscallNumbers.NONE);
        return java.util.Map.copyOf(names);
    }

    private static java.util.Map<Integer, String> invert(java.util.Map<String, Integer> byName) {
        var byNumber = new java.util.HashMap<Integer, String>();
        byName.forEach((name, nr) -> byNumber.put(nr, name));
        return byNumber;
    }

    /**
     * The checking path on halt's own files, changing nothing: opening and placing {@code /proc/self/status}
     * and halt's working directory. Not a warm-up of each run (metadata changes come seldom, and the
     * warm-up's CPU would slow every start): the launcher's training run ({@link RunSupervision#train})
     * runs it, so that the start-up cache holds the classes the first call needs.
     */
    void warmUp() {
        try (var scope = new FileScope()) {
            for (var path : new String[] {"/proc/self/status", System.getProperty("user.dir", "/")}) {
                var found = ChildPath.resolve(scope, AT_FDCWD, path.getBytes(StandardCharsets.UTF_8), true);
                grants.isInside(scope, found);
                grants.isInsideDescriptor(scope, found.fd(), found.inode());
                procDescriptor(path.getBytes(StandardCharsets.UTF_8));
                scope.describe(found.fd());
            }
        } catch (CallFailed | RuntimeException e) {
            // Only a warm-up.
        }
    }
}
