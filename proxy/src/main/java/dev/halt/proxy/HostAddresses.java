package dev.halt.proxy;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * This machine's own addresses, for the destination check: an allowed name that resolves to the
 * host's public address would otherwise reach every host service listening on {@code 0.0.0.0}.
 *
 * <p>The addresses come from a {@link ProxyConfig#hostAddresses() supplier} (halt's core reads
 * them over rtnetlink in the host namespace). An address is looked up in the last answer; only a
 * miss with an answer older than {@link #REFRESH_NANOS} asks the supplier again, so an address
 * added during a run counts from the next second on, and a stream of connections to public
 * addresses costs at most one question a second, not one per connection.
 *
 * <p>When the supplier fails, every destination that is not in the last answer is treated as
 * the host's own (refused) until a later question succeeds: the check never silently lapses.
 */
final class HostAddresses {
    /** How old an answer may be before a miss asks again. */
    static final long REFRESH_NANOS = 1_000_000_000L;

    private record Answer(Set<InetAddress> addresses, long takenNanos, String failure) {
    }

    private final Supplier<Set<InetAddress>> source;
    private final ReentrantLock asking = new ReentrantLock();
    private volatile Answer answer;

    /** Asks {@code source} once now; throws {@link IllegalStateException} when that fails. */
    HostAddresses(Supplier<Set<InetAddress>> source) {
        this.source = Objects.requireNonNull(source, "source");
        this.answer = ask(Set.of());
        if (answer.failure() != null) {
            throw new IllegalStateException("cannot read this machine's own addresses: " + answer.failure());
        }
    }

    /**
     * Why {@code a} counts as one of this machine's own addresses, or null when it does not.
     */
    String whyOwn(InetAddress a) {
        var current = answer;
        if (current.addresses().contains(a)) {
            return "address " + a.getHostAddress() + " is one of this machine's own";
        }
        if (System.nanoTime() - current.takenNanos() >= REFRESH_NANOS) {
            asking.lock();
            try {
                current = answer; // another thread may have asked while this one waited
                if (System.nanoTime() - current.takenNanos() >= REFRESH_NANOS) {
                    current = ask(current.addresses());
                    answer = current;
                }
            } finally {
                asking.unlock();
            }
            if (current.addresses().contains(a)) {
                return "address " + a.getHostAddress() + " is one of this machine's own";
            }
        }
        if (current.failure() != null) {
            return "cannot tell whether " + a.getHostAddress() + " is one of this machine's own addresses ("
                    + current.failure() + ")";
        }
        return null;
    }

    private Answer ask(Set<InetAddress> previous) {
        try {
            return new Answer(Set.copyOf(source.get()), System.nanoTime(), null);
        } catch (RuntimeException e) {
            return new Answer(previous, System.nanoTime(), String.valueOf(e.getMessage()));
        }
    }

    /**
     * The default source: the addresses of the interfaces the JDK lists, which are those of the
     * calling thread's network namespace.
     */
    static Set<InetAddress> ofInterfaces() {
        var found = new HashSet<InetAddress>();
        try {
            var interfaces = NetworkInterface.getNetworkInterfaces();
            while (interfaces != null && interfaces.hasMoreElements()) {
                interfaces.nextElement().inetAddresses().forEach(found::add);
            }
        } catch (SocketException e) {
            throw new IllegalStateException("cannot list the network interfaces: " + e.getMessage(), e);
        }
        return found;
    }
}
