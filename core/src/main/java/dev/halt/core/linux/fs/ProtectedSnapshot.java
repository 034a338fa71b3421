package dev.halt.core.linux.fs;

import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.linux.Errno;

import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 */
public final class ProtectedSnapshot {
    private static final System.Logger LOG = System.getLogger("halt");
    static final int MAX_ENTRIES = 10_000;
    static final int MAX_FILE_BYTES = 1 << 20;
    static final long MAX_TOTAL_BYTES = 16L << 20;
    /** How many refused versions of one path are kept; later ones are deleted. */
    static final int MAX_REFUSED_COPIES = 10;
    static final String REFUSED_SUFFIX = ".halt-refused";
    private static final int FORMAT = 1;

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
    public static ProtectedSnapshot take(ProtectedPaths paths) {
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
     *
     * <p>Every change is made relative to a directory held open ({@link OpenDirectory}), reached from
     * the write grant one name at a time without following a link: the run, and what it leaves
     * running, can swap any directory of these trees for a link between two steps of halt's. No name
     * is trusted as halt's own: the run's versions go to {@code NAME.halt-refused/} beside the
     * protected path, outside what git, a shell or an editor loads, so whatever appears inside a
     * protected directory is the run's.
     */
    public synchronized List<String> repair(Locator locator) {
        var done = new ArrayList<String>();
        var lost = new ArrayList<Path>();
        for (var pin : pinned) repairPinned(pin, locator, done, lost);
        for (var root : roots) {
            if (lost.stream().anyMatch(root::startsWith)) continue;
            repairRoot(entries.get(root), done);
        }
        for (var path : absent) {
            // A read by path: what git would follow. The move below goes by held directories.
            if (lost.stream().anyMatch(path::startsWith) || Stat.of(path).isEmpty()) continue;
            var name = path.getFileName().toString();
            try (var parent = openParent(path, done); var kept = new Kept(parent, name)) {
                if (parent == null || parent.stat(name).isEmpty()) continue;
                var aside = kept.take(parent, name);
                done.add(path + " appeared during the run; git would follow it to another repository's config and hooks."
                    + " halt " + aside.map(a -> "moved it to " + a).orElse("deleted it"));
            } catch (IOException e) {
                done.add(path + " appeared during the run and halt could not move it aside (" + e.getMessage()
                    + "): remove it before running git there");
            }
        }
        return done;
    }

    private static boolean isThe(Pinned pin, Optional<Stat> st) {
        return st.isPresent() && st.get().type() == S_IFDIR && st.get().device() == pin.device() && st.get().inode() == pin.inode();
    }

    private void repairPinned(Pinned pin, Locator locator, List<String> done, List<Path> lost) {
        var name = pin.path().getFileName().toString();
        try (var parent = openParent(pin.path(), done); var kept = new Kept(parent, name)) {
            if (parent == null) {
                lost.add(pin.path());
                return;
            }
            var st = parent.stat(name);
            if (isThe(pin, st)) return;
            Optional<Path> aside = Optional.empty();
            if (st.isPresent()) aside = kept.take(parent, name);
            var impostor = st.isEmpty() ? "" : ", and " + aside.map(a -> "moved what the run put in its place to " + a)
                .orElse("deleted what the run put in its place");
            // Looked for after the move: the original may have been put inside what stood in its place.
            var original = moveBack(pin, locator, parent, name);
            if (original.isPresent()) {
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

    /**
     * Renames the pinned directory back to {@code name} in {@code parent} from where {@code locator}
     * says it is, and returns that place. The place is only a hint: its directory is opened from the
     * write grant without crossing a link ({@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS}), and the
     * directory there is renamed only when its device and inode are the pinned one's; a place the run
     * keeps changing is looked up again, a few times.
     */
    private Optional<Path> moveBack(Pinned pin, Locator locator, OpenDirectory parent, String name) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            var found = locator.locate(pin).filter(p -> !p.equals(pin.path()) && p.getParent() != null);
            if (found.isEmpty()) return Optional.empty();
            var original = found.get();
            var root = scanRootOf(original);
            if (root.isEmpty()) return Optional.empty();
            try (var top = OpenDirectory.open(root.get()); var from = top.openBeneath(root.get().relativize(original.getParent()))) {
                var originalName = original.getFileName().toString();
                if (isThe(pin, from.stat(originalName)) && from.move(originalName, parent, name, false)) return Optional.of(original);
            } catch (OpenDirectory.Failed e) {
                // A link, a directory moved meanwhile, a place outside the grant (EXDEV): look again.
            }
        }
        return Optional.empty();
    }

    private void repairRoot(Entry expected, List<String> done) {
        var name = expected.path().getFileName().toString();
        try (var parent = openParent(expected.path(), done); var kept = new Kept(parent, name)) {
            if (parent != null) repairEntry(parent, name, expected, kept, done);
        }
    }

    /** Puts {@code expected} back as {@code name} in {@code dir}; the run's versions go to {@code kept}. */
    private void repairEntry(OpenDirectory dir, String name, Entry expected, Kept kept, List<String> done) {
        var path = expected.path();
        var now = dir.stat(name);
        try {
            if (now.isEmpty()) {
                restore(dir, name, expected);
                done.add(path + " was deleted during the run; halt put it back");
                return;
            }
            var current = now.get();
            if (current.type() != typeOf(expected)) {
                replaced(dir, name, expected, kept, done);
                return;
            }
            if (expected instanceof Dir d) {
                OpenDirectory child;
                try {
                    child = dir.openChild(name);
                } catch (OpenDirectory.Failed e) {
                    if (!e.notADirectory()) throw e;
                    replaced(dir, name, expected, kept, done);
                    return;
                }
                try (child) {
                    var opened = child.stat();
                    if ((opened.isPresent() ? opened.get().mode() : current.mode()) != d.mode()) child.setMode(d.mode());
                    if (current.mode() != d.mode()) {
                        done.add(path + ": the run changed its mode to " + octal(current.mode()) + "; halt set it back to " + octal(d.mode()));
                    }
                    repairChildren(child, d, kept, done);
                }
            } else if (expected instanceof File f) {
                repairFile(dir, name, f, current, kept, done);
            } else if (expected instanceof Link l && !dir.readLink(name).equals(l.target())) {
                replaced(dir, name, expected, kept, done);
            }
        } catch (IOException e) {
            done.add(path + " was changed during the run and halt could not put it back (" + e.getMessage()
                + "): check it before running git or your shell there");
        }
    }

    private void replaced(OpenDirectory dir, String name, Entry expected, Kept kept, List<String> done) throws IOException {
        var aside = kept.take(dir, name);
        restore(dir, name, expected);
        done.add(expected.path() + " was replaced during the run; halt put back the original" + keptAs(aside));
    }

    /** Everything in {@code dir} that the snapshot does not name is the run's: kept aside. */
    private void repairChildren(OpenDirectory dir, Dir expectedDir, Kept kept, List<String> done) throws IOException {
        var expected = children.getOrDefault(expectedDir.path(), List.of());
        var expectedNames = new java.util.HashSet<String>();
        for (var e : expected) expectedNames.add(e.path().getFileName().toString());
        for (var name : dir.list()) {
            if (expectedNames.contains(name)) continue;
            var aside = kept.take(dir, name);
            done.add(expectedDir.path().resolve(name) + " was written by the run; halt "
                + aside.map(a -> "moved it to " + a).orElse("deleted it"));
        }
        for (var e : expected) repairEntry(dir, e.path().getFileName().toString(), e, kept, done);
    }

    private static void repairFile(OpenDirectory dir, String name, File expected, Stat current, Kept kept,
                                   List<String> done) throws IOException {
        var path = expected.path();
        boolean same;
        if (expected.content() != null) {
            same = current.size() == expected.content().length
                && Arrays.equals(dir.readRegularFile(name, expected.content().length), expected.content());
        } else {
            same = current.size() == expected.size() && current.inode() == expected.inode()
                && current.modifiedNanos() == expected.modifiedNanos();
        }
        if (same) {
            if (current.mode() != expected.mode()) {
                dir.setMode(name, expected.mode());
                done.add(path + ": the run changed its mode to " + octal(current.mode()) + "; halt set it back to "
                    + octal(expected.mode()));
            }
            return;
        }
        if (expected.content() == null) {
            var aside = kept.take(dir, name);
            done.add(path + " was changed during the run; it is larger than halt keeps a copy of, so halt "
                + aside.map(a -> "moved the run's version to " + a).orElse("deleted the run's version")
                + " and could not put the original back");
            return;
        }
        var fresh = dir.writeNewFile(expected.content(), expected.mode());
        Optional<Path> aside;
        try {
            aside = kept.take(dir, name);
        } catch (IOException e) {
            dir.deleteTree(fresh);
            throw e;
        }
        moveInto(dir, fresh, name);
        done.add(path + " was changed during the run; halt put back the original" + keptAs(aside));
    }

    private static String keptAs(Optional<Path> aside) {
        return aside.map(a -> " and kept the run's version as " + a).orElse(" and deleted the run's version");
    }

    /** Puts {@code entry} (and, for a directory, everything under it) back as {@code name} in {@code dir}. */
    private void restore(OpenDirectory dir, String name, Entry entry) throws IOException {
        if (entry instanceof Dir d) {
            // Its own mode last: a directory the user keeps read-only must still take its files.
            dir.makeDirectory(name, 0700);
            try (var child = dir.openChild(name)) {
                for (var c : children.getOrDefault(d.path(), List.of())) restore(child, c.path().getFileName().toString(), c);
                child.setMode(d.mode());
            }
        } else if (entry instanceof File f) {
            if (f.content() != null) moveInto(dir, dir.writeNewFile(f.content(), f.mode()), name);
        } else if (entry instanceof Link l) {
            dir.makeLink(name, l.target());
        }
    }

    /** Renames halt's copy {@code fresh} over {@code name} (atomically), or removes the copy when that fails. */
    private static void moveInto(OpenDirectory dir, String fresh, String name) throws IOException {
        try {
            dir.move(fresh, dir, name, true);
        } catch (IOException e) {
            dir.deleteTree(fresh);
            throw e;
        }
    }

    private Optional<Path> scanRootOf(Path path) {
        return scanRootOf(scanRoots, path);
    }

    /** The top-most of {@code roots} (write grants) that holds {@code path}. */
    private static Optional<Path> scanRootOf(List<Path> roots, Path path) {
        // A loop, not a stream: each lambda's first use costs a bootstrap in the cold JVM of the exit checks.
        Path top = null;
        for (var root : roots) {
            if (path.startsWith(root) && (top == null || root.getNameCount() < top.getNameCount())) top = root;
        }
        return Optional.ofNullable(top);
    }

    /**
     * Moves {@code path}, a file of the write grants {@code roots} that must not be there (a redirect
     * of git's that appeared during the run), into {@code NAME.halt-refused/} beside it, by held
     * directories as {@link #repair} does; where it went, or empty when it is gone (or was deleted).
     */
    public static Optional<Path> keepAside(List<Path> roots, Path path) throws IOException {
        var done = new ArrayList<String>();
        var name = path.getFileName().toString();
        try (var parent = openParent(roots, path, done); var kept = new Kept(parent, name)) {
            done.forEach(line -> LOG.log(System.Logger.Level.WARNING, "protect: " + line));
            if (parent == null) throw new IOException("halt cannot reach its directory without crossing a link");
            if (parent.stat(name).isEmpty()) return Optional.empty();
            return kept.take(parent, name);
        }
    }

    /**
     * The directory that holds {@code path}, opened from the top-most write grant that contains it
     * one name at a time, never following a link. A directory of that chain the run removed is made
     * again, and what the run put in the place of one (a link, a file) is kept aside first, each
     * with a line in {@code done}. Null when that fails (and a line says why).
     */
    private OpenDirectory openParent(Path path, List<String> done) {
        return openParent(scanRoots, path, done);
    }

    private static OpenDirectory openParent(List<Path> roots, Path path, List<String> done) {
        var root = scanRootOf(roots, path);
        if (root.isEmpty() || path.equals(root.get())) return null;
        var relative = root.get().relativize(path.getParent());
        OpenDirectory current;
        try {
            current = OpenDirectory.open(root.get());
        } catch (OpenDirectory.Failed e) {
            done.add(path + ": halt cannot open the write grant " + root.get() + " (" + e.getMessage() + ")");
            return null;
        }
        if (relative.toString().isEmpty()) return current;
        try {
            // The usual case in one call: every directory of the chain is there, and none is a link.
            var parent = current.openBeneath(relative);
            current.close();
            return parent;
        } catch (OpenDirectory.Failed e) {
            // Something on the way is missing or replaced: name by name below.
        }
        for (var component : relative) {
            var name = component.toString();
            try {
                var next = openOrMake(current, name, path, done);
                current.close();
                current = next;
            } catch (IOException e) {
                done.add(path + ": its directory " + current.path().resolve(name) + " is gone or replaced and halt could"
                    + " not make it again (" + e.getMessage() + ")");
                current.close();
                return null;
            }
        }
        return current;
    }

    private static OpenDirectory openOrMake(OpenDirectory dir, String name, Path forPath, List<String> done) throws IOException {
        try {
            return dir.openChild(name);
        } catch (OpenDirectory.Failed e) {
            if (e.notADirectory()) {
                try (var kept = new Kept(dir, name)) {
                    var aside = kept.take(dir, name);
                    done.add(dir.path().resolve(name) + " was replaced by the run with something that is not a directory; halt "
                        + aside.map(a -> "moved it to " + a).orElse("deleted it") + " and made the directory again");
                }
            } else if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        dir.makeDirectory(name, 0755);
        return dir.openChild(name);
    }

    /**
     * Where the run's versions of one protected path and what lies under it go: the directory
     * {@code NAME.halt-refused/} beside it ({@code .git/hooks.halt-refused/pre-commit}), made when
     * first needed. Not inside the protected path, so nothing that loads that path (git's hooks
     * directory, {@code .claude/commands}) loads the run's versions, and not a name anything looks
     * for. At most {@link #MAX_REFUSED_COPIES} versions of one name are kept (a run that keeps
     * rewriting a hook must not fill the disk); later ones, and any version when that directory
     * cannot be had (the run put a link or a file in its place), are deleted.
     */
    private static final class Kept implements AutoCloseable {
        private final OpenDirectory parent;
        private final String name;
        private OpenDirectory directory;
        private boolean unavailable;

        /** For {@code name} in {@code parent} (null: nothing is ever kept, {@link #take} is not called). */
        Kept(OpenDirectory parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        /** Moves {@code entry} of {@code from} here; where it went, or empty when it was deleted (or was gone). */
        public Optional<Path> take(OpenDirectory from, String entry) throws IOException {
            var into = directory();
            if (into != null) {
                for (int n = 0; n < MAX_REFUSED_COPIES; n++) {
                    var target = entry + (n == 0 ? "" : "." + n);
                    try {
                        if (from.move(entry, into, target, false)) return Optional.of(into.path().resolve(target));
                    } catch (OpenDirectory.Failed e) {
                        if (e.errno() == Errno.ENOENT && from.stat(entry).isEmpty()) return Optional.empty();
                        // EXDEV (a protected path that is a mount point), this directory removed meanwhile: delete instead.
                        break;
                    }
                }
            }
            from.deleteTree(entry);
            return Optional.empty();
        }

        private OpenDirectory directory() {
            if (directory != null || unavailable) return directory;
            var kept = name + REFUSED_SUFFIX;
            try {
                directory = parent.openChild(kept);
            } catch (OpenDirectory.Failed e) {
                if (e.errno() == Errno.ENOENT) {
                    try {
                        parent.makeDirectory(kept, 0700);
                        directory = parent.openChild(kept);
                    } catch (OpenDirectory.Failed again) {
                        unavailable = true;
                    }
                } else {
                    unavailable = true;
                }
            }
            return directory;
        }

        @Override
        public void close() {
            if (directory != null) directory.close();
        }
    }

    private static int typeOf(Entry e) {
        return e instanceof Dir ? S_IFDIR : e instanceof File ? S_IFREG : S_IFLNK;
    }

    private static String octal(int mode) {
        return String.format("%04o", mode);
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
