package dev.halt.core.linux.fs;

import dev.halt.core.protect.ProtectedPaths;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
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

/**
 * A copy of the protected paths of a run that has no mount namespace to bind them read-only
 * (see {@link ProtectedPaths}), and the repair that puts them back. Landlock cannot refuse a
 * sub-path of a write grant, so halt detects and repairs instead of preventing: whatever the run
 * changed under a protected path is moved aside, into {@code NAME.halt-refused/} beside it
 * ({@code .git/hooks.halt-refused/pre-commit}), and the original is written back; a pinned
 * {@code .git} that was renamed away is moved back.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} files and directories in all (a protected tree with
 * more is left out, and {@link #warnings()} says so), and file contents up to
 * {@link #MAX_FILE_BYTES} each and {@link #MAX_TOTAL_BYTES} in all. A file over those bounds is
 * compared by size, inode and modification time only, and when it changed the run's version is
 * moved aside without an original to put back.
 *
 * <p>This class takes the snapshot and answers for it; {@link SnapshotRepair} puts the protected
 * paths back from it, and {@link SnapshotFormat} is its form in the run record ({@link RunRecord}).
 */
public final class ProtectedSnapshot {
    static final int MAX_ENTRIES = 10_000;
    static final int MAX_FILE_BYTES = 1 << 20;
    static final long MAX_TOTAL_BYTES = 16L << 20;

    private static final int S_IFMT = 0xF000;
    static final int S_IFDIR = 0x4000;
    static final int S_IFREG = 0x8000;
    static final int S_IFLNK = 0xA000;
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
    public record Pinned(Path path, long device, long inode) {}

    /** Finds where a pinned directory is now. */
    public interface Locator {
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

    ProtectedSnapshot(List<Path> scanRoots, List<Path> roots, Map<Path, Entry> entries, List<Pinned> pinned,
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
    public static ProtectedSnapshot take(ProtectedPaths paths) {
        var warnings = new ArrayList<String>();
        var roots = topMost(paths.readOnly());
        var entries = new LinkedHashMap<Path, Entry>();
        long bytes = 0;
        var kept = new ArrayList<Path>();
        for (var root : roots) {
            var tree = new LinkedHashMap<Path, Entry>();
            if (!walk(root, tree, MAX_ENTRIES - entries.size())) {
                warnings.add("protect: " + root + " holds more than " + MAX_ENTRIES + " files in all with the other"
                    + " protected paths: halt neither watches nor repairs it (narrow it with unprotect)");
                continue;
            }
            for (var e : tree.values()) {
                if (e instanceof File f && f.size() <= MAX_FILE_BYTES && bytes + f.size() <= MAX_TOTAL_BYTES) {
                    var content = readBeforeTheRun(f.path(), f.size());
                    if (content != null) {
                        bytes += content.length;
                        e = new File(f.path(), f.mode(), f.size(), f.inode(), f.modifiedNanos(), content);
                    }
                }
                if (e instanceof File f && f.content() == null) {
                    var why = f.size() > MAX_FILE_BYTES || bytes + f.size() > MAX_TOTAL_BYTES
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
    public boolean isEmpty() {
        return roots.isEmpty() && pinned.isEmpty() && absent.isEmpty();
    }

    /** What the snapshot could not cover, for a WARN line each at launch. */
    public List<String> warnings() {
        return warnings;
    }

    public List<Pinned> pinned() {
        return pinned;
    }

    /** The write grants the snapshot was taken in. */
    List<Path> scanRoots() {
        return scanRoots;
    }

    /** The protected paths the snapshot covers, the top-most of each tree. */
    List<Path> roots() {
        return roots;
    }

    /** Every file, directory and link of the protected trees, by path. */
    Map<Path, Entry> entries() {
        return entries;
    }

    /** The entries of each directory of the protected trees, by the directory's path. */
    Map<Path, List<Entry>> children() {
        return children;
    }

    /** The files whose appearance would redirect git. */
    List<Path> absent() {
        return absent;
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

    /**
     * Compares the protected paths with the snapshot and puts back what differs; returns one line
     * for the user per thing done. Pinned directories first (a renamed {@code .git} moved back),
     * then the protected files and trees, then files that must not exist (moved aside). One
     * repair at a time: the watcher's and the exit's do not interleave.
     * {@link SnapshotRepair} makes it.
     */
    public synchronized List<String> repair(Locator locator) {
        return new SnapshotRepair(this).repair(locator);
    }

    /**
     * Moves {@code path}, a file of the write grants {@code roots} that must not be there (a redirect
     * of git's that appeared during the run), into {@code NAME.halt-refused/} beside it, by held
     * directories as {@link #repair} does; where it went, or empty when it is gone (or was deleted).
     * Made by {@link SnapshotRepair}.
     */
    public static Optional<Path> keepAside(List<Path> roots, Path path) throws IOException {
        return SnapshotRepair.keepAside(roots, path);
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
     * of {@link OpenDirectory#readRegularFile} in a cold JVM): nothing of the run can swap it for a
     * link or a FIFO yet, and the walk just saw a regular file of {@code size} bytes. Null when it
     * changed.
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

    /** What {@code lstat} (or {@code stat}) says of a path, through the JDK's unix attribute view. */
    record Stat(int type, int mode, long size, long device, long inode, long modifiedNanos) {
        boolean isDirectory() {
            return type == S_IFDIR;
        }

        boolean isRegularFile() {
            return type == S_IFREG;
        }

        static Optional<Stat> of(Path path) {
            return read(path, LinkOption.NOFOLLOW_LINKS);
        }

        /** Following a last link: for {@code /proc/self/fd/N}, the file descriptor N holds. */
        static Optional<Stat> ofFollowed(Path path) {
            return read(path);
        }

        private static Optional<Stat> read(Path path, LinkOption... options) {
            try {
                var a = Files.readAttributes(path, "unix:mode,size,dev,ino,lastModifiedTime", options);
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
    public Locator scanningLocator() {
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
}
