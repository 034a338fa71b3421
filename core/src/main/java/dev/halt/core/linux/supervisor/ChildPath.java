package dev.halt.core.linux.supervisor;

import dev.halt.ffm.linux.Errno;

import static dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD;

/**
 * Resolves a path of the child's as the kernel resolves it for the child, from halt's thread: from
 * the child's working directory or directory descriptor (which halt holds), component by component
 * by the kernel ({@code openat2} with {@code RESOLVE_NO_MAGICLINKS}), and the last component by halt,
 * so that the directory the file was found in is known: that directory's place decides whether the
 * file is inside a write grant ({@link WriteGrants}).
 *
 * <p>The last component is opened {@code O_PATH | O_NOFOLLOW}; when it is a symbolic link and the call
 * follows links, halt reads the link (from the descriptor it opened, never by name again) and resolves
 * its text from the link's own directory, up to 40 links (ELOOP), as the kernel does. A path that ends
 * in {@code /}, {@code .} or {@code ..} names a directory, followed whatever the call says (the kernel's
 * rule for a trailing slash); it has no directory of its own to report.
 *
 * <p>What differs from the child's own resolution: a magic link of {@code /proc} (a process's
 * {@code fd/N}, {@code cwd}, {@code root}) on the way fails with ELOOP, except {@code /proc/self/fd/N}
 * and {@code /proc/thread-self/fd/N} as a whole path, which {@link MetadataCalls} takes as the child's
 * descriptor N (glibc's {@code fchmodat(AT_SYMLINK_NOFOLLOW)} before {@code fchmodat2} goes that way).
 * A magic link as the last component is followed by its text (the path of what it leads to), which is
 * then placed like any other path.
 */
final class ChildPath {
    private ChildPath() {}

    /** The kernel's limit on symbolic links followed in one resolution. */
    private static final int MAX_LINKS = 40;

    /**
     * A file halt opened for a child's call.
     *
     * @param fd        the file, opened {@code O_PATH} (a symbolic link itself when the call does not follow)
     * @param directory the directory it was found in, opened {@code O_PATH}; -1 for a path that named a
     *                  directory as a whole ({@code dir/}, {@code .}, {@code /})
     * @param inode     the file's inode
     */
    record Found(int fd, int directory, Inode inode) {}

    /**
     * Opens what {@code path} names, from {@code base} (a directory descriptor of halt's, or
     * {@link dev.halt.ffm.linux.SyscallNumbers#AT_FDCWD} for an absolute path), following a symbolic link
     * at the end when {@code follow}. Every descriptor belongs to {@code scope}.
     *
     * @throws CallFailed with the errno the kernel gave (ENOENT, ENOTDIR, ELOOP, EACCES ...)
     */
    static Found resolve(FileScope scope, int base, byte[] path, boolean follow) throws CallFailed {
        if (path.length == 0) throw new CallFailed("an empty path", Errno.ENOENT);
        int links = 0;
        while (true) {
            int end = path.length;
            while (end > 0 && path[end - 1] == '/') end--;
            int start = end;
            while (start > 0 && path[start - 1] != '/') start--;
            boolean trailingSlash = end < path.length;
            if (end == 0 || trailingSlash || isDots(path, start, end)) {
                int fd = scope.open(base, path, 0, path.length, dev.halt.core.linux.sys.Syscall.TABLE.oDirectory());
                return new Found(fd, -1, scope.stat(fd));
            }
            int directory = start == 0 ? base : scope.open(base, path, 0, start, dev.halt.core.linux.sys.Syscall.TABLE.oDirectory());
            if (directory == AT_FDCWD) throw new IllegalArgumentException("a relative path needs a directory descriptor");
            int fd = scope.open(directory, path, start, end, dev.halt.core.linux.sys.Syscall.TABLE.oNofollow());
            var inode = scope.stat(fd);
            if (!follow || !inode.isSymlink()) return new Found(fd, directory, inode);
            if (++links > MAX_LINKS) throw new CallFailed("more than " + MAX_LINKS + " symbolic links", Errno.ELOOP);
            path = scope.readLink(fd);
            if (path.length == 0) throw new CallFailed("an empty symbolic link", Errno.ENOENT);
            // The link's text resolves from the directory the link is in.
            base = directory;
        }
    }

    /** Whether {@code path[start, end)} is {@code .} or {@code ..}. */
    private static boolean isDots(byte[] path, int start, int end) {
        int length = end - start;
        return (length == 1 || length == 2) && path[start] == '.' && path[end - 1] == '.';
    }
}
