package dev.halt.core.linux;

import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.Syscalls;
import dev.halt.ffm.linux.unistd_h;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A copy of the protected paths of a run that has no mount namespace to bind them read-only
 * (see {@link ProtectedPaths}), and the repair that puts them back. Landlock cannot refuse a
 * sub-path of a write grant, so halt detects and repairs instead of preventing: whatever the run
 * changed under a protected path is moved aside ({@code pre-commit.halt-refused}) and the
 * original is written back; a pinned {@code .git} that was renamed away is moved back.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} files and directories in all (a protected tree with
 * more is left out, and {@link #warnings()} says so), and file contents up to
 * {@link #MAX_FILE_BYTES} each and {@link #MAX_TOTAL_BYTES} in all. A file over those bounds is
 * compared by size, inode and modification time only, and when it changed the run's version is
 * moved aside without an original to put back.
 */
final class ProtectedSnapshot {
    static final int MAX_ENTRIES = 10_000;
    static final int MAX_FILE_BYTES = 1 << 20;
    static final long MAX_TOTAL_BYTES = 16L << 20;
    /** How many refused versions of one path are kept; later ones are deleted. */
    static final int MAX_REFUSED_COPIES = 10;
    static final String REFUSED_SUFFIX = ".halt-refused";
    private static final String RESTORE_SUFFIX = ".halt-restore";
    private static final int FORMAT = 1;
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    private static final int S_IFMT = 0xF000;
    private static final int S_IFDIR = 0x4000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFLNK = 0xA000;
    private static final int PERMISSION_BITS = 07777;

    /**
     * One file, directory or link as it was. Told apart with {@code instanceof}, not a pattern
     * switch: its bootstrap costs milliseconds at the first use, in every launch.
     */
    sealed interface Entry {
        Path path();
    }

    /** @param mode permission bits */
    record Dir(Path path, int mode) implements Entry {}

    /** @param content the bytes, or null when over the bounds (then size, inode and time stand in) */
    record File(Path path, int mode, long size, long inode, long modifiedNanos, byte[] content) implements Entry {}

    record Link(Path path, String target) implements Entry {}

    /** A {@code .git} directory that must stay where it is: the directory is known by its inode. */
    record Pinned(Path path, long device, long inode) {}

    /** Finds where a pinned directory is now. */
    interface Locator {
        /** The directory's current path, or empty when it is gone or cannot be found. */
        Optional<Path> locate(Pinned pinned);
    }

    private final List<Path> scanRoots;
    private final List<Path> roots;
    private final Map<Path, Entry> entries;
    private final Map<Path, List<Entry>> children;
    private final List<Pinned> pinned;
    private final List<Path> absent;
    private final List<String> warnings;

    private ProtectedSnapshot(List<Path> scanRoots, List<Path> roots, Map<Path, Entry> entries, List<Pinned> pinned,
                              List<Path> absent, List<String> warnings) {
        this.scanRoots = List.copyOf(scanRoots);
        this.roots = List.copyOf(roots);
        this.entries = entries;
        this.pinned = List.copyOf(pinned);
        this.absent = List.copyOf(absent);
        this.warnings = List.copyOf(warnings);
        var byParent = new LinkedHashMap<Path, List<Entry>>();
        for (var e : entries.values()) {
            if (!roots.contains(e.path())) byParent.computeIfAbsent(e.path().getParent(), k -> new ArrayList<>()).add(e);
        }
        this.children = byParent;
    }

    /** Takes the snapshot of {@code paths}: call it before the child starts. */
    static ProtectedSnapshot take(ProtectedPaths paths) {
        var warnings = new ArrayList<String>();
        var roots = topMost(paths.readOnly());
        var entries = new LinkedHashMap<Path, Entry>();
        long[] bytes = {0};
        var kept = new ArrayList<Path>();
        for (var root : roots) {
            var tree = new LinkedHashMap<Path, Entry>();
            if (!walk(root, tree, MAX_ENTRIES - entries.size())) {
                warnings.add("protect: " + root + " holds more than " + MAX_ENTRIES + " files in all with the other"
                    + " protected paths: halt neither watches nor repairs it (narrow it with unprotect)");
                continue;
            }
            for (var e : tree.values()) {
                if (e instanceof File f && f.size() <= MAX_FILE_BYTES && bytes[0] + f.size() <= MAX_TOTAL_BYTES) {
                    var content = readBeforeTheRun(f.path(), f.size());
                    if (content != null) {
                        bytes[0] += content.length;
                        e = new File(f.path(), f.mode(), f.size(), f.inode(), f.modifiedNanos(), content);
                    }
                }
                if (e instanceof File f && f.content() == null) {
                    var why = f.size() > MAX_FILE_BYTES || bytes[0] + f.size() > MAX_TOTAL_BYTES
                        ? "is larger than halt keeps a copy of (" + (MAX_FILE_BYTES >> 20) + " MiB a file, "
                            + (MAX_TOTAL_BYTES >> 20) + " MiB in all)"
                        : "cannot be read by halt";
                    warnings.add("protect: " + f.path() + " " + why + ": if the run changes it, halt moves the run's"
                        + " version aside but has no original to put back");
                }
                entries.put(e.path(), e);
            }
            kept.add(root);
        }
        var pins = new ArrayList<Pinned>();
        for (var dir : paths.pinned()) {
            var st = Stat.of(dir);
            if (st.isPresent() && st.get().type() == S_IFDIR) pins.add(new Pinned(dir, st.get().device(), st.get().inode()));
        }
        return new ProtectedSnapshot(paths.roots(), kept, entries, pins, paths.absent(), warnings);
    }

    /** Nothing protected. */
    boolean isEmpty() {
        return roots.isEmpty() && pinned.isEmpty() && absent.isEmpty();
    }

    /** What the snapshot could not cover, for a WARN line each at launch. */
    List<String> warnings() {
        return warnings;
    }

    List<Pinned> pinned() {
        return pinned;
    }

    /**
     * The directories whose changes matter, each with the names in it that matter (null: every
     * name): the protected directories themselves, and the parent of every protected path, pinned
     * directory and file that must not appear.
     */
    Map<Path, java.util.Set<String>> watchedDirectories() {
        var watched = new LinkedHashMap<Path, java.util.Set<String>>();
        for (var e : entries.values()) {
            if (e instanceof Dir d) watched.put(d.path(), null);
        }
        var named = new ArrayList<Path>(roots);
        pinned.forEach(p -> named.add(p.path()));
        named.addAll(absent);
        for (var path : named) {
            var parent = path.getParent();
            if (parent == null || (watched.containsKey(parent) && watched.get(parent) == null)) continue;
            watched.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(path.getFileName().toString());
        }
        return watched;
    }

    private static boolean walk(Path root, Map<Path, Entry> tree, int budget) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return add(dir) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    return add(file) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                private boolean add(Path path) {
                    if (isHaltsOwn(path.getFileName().toString())) return true;
                    var e = entry(path);
                    if (e.isEmpty()) return true;
                    tree.put(path, e.get());
                    return tree.size() <= budget;
                }
            });
        } catch (IOException e) {
            return !tree.isEmpty() || !Files.exists(root, LinkOption.NOFOLLOW_LINKS);
        }
        return tree.size() <= budget;
    }

    /** The entry for what is at {@code path} now, without content; empty for a missing path or a special file. */
    private static Optional<Entry> entry(Path path) {
        var st = Stat.of(path);
        if (st.isEmpty()) return Optional.empty();
        var s = st.get();
        return switch (s.type()) {
            case S_IFDIR -> Optional.of(new Dir(path, s.mode()));
            case S_IFREG -> Optional.of(new File(path, s.mode(), s.size(), s.inode(), s.modifiedNanos(), null));
            case S_IFLNK -> {
                try {
                    yield Optional.of(new Link(path, Files.readSymbolicLink(path).toString()));
                } catch (IOException e) {
                    yield Optional.empty();
                }
            }
            default -> Optional.empty();
        };
    }

    /** The names halt itself leaves beside a protected path: never taken for a change of the run's. */
    static boolean isHaltsOwn(String name) {
        if (name.endsWith(RESTORE_SUFFIX)) return true;
        int at = name.lastIndexOf(REFUSED_SUFFIX);
        if (at < 0) return false;
        var rest = name.substring(at + REFUSED_SUFFIX.length());
        return rest.isEmpty() || rest.matches("\\.[0-9]+");
    }

    /**
     * Compares the protected paths with the snapshot and puts back what differs; returns one line
     * for the user per thing done. Pinned directories first (a renamed {@code .git} moved back),
     * then the protected files and trees, then files that must not exist (moved aside). One
     * repair at a time: the watcher's and the exit's do not interleave.
     */
    synchronized List<String> repair(Locator locator) {
        var done = new ArrayList<String>();
        var lost = new ArrayList<Path>();
        for (var pin : pinned) repairPinned(pin, locator, done, lost);
        for (var root : roots) {
            if (lost.stream().anyMatch(root::startsWith)) continue;
            repairEntry(entries.get(root), done);
        }
        for (var path : absent) {
            if (lost.stream().anyMatch(path::startsWith) || Stat.of(path).isEmpty()) continue;
            if (!parentsAreDirectories(path, done)) continue;
            try {
                var aside = moveAside(path);
                done.add(path + " appeared during the run; git would follow it to another repository's config and hooks."
                    + " halt " + aside.map(a -> "moved it to " + a).orElse("deleted it"));
            } catch (IOException e) {
                done.add(path + " appeared during the run and halt could not move it aside (" + e.getMessage()
                    + "): remove it before running git there");
            }
        }
        return done;
    }

    private void repairPinned(Pinned pin, Locator locator, List<String> done, List<Path> lost) {
        var st = Stat.of(pin.path());
        if (st.isPresent() && st.get().type() == S_IFDIR && st.get().device() == pin.device() && st.get().inode() == pin.inode()) {
            return;
        }
        if (!parentsAreDirectories(pin.path(), done)) {
            lost.add(pin.path());
            return;
        }
        Optional<Path> aside = Optional.empty();
        try {
            if (st.isPresent()) aside = moveAside(pin.path());
            // Looked for after the move: the original may have been put inside what stood in its place.
            var original = locator.locate(pin).filter(p -> !p.equals(pin.path()));
            var impostor = st.isEmpty() ? "" : ", and " + aside.map(a -> "moved what the run put in its place to " + a)
                .orElse("deleted what the run put in its place");
            if (original.isPresent()) {
                Files.move(original.get(), pin.path(), StandardCopyOption.ATOMIC_MOVE);
                done.add(pin.path() + " had been moved to " + original.get() + "; halt moved it back" + impostor);
            } else {
                lost.add(pin.path());
                done.add(pin.path() + " was deleted during the run, or moved where halt cannot find it: halt cannot put it"
                    + " back (it keeps only config and hooks, not objects and refs)" + impostor);
            }
        } catch (IOException e) {
            lost.add(pin.path());
            done.add(pin.path() + " was moved or replaced during the run and halt could not repair it (" + e.getMessage()
                + "): check it before running git there");
        }
    }

    private void repairEntry(Entry expected, List<String> done) {
        var path = expected.path();
        if (!parentsAreDirectories(path, done)) return;
        var now = Stat.of(path);
        try {
            if (now.isEmpty()) {
                restore(expected);
                done.add(path + " was deleted during the run; halt put it back");
                return;
            }
            var current = now.get();
            if (current.type() != typeOf(expected)) {
                var aside = moveAside(path);
                restore(expected);
                done.add(path + " was replaced during the run; halt put back the original" + keptAs(aside));
                return;
            }
            if (expected instanceof Dir d) {
                if (current.mode() != d.mode()) {
                    setMode(path, d.mode());
                    done.add(path + ": the run changed its mode to " + octal(current.mode()) + "; halt set it back to " + octal(d.mode()));
                }
                repairChildren(d, done);
            } else if (expected instanceof File f) {
                repairFile(f, current, done);
            } else if (expected instanceof Link l && !Files.readSymbolicLink(path).toString().equals(l.target())) {
                var aside = moveAside(path);
                restore(l);
                done.add(path + " was changed during the run; halt put back the original" + keptAs(aside));
            }
        } catch (IOException e) {
            done.add(path + " was changed during the run and halt could not put it back (" + e.getMessage()
                + "): check it before running git or your shell there");
        }
    }

    private void repairChildren(Dir dir, List<String> done) throws IOException {
        var expected = children.getOrDefault(dir.path(), List.of());
        var expectedNames = new LinkedHashSet<Path>();
        expected.forEach(e -> expectedNames.add(e.path()));
        List<Path> present;
        try (var list = Files.list(dir.path())) {
            present = list.toList();
        }
        for (var child : present) {
            if (expectedNames.contains(child) || isHaltsOwn(child.getFileName().toString())) continue;
            var aside = moveAside(child);
            done.add(child + " was written by the run; halt " + aside.map(a -> "moved it to " + a).orElse("deleted it"));
        }
        for (var e : expected) repairEntry(e, done);
    }

    private static void repairFile(File expected, Stat current, List<String> done) throws IOException {
        var path = expected.path();
        boolean same;
        if (expected.content() != null) {
            same = current.size() == expected.content().length
                && Arrays.equals(readRegularFile(path, expected.content().length), expected.content());
        } else {
            same = current.size() == expected.size() && current.inode() == expected.inode()
                && current.modifiedNanos() == expected.modifiedNanos();
        }
        if (same) {
            if (current.mode() != expected.mode()) {
                setMode(path, expected.mode());
                done.add(path + ": the run changed its mode to " + octal(current.mode()) + "; halt set it back to "
                    + octal(expected.mode()));
            }
            return;
        }
        if (expected.content() == null) {
            var aside = moveAside(path);
            done.add(path + " was changed during the run; it is larger than halt keeps a copy of, so halt "
                + aside.map(a -> "moved the run's version to " + a).orElse("deleted the run's version")
                + " and could not put the original back");
            return;
        }
        var fresh = writeRestoreCopy(expected);
        var aside = moveAside(path);
        Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE);
        done.add(path + " was changed during the run; halt put back the original" + keptAs(aside));
    }

    private static String keptAs(Optional<Path> aside) {
        return aside.map(a -> " and kept the run's version as " + a).orElse(" and deleted the run's version");
    }

    /** Puts {@code entry} (and, for a directory, everything under it) where it was. */
    private void restore(Entry entry) throws IOException {
        var path = entry.path();
        if (entry instanceof Dir d) {
            Files.createDirectory(path);
            setMode(path, d.mode());
            for (var child : children.getOrDefault(path, List.of())) restore(child);
        } else if (entry instanceof File f) {
            if (f.content() != null) Files.move(writeRestoreCopy(f), path, StandardCopyOption.ATOMIC_MOVE);
        } else if (entry instanceof Link l) {
            Files.createSymbolicLink(path, Path.of(l.target()));
        }
    }

    /** The original content in a new file beside {@code file}, with its mode, ready to be renamed over it. */
    private static Path writeRestoreCopy(File file) throws IOException {
        var temp = file.path().resolveSibling(file.path().getFileName() + RESTORE_SUFFIX);
        Files.deleteIfExists(temp);
        try (var out = Files.newByteChannel(temp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")))) {
            var buffer = ByteBuffer.wrap(file.content());
            while (buffer.hasRemaining()) out.write(buffer);
        }
        setMode(temp, file.mode());
        return temp;
    }

    /**
     * Renames {@code path} to {@code NAME.halt-refused} (or {@code .halt-refused.N}); past
     * {@link #MAX_REFUSED_COPIES} it deletes it instead (a run that keeps rewriting a hook must not
     * fill the disk). Empty when deleted.
     */
    static Optional<Path> moveAside(Path path) throws IOException {
        for (int n = 0; n < MAX_REFUSED_COPIES; n++) {
            var target = path.resolveSibling(path.getFileName() + REFUSED_SUFFIX + (n == 0 ? "" : "." + n));
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) continue;
            try {
                return Optional.of(Files.move(path, target));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // Taken in between: try the next name.
            }
        }
        deleteTree(path);
        return Optional.empty();
    }

    /**
     * Whether every directory from the write grant down to {@code path}'s parent is a directory
     * and not a link: halt must not follow a link the run planted to change files elsewhere.
     */
    private boolean parentsAreDirectories(Path path, List<String> done) {
        var root = scanRoots.stream().filter(path::startsWith).findFirst();
        if (root.isEmpty()) return false;
        var current = root.get();
        for (var name : root.get().relativize(path.getParent() == null ? path : path.getParent())) {
            if (name.toString().isEmpty()) continue;
            current = current.resolve(name);
            var st = Stat.of(current);
            if (st.isPresent() && st.get().type() == S_IFDIR) continue;
            if (st.isEmpty()) {
                try {
                    Files.createDirectory(current);
                    continue;
                } catch (IOException e) {
                    done.add(path + ": its directory " + current + " is gone and halt could not make it again (" + e.getMessage() + ")");
                    return false;
                }
            }
            var aside = moveAsideQuietly(current);
            done.add(current + " was replaced by the run with something that is not a directory; halt "
                + aside.map(a -> "moved it to " + a).orElse("could not move it aside") + " and made the directory again");
            try {
                Files.createDirectory(current);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Path> moveAsideQuietly(Path path) {
        try {
            return moveAside(path);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int typeOf(Entry e) {
        return e instanceof Dir ? S_IFDIR : e instanceof File ? S_IFREG : S_IFLNK;
    }

    private static void setMode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
    }

    /** Removes {@code path} and everything under it, never following a link. */
    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // A directory the run made unwritable (chmod 0500) still belongs to us: open it up to empty it.
                if (!Files.isWritable(dir) || !Files.isExecutable(dir)) setMode(dir, 0700);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) throw e;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static List<Path> topMost(List<Path> paths) {
        var result = new ArrayList<Path>();
        for (var p : paths) {
            if (paths.stream().noneMatch(q -> !q.equals(p) && p.startsWith(q)) && !result.contains(p)) result.add(p);
        }
        return result;
    }

    /**
     * The content of a regular file before the child starts, through the JDK (a tenth of the cost
     * of {@link #readRegularFile} in a cold JVM): nothing of the run can swap it for a link or a
     * FIFO yet, and the walk just saw a regular file of {@code size} bytes. Null when it changed.
     */
    private static byte[] readBeforeTheRun(Path path, long size) {
        try (var channel = Files.newByteChannel(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            var buffer = ByteBuffer.allocate((int) size + 1);
            while (channel.read(buffer) > 0 && buffer.hasRemaining()) {
                // until the end of the file, or one byte more than it had
            }
            return buffer.position() == size ? Arrays.copyOf(buffer.array(), (int) size) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The content of the regular file {@code path}, or null when it is not one or is longer than
     * {@code max} bytes. Opened with {@code O_NOFOLLOW|O_NONBLOCK}: neither a link nor a FIFO the
     * sandboxed side put in its place can redirect or block the reader. One arena and errno
     * segment for every call on the file.
     */
    private static byte[] readRegularFile(Path path, int max) {
        try (var a = Arena.ofConfined()) {
            var errno = Errno.allocate(a);
            int fd = (int) unistd_h.syscall(errno, Syscall.TABLE.openat(), Syscalls.AT_FDCWD, a.allocateFrom(path.toString()).address(),
                Syscalls.O_RDONLY | Syscall.TABLE.oNofollow() | Syscalls.O_NONBLOCK | Syscalls.O_CLOEXEC, 0, 0, 0);
            if (fd < 0) return null;
            try {
                var chunk = a.allocate(Math.min(Math.max(max + 1, 1), READ_CHUNK_BYTES));
                var out = new java.io.ByteArrayOutputStream();
                while (out.size() <= max) {
                    long n = unistd_h.syscall(errno, Syscall.TABLE.read(), fd, chunk.address(), chunk.byteSize(), 0, 0, 0);
                    if (n < 0 && Errno.get(errno) == Errno.EINTR) continue;
                    // EISDIR, EAGAIN (a FIFO), EINVAL: not a regular file.
                    if (n < 0) return null;
                    if (n == 0) return out.toByteArray();
                    out.write(chunk.asSlice(0, n).toArray(JAVA_BYTE), 0, (int) n);
                }
                return null;
            } finally {
                unistd_h.syscall(errno, Syscall.TABLE.close(), fd, 0, 0, 0, 0, 0);
            }
        }
    }

    /** What {@code lstat} says of a path, through the JDK's unix attribute view. */
    record Stat(int type, int mode, long size, long device, long inode, long modifiedNanos) {
        static Optional<Stat> of(Path path) {
            try {
                var a = Files.readAttributes(path, "unix:mode,size,dev,ino,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                return Optional.of(new Stat(mode & S_IFMT, mode & PERMISSION_BITS, (Long) a.get("size"), (Long) a.get("dev"),
                    (Long) a.get("ino"), ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS)));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /**
     * Finds a pinned directory by its inode under the write grants, for a halt that did not hold
     * it open (the run's halt was killed): a bounded walk, links not followed.
     */
    Locator scanningLocator() {
        return pin -> {
            for (var root : scanRoots) {
                var found = new Path[1];
                var visited = new int[1];
                try {
                    Files.walkFileTree(root, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
                        ProtectedPaths.MAX_DEPTH + 2, new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                                if (++visited[0] > ProtectedPaths.MAX_DIRECTORIES) return FileVisitResult.TERMINATE;
                                var st = Stat.of(dir);
                                if (st.isPresent() && st.get().device() == pin.device() && st.get().inode() == pin.inode()) {
                                    found[0] = dir;
                                    return FileVisitResult.TERMINATE;
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path file, IOException e) {
                                return FileVisitResult.CONTINUE;
                            }
                        });
                } catch (IOException e) {
                    continue;
                }
                if (found[0] != null) return Optional.of(found[0]);
            }
            return Optional.empty();
        };
    }

    /** Writes the snapshot, contents included, for {@link #read}. */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        writePaths(out, scanRoots);
        writePaths(out, roots);
        out.writeInt(entries.size());
        for (var e : entries.values()) {
            out.writeUTF(e.path().toString());
            if (e instanceof Dir d) {
                out.writeByte('d');
                out.writeInt(d.mode());
            } else if (e instanceof File f) {
                out.writeByte('f');
                out.writeInt(f.mode());
                out.writeLong(f.size());
                out.writeLong(f.inode());
                out.writeLong(f.modifiedNanos());
                out.writeInt(f.content() == null ? -1 : f.content().length);
                if (f.content() != null) out.write(f.content());
            } else if (e instanceof Link l) {
                out.writeByte('l');
                out.writeUTF(l.target());
            }
        }
        out.writeInt(pinned.size());
        for (var p : pinned) {
            out.writeUTF(p.path().toString());
            out.writeLong(p.device());
            out.writeLong(p.inode());
        }
        writePaths(out, absent);
    }

    /** Reads what {@link #write} wrote. */
    static ProtectedSnapshot read(DataInputStream in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) throw new IOException("unknown snapshot format " + format);
        var scanRoots = readPaths(in);
        var roots = readPaths(in);
        int count = in.readInt();
        if (count < 0 || count > MAX_ENTRIES + 1) throw new IOException("bad entry count " + count);
        var entries = new LinkedHashMap<Path, Entry>();
        for (int i = 0; i < count; i++) {
            var path = Path.of(in.readUTF());
            int kind = in.readByte();
            Entry e = switch (kind) {
                case 'd' -> new Dir(path, in.readInt());
                case 'f' -> {
                    int mode = in.readInt();
                    long size = in.readLong();
                    long inode = in.readLong();
                    long modified = in.readLong();
                    int length = in.readInt();
                    if (length > MAX_FILE_BYTES) throw new IOException("bad content length " + length);
                    byte[] content = null;
                    if (length >= 0) {
                        content = new byte[length];
                        in.readFully(content);
                    }
                    yield new File(path, mode, size, inode, modified, content);
                }
                case 'l' -> new Link(path, in.readUTF());
                default -> throw new IOException("bad entry kind " + kind);
            };
            entries.put(path, e);
        }
        int pins = in.readInt();
        var pinned = new ArrayList<Pinned>();
        for (int i = 0; i < pins; i++) pinned.add(new Pinned(Path.of(in.readUTF()), in.readLong(), in.readLong()));
        var absent = readPaths(in);
        return new ProtectedSnapshot(scanRoots, roots, entries, pinned, absent, List.of());
    }

    private static void writePaths(DataOutputStream out, List<Path> paths) throws IOException {
        out.writeInt(paths.size());
        for (var p : paths) out.writeUTF(p.toString());
    }

    private static List<Path> readPaths(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) throw new IOException("bad path count " + n);
        var paths = new ArrayList<Path>();
        for (int i = 0; i < n; i++) paths.add(Path.of(in.readUTF()));
        return paths;
    }
}
