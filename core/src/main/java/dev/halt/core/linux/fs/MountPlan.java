package dev.halt.core.linux.fs;

import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import dev.halt.core.protect.ProtectedPaths;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mount namespace of a privileged run, decided on halt's side before the jailer builds it
 * ({@link MountNamespace}): every mount read-only and nosuid, the write grants bound read-write,
 * a fresh tmpfs on {@code /tmp}, {@code /var/tmp} and {@code /dev/shm}, a devpts of the run's own,
 * the root-only entries of {@code /etc} masked, the protected paths bound read-only, and a procfs
 * that shows the child only what it may ptrace. The steps run in order on the jailer; the
 * Landlock rules are then opened there, on the inodes the child will see.
 *
 * @param steps    what the jailer does, in order
 * @param rules    the Landlock rules as they apply inside the namespace
 * @param notices  what {@code -v} reports besides {@link #describe()}: grants adjusted, masks skipped
 */
public record MountPlan(List<Step> steps, List<Landlock.Rule> rules, List<String> notices) {

    public MountPlan {
        steps = List.copyOf(steps);
        rules = List.copyOf(rules);
        notices = List.copyOf(notices);
    }

    /** The directories that get a fresh tmpfs unless {@code shared_tmp}. */
    static final List<Path> TEMP_DIRECTORIES = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));
    static final Path PROC = Path.of("/proc");
    static final Path DEV_PTS = Path.of("/dev/pts");
    static final Path DEV_PTMX = Path.of("/dev/ptmx");
    static final Path CONSOLE = Path.of("/dev/console");
    static final Path ETC = Path.of("/etc");
    /** The tty group's id when {@code /etc/group} has none (Debian, Fedora and Arch all use 5). */
    static final int DEFAULT_TTY_GID = 5;

    /** One thing the jailer does in the run's namespace. */
    public sealed interface Step {
        /**
         * Every mount read-only and nosuid ({@code mount_setattr} on {@code /}, recursive).
         */
        record ReadOnlyEverything() implements Step {}

        /**
         * A write grant bound onto itself with the mounts below it, then made read-write
         * again, except the mounts below it that were read-only on the host.
         *
         * @param path         the grant (a directory or a regular file)
         * @param keepReadOnly mount points inside it that the host has read-only
         */
        record BindWritable(Path path, List<Path> keepReadOnly) implements Step {}

        /** A fresh tmpfs, mode 1777, nosuid and nodev. */
        record Tmpfs(Path path) implements Step {}

        /**
         * A granted path inside a directory that got a fresh tmpfs, bound from the host's copy
         * (opened before the tmpfs covered it) onto the same path in the tmpfs.
         *
         * @param path         the path, the same inside and outside
         * @param directory    whether it is a directory (else the mount point is an empty file)
         * @param writable     made read-write after the bind
         * @param keepReadOnly mount points inside it that the host has read-only
         */
        record Carry(Path path, boolean directory, boolean writable, List<Path> keepReadOnly) implements Step {}

        /**
         * A default grant inside a fresh tmpfs (such as {@code $TMPDIR}) made again, empty: the
         * host's copy holds other programs' files.
         *
         * @param path the directory, created mode 0700
         * @param uid  its owner, the user the child runs as
         * @param gid  its group
         */
        record FreshDirectory(Path path, int uid, int gid) implements Step {}

        /**
         * A devpts instance of the run's own on {@code /dev/pts}: new ptys work, the host's are
         * not there. {@code /dev/ptmx} finds it as its sibling (Linux 4.7).
         *
         * @param ttyGid the group new ptys belong to
         */
        record Devpts(int ttyGid) implements Step {}

        /**
         * halt's terminal, opened before the new devpts covered it, bound onto
         * {@code /dev/console}, where {@code ttyname()} finds it as container runtimes arrange.
         *
         * @param terminal the host's path of the terminal ({@code /dev/pts/N})
         */
        record Console(Path terminal) implements Step {}

        /**
         * Entries hidden behind an empty read-only file or directory.
         *
         * @param masks what to hide
         */
        record Masks(List<Mask> masks) implements Step {}

        /** A protected {@code .git} directory bound onto itself: it can be neither renamed nor removed. */
        record Pin(Path path) implements Step {}

        /** A protected path bound onto itself read-only. */
        record ProtectReadOnly(Path path) implements Step {}

        /**
         * A procfs of the run's own with {@code hidepid=ptraceable}: the child sees only the
         * processes of its own sandbox.
         *
         * @param readOnly mounted read-only (no write grant lies in {@code /proc})
         */
        record Proc(boolean readOnly) implements Step {}
    }

    /**
     * An entry hidden from the child.
     *
     * @param path      the entry
     * @param directory hidden behind an empty directory (else an empty file)
     * @param why       why it is hidden, for {@code -vv}
     */
    public record Mask(Path path, boolean directory, String why) {}

    /**
     * What halt itself is (its terminal), and whom the child runs as.
     *
     * @param terminal halt's terminal under {@code /dev/pts}, if its stdin, stdout or stderr is one
     * @param childUid the user the child runs as
     * @param childGid its group
     */
    public record Caller(Optional<Path> terminal, int childUid, int childGid) {}

    /**
     * The scan of {@code /etc} for entries others may not read, started on a thread of its own
     * as soon as halt knows it will need it: a cold JVM takes 10 to 20 ms over a thousand entries,
     * which the rest of the start (the config, the launch's preparation) then hides.
     */
    public static final class EtcScan {
        private final java.util.concurrent.CompletableFuture<List<Mask>> masks = new java.util.concurrent.CompletableFuture<>();
        private final List<String> notices = java.util.Collections.synchronizedList(new ArrayList<>());
        private final long started = System.nanoTime();

        private EtcScan() {}

        /** Whether it started less than {@code age} ago: an older one may miss a file made since. */
        public boolean startedWithin(java.time.Duration age) {
            return System.nanoTime() - started < age.toNanos();
        }

        /** Starts scanning {@code root} (a platform daemon thread, in the host's mount namespace). */
        public static EtcScan start(Path root) {
            var scan = new EtcScan();
            Thread.ofPlatform().daemon(true).name("halt-etc-scan").start(() -> {
                try {
                    scan.masks.complete(unreadableByOthers(root, scan.notices));
                } catch (RuntimeException | Error e) {
                    scan.masks.completeExceptionally(e);
                }
            });
            return scan;
        }

        /** Waits for the scan; what it found, notices added to {@code notices}. */
        List<Mask> join(List<String> notices) {
            var found = masks.join();
            notices.addAll(this.notices);
            return found;
        }
    }

    /** Starts the scan of {@code /etc} that {@link #build} needs. */
    public static EtcScan scanEtc() {
        return EtcScan.start(ETC);
    }

    /**
     * Plans the namespace for {@code policy}, whose Landlock rules are {@code landlock} and whose
     * write grants hold {@code protectedPaths}; {@code etc} is the scan {@link #scanEtc()} started.
     */
    public static MountPlan build(SandboxPolicy policy, Landlock.Plan landlock, ProtectedPaths protectedPaths, Caller caller,
                                  EtcScan etc) {
        var notices = new ArrayList<String>();
        var steps = new ArrayList<Step>();
        var isolation = policy.isolation();
        var hostMounts = mountPoints(Path.of("/proc/thread-self/mountinfo"));
        boolean ownDevpts = Files.isDirectory(DEV_PTS, LinkOption.NOFOLLOW_LINKS);
        var privateTmp = isolation.sharedTmp() ? List.<Path>of()
            : TEMP_DIRECTORIES.stream().filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)).toList();

        var rules = new ArrayList<Landlock.Rule>();
        for (var rule : landlock.rules()) {
            if (ownDevpts && rule.path().startsWith(DEV_PTS) && !rule.path().equals(DEV_PTS)) {
                notices.add("mount namespace: " + rule.path() + " is not in the run's own devpts: its rule is dropped");
            } else {
                rules.add(rule);
            }
        }

        // Write grants: the top-most directories and regular files outside what gets replaced.
        var writable = new ArrayList<Path>();
        boolean procWritable = false;
        for (var rule : rules) {
            if (rule.grant().access() != PathAccess.READ_WRITE) continue;
            var p = rule.path();
            if (p.startsWith(PROC)) {
                procWritable = true;
                continue;
            }
            if ((ownDevpts && p.startsWith(DEV_PTS)) || privateTmp.contains(p)) continue;
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                writable.add(p);
            }
        }
        writable = new ArrayList<>(ProtectedPaths.topMost(writable));

        var inTmp = insideTemporaryDirectories(policy, rules, privateTmp, hostMounts, caller, notices);
        var fresh = inTmp.fresh();
        var carried = inTmp.carried();

        steps.add(new Step.ReadOnlyEverything());
        for (var w : writable) {
            if (privateTmp.stream().noneMatch(w::startsWith)) steps.add(new Step.BindWritable(w, keepReadOnly(hostMounts, w)));
        }
        for (var tmp : privateTmp) steps.add(new Step.Tmpfs(tmp));
        steps.addAll(fresh);
        steps.addAll(carried);
        var carriedPaths = carried.stream().map(Step.Carry::path).toList();
        for (var w : writable) {
            if (privateTmp.stream().anyMatch(w::startsWith) && !carriedPaths.contains(w)
                && fresh.stream().noneMatch(f -> w.startsWith(f.path()))) {
                steps.add(new Step.BindWritable(w, keepReadOnly(hostMounts, w)));
            }
        }

        if (ownDevpts) addDevpts(steps, rules, caller, landlock.abi(), notices);
        var varTmp = Path.of("/var/tmp");
        if (privateTmp.contains(varTmp) && rules.stream().noneMatch(r -> r.path().equals(varTmp))) {
            rules.stream().filter(r -> r.path().equals(TEMP_DIRECTORIES.get(0))).findFirst().ifPresent(tmpRule ->
                addRule(rules, varTmp, tmpRule.grant().access(), landlock.abi(), "the run's own /var/tmp, granted as /tmp is"));
        }

        var masks = masks(policy, rules, privateTmp, carriedPaths, etc.join(notices), notices);
        if (!masks.isEmpty()) steps.add(new Step.Masks(masks));

        for (var p : protectedPaths.pinned()) {
            if (Files.isDirectory(p)) steps.add(new Step.Pin(p));
        }
        for (var p : protectedPaths.readOnly()) {
            if (Files.exists(p)) {
                steps.add(new Step.ProtectReadOnly(p));
            } else {
                notices.add("protect: " + p + " leads nowhere (a dangling link): nothing to bind read-only");
            }
        }
        steps.add(new Step.Proc(!procWritable));
        return new MountPlan(steps, rules, notices);
    }

    /**
     * What the fresh temporary directories hold: a default write grant there ({@code $TMPDIR})
     * starts empty, every other grant and the working directory is carried in from the host.
     */
    private record InsideTemporary(List<Step.FreshDirectory> fresh, List<Step.Carry> carried) {}

    private static InsideTemporary insideTemporaryDirectories(SandboxPolicy policy, List<Landlock.Rule> rules,
                                                              List<Path> privateTmp,
                                                              Map<Path, Boolean> hostMounts, Caller caller,
                                                              List<String> notices) {
        var fresh = new ArrayList<Step.FreshDirectory>();
        var carried = new ArrayList<Step.Carry>();
        var wd = policy.workingDirectory();
        for (var tmp : privateTmp) {
            var byPath = new LinkedHashMap<Path, List<Landlock.Rule>>();
            for (var rule : rules) {
                if (rule.path().startsWith(tmp) && !rule.path().equals(tmp)) {
                    byPath.computeIfAbsent(rule.path(), k -> new ArrayList<>()).add(rule);
                }
            }
            var inside = new ArrayList<Path>();
            for (var entry : byPath.entrySet()) {
                var p = entry.getKey();
                boolean defaultWrite = entry.getValue().stream().allMatch(r -> r.grant().source() instanceof ValueSource.Default
                    && r.grant().access() == PathAccess.READ_WRITE);
                if (defaultWrite && !p.equals(wd) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    fresh.add(new Step.FreshDirectory(p, caller.childUid(), caller.childGid()));
                    notices.add("mount namespace: " + p + ", granted by " + entry.getValue().get(0).grant().source().describe()
                        + ", starts empty in the run's own " + tmp);
                } else {
                    inside.add(p);
                }
            }
            if (wd.startsWith(tmp) && !wd.equals(tmp) && Files.isDirectory(wd)) inside.add(wd);
            for (var p : ProtectedPaths.topMost(inside)) {
                boolean granted = rules.stream().anyMatch(r -> r.path().equals(p) && r.grant().access() == PathAccess.READ_WRITE);
                carried.add(new Step.Carry(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS), granted,
                    keepReadOnly(hostMounts, p)));
            }
        }
        return new InsideTemporary(fresh, carried);
    }

    /**
     * The run's own devpts, granted with {@code /dev/ptmx}; halt's terminal on {@code /dev/console},
     * granted with a listing of {@code /dev}, where {@code ttyname()} finds it by comparing entries.
     */
    private static void addDevpts(List<Step> steps, List<Landlock.Rule> rules, Caller caller, int abi, List<String> notices) {
        steps.add(new Step.Devpts(ttyGid(Path.of("/etc/group"))));
        addRule(rules, DEV_PTS, PathAccess.READ_WRITE, abi, "the run's own devpts (new ptys)");
        if (Files.exists(DEV_PTMX)) addRule(rules, DEV_PTMX, PathAccess.READ_WRITE, abi, "the run's own devpts (new ptys)");
        if (caller.terminal().isEmpty()) return;
        var terminal = caller.terminal().get();
        if (!Files.exists(CONSOLE, LinkOption.NOFOLLOW_LINKS)) {
            notices.add("mount namespace: no /dev/console to bind the terminal " + terminal
                + " onto: tty and ttyname() in the child say it is not a terminal");
            return;
        }
        steps.add(new Step.Console(terminal));
        addRule(rules, CONSOLE, PathAccess.READ_WRITE, abi, "halt's terminal " + terminal);
        addRule(rules, CONSOLE.getParent(), PathAccess.TRAVERSE, abi, "listing /dev, where ttyname() finds halt's terminal");
    }

    /** One line per kind of step, for {@code -v}. */
    public List<String> describe() {
        var writable = new ArrayList<String>();
        var tmpfs = new ArrayList<String>();
        var carried = new ArrayList<String>();
        var terminal = new ArrayList<String>();
        int masks = 0;
        int pinned = 0;
        int readOnly = 0;
        boolean devpts = false;
        Step.Proc proc = null;
        for (var step : steps) {
            switch (step) {
                case Step.ReadOnlyEverything r -> { }
                case Step.BindWritable b -> writable.add(b.path().toString());
                case Step.Tmpfs t -> tmpfs.add(t.path().toString());
                case Step.Carry c -> carried.add(c.path() + (c.writable() ? " (read-write)" : ""));
                case Step.FreshDirectory f -> carried.add(f.path() + " (empty)");
                case Step.Devpts d -> devpts = true;
                case Step.Console c -> terminal.add(c.terminal().toString());
                case Step.Masks m -> masks = m.masks().size();
                case Step.Pin p -> pinned++;
                case Step.ProtectReadOnly p -> readOnly++;
                case Step.Proc p -> proc = p;
            }
        }
        var lines = new ArrayList<String>();
        lines.add("mount namespace: the run's own; every mount read-only and nosuid, except the write grants: "
            + (writable.isEmpty() ? "none" : String.join(", ", writable)));
        lines.add(tmpfs.isEmpty() ? "mount namespace: shared_tmp: the host's /tmp, /var/tmp and /dev/shm"
            : "mount namespace: a fresh tmpfs on " + String.join(", ", tmpfs)
                + (carried.isEmpty() ? "" : "; inside, only the grants: " + String.join(", ", carried)));
        if (devpts) {
            lines.add("mount namespace: a devpts of the run's own on /dev/pts (new ptys work; the host's other terminals"
                + " are not there)" + (terminal.isEmpty() ? "" : "; halt's terminal " + terminal.get(0) + " on /dev/console"));
        }
        if (masks > 0) {
            lines.add("mount namespace: " + masks + " entries hidden behind empty read-only ones (the root-only entries of"
                + " /etc and [sandbox] mask; -vv lists them)");
        }
        if (pinned + readOnly > 0) {
            lines.add("mount namespace: protected paths bound: " + pinned + " .git directories pinned, " + readOnly
                + " paths read-only");
        }
        if (proc != null) {
            lines.add("mount namespace: a procfs of the run's own on /proc (hidepid=ptraceable: only the sandbox's processes"
                + (proc.readOnly() ? "; read-only" : "") + ")");
        }
        return lines;
    }

    /**
     * Whether the child may write at {@code path} as far as the run's mounts go: inside a write
     * grant bound read-write, a fresh tmpfs or a carried grant made writable, and not in a mount
     * kept read-only, a protected path or a mask. Elsewhere a write fails with EROFS whatever
     * Landlock allows. The mount on the longest path that holds {@code path} decides (a later step
     * on the same path wins: it is mounted on top).
     */
    public boolean writable(Path path) {
        int depth = -1;
        boolean writable = false;
        for (var step : steps) {
            var decided = switch (step) {
                case Step.BindWritable b -> decide(path, b.path(), b.keepReadOnly(), true);
                case Step.Tmpfs t -> path.startsWith(t.path()) ? new Mounted(t.path(), true) : null;
                case Step.FreshDirectory f -> path.startsWith(f.path()) ? new Mounted(f.path(), true) : null;
                case Step.Carry c -> decide(path, c.path(), c.keepReadOnly(), c.writable());
                case Step.Devpts d -> path.startsWith(DEV_PTS) ? new Mounted(DEV_PTS, true) : null;
                case Step.Console c -> path.equals(CONSOLE) ? new Mounted(CONSOLE, true) : null;
                case Step.ProtectReadOnly r -> path.startsWith(r.path()) ? new Mounted(r.path(), false) : null;
                case Step.Masks m -> m.masks().stream().filter(x -> path.startsWith(x.path())).findFirst()
                    .map(x -> new Mounted(x.path(), false)).orElse(null);
                case Step.Proc proc -> path.startsWith(PROC) ? new Mounted(PROC, !proc.readOnly()) : null;
                case Step.ReadOnlyEverything r -> null;
                case Step.Pin pin -> null;
            };
            if (decided != null && decided.at().getNameCount() >= depth) {
                depth = decided.at().getNameCount();
                writable = decided.writable();
            }
        }
        return writable;
    }

    /** A mount at {@code at} that holds the path asked about, and whether it is read-write. */
    private record Mounted(Path at, boolean writable) {}

    private static Mounted decide(Path path, Path mount, List<Path> keepReadOnly, boolean writable) {
        if (!path.startsWith(mount)) return null;
        var readOnly = keepReadOnly.stream().filter(path::startsWith).max(java.util.Comparator.comparingInt(Path::getNameCount));
        return readOnly.map(r -> new Mounted(r, false)).orElse(new Mounted(mount, writable));
    }

    /** The masks, for {@code -vv}. */
    public List<Mask> masks() {
        return steps.stream().flatMap(s -> s instanceof Step.Masks m ? m.masks().stream() : java.util.stream.Stream.empty()).toList();
    }

    private static void addRule(List<Landlock.Rule> rules, Path path, PathAccess access, int abi, String reason) {
        rules.removeIf(r -> r.path().equals(path) && !r.grant().access().includes(access));
        if (rules.stream().anyMatch(r -> r.path().equals(path))) return;
        long rights = Landlock.rights(access, abi);
        if (!Files.isDirectory(path)) rights &= Landlock.FILE_RIGHTS;
        rules.add(new Landlock.Rule(path, rights, new PathGrant(path, access, new ValueSource.Default(reason))));
    }

    /**
     * What stays read-only once {@code grant} is bound read-write: the mount points in it that the
     * host has read-only, and the grant itself when the host mount it lies in is read-only (a
     * read-only bind of the host's must not become writable through halt's own bind).
     */
    static List<Path> keepReadOnly(Map<Path, Boolean> hostMounts, Path grant) {
        var keep = new ArrayList<Path>();
        Path enclosing = null;
        for (var mountPoint : hostMounts.keySet()) {
            if (grant.startsWith(mountPoint) && (enclosing == null || mountPoint.getNameCount() > enclosing.getNameCount())) {
                enclosing = mountPoint;
            }
        }
        if (enclosing != null && hostMounts.get(enclosing)) keep.add(grant);
        hostMounts.forEach((mountPoint, readOnly) -> {
            if (readOnly && mountPoint.startsWith(grant) && !mountPoint.equals(grant)) keep.add(mountPoint);
        });
        return keep;
    }

    /**
     * The root-only entries of {@code /etc} and the {@code [sandbox] mask} entries. An entry a
     * grant other than a default one reaches into stays: the user asked for it by name.
     */
    private static List<Mask> masks(SandboxPolicy policy, List<Landlock.Rule> rules, List<Path> privateTmp,
                                    List<Path> carried, List<Mask> etc, List<String> notices) {
        var masks = new LinkedHashMap<Path, Mask>();
        for (var entry : etc) {
            masks.put(entry.path(), entry);
        }
        for (var path : policy.isolation().mask()) {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                notices.add("mask: " + path + " does not exist: nothing to hide");
                continue;
            }
            if (privateTmp.stream().anyMatch(path::startsWith) && carried.stream().noneMatch(path::startsWith)) continue;
            masks.put(path, new Mask(path, Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS), "[sandbox] mask"));
        }
        var result = new ArrayList<Mask>();
        for (var mask : masks.values()) {
            var named = rules.stream().filter(r -> !(r.grant().source() instanceof ValueSource.Default)
                && r.path().startsWith(mask.path())).findFirst();
            if (named.isPresent() && !mask.why().equals("[sandbox] mask")) {
                notices.add("mount namespace: " + mask.path() + " stays visible: " + named.get().grant().source().describe()
                    + " grants " + named.get().path());
            } else {
                result.add(mask);
            }
        }
        return result;
    }

    /**
     * Every entry below {@code root} that others may not read (no {@code o+r}), not descending
     * into the directories found; links are not followed (their targets have rules of their own).
     */
    static List<Mask> unreadableByOthers(Path root, List<String> notices) {
        var found = new ArrayList<Mask>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root) && !othersMayRead(dir, attrs)) {
                        found.add(new Mask(dir, true, "not readable by others"));
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (!attrs.isSymbolicLink() && !othersMayRead(file, attrs)) found.add(new Mask(file, false, "not readable by others"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    notices.add("mount namespace: cannot read " + file + " (" + e.getMessage() + "): it is not masked");
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            notices.add("mount namespace: cannot scan " + root + ": " + e.getMessage());
        }
        return found;
    }

    /** The walk's own attributes are POSIX ones on Linux: no second {@code lstat}. */
    private static boolean othersMayRead(Path p, BasicFileAttributes attrs) throws IOException {
        var posix = attrs instanceof PosixFileAttributes a ? a
            : Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return posix.permissions().contains(PosixFilePermission.OTHERS_READ);
    }

    /**
     * Every mount point of a {@code mountinfo} file (read from a thread in the host's namespace:
     * {@code /proc/thread-self}) and whether it is read-only; of mounts stacked on one path, the
     * last (the one on top) decides.
     */
    static Map<Path, Boolean> mountPoints(Path mountinfo) {
        var result = new LinkedHashMap<Path, Boolean>();
        try {
            for (var line : Files.readAllLines(mountinfo)) {
                var fields = line.split(" ");
                if (fields.length < 6) continue;
                result.put(Path.of(unescape(fields[4])), List.of(fields[5].split(",")).contains("ro"));
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return Map.of();
        }
        return result;
    }

    /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) return field;
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The {@code tty} group's id in {@code group}, else {@link #DEFAULT_TTY_GID}. */
    static int ttyGid(Path group) {
        try {
            for (var line : Files.readAllLines(group)) {
                var fields = line.split(":", -1);
                if (fields.length >= 3 && fields[0].equals("tty")) return Integer.parseInt(fields[2]);
            }
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_TTY_GID;
        }
        return DEFAULT_TTY_GID;
    }

    /**
     * halt's terminal: the first of its stdin, stdout and stderr that is a pty of the host's
     * devpts ({@code /dev/pts/N}).
     */
    public static Optional<Path> terminal() {
        for (int fd = 0; fd <= 2; fd++) {
            try {
                var target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
                if (target.startsWith(DEV_PTS) && target.getNameCount() == 3
                    && target.getFileName().toString().matches("[0-9]+")) {
                    return Optional.of(target);
                }
            } catch (IOException | UnsupportedOperationException e) {
                // Not open, or not a link: not a terminal.
            }
        }
        return Optional.empty();
    }
}
