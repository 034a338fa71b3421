package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.halt.ffm.linux.socket_h.*;

/**
 * The supervisor's {@code connect}, {@code bind} and {@code listen}: rootless network modes with
 * exact addresses ({@link NetworkRules}), where Landlock's TCP rules can only name ports.
 *
 * <p>Each handler takes the child's socket with {@code pidfd_getfd} and decides on what halt holds:
 * the socket's family ({@code SO_DOMAIN} of halt's duplicate, which a racing {@code dup2} in the
 * child cannot change) and a copy of the address, read once. Why each call is emulated rather than
 * continued:
 * <ul>
 * <li><b>connect, Internet sockets:</b> performed by halt on its duplicate, with the copy it checked;
 *     the child's descriptor is the same socket, so it is connected (a non-blocking socket gets
 *     EINPROGRESS and completes in the child). A CONTINUE would let the kernel read the sockaddr
 *     again, after another thread of the child rewrote it to a refused address.</li>
 * <li><b>connect, unix sockets:</b> CONTINUE when {@code allow_unix_sockets}: made from halt's
 *     thread it would resolve the path in halt's working directory and mount namespace, skip
 *     Landlock's abstract-socket scope, and {@code SO_PEERCRED} would name halt. A racing swap of the
 *     descriptor to a TCP socket then connects in the child's own context, where Landlock handles TCP
 *     connect with no port allowed: refused. Without {@code allow_unix_sockets} the only unix sockets
 *     are {@code socketpair}'s, connected already: EISCONN, never CONTINUE.</li>
 * <li><b>connect and bind, netlink (route):</b> CONTINUE: the kernel checks netlink's group rights
 *     against the caller's credentials, which are the child's only in its own context; the family is
 *     fixed per socket, and a swapped TCP socket meets Landlock as above.</li>
 * <li><b>bind, Internet sockets</b> ({@code allow_local_binding}): performed by halt on a loopback
 *     address; a wildcard bind (0.0.0.0, ::) is moved to loopback of its family, so dev servers that
 *     listen on every address by default work, reachable from this machine only. The child's
 *     {@code getsockname} shows the loopback address. Without {@code allow_local_binding}: refused.</li>
 * <li><b>bind, unix sockets:</b> CONTINUE: the path resolves in the child's context and Landlock's
 *     MAKE_SOCK right applies; a swapped TCP socket meets Landlock's bind rule, which allows no port.</li>
 * <li><b>listen:</b> performed by halt on its duplicate, whatever the family. An Internet socket only
 *     with {@code allow_local_binding}, and only on loopback: listen on an unbound socket would bind
 *     a port on every address, which no bind hook sees, so halt binds it to a loopback port first. A
 *     unix socket always (a CONTINUE could listen on a TCP socket swapped in). The price: a unix
 *     listener's {@code SO_PEERCRED}, which its clients read, names halt's process (same user and
 *     group rootless).</li>
 * </ul>
 * Refusals are EACCES for connect and bind (what Landlock answered before), EPERM for listen (what
 * the filter answers when listen is refused outright), each with a line on stderr
 * ({@link Refusals}).
 */
public final class NetworkCalls {
    private static final System.Logger LOG = System.getLogger("halt");

    private final NetworkRules rules;
    private final Refusals refusals;
    /** What the child bound through the supervisor: it may connect there again. */
    private final Set<NetworkRules.Endpoint> ownListeners = ConcurrentHashMap.newKeySet();
    /** halt's duplicates in a connect now; guarded by itself, so that a number is shut down only while it is ours. */
    private final java.util.HashSet<Integer> connecting = new java.util.HashSet<>();
    private boolean aborted;

    private NetworkCalls(NetworkRules rules, Refusals refusals) {
        this.rules = rules;
        this.refusals = refusals;
    }

    /** Registers connect, bind and listen for {@code rules}, reporting refusals to {@code refusals}. */
    public static NetworkCalls register(Supervisor.Builder builder, NetworkRules rules, Refusals refusals) {
        var calls = new NetworkCalls(rules, refusals);
        var table = Syscall.TABLE;
        builder.handle("connect", table.connect(), calls::connect);
        builder.handle("bind", table.bind(), calls::bind);
        builder.handle("listen", table.listen(), calls::listen);
        builder.warmUp(calls::warmUp);
        return calls;
    }

    /**
     * The decision path on halt's own socket and made-up addresses of both families: the classes and
     * calls the first connect needs. Records no refusal and connects nothing.
     */
    private void warmUp() {
        long fd = Syscall.callRaw(Syscall.TABLE.socket(), AF_INET6(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
        if (fd < 0) fd = Syscall.callRaw(Syscall.TABLE.socket(), AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
        if (fd < 0) return;
        try (var arena = Arena.ofConfined()) {
            int domain = domain((int) fd, arena.allocate(8));
            localAddress((int) fd, domain);
            var addresses = domain == AF_INET6() ? java.util.List.of(NetworkRules.loopback4(), NetworkRules.loopback6())
                : java.util.List.of(NetworkRules.loopback4());
            for (var address : addresses) {
                var sockaddr = Sockaddr.of(domain, address, 9, arena);
                if (Sockaddr.parse(domain, sockaddr) instanceof Sockaddr.Inet inet) {
                    rules.connect(inet.endpoint(), ownListeners);
                    rules.bindAddress(inet.endpoint().address());
                    inet.endpoint().toString();
                }
            }
        } finally {
            Syscall.close((int) fd);
        }
    }

    /**
     * At the end of the run: shuts down every socket halt is connecting now, so that no worker stays
     * blocked in a connect (one to a listener whose backlog is full retries for minutes), and refuses
     * every later connect. The JVM would otherwise wait for such a thread at exit.
     */
    public void abortConnects() {
        synchronized (connecting) {
            aborted = true;
            for (int fd : connecting) Syscall.callRaw(Syscall.TABLE.shutdown(), fd, SHUT_RDWR(), 0, 0, 0, 0);
        }
    }

    /** connect of halt's duplicate, which {@link #abortConnects()} can interrupt. */
    private long connectAbortably(int fd, MemorySegment address) {
        synchronized (connecting) {
            if (aborted) return -Errno.ECONNABORTED;
            connecting.add(fd);
        }
        try {
            return perform(Syscall.TABLE.connect(), fd, address);
        } finally {
            synchronized (connecting) {
                connecting.remove(fd);
            }
        }
    }

    /** {@code connect(fd, addr, addrlen)}. */
    private Response connect(Notification call, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int fd = child.takeFd(call.intArg(0));
        int domain = domain(fd, child.scratch(8));
        if (domain < 0) return Response.error(-domain);
        if (domain == AF_UNIX()) return rules.allowUnixSockets() ? Response.proceed() : Response.error(Errno.EISCONN);
        if (domain == AF_NETLINK()) return Response.proceed();
        // The filter lets the child make no socket of another family.
        if (domain != AF_INET() && domain != AF_INET6()) return Response.error(Errno.EACCES);
        var address = readAddress(call, child);
        if (address == null) return Response.error(Errno.EINVAL);
        return switch (Sockaddr.parse(domain, address)) {
            case Sockaddr.Invalid invalid -> Response.error(invalid.errno());
            // AF_UNSPEC disconnects: nothing is reached.
            case Sockaddr.Unspecified u -> Response.ofRaw(perform(Syscall.TABLE.connect(), fd, address));
            case Sockaddr.Inet inet -> {
                var verdict = rules.connect(inet.endpoint(), ownListeners);
                if (!verdict.allowed()) {
                    refusals.refuse("connect", inet.endpoint().toString(), verdict.reason());
                    yield Response.error(Errno.EACCES);
                }
                yield Response.ofRaw(connectAbortably(fd, address));
            }
        };
    }

    /** {@code bind(fd, addr, addrlen)}. */
    private Response bind(Notification call, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int fd = child.takeFd(call.intArg(0));
        int domain = domain(fd, child.scratch(8));
        if (domain < 0) return Response.error(-domain);
        if (domain == AF_UNIX() || domain == AF_NETLINK()) return Response.proceed();
        if (domain != AF_INET() && domain != AF_INET6()) return Response.error(Errno.EACCES);
        var address = readAddress(call, child);
        if (address == null) return Response.error(Errno.EINVAL);
        return switch (Sockaddr.parse(domain, address)) {
            case Sockaddr.Invalid invalid -> Response.error(invalid.errno());
            // IPv4's bind takes AF_UNSPEC for INADDR_ANY, a wildcard by another name: refused as the kernel refuses it for IPv6.
            case Sockaddr.Unspecified u -> Response.error(Errno.EAFNOSUPPORT);
            case Sockaddr.Inet inet -> {
                var target = rules.bindAddress(inet.endpoint().address());
                if (target.isEmpty()) {
                    refusals.refuse("bind", inet.endpoint().toString(), rules.bindRefusal());
                    yield Response.error(Errno.EACCES);
                }
                Sockaddr.setAddress(domain, address, target.get());
                long r = perform(Syscall.TABLE.bind(), fd, address);
                if (r == 0) {
                    var bound = localAddress(fd, domain);
                    if (bound != null) ownListeners.add(bound);
                    if (!target.get().equals(inet.endpoint().address()) && LOG.isLoggable(Level.INFO)) {
                        LOG.log(Level.INFO, "supervisor: bind " + inet.endpoint() + " made on " + bound + " (loopback only)");
                    }
                }
                yield Response.ofRaw(r);
            }
        };
    }

    /** {@code listen(fd, backlog)}, performed on halt's duplicate. */
    private Response listen(Notification call, ChildView child) throws ChildView.GoneException, ChildView.UnreadableException {
        int fd = child.takeFd(call.intArg(0));
        int domain = domain(fd, child.scratch(8));
        if (domain < 0) return Response.error(-domain);
        if (domain == AF_INET() || domain == AF_INET6()) {
            var local = localAddress(fd, domain);
            if (!rules.allowLocalBinding()) {
                refusals.refuse("listen", local == null ? "a TCP socket" : local.toString(), "allow_local_binding is off");
                return Response.error(Errno.EPERM);
            }
            if (local == null) return Response.error(Errno.EINVAL);
            if (local.port() == 0) {
                // listen() on an unbound socket would bind a port on every address: bind one on loopback first.
                var loopback = domain == AF_INET() ? NetworkRules.loopback4() : NetworkRules.loopback6();
                long r;
                try (var arena = Arena.ofConfined()) {
                    r = perform(Syscall.TABLE.bind(), fd, Sockaddr.of(domain, loopback, 0, arena));
                }
                if (r < 0) return Response.ofRaw(r);
                var bound = localAddress(fd, domain);
                if (bound != null) ownListeners.add(bound);
                LOG.log(Level.INFO, "supervisor: listen on an unbound socket made on " + bound + " (loopback only)");
            } else if (!local.address().isLoopbackAddress()) {
                refusals.refuse("listen", local.toString(), "not loopback");
                return Response.error(Errno.EPERM);
            }
        }
        return Response.ofRaw(Syscall.callRaw(Syscall.TABLE.listen(), fd, call.intArg(1), 0, 0, 0, 0));
    }

    /** The sockaddr argument (1) of length argument (2), copied once; null when the length is out of range (EINVAL). */
    private static MemorySegment readAddress(Notification call, ChildView child)
            throws ChildView.GoneException, ChildView.UnreadableException {
        int length = call.intArg(2);
        if (length < 0 || length > Sockaddr.MAX_LENGTH) return null;
        return child.read(call.arg(1), length);
    }

    /** connect or bind of halt's duplicate to halt's copy: the result, or the negated errno. */
    private static long perform(int nr, int fd, MemorySegment address) {
        return Syscall.callRaw(nr, fd, address.address(), address.byteSize(), 0, 0, 0);
    }

    /**
     * {@code SO_DOMAIN} of halt's duplicate, or a negated errno (ENOTSOCK); {@code out} holds the
     * call's 8 bytes (the value, then its length).
     */
    private static int domain(int fd, MemorySegment out) {
        out.set(ValueLayout.JAVA_INT, 4, 4);
        long r = Syscall.callRaw(Syscall.TABLE.getsockopt(), fd, SOL_SOCKET(), SO_DOMAIN(), out.address(), out.address() + 4, 0);
        return r < 0 ? (int) r : out.get(ValueLayout.JAVA_INT, 0);
    }

    /** The local address of halt's duplicate ({@code getsockname}), or null. */
    private static NetworkRules.Endpoint localAddress(int fd, int domain) {
        try (var arena = Arena.ofConfined()) {
            var address = arena.allocate(Sockaddr.MAX_LENGTH);
            var length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, Sockaddr.MAX_LENGTH);
            long r = Syscall.callRaw(Syscall.TABLE.getsockname(), fd, address.address(), length.address(), 0, 0, 0);
            if (r < 0) return null;
            int got = Math.min(length.get(ValueLayout.JAVA_INT, 0), Sockaddr.MAX_LENGTH);
            return Sockaddr.parse(domain, address.asSlice(0, got)) instanceof Sockaddr.Inet inet ? inet.endpoint() : null;
        }
    }
}
