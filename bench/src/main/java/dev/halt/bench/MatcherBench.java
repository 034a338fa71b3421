package dev.halt.bench;

import dev.halt.proxy.DomainMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Policy lookup: one {@link DomainMatcher#check} per operation against an allowlist of 10, 1k
 * or 10k patterns (half exact names, half {@code *.} wildcards, a few with ports) and a small
 * denylist. Hosts rotate through 1024 precomputed names so the branch predictor and the string
 * hash caches see a realistic spread rather than one hot key; the names are fresh {@code String}
 * objects (hash not yet cached) because the proxy parses a new host string per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatcherBench {
    @Param({"10", "1000", "10000"})
    public int patterns;

    private static final int KEYS = 1024;
    private DomainMatcher matcher;
    private String[] hitsSource;
    private String[] missesSource;
    private String[] hits;
    private String[] misses;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        var allow = new ArrayList<String>(patterns);
        for (int p = 0; p < patterns; p++) {
            if (p % 2 == 0) {
                allow.add("api" + p + ".service" + (p % 97) + ".example.com");
            } else if (p % 10 == 1) {
                allow.add("*.cdn" + p + ".example.net:443");
            } else {
                allow.add("*.cdn" + p + ".example.net");
            }
        }
        List<String> deny = List.of("evil.example.com", "*.tracker.example.net");
        matcher = DomainMatcher.parse(allow, deny);
        hitsSource = new String[KEYS];
        missesSource = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            int p = (k * 7919) % patterns;
            hitsSource[k] = p % 2 == 0
                    ? "api" + p + ".service" + (p % 97) + ".example.com"
                    : "deep.node" + k + ".cdn" + p + ".example.net";
            // Misses share suffixes with the allowlist so each lookup walks every label.
            missesSource[k] = "nope" + k + ".svc" + (k % 13) + ".example.org";
        }
        for (String h : hitsSource) {
            if (!matcher.check(h, 443).allowed()) throw new IllegalStateException("expected a hit: " + h);
        }
        for (String h : missesSource) {
            if (matcher.check(h, 443).allowed()) throw new IllegalStateException("expected a miss: " + h);
        }
    }

    @Setup(Level.Iteration)
    public void freshStrings() {
        // New String objects each iteration: their hash codes are not cached yet, as for a
        // host parsed from a request. (Within an iteration each key repeats ~thousands of times.)
        hits = new String[KEYS];
        misses = new String[KEYS];
        for (int k = 0; k < KEYS; k++) {
            hits[k] = new String(hitsSource[k].toCharArray());
            misses[k] = new String(missesSource[k].toCharArray());
        }
    }

    @Benchmark
    public boolean hit() {
        return matcher.check(hits[i++ & (KEYS - 1)], 443).allowed();
    }

    /** The lookup alone, for a name already normalised (the DNS server's path): shows what {@code check}'s normalisation costs. */
    @Benchmark
    public boolean hitNormalized() {
        return matcher.checkNormalized(hits[i++ & (KEYS - 1)], 443).allowed();
    }

    @Benchmark
    public boolean missNormalized() {
        return matcher.checkNormalized(misses[i++ & (KEYS - 1)], 443).allowed();
    }

    @Benchmark
    public boolean miss() {
        return matcher.check(misses[i++ & (KEYS - 1)], 443).allowed();
    }
}
