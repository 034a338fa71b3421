package dev.halt.core.linux.audit;

import dev.halt.core.json.JsonWriter;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.landlock.PathCoverage;
import dev.halt.proxy.JsonLinesFile;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's Landlock denials, reported as the proxy reports its refusals: one stderr line per
 * access and path, the first time ({@code halt: denied read ~/.gitconfig (not granted; --read
 * ~/.gitconfig)}), a count at the end of the run ({@link #summary()}), and one JSON line each in
 * the run's log ({@code --log}). Used by one thread (the audit reader), then read once it ended.
 */
final class LandlockDenials {
    /** Distinct denials tracked for the summary and the once-only lines. */
    private static final int MAX_TRACKED = 10_000;
    /** Lines printed per run: a command retrying many paths must not flood the terminal. */
    private static final int MAX_LINES = 100;

    /**
     * One denial, as the kernel reported it.
     *
     * @param time     when
     * @param domain   the Landlock domain that denied it (hex, as the record writes it)
     * @param blockers the rights that were missing ({@code fs.read_file}, ...)
     * @param path     the path, or null for an access on no path (a signal, a socket)
     * @param fields   the record's other fields (dev, ino, opid, ...)
     */
    record Denial(Instant time, String domain, List<String> blockers, String path, Map<String, String> fields) {
        Denial {
            blockers = List.copyOf(blockers);
        }
    }

    private final PrintStream console;
    private final List<Landlock.Rule> rules;
    private final int abi;
    private final Path home;
    private final JsonLinesFile log;
    private final List<java.util.function.Consumer<String>> listeners;
    private final LinkedHashMap<String, long[]> counts = new LinkedHashMap<>();
    private long total;
    private int lines;

    /**
     * @param rules the rules of the child's domain, for the hint in each line
     * @param home  the child's home directory, written {@code ~}
     * @param log   the run's JSON-lines file, or null
     * @param listeners who else gets each line as it is written ({@code halt watch}); the caller's list, read at each denial
     */
    LandlockDenials(PrintStream console, List<Landlock.Rule> rules, int abi, Path home, JsonLinesFile log,
                    List<java.util.function.Consumer<String>> listeners) {
        this.console = console;
        this.rules = List.copyOf(rules);
        this.abi = abi;
        this.home = home;
        this.log = log;
        this.listeners = listeners;
    }

    /** Counts one denial and prints its line the first time. */
    void report(Denial denial) {
        total++;
        var key = describe(denial);
        var count = counts.get(key);
        if (count != null) {
            count[0]++;
            return;
        }
        if (counts.size() >= MAX_TRACKED) return;
        counts.put(key, new long[] {1});
        lines++;
        if (lines <= MAX_LINES) console.println("halt: denied " + key + " (" + hint(denial) + ")");
        if (lines == MAX_LINES) console.println("halt: further denied paths are counted, not shown");
    }

    /** Writes the JSON line of {@code denial}, with the process that made the call when the event named it. */
    void log(Denial denial, Map<String, String> syscall) {
        if (log == null && listeners.isEmpty()) return;
        var json = JsonWriter.compact().beginObject()
            .name("time").value(denial.time().toString())
            .name("via").value("landlock")
            .name("decision").value("refused")
            .name("access").value(PathCoverage.verb(denial.blockers().getFirst()))
            .name("path").value(denial.path())
            .name("blockers").beginArray();
        denial.blockers().forEach(json::value);
        json.endArray().name("reason").value(hint(denial));
        var flag = grantingFlag(denial);
        json.name("grant").value(flag);
        if (syscall != null && syscall.get("pid") != null) {
            try {
                json.name("pid").value(Long.parseLong(syscall.get("pid")));
            } catch (NumberFormatException e) {
                json.name("pid").value(syscall.get("pid"));
            }
            json.name("comm").value(syscall.get("comm")).name("exe").value(syscall.get("exe"));
        }
        json.name("domain").value(denial.domain());
        var line = json.endObject().toString();
        if (log != null) log.append(line);
        for (var listener : listeners) {
            try {
                listener.accept(line);
            } catch (RuntimeException e) {
                // A watcher's failure is its own; the report goes on.
            }
        }
    }

    /** Denials so far. */
    long total() {
        return total;
    }

    /** {@code halt landlock: N denied} and the most denied, or null when nothing was denied. */
    String summary(long lostRecords) {
        if (total == 0 && lostRecords == 0) return null;
        var sb = new StringBuilder("halt landlock: ").append(total).append(" denied");
        if (lostRecords > 0) {
            sb.append(" (the kernel dropped ").append(lostRecords).append(" audit records meanwhile: there may have been more)");
        }
        if (total == 0) return sb.toString();
        sb.append("\nmost denied:");
        counts.entrySet().stream().sorted(Comparator.<Map.Entry<String, long[]>>comparingLong(e -> e.getValue()[0]).reversed())
            .limit(10).forEach(e -> sb.append("\n  ").append(e.getKey()).append(" (").append(e.getValue()[0]).append(')'));
        return sb.toString();
    }

    /** {@code read ~/.gitconfig}, {@code create in /root}, or the blocker and its fields for a denial on no path. */
    private String describe(Denial denial) {
        var verb = PathCoverage.verb(denial.blockers().getFirst());
        if (denial.path() != null) return verb + " " + display(denial.path());
        var detail = new StringBuilder(verb);
        denial.fields().forEach((k, v) -> {
            if (!k.equals("dev") && !k.equals("ino")) detail.append(' ').append(k).append('=').append(v);
        });
        return detail.toString();
    }

    /** Why it was denied and the flag that would grant it. */
    String hint(Denial denial) {
        var flag = grantingFlag(denial);
        if (denial.path() == null) return flag == null ? "outside the sandbox's scope" : flag;
        var path = Path.of(denial.path());
        var coverage = PathCoverage.of(path, rules);
        if (coverage.rules().isEmpty()) return "not granted" + (flag == null ? "" : "; " + flag);
        var nearest = coverage.rules().getLast();
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        return "granted " + PathCoverage.describe(coverage.rights(), abi, directory) + " by " + display(nearest.path().toString())
            + " (" + nearest.grant().source().describe() + ")" + (flag == null ? "" : "; " + flag);
    }

    /** {@code --read ~/.gitconfig}: the flag of the strongest blocker, on the path. */
    private String grantingFlag(Denial denial) {
        String flag = null;
        for (var blocker : denial.blockers()) {
            var f = PathCoverage.flag(blocker);
            if (f == null) continue;
            if (flag == null || f.equals("--write") || (f.equals("--read") && flag.equals("--traverse"))) flag = f;
        }
        return flag == null || denial.path() == null ? flag : flag + " " + display(denial.path());
    }

    /** {@code path} with the child's home written {@code ~}. */
    private String display(String path) {
        if (home == null || home.getNameCount() == 0) return path;
        var p = Path.of(path);
        if (p.equals(home)) return "~";
        return p.startsWith(home) ? "~/" + home.relativize(p) : path;
    }
}
