package dev.halt.core.linux.net;

import dev.halt.core.linux.sys.ErrnoException;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The addresses of every interface of the host's network namespace, read over rtnetlink
 * (an RTM_GETADDR dump), for the proxy's destination check
 * ({@link dev.halt.proxy.ProxyConfig#hostAddresses()}): an allowed name that resolves to the
 * host's public address would otherwise reach host services listening on {@code 0.0.0.0}.
 *
 * <p>The netlink socket is opened by {@link #open()} and keeps talking to the namespace of the
 * thread that opened it, whichever thread asks later: open it on one of halt's own host-namespace
 * threads. Each {@link #get()} is one dump, serialised by a lock (the proxy asks at most once a
 * second); a failure is an {@link IllegalStateException}, which the proxy turns into a refusal.
 */
final class HostAddressReader implements Supplier<Set<InetAddress>>, AutoCloseable {
    private final Netlink netlink;
    private final ReentrantLock lock = new ReentrantLock();

    private HostAddressReader(Netlink netlink) {
        this.netlink = netlink;
    }

    /** A reader of the calling thread's network namespace. */
    static HostAddressReader open() throws ErrnoException {
        return new HostAddressReader(Netlink.open());
    }

    @Override
    public Set<InetAddress> get() {
        lock.lock();
        try {
            var addresses = new HashSet<InetAddress>();
            for (var a : netlink.addresses()) addresses.add(a.address());
            return Set.copyOf(addresses);
        } catch (ErrnoException | IllegalStateException e) {
            throw new IllegalStateException("reading this machine's addresses over rtnetlink: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            netlink.close();
        } finally {
            lock.unlock();
        }
    }
}
