package dev.halt.proxy;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Receives every {@link DecisionEvent} and feeds the sinks: the JSON-lines file, the console
 * notice (one line per distinct refused host, rate-limited), counters for the exit summary, and
 * an optional listener. Thread-safe and lock-free for callers: the file is written by its own
 * thread from a bounded queue.
 */
public final class DecisionLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DecisionLog.class.getName());
    private static final int MAX_TRACKED_HOSTS = 10_000;

    /**
     * Counts for the exit summary.
     *
     * @param allowed allowed decisions
     * @param refused refused decisions
     * @param failed allowed but failed decisions
     * @param topRefused the most refused hosts, most first, with their counts
     */
    public record Summary(long allowed, long refused, long failed, List<Map.Entry<String, Long>> topRefused) {
        /** A few human lines for the end of a run. */
        public String format() {
            var sb = new StringBuilder("halt proxy: ").append(allowed).append(" allowed, ").append(refused)
                    .append(" refused, ").append(failed).append(" failed");
            if (!topRefused.isEmpty()) {
                sb.append("\nmost refused:");
                for (var e : topRefused) {
                    sb.append("\n  ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
                }
            }
            return sb.toString();
        }
    }

    private final ProxyConfig.LogOptions options;
    private final JsonLinesFile file;
    private final LongAdder allowed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final ConcurrentHashMap<String, LongAdder> refusedHosts = new ConcurrentHashMap<>();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong linesInWindow = new AtomicLong();
    private final LongAdder suppressed = new LongAdder();

    /**
     * Opens the sinks.
     *
     * @throws IOException when the JSON-lines file cannot be opened for appending
     */
    public DecisionLog(ProxyConfig.LogOptions options) throws IOException {
        this.options = options;
        this.file = options.jsonLinesFile() == null ? null : JsonLinesFile.open(options.jsonLinesFile());
    }

    /** Records one decision in every sink. */
    public void record(DecisionEvent e) {
        switch (e.decision()) {
            case ALLOWED -> allowed.increment();
            case FAILED -> failed.increment();
            case REFUSED -> {
                refused.increment();
                String key = e.host() != null ? e.host() : e.ip() != null ? e.ip() : "?";
                LongAdder prior = refusedHosts.get(key);
                if (prior != null) {
                    prior.increment();
                } else if (refusedHosts.size() < MAX_TRACKED_HOSTS) {
                    LongAdder fresh = new LongAdder();
                    fresh.increment();
                    if (refusedHosts.putIfAbsent(key, fresh) == null) {
                        console(e, key);
                    } else {
                        refusedHosts.get(key).increment();
                    }
                }
            }
        }
        if (file != null) {
            // The disk cannot keep up: the file drops rather than stall connections, and says so at the end.
            file.append(e.toJson());
        }
        var l = options.listener();
        if (l != null) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "decision listener failed", ex);
            }
        }
    }

    private void console(DecisionEvent e, String key) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > 60_000_000_000L && windowStart.compareAndSet(start, now)) {
            linesInWindow.set(0);
        }
        if (linesInWindow.incrementAndGet() > options.consoleLinesPerMinute()) {
            suppressed.increment();
            return;
        }
        PrintStream out = options.console();
        out.println("halt: refused " + key + (e.port() > 0 ? ":" + e.port() : "") + " (" + e.via().label() + "): " + e.reason());
    }

    /** Counts so far and the ten most refused hosts. */
    public Summary summary() {
        List<Map.Entry<String, Long>> top = refusedHosts.entrySet().stream()
                .map(en -> Map.entry(en.getKey(), en.getValue().sum()))
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(10)
                .toList();
        return new Summary(allowed.sum(), refused.sum(), failed.sum(), top);
    }

    /** Notices withheld by the console rate limit. */
    public long suppressedNotices() {
        return suppressed.sum();
    }

    /** Events the file sink had to drop because its queue was full. */
    public long droppedFileEvents() {
        return file == null ? 0 : file.dropped();
    }

    /** Writes what is queued, then closes the file sink. */
    @Override
    public void close() {
        if (file != null) file.close();
    }
}
