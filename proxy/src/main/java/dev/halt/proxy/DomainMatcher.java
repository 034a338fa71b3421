package dev.halt.proxy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides host names against an allowlist and a denylist; the denylist wins.
 *
 * <p>Lookups cost one hash probe for the exact name plus one per parent suffix for wildcards
 * (so a handful for a real name), whatever the size of the lists: no scan. Immutable and safe
 * for concurrent use.
 */
public final class DomainMatcher {

    /** The outcome of a check; {@link #reason()} is short enough for a log line or an HTTP header. */
    public sealed interface Verdict {
        /** Whether the name (and port) may be reached. */
        boolean allowed();

        /** Why, for the decision log and the {@code X-Halt-Reason} header. */
        String reason();

        /** Allowed by an allowlist entry. */
        record Allowed(DomainPattern by) implements Verdict {
            public boolean allowed() { return true; }
            public String reason() { return "allowed by " + by; }
        }

        /** Refused by a denylist entry. */
        record Denied(DomainPattern by) implements Verdict {
            public boolean allowed() { return false; }
            public String reason() { return "denied by " + by; }
        }

        /** No allowlist entry matches (or the name is not a valid host name). */
        record NotAllowed(String detail) implements Verdict {
            public boolean allowed() { return false; }
            public String reason() { return detail; }
        }
    }

    /** The patterns for one name: those valid on any port, and per-port ones. */
    private record Entry(DomainPattern anyPort, Map<Integer, DomainPattern> byPort) {
        DomainPattern find(int port) {
            if (anyPort != null) {
                return anyPort;
            }
            if (port == ANY) {
                // A DNS question has no port: a port-restricted entry still lets the name resolve.
                return byPort.values().iterator().next();
            }
            return byPort.get(port);
        }

        Entry with(DomainPattern p) {
            if (p.port() == DomainPattern.ANY_PORT) {
                return new Entry(p, byPort);
            }
            var m = new HashMap<>(byPort);
            m.putIfAbsent(p.port(), p);
            return new Entry(anyPort, Map.copyOf(m));
        }
    }

    /** A port value meaning "any port": DNS questions, where no port is known. */
    public static final int ANY = -1;

    private final Map<String, Entry> allowExact;
    private final Map<String, Entry> allowWild;
    private final Map<String, Entry> denyExact;
    private final Map<String, Entry> denyWild;
    private final List<DomainPattern> allowlist;
    private final List<DomainPattern> denylist;

    private DomainMatcher(List<DomainPattern> allow, List<DomainPattern> deny) {
        this.allowlist = List.copyOf(allow);
        this.denylist = List.copyOf(deny);
        allowExact = new HashMap<>();
        allowWild = new HashMap<>();
        denyExact = new HashMap<>();
        denyWild = new HashMap<>();
        for (DomainPattern p : allowlist) {
            add(p.wildcard() ? allowWild : allowExact, p);
        }
        for (DomainPattern p : denylist) {
            add(p.wildcard() ? denyWild : denyExact, p);
        }
    }

    private static void add(Map<String, Entry> map, DomainPattern p) {
        map.merge(p.domain(), new Entry(null, Map.of()).with(p), (old, fresh) -> old.with(p));
    }

    /** A matcher for the given lists. */
    public static DomainMatcher of(List<DomainPattern> allowlist, List<DomainPattern> denylist) {
        return new DomainMatcher(allowlist, denylist);
    }

    /** Parses both lists with {@link DomainPattern#parse(String)}; the first bad entry throws. */
    public static DomainMatcher parse(List<String> allowlist, List<String> denylist) {
        return of(allowlist.stream().map(DomainPattern::parse).toList(), denylist.stream().map(DomainPattern::parse).toList());
    }

    /** The allowlist this matcher was built from. */
    public List<DomainPattern> allowlist() { return allowlist; }

    /** The denylist this matcher was built from. */
    public List<DomainPattern> denylist() { return denylist; }

    /**
     * Decides a host and port. The host may be in any case, with a trailing dot, or in Unicode.
     *
     * @param port the destination port, or {@link #ANY} when none is known (DNS)
     */
    public Verdict check(String host, int port) {
        String h = HostNames.normalizeOrNull(host);
        if (h == null) {
            return new Verdict.NotAllowed("not a valid host name");
        }
        return checkNormalized(h, port);
    }

    /** Like {@link #check(String, int)} for a name already in {@link HostNames#normalize} form. */
    public Verdict checkNormalized(String host, int port) {
        DomainPattern deny = lookup(denyExact, denyWild, host, port, true);
        if (deny != null) {
            return new Verdict.Denied(deny);
        }
        DomainPattern allow = lookup(allowExact, allowWild, host, port, false);
        if (allow != null) {
            return new Verdict.Allowed(allow);
        }
        return new Verdict.NotAllowed("not in allowlist");
    }

    private static DomainPattern lookup(Map<String, Entry> exact, Map<String, Entry> wild, String host, int port, boolean deny) {
        // A port-restricted deny entry cannot refuse a portless DNS question: other ports stay usable.
        Entry e = exact.get(host);
        DomainPattern p = e == null ? null : findFor(e, port, deny);
        if (p != null) {
            return p;
        }
        if (wild.isEmpty()) {
            return null;
        }
        int dot = host.indexOf('.');
        while (dot >= 0) {
            e = wild.get(host.substring(dot + 1));
            p = e == null ? null : findFor(e, port, deny);
            if (p != null) {
                return p;
            }
            dot = host.indexOf('.', dot + 1);
        }
        return null;
    }

    private static DomainPattern findFor(Entry e, int port, boolean deny) {
        if (deny && port == ANY) {
            return e.anyPort();
        }
        return e.find(port);
    }
}
