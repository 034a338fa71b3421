package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Syscall;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.halt.ffm.linux.SyscallNumbers.O_CLOEXEC;
import static dev.halt.ffm.linux.SyscallNumbers.O_PATH;

/**
 * The write grants of a run, by inode, and where a file is with respect to them: the supervisor
 * changes a file's metadata only inside them.
 *
 * <p>Each grant's path is opened once at launch, on halt's side ({@code O_PATH}, following links as
 * Landlock's rule does), and stays open for the run: its device and inode number cannot be handed to
 * another file while halt holds it. A file is <b>inside</b> when it is a grant's own file (a file
 * grant counts for that file only), or when the directory it was found in, or a directory above that
 * one, is a directory grant's. "Above" is found by walking {@code ..} from that directory to the
 * root, comparing device and inode, never strings: renames, bind mounts and symbolic links cannot
 * make a path look inside.
 *
 * <p>This is how Landlock itself decides (a rule belongs to the inode, and covers what is reached
 * beneath it, across mount points): a bind mount of the workspace elsewhere is inside, as it is for
 * Landlock; so is a file system mounted on a directory of the workspace. A hard link is judged by the
 * directory it was named through: a link in the workspace to a file elsewhere makes that file's
 * metadata changeable, as Landlock already makes its content writable through that link, and the
 * command cannot make such a link itself (Landlock's rule for linking refuses to give a file rights it
 * did not have).
 *
 * <p>Immutable after {@link #open}; used by every worker at once.
 */
public final class WriteGrants implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("halt");
    /** No file system is deeper than this many directories (a path is at most 4096 bytes). */
    private static final int MAX_DEPTH = 2048;

    private final List<Path> paths;
    private final int[] pinned;
    private final Set<Inode.Key> directories;
    private final Set<Inode.Key> grants;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private WriteGrants(List<Path> paths, int[] pinned, Set<Inode.Key> directories, Set<Inode.Key> grants) {
        this.paths = List.copyOf(paths);
        this.pinned = pinned;
        this.directories = Set.copyOf(directories);
        this.grants = Set.copyOf(grants);
    }

    /**
     * Opens the grants at {@code paths} (directories and files the child may write), on an ordinary thread
     * of halt's. A path that cannot be opened is left out (Landlock could not have granted it either).
     */
    public static WriteGrants open(List<Path> paths) {
        var kept = new ArrayList<Path>();
        var pinned = new ArrayList<Integer>();
        var directories = new HashSet<Inode.Key>();
        var grants = new HashSet<Inode.Key>();
        try (var scope = new FileScope(); var arena = Arena.ofConfined()) {
            for (var path : paths) {
                long fd = Syscall.callRaw(Syscall.TABLE.openat(), dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD,
                    arena.allocateFrom(path.toString()).address(), O_PATH | O_CLOEXEC, 0, 0, 0);
                if (fd < 0) {
                    LOG.log(Level.DEBUG, "supervisor: write grant " + path + " not opened (errno " + -fd + ")");
                    continue;
                }
                try {
                    var inode = scope.stat((int) fd);
                    grants.add(inode.key());
                    if (inode.isDirectory()) directories.add(inode.key());
                    pinned.add((int) fd);
                    kept.add(path);
                } catch (CallFailed e) {
                    Syscall.close((int) fd);
                }
            }
        }
        return new WriteGrants(kept, pinned.stream().mapToInt(Integer::intValue).toArray(), directories, grants);
    }

    /** The grants' paths, as opened. */
    public List<Path> paths() {
        return paths;
    }

    /** Whether {@code inode} is a grant's own file or directory. */
    boolean isGrant(Inode inode) {
        return grants.contains(inode.key());
    }

    /**
     * Whether what the child's path named is inside: a grant itself, or found in a directory that is
     * inside. Failing to tell is "no".
     */
    boolean isInside(FileScope scope, ChildPath.Found found) throws CallFailed {
        if (isGrant(found.inode())) return true;
        if (found.directory() >= 0) return isInsideDirectory(scope, found.directory());
        return isInsideDescriptor(scope, found.fd(), found.inode());
    }

    /**
     * Whether the file of descriptor {@code fd} (halt's copy of a child's, or a directory halt opened)
     * is inside. A directory: by walking up from it. Any other file: by its path
     * ({@code /proc/self/fd/N}), opened again without following links and checked to be the same inode,
     * then by the directory it is in. A file no path reaches -- a pipe, a socket, an anonymous inode (a
     * name like {@code pipe:[123]}), or one with no link left (deleted, a memfd) -- is allowed: only
     * those holding a descriptor of it, the command included, see its metadata.
     */
    boolean isInsideDescriptor(FileScope scope, int fd, Inode inode) throws CallFailed {
        if (isGrant(inode)) return true;
        if (inode.isDirectory()) {
            try {
                return isInsideDirectory(scope, fd);
            } catch (CallFailed e) {
                // No search permission on it (mode 0): by its path below, from the directory it is in.
            }
        } else if (inode.links() == 0) {
            return true;
        }
        var path = scope.pathOf(fd);
        if (path.length == 0 || path[0] != '/') return !inode.isDirectory();
        var entry = ChildPath.resolve(scope, dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD, path, false);
        // Its name deleted or replaced while another link remains: the path no longer leads to it.
        if (!entry.inode().sameFile(inode)) return false;
        return entry.directory() >= 0 ? isInsideDirectory(scope, entry.directory()) : isInsideDirectory(scope, entry.fd());
    }

    /**
     * Whether directory {@code fd} is a directory grant's or below one: walks {@code ..} up to the root
     * (where {@code ..} is the directory itself, on the same mount), a {@code statx} of
     * {@code ..}, {@code ../..} ... per level, from a directory opened every 64 levels.
     */
    boolean isInsideDirectory(FileScope scope, int fd) throws CallFailed {
        var here = scope.stat(fd);
        int base = fd;
        int levels = 0;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (directories.contains(here.key())) return true;
            if (levels == FileScope.DOTS_LEVELS) {
                int next = scope.openUp(base, levels);
                if (base != fd) scope.close(base);
                base = next;
                levels = 0;
            }
            var above = scope.statUp(base, ++levels);
            if (above.sameFile(here) && above.mount() == here.mount()) return false;
            here = above;
        }
        return false;
    }

    /** Closes the grants' descriptors, once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (int fd : pinned) Syscall.close(fd);
        }
    }
}
