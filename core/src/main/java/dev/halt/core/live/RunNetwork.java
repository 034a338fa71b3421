package dev.halt.core.live;

import dev.halt.core.LiveNetwork;
import dev.halt.core.policy.ExposedPort;
import dev.halt.core.policy.NetworkMode;
import dev.halt.proxy.DecisionEvent;
import dev.halt.proxy.DecisionLog;
import dev.halt.proxy.DomainMatcher;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.ProxyPolicy;
import dev.halt.proxy.ProxyServer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@link LiveNetwork} of one run: the proxy's lists as the run changes them, applied by
 * replacing the proxy's whole policy at once ({@link ProxyServer#replacePolicy}); the decision log
 * its listeners join; the questions of {@code --ask} ({@link Questions}). The backend makes one per
 * launch and gives it the proxy once that runs.
 */
public final class RunNetwork implements LiveNetwork {

    /** How long an answer of {@link Answer#ONCE} lets its name through: the held request, and what its DNS answer leads to. */
    static final Duration ONCE_WINDOW = Duration.ofSeconds(10);

    private final NetworkMode mode;
    private final List<ExposedPort> exposedPorts;
    private final Questions questions;
    /** Guarded by {@code this}: the lists, canonical entry to entry as written. */
    private final Map<String, DomainPattern> allow = new LinkedHashMap<>();
    private final Map<String, DomainPattern> deny = new LinkedHashMap<>();
    /** Guarded by {@code this}: names let through once, each until its deadline ({@link System#nanoTime()}). */
    private final Map<String, Long> once = new LinkedHashMap<>();
    private volatile ProxyServer proxy;
    /** Where decisions are recorded when the run has no proxy (host ports with privileges), else null. */
    private volatile DecisionLog ownLog;
    private volatile LongSupplier supervisorRefusals = () -> 0;

    /**
     * @param allowlist    the allowlist the run starts with
     * @param denylist     the denylist it starts with
     * @param askTimeout   with {@code --ask}, how long a refused name is held; null without
     * @param console      where a question nobody watches is announced (halt's standard error)
     * @param askCommand   what to run to answer, for that line ({@code halt watch --ask 1234})
     */
    public RunNetwork(NetworkMode mode, List<DomainPattern> allowlist, List<DomainPattern> denylist, List<ExposedPort> exposedPorts,
                      Duration askTimeout, PrintStream console, String askCommand) {
        this.mode = mode;
        this.exposedPorts = List.copyOf(exposedPorts);
        for (var pattern : allowlist) add(allow, pattern);
        for (var pattern : denylist) add(deny, pattern);
        this.questions = askTimeout == null ? null : new Questions(askTimeout, console, askCommand, this::answered);
    }

    private static void add(Map<String, DomainPattern> list, DomainPattern pattern) {
        list.putIfAbsent(pattern.toString(), pattern);
    }

    /** The proxy has started: from now on its policy is this run's, and with {@code --ask} it asks here. */
    public void attach(ProxyServer server) {
        proxy = server;
        if (questions != null) server.approver(questions);
    }

    /** The run has no proxy: decisions (host-port connections) are recorded in {@code log}. */
    public void attach(DecisionLog log) {
        ownLog = log;
    }

    /** Where the refusals of halt's supervisor (rootless) are counted. */
    public void supervisorRefusals(LongSupplier refused) {
        supervisorRefusals = refused;
    }

    @Override
    public NetworkMode mode() {
        return mode;
    }

    @Override
    public boolean hasProxy() {
        return proxy != null;
    }

    @Override
    public synchronized List<String> allowlist() {
        return List.copyOf(allow.keySet());
    }

    @Override
    public synchronized List<String> denylist() {
        return List.copyOf(deny.keySet());
    }

    @Override
    public PolicyChange allow(List<String> entries) {
        var server = requireProxy();
        var patterns = parse(entries);
        synchronized (this) {
            var moved = move(patterns, allow, deny);
            var matcher = server.matcher();
            var stillRefused = new ArrayList<String>();
            for (var p : patterns) {
                var verdict = matcher.checkNormalized(p.domain(), p.port() == DomainPattern.ANY_PORT ? DomainMatcher.ANY : p.port());
                if (verdict instanceof DomainMatcher.Verdict.Denied d) stillRefused.add(p + " (" + d.reason() + ")");
            }
            return new PolicyChange(moved.added(), moved.unchanged(), moved.removed(), stillRefused, 0, 0);
        }
    }

    @Override
    public PolicyChange deny(List<String> entries) {
        var server = requireProxy();
        var patterns = parse(entries);
        synchronized (this) {
            patterns.forEach(p -> once.remove(p.toString()));
            var moved = move(patterns, deny, allow);
            var matcher = server.matcher();
            // Cut after the swap: a connection opened in between was decided by the new policy.
            int cut = server.closeConnections((host, port) -> matcher.checkNormalized(host, port) instanceof DomainMatcher.Verdict.Denied);
            int forgot = server.forgetNames(name -> matcher.checkNormalized(name, DomainMatcher.ANY) instanceof DomainMatcher.Verdict.Denied);
            return new PolicyChange(moved.added(), moved.unchanged(), moved.removed(), List.of(), cut, forgot);
        }
    }

    /** What {@link #move} did: entries added to the list, already in it, taken out of the other. */
    private record Moved(List<String> added, List<String> unchanged, List<String> removed) {}

    /** Puts {@code patterns} in {@code into}, out of {@code from}, and the result in force. Guarded by {@code this}. */
    private Moved move(List<DomainPattern> patterns, Map<String, DomainPattern> into, Map<String, DomainPattern> from) {
        var moved = new Moved(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (var p : patterns) {
            var key = p.toString();
            if (from.remove(key) != null) moved.removed().add(key);
            (into.putIfAbsent(key, p) == null ? moved.added() : moved.unchanged()).add(key);
        }
        apply(requireProxy());
        return moved;
    }

    /**
     * Lets {@code host} through for {@link #ONCE_WINDOW}: an entry of the allowlist the proxy sees,
     * not of the run's list, taken out again at its deadline.
     */
    synchronized void allowOnce(String host) {
        var server = requireProxy();
        long deadline = System.nanoTime() + ONCE_WINDOW.toNanos();
        once.put(DomainPattern.parse(host).toString(), deadline);
        apply(server);
        Thread.ofVirtual().name("halt-once-expiry").start(() -> {
            try {
                Thread.sleep(ONCE_WINDOW.plusMillis(50));
            } catch (InterruptedException e) {
                return;
            }
            expireOnce();
        });
    }

    private synchronized void expireOnce() {
        long now = System.nanoTime();
        if (once.values().removeIf(deadline -> deadline - now <= 0)) apply(proxy);
    }

    /** Puts the lists (and the names let through once) in force. Guarded by {@code this}. */
    private void apply(ProxyServer server) {
        var patterns = new ArrayList<>(allow.values());
        for (var name : once.keySet()) if (!allow.containsKey(name)) patterns.add(DomainPattern.parse(name));
        var p = server.policy();
        server.replacePolicy(new ProxyPolicy(patterns, List.copyOf(deny.values()), p.upstreamDns(), p.dnsTtl(), p.connectTimeout(),
            p.idleTimeout(), p.allowLocalDestinations(), p.maxConnections()));
    }

    /**
     * An answer to a question: the grant it makes, before the held requests look again. Once for a
     * connection needs none (the proxy lets the held connection through); once for a DNS lookup lets
     * the name through for {@link #ONCE_WINDOW}, so that the connections to the addresses it answered
     * follow.
     */
    private void answered(String host, int port, Answer answer) {
        switch (answer) {
            case ONCE -> {
                if (port < 0) allowOnce(host);
            }
            case RUN -> allow(List.of(host));
            case DENY -> { }
        }
    }

    private ProxyServer requireProxy() {
        var server = proxy;
        if (server == null) {
            throw new IllegalStateException("network mode " + mode.configName() + " has no proxy: allow and deny change the"
                + " lists of a proxy_only run");
        }
        return server;
    }

    /**
     * Each entry as the config reads a domain pattern; every bad one named (IllegalArgumentException),
     * nothing parsed when any is.
     */
    public static List<DomainPattern> parse(List<String> entries) {
        if (entries.isEmpty()) throw new IllegalArgumentException("no host given");
        var patterns = new ArrayList<DomainPattern>();
        var problems = new ArrayList<String>();
        for (var entry : entries) {
            try {
                patterns.add(DomainPattern.parse(entry.strip()));
            } catch (IllegalArgumentException e) {
                problems.add("\"" + entry + "\": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException("bad domain pattern: " + String.join("; ", problems));
        return patterns;
    }

    @Override
    public AutoCloseable onDecision(Consumer<DecisionEvent> listener) {
        var server = proxy;
        var log = server != null ? server.decisionLog() : ownLog;
        if (log == null) return () -> { };
        return log.subscribe(listener);
    }

    @Override
    public List<ExposedPort> exposedPorts() {
        return exposedPorts;
    }

    @Override
    public Counts counts() {
        var server = proxy;
        var log = server != null ? server.decisionLog() : ownLog;
        long supervised = supervisorRefusals.getAsLong();
        if (log == null) return new Counts(0, supervised, 0, 0, 0, 0);
        var s = log.summary();
        var c = s.connections();
        var l = s.lookups();
        return new Counts(c.allowed(), c.refused() + supervised, c.failed(), l.allowed(), l.refused(), l.failed());
    }

    @Override
    public boolean asks() {
        return questions != null;
    }

    @Override
    public AutoCloseable onQuestion(Consumer<Question> listener) {
        if (questions == null) return () -> { };
        return questions.subscribe(listener);
    }

    @Override
    public boolean answer(long question, Answer answer) {
        return questions != null && questions.answer(question, answer);
    }
}
