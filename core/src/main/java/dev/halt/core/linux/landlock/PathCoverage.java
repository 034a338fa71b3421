package dev.halt.core.linux.landlock;

import dev.halt.core.policy.PathAccess;
import dev.halt.ffm.linux.LandlockAbi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.halt.ffm.linux.landlock_h.*;

/**
 * What Landlock lets the child do on one path: every rule on the path or on a directory above it
 * adds its rights (Landlock's rule, within one domain), so the rights are the union of the rules
 * that cover it. The path must already be resolved (no symbolic link left): as the kernel reports
 * a denied path, or as {@link java.nio.file.Path#toRealPath} gives it.
 *
 * @param path  the resolved path
 * @param rules the rules that cover it, nearest last
 * @param rights the union of their rights
 */
public record PathCoverage(Path path, List<Landlock.Rule> rules, long rights) {

    public PathCoverage {
        rules = List.copyOf(rules);
    }

    /** The coverage of {@code path} by {@code rules}. */
    public static PathCoverage of(Path path, List<Landlock.Rule> rules) {
        var covering = new ArrayList<Landlock.Rule>();
        long rights = 0;
        for (var rule : rules) {
            if (path.startsWith(rule.path())) {
                covering.add(rule);
                rights |= rule.access();
            }
        }
        covering.sort(java.util.Comparator.comparingInt(r -> r.path().getNameCount()));
        return new PathCoverage(path, covering, rights);
    }

    /** Whether every right in {@code access} is granted. */
    public boolean allows(long access) {
        return (rights & access) == access;
    }

    /** Landlock's name of each filesystem right (the audit record's blocker, without {@code fs.}). */
    private static final Map<Long, String> NAMES = names();

    private static Map<Long, String> names() {
        var names = new java.util.LinkedHashMap<Long, String>();
        names.put(LANDLOCK_ACCESS_FS_READ_FILE(), "read_file");
        names.put(LANDLOCK_ACCESS_FS_READ_DIR(), "read_dir");
        names.put(LANDLOCK_ACCESS_FS_EXECUTE(), "execute");
        names.put(LANDLOCK_ACCESS_FS_WRITE_FILE(), "write_file");
        names.put(LANDLOCK_ACCESS_FS_TRUNCATE(), "truncate");
        names.put(LANDLOCK_ACCESS_FS_MAKE_REG(), "make_reg");
        names.put(LANDLOCK_ACCESS_FS_MAKE_DIR(), "make_dir");
        names.put(LANDLOCK_ACCESS_FS_MAKE_SYM(), "make_sym");
        names.put(LANDLOCK_ACCESS_FS_MAKE_SOCK(), "make_sock");
        names.put(LANDLOCK_ACCESS_FS_MAKE_FIFO(), "make_fifo");
        names.put(LANDLOCK_ACCESS_FS_MAKE_CHAR(), "make_char");
        names.put(LANDLOCK_ACCESS_FS_MAKE_BLOCK(), "make_block");
        names.put(LANDLOCK_ACCESS_FS_REMOVE_FILE(), "remove_file");
        names.put(LANDLOCK_ACCESS_FS_REMOVE_DIR(), "remove_dir");
        names.put(LANDLOCK_ACCESS_FS_REFER(), "refer");
        names.put(LANDLOCK_ACCESS_FS_IOCTL_DEV(), "ioctl_dev");
        return java.util.Collections.unmodifiableMap(names);
    }

    /** The right a blocker of an audit record names ({@code fs.read_file}), or 0 for one that is not a filesystem right. */
    public static long right(String blocker) {
        if (!blocker.startsWith("fs.")) return 0;
        var name = blocker.substring(3);
        return NAMES.entrySet().stream().filter(e -> e.getValue().equals(name)).mapToLong(Map.Entry::getKey).findFirst().orElse(0);
    }

    /**
     * What a user would call the access a blocker names: {@code read}, {@code list},
     * {@code execute}, {@code write}, {@code truncate}, {@code create in}, {@code remove in},
     * {@code move or link in}, {@code ioctl}; the blocker itself for another kind.
     */
    public static String verb(String blocker) {
        return switch (blocker) {
            case "fs.read_file" -> "read";
            case "fs.read_dir" -> "list";
            case "fs.execute" -> "execute";
            case "fs.write_file" -> "write";
            case "fs.truncate" -> "truncate";
            case "fs.make_reg", "fs.make_dir", "fs.make_sym", "fs.make_sock", "fs.make_fifo", "fs.make_char",
                 "fs.make_block" -> "create in";
            case "fs.remove_file", "fs.remove_dir" -> "remove in";
            case "fs.refer" -> "move or link in";
            case "fs.ioctl_dev" -> "ioctl";
            default -> blocker;
        };
    }

    /**
     * The flag that grants what a blocker names: {@code --read} for reading and execution,
     * {@code --traverse} for listing a directory, {@code --write} for the rest; null for a blocker
     * that no path grant covers (a scope, a TCP port).
     */
    public static String flag(String blocker) {
        return switch (blocker) {
            case "fs.read_file", "fs.execute" -> "--read";
            case "fs.read_dir" -> "--traverse";
            default -> blocker.startsWith("fs.") ? "--write" : null;
        };
    }

    /**
     * The rights in words: {@code read-write}, {@code read} (files, listing and execution),
     * {@code list} (directory listing only), else the names of what is there; {@code nothing}
     * for none. {@code directory}: whether the path is one (a file never gets directory rights).
     */
    public static String describe(long granted, int abi, boolean directory) {
        long rights = directory ? granted : granted & Landlock.FILE_RIGHTS;
        if (rights == 0) return "nothing";
        long all = LandlockAbi.fsAccess(abi) & (directory ? -1L : Landlock.FILE_RIGHTS);
        if ((rights & all) == all) return "read-write";
        long read = Landlock.rights(PathAccess.READ, abi) & (directory ? -1L : Landlock.FILE_RIGHTS);
        if (rights == read) return "read";
        if (rights == LANDLOCK_ACCESS_FS_READ_DIR()) return "list";
        var parts = new ArrayList<String>();
        NAMES.forEach((bit, name) -> {
            if ((rights & bit) != 0) parts.add(name);
        });
        return String.join(", ", parts);
    }
}
