package dev.halt.core.linux.fs;

import dev.halt.core.linux.fs.ProtectedSnapshot.Dir;
import dev.halt.core.linux.fs.ProtectedSnapshot.Entry;
import dev.halt.core.linux.fs.ProtectedSnapshot.File;
import dev.halt.core.linux.fs.ProtectedSnapshot.Link;
import dev.halt.core.linux.fs.ProtectedSnapshot.Locator;
import dev.halt.core.linux.fs.ProtectedSnapshot.Pinned;
import dev.halt.core.linux.fs.ProtectedSnapshot.Stat;
import dev.halt.ffm.linux.Errno;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.halt.core.linux.fs.ProtectedSnapshot.S_IFDIR;
import static dev.halt.core.linux.fs.ProtectedSnapshot.S_IFLNK;
import static dev.halt.core.linux.fs.ProtectedSnapshot.S_IFREG;

/**
 * The repair of the protected paths from a {@link ProtectedSnapshot} (see
 * {@link ProtectedSnapshot#repair}, which holds one repair at a time).
 *
 * <p>Every change is made relative to a directory held open ({@link OpenDirectory}), reached from
 * the write grant one name at a time without following a link: the run, and what it leaves
 * running, can swap any directory of these trees for a link between two steps of halt's. No name
 * is trusted as halt's own: the run's versions go to {@code NAME.halt-refused/} beside the
 * protected path, outside what git, a shell or an editor loads, so whatever appears inside a
 * protected directory is the run's.
 */
final class SnapshotRepair {
    private static final System.Logger LOG = System.getLogger("halt");
    /** How many refused versions of one path are kept; later ones are deleted. */
    static final int MAX_REFUSED_COPIES = 10;
    static final String REFUSED_SUFFIX = ".halt-refused";

    private final ProtectedSnapshot snapshot;

    SnapshotRepair(ProtectedSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** Puts back what differs from the snapshot; one line for the user per thing done. */
    List<String> repair(Locator locator) {
        var done = new ArrayList<String>();
        var lost = new ArrayList<Path>();
        for (var pin : snapshot.pinned()) repairPinned(pin, locator, done, lost);
        for (var root : snapshot.roots()) {
            if (lost.stream().anyMatch(root::startsWith)) continue;
            repairRoot(snapshot.entries().get(root), done);
        }
        for (var path : snapshot.absent()) {
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
        var expected = snapshot.children().getOrDefault(expectedDir.path(), List.of());
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
                for (var c : snapshot.children().getOrDefault(d.path(), List.of())) {
                    restore(child, c.path().getFileName().toString(), c);
                }
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
        return scanRootOf(snapshot.scanRoots(), path);
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

    /** Keeps {@code path} aside for {@link ProtectedSnapshot#keepAside}. */
    static Optional<Path> keepAside(List<Path> roots, Path path) throws IOException {
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
        return openParent(snapshot.scanRoots(), path, done);
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
}
