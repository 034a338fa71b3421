package dev.halt.core.linux.supervisor;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The supervisor's refusals, reported as the proxy reports its own: one stderr line per refused
 * destination or file and call ({@code halt: refused 127.0.0.2:3128 (connect): not the proxy},
 * {@code halt: refused /home/me/.ssh/id_rsa (fchmodat): outside the write grants}), then counts
 * for the run's summary ({@link #total()}, {@link #top}). Thread-safe.
 */
public final class Refusals {
    /** Destinations tracked for the summary and the once-per-destination lines. */
    private static final int MAX_TRACKED = 10_000;
    /** Lines printed per run: a child retrying many addresses must not flood the terminal. */
    private static final int MAX_LINES = 100;

    private final PrintStream console;
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final AtomicInteger lines = new AtomicInteger();

    /** Reports to {@code console} (halt's stderr). */
    public Refusals(PrintStream console) {
        this.console = console;
    }

    /**
     * Counts one refusal of {@code call} ({@code connect}, {@code bind}, {@code listen}, {@code chmod}
     * ...) to or on {@code what}; prints its line the first time.
     */
    public void refuse(String call, String what, String reason) {
        total.increment();
        var key = what + " (" + call + ")";
        var count = counts.get(key);
        if (count != null) {
            count.increment();
            return;
        }
        if (counts.size() >= MAX_TRACKED) return;
        var fresh = new LongAdder();
        fresh.increment();
        var raced = counts.putIfAbsent(key, fresh);
        if (raced != null) {
            raced.increment();
            return;
        }
        int n = lines.incrementAndGet();
        if (n <= MAX_LINES) console.println("halt: refused " + key + ": " + reason);
        if (n == MAX_LINES) console.println("halt: further refused destinations are counted, not shown");
    }

    /** Refusals so far. */
    public long total() {
        return total.sum();
    }

    /** The {@code n} most refused destinations ({@code 127.0.0.2:3128 (connect)}), most first, with their counts. */
    public List<Map.Entry<String, Long>> top(int n) {
        return counts.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue().sum()))
            .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                .thenComparing(Map.Entry::getKey))
            .limit(n).toList();
    }
}
