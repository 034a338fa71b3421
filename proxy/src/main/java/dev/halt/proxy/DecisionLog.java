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
 * notices (one line per distinct refused host, one per distinct allowed host that could not be
 * reached, rate-limited together), counters for the exit summary (connections and DNS lookups
 * apart), and an optional listener. Thread-safe and lock-free for callers: the file is written by
 * its own thread from a bounded queue.
 */
public final class DecisionLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DecisionLog.class.getName());
    private static final int MAX_TRACKED_HOSTS = 10_000;

    /**
     * Decisions of one kind, by outcome.
     *
     * @param allowed allowed and served
     * @param refused refused by policy
     * @param failed allowed, but not served (upstream unreachable, no address)
     */
    public record Counts(long allowed, long refused, long failed) {
        /** Every decision. */
        public long total() {
            return allowed + refused + failed;
        }
    }

    /**
     * Counts for the exit summary.
     *
     * @param connections decisions on connections (CONNECT, plain HTTP, SOCKS5, transparent)
     * @param lookups decisions on the sandbox's DNS queries (each query one, A and AAAA apart)
     * @param topRefused the most refused hosts, most first, with their counts (connections and lookups)
     */
    public record Summary(Counts connections, Counts lookups, List<Map.Entry<String, Long>> topRefused) {
        /** Whether the proxy decided nothing: no request reached it. */
        public boolean isEmpty() {
            return connections.total() == 0 && lookups.total() == 0;
        }

        /**
         * The counts as one line: {@code connections 1 allowed, 2 refused, 0 failed; DNS lookups 4
         * answered, 0 refused, 2 failed}, leaving out the lookups when there were none.
         */
        public String countsLine() {
            var sb = new StringBuilder();
            if (connections.total() == 0) {
                sb.append("no connections");
            } else {
                sb.append("connections ").append(connections.allowed()).append(" allowed, ").append(connections.refused())
                        .append(" refused, ").append(connections.failed()).append(" failed");
            }
            if (lookups.total() > 0) {
                sb.append("; DNS lookups ").append(lookups.allowed()).append(" answered, ").append(lookups.refused())
                        .append(" refused, ").append(lookups.failed()).append(" failed");
            }
            return sb.toString();
        }

        /** A few human lines for the end of a run, {@code halt proxy: ...}; empty when the proxy decided nothing. */
        public String format() {
            return format("halt proxy");
        }

        /** The same lines, the first starting with {@code label}; empty when nothing was decided. */
        public String format(String label) {
            if (isEmpty()) {
                return "";
            }
            var sb = new StringBuilder(label).append(": ").append(countsLine());
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
    /** Connections, then DNS lookups; each by {@link DecisionEvent.Decision#ordinal()}. */
    private final LongAdder[] connectionCounts = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder[] lookupCounts = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final ConcurrentHashMap<String, LongAdder> refusedHosts = new ConcurrentHashMap<>();
    /** Allowed hosts that could not be reached, each noticed once. */
    private final java.util.Set<String> unreachableHosts = ConcurrentHashMap.newKeySet();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong linesInWindow = new AtomicLong();
    private final LongAdder suppressed = new LongAdder();
    /** Listeners added while the proxy runs ({@code halt watch}, the embedding API). */
    private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.Consumer<DecisionEvent>> subscribers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

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
        (e.via() == DecisionEvent.Via.DNS ? lookupCounts : connectionCounts)[e.decision().ordinal()].increment();
        switch (e.decision()) {
            case ALLOWED -> { }
            case FAILED -> {
                String key = e.host() != null ? e.host() : e.ip() != null ? e.ip() : "?";
                if (unreachableHosts.size() < MAX_TRACKED_HOSTS && unreachableHosts.add(key)) {
                    console(unreachable(e, key));
                }
            }
            case REFUSED -> {
                String key = e.host() != null ? e.host() : e.ip() != null ? e.ip() : "?";
                LongAdder prior = refusedHosts.get(key);
                if (prior != null) {
                    prior.increment();
                } else if (refusedHosts.size() < MAX_TRACKED_HOSTS) {
                    LongAdder fresh = new LongAdder();
                    fresh.increment();
                    if (refusedHosts.putIfAbsent(key, fresh) == null) {
                        console("halt: refused " + key + (e.port() > 0 ? ":" + e.port() : "") + " (" + e.via().label() + "): "
                                + e.reason());
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
        notify(options.listener(), e);
        for (var s : subscribers) notify(s, e);
    }

    private static void notify(java.util.function.Consumer<DecisionEvent> listener, DecisionEvent e) {
        if (listener == null) return;
        try {
            listener.accept(e);
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "decision listener failed", ex);
        }
    }

    /**
     * Adds {@code listener}, which gets every decision recorded from now on, on the thread that
     * decided (it must not block); closing the returned handle removes it.
     */
    public AutoCloseable subscribe(java.util.function.Consumer<DecisionEvent> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        // A wrapper per subscription: the same listener added twice is removed once per handle.
        java.util.function.Consumer<DecisionEvent> entry = listener::accept;
        subscribers.add(entry);
        return () -> subscribers.remove(entry);
    }

    /**
     * The notice of an allowed host that could not be served: {@code halt: could not reach
     * api.example.com:443: no address (upstream DNS NXDOMAIN)} when nothing was sent to it, else
     * {@code halt: api.example.com:80 failed: no response from origin}.
     */
    private static String unreachable(DecisionEvent e, String key) {
        String where = key + (e.port() > 0 ? ":" + e.port() : "");
        return e.bytesUp() == 0 ? "halt: could not reach " + where + ": " + e.reason() : "halt: " + where + " failed: " + e.reason();
    }

    private void console(String line) {
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
        out.println(line);
    }

    /** Counts so far and the ten most refused hosts. */
    public Summary summary() {
        List<Map.Entry<String, Long>> top = refusedHosts.entrySet().stream()
                .map(en -> Map.entry(en.getKey(), en.getValue().sum()))
                .sorted(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .limit(10)
                .toList();
        return new Summary(counts(connectionCounts), counts(lookupCounts), top);
    }

    private static Counts counts(LongAdder[] byDecision) {
        return new Counts(byDecision[DecisionEvent.Decision.ALLOWED.ordinal()].sum(),
                byDecision[DecisionEvent.Decision.REFUSED.ordinal()].sum(), byDecision[DecisionEvent.Decision.FAILED.ordinal()].sum());
    }

    /** Notices withheld by the console rate limit. */
    public long suppressedNotices() {
        return suppressed.sum();
    }

    /** Writes what is queued, then closes the file sink. */
    @Override
    public void close() {
        if (file != null) file.close();
    }
}
