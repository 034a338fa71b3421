package dev.halt.proxy.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * halt's own resolver: the hosts file, then {@link DnsClient}; answers cached by their TTL
 * capped at {@code dns_ttl_seconds}; and the record of which address each name resolved to,
 * which the transparent listener and the IP-literal check consult.
 *
 * <p>Callers ask only for names the policy allows, so every recorded address belongs to an
 * allowed name.
 */
public final class Resolver {
    /** An address handed out stays attributable at least this long, so a TTL of 0 is still usable. */
    private static final long MIN_RECORD_NANOS = Duration.ofSeconds(10).toNanos();
    /** Negative answers and answers without records are cached this long at most. */
    private static final long MAX_NEGATIVE_SECONDS = 30;
    private static final int MAX_ENTRIES = 50_000;

    /**
     * One cached answer.
     *
     * @param message the response, as from upstream or synthesised from the hosts file
     * @param expiresNanos {@link System#nanoTime()} when it stops being served
     */
    public record Answer(DnsMessage message, long expiresNanos) {
        /** Whole seconds left, at least 0. */
        public long ttlLeft(long nowNanos) {
            return Math.max(0, (expiresNanos - nowNanos) / 1_000_000_000L);
        }
    }

    private record Key(String name, int type) {}

    private record Names(Set<String> names, long expiresNanos) {}

    private final DnsClient client;
    private final HostsFile hosts;
    private final long ttlCapSeconds;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Key, Answer> cache = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Names> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, CompletableFuture<Answer>> inflight = new ConcurrentHashMap<>();

    /** A resolver over a client and a hosts table. */
    public Resolver(DnsClient client, HostsFile hosts, Duration ttlCap) {
        this(client, hosts, ttlCap, System::nanoTime);
    }

    Resolver(DnsClient client, HostsFile hosts, Duration ttlCap, LongSupplier clock) {
        this.client = client;
        this.hosts = hosts;
        this.ttlCapSeconds = Math.max(1, ttlCap.toSeconds());
        this.clock = clock;
    }

    /**
     * The answer for a normalised name and a type: from the cache, the hosts file (A, AAAA) or
     * upstream. Records the addresses it contains.
     *
     * @throws DnsException when upstream cannot be reached
     */
    public Answer query(String name, int type) throws DnsException {
        long now = clock.getAsLong();
        var key = new Key(name, type);
        Answer cached = cache.get(key);
        if (cached != null && cached.expiresNanos() - now > 0) {
            return cached;
        }
        // Concurrent misses for one name share one upstream query: a burst of connections to
        // a cold name must not become a burst of DNS packets.
        var mine = new CompletableFuture<Answer>();
        CompletableFuture<Answer> theirs = inflight.putIfAbsent(key, mine);
        if (theirs != null) {
            return await(theirs, name);
        }
        try {
            Answer fresh = fetch(name, type, now);
            if (fresh.expiresNanos() - now > 0) {
                if (cache.size() >= MAX_ENTRIES) {
                    evictExpired(now);
                }
                cache.put(key, fresh);
            }
            mine.complete(fresh);
            return fresh;
        } catch (DnsException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private static Answer await(CompletableFuture<Answer> f, String name) throws DnsException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DnsException d) {
                throw new DnsException(d.getMessage(), d.isTimeout());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DnsException("interrupted while resolving " + name, false);
        }
    }

    private Answer fetch(String name, int type, long now) throws DnsException {
        if (type == DnsMessage.TYPE_A || type == DnsMessage.TYPE_AAAA) {
            List<InetAddress> listed = hosts.lookup(name);
            if (!listed.isEmpty()) {
                var ofType = listed.stream().filter(a -> (type == DnsMessage.TYPE_A) == DnsMessage.isV4(a)).toList();
                long ttl = Math.min(ttlCapSeconds, 60);
                try {
                    byte[] qb = DnsMessage.query(0, name, type);
                    byte[] rb = DnsMessage.parse(qb, qb.length).addressResponse(ofType, ttl);
                    DnsMessage m = DnsMessage.parse(rb, rb.length);
                    long expires = now + ttl * 1_000_000_000L;
                    remember(name, m, expires, now);
                    return new Answer(m, expires);
                } catch (DnsFormatException e) {
                    throw new IllegalStateException("own message does not parse", e);
                }
            }
        }
        DnsMessage m = client.query(name, type);
        long ttl = ttlCapSeconds;
        boolean any = false;
        for (DnsMessage.Record r : m.answers()) {
            ttl = Math.min(ttl, r.ttl());
            any = true;
        }
        if (!any || m.rcode() != DnsMessage.RCODE_NOERROR) {
            ttl = Math.min(ttl, MAX_NEGATIVE_SECONDS);
            for (DnsMessage.Record r : m.authorities()) {
                if (r.type() == DnsMessage.TYPE_SOA) {
                    ttl = Math.min(ttl, r.ttl());
                }
            }
            if (m.rcode() != DnsMessage.RCODE_NOERROR && m.rcode() != DnsMessage.RCODE_NXDOMAIN) {
                ttl = 0; // SERVFAIL and friends: do not cache
            }
        }
        long expires = now + ttl * 1_000_000_000L;
        remember(name, m, expires, now);
        return new Answer(m, expires);
    }

    private void remember(String name, DnsMessage m, long expires, long now) {
        long until = Math.max(expires, now + MIN_RECORD_NANOS);
        for (InetAddress a : m.addresses()) {
            record(a, name, until);
        }
    }

    /** Records that {@code name} resolved to {@code address} until {@code untilNanos}. */
    public void record(InetAddress address, String name, long untilNanos) {
        if (byAddress.size() >= MAX_ENTRIES) {
            evictExpired(clock.getAsLong());
        }
        byAddress.compute(address, (a, old) -> {
            long now = clock.getAsLong();
            if (old == null || old.expiresNanos() - now <= 0) {
                return new Names(Set.of(name), untilNanos);
            }
            if (old.names().contains(name) && old.expiresNanos() - untilNanos >= 0) {
                return old;
            }
            var names = new TreeSet<>(old.names());
            names.add(name);
            long e = old.expiresNanos() - untilNanos >= 0 ? old.expiresNanos() : untilNanos;
            return new Names(Set.copyOf(names), e);
        });
    }

    /**
     * Forgets the names {@code refused} picks: the addresses they resolved to are no longer
     * attributed to them (an IP literal or a transparent connection to such an address is refused
     * unless another allowed name resolved to it too), and their cached answers go. For a live
     * deny. Returns how many addresses lost a name.
     */
    public int forget(java.util.function.Predicate<String> refused) {
        int changed = 0;
        for (var entry : byAddress.entrySet()) {
            var names = entry.getValue();
            if (names.names().stream().noneMatch(refused)) continue;
            var kept = names.names().stream().filter(refused.negate()).collect(java.util.stream.Collectors.toUnmodifiableSet());
            boolean replaced = kept.isEmpty() ? byAddress.remove(entry.getKey(), names)
                : byAddress.replace(entry.getKey(), names, new Names(kept, names.expiresNanos()));
            if (replaced) changed++;
        }
        cache.keySet().removeIf(key -> refused.test(key.name()));
        return changed;
    }

    /** The allowed names that recently (within their TTL) resolved to this address; empty if none. */
    public Set<String> namesFor(InetAddress address) {
        Names n = byAddress.get(address);
        if (n == null || n.expiresNanos() - clock.getAsLong() <= 0) {
            return Set.of();
        }
        return n.names();
    }

    /**
     * The addresses of a name ({@link #lookup}).
     *
     * @throws DnsException when upstream cannot be reached
     */
    public List<InetAddress> addresses(String name) throws DnsException {
        return lookup(name).addresses();
    }

    /**
     * What a lookup of a name found: its addresses, and when there are none, why.
     *
     * @param addresses A records, then AAAA records
     * @param rcode the response code that explains an empty list: the A query's when it is not
     *     NOERROR (NXDOMAIN covers every type), else the AAAA query's
     */
    public record Lookup(List<InetAddress> addresses, int rcode) {
        public Lookup {
            addresses = List.copyOf(addresses);
        }

        /** Why there is no address, for a user: {@code upstream DNS NXDOMAIN}, or null when there is one. */
        public String whyNone() {
            if (!addresses.isEmpty()) return null;
            return rcode == DnsMessage.RCODE_NOERROR ? "upstream DNS has no A or AAAA record"
                : "upstream DNS " + DnsMessage.rcodeName(rcode);
        }
    }

    /**
     * Looks a name up: A records, then AAAA records (asked only when there is no A).
     *
     * @throws DnsException when upstream cannot be reached
     */
    public Lookup lookup(String name) throws DnsException {
        DnsMessage a = query(name, DnsMessage.TYPE_A).message();
        if (!a.addresses().isEmpty() || a.rcode() == DnsMessage.RCODE_NXDOMAIN) {
            // NXDOMAIN covers every type: asking for AAAA would only repeat the question.
            return new Lookup(a.addresses(), a.rcode());
        }
        DnsMessage aaaa = query(name, DnsMessage.TYPE_AAAA).message();
        return new Lookup(aaaa.addresses(), a.rcode() != DnsMessage.RCODE_NOERROR ? a.rcode() : aaaa.rcode());
    }

    /** The current clock, for {@link Answer#ttlLeft(long)}. */
    public long now() {
        return clock.getAsLong();
    }

    private void evictExpired(long now) {
        cache.entrySet().removeIf(e -> e.getValue().expiresNanos() - now <= 0);
        byAddress.entrySet().removeIf(e -> e.getValue().expiresNanos() - now <= 0);
    }

    /** Cached answers, for tests and diagnostics. */
    Map<Key, Answer> cacheView() {
        return Map.copyOf(cache);
    }
}
