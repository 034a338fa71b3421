package dev.halt.core.linux.net;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.ifaddrmsg;
import dev.halt.ffm.linux.ifinfomsg;
import dev.halt.ffm.linux.nlmsgerr;
import dev.halt.ffm.linux.nlmsghdr;
import dev.halt.ffm.linux.rtmsg;
import dev.halt.ffm.linux.sockaddr_nl;
import dev.halt.ffm.linux.socket_h;
import dev.halt.ffm.linux.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.rtnetlink_h.*;
import static dev.halt.ffm.linux.socket_h.*;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An rtnetlink (NETLINK_ROUTE) socket that configures links, addresses and routes of one network
 * namespace, with no {@code ip} binary: each operation is one request with {@code NLM_F_ACK}, and
 * a failure becomes an {@link ErrnoException} naming the message, the interface or address, the
 * errno and the kernel's extended-ack text, e.g.
 * {@code RTM_NEWLINK veth halt0/halt1: EEXIST (File exists)}.
 *
 * <p><b>Which namespace.</b> A netlink socket talks to the network namespace of the thread that
 * created it, for its whole life, whichever thread later uses it. So {@link #open()} on the thread
 * whose namespace is to be configured (the jailer after {@code unshare}, or inside
 * {@link NetworkNamespace#call}); a veth peer is placed in another namespace by passing that
 * namespace's fd ({@link NetworkNamespace#fd()}) to {@link #createVethPair}.
 *
 * <p><b>Threads.</b> Not thread-safe: use one instance from one thread at a time. It starts no
 * threads and keeps no native memory between calls (each request has its own confined arena).
 *
 * <p><b>Bounds.</b> Replies are read into a 64 KiB buffer with {@code MSG_TRUNC}, so an oversized
 * datagram is detected instead of silently cut; the replies one request keeps are capped at
 * 16 MiB; each receive waits at most 5 s ({@code SO_RCVTIMEO}), one request at most 10 s and
 * {@value #MAX_DATAGRAMS} datagrams; only datagrams from the kernel (port id 0) and replies
 * carrying the request's sequence number are considered; every length is checked by
 * {@link NetlinkMessage#parse} before it is used.
 */
public final class Netlink implements AutoCloseable {

    /**
     * A link as RTM_GETLINK reports it: index, name, {@code IFF_*} flags, and the name of its
     * queueing discipline ("" when the kernel sent none).
     */
    public record Link(int index, String name, int flags, String qdisc) {
        /** {@code IFF_UP}: administratively up. */
        public boolean isUp() {
            return (flags & IFF_UP()) != 0;
        }

        /**
         * Up, with carrier, and activated by the kernel: it sends packets now. Until the kernel's
         * link watcher has handled the carrier change (asynchronously, up to a second later) the
         * link's qdisc is "noop" and drops every packet, such as a first SYN or neighbour
         * solicitation, which then waits out a full retransmission timeout.
         */
        public boolean isRunning() {
            return isUp() && (flags & IFF_RUNNING()) != 0 && (flags & IFF_LOWER_UP()) != 0
                && !qdisc.isEmpty() && !qdisc.equals("noop");
        }
    }

    /** An address of a link, as RTM_GETADDR reports it: the link's index, the address and its prefix length. */
    public record Address(int ifindex, InetAddress address, int prefixLength) {
    }

    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int REQUEST_CAPACITY = 1024;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(5);
    /** How long one exchange may take in all. Not {@code Duration.multipliedBy}: it computes through BigDecimal, ~9 ms at first use. */
    private static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(2 * RECEIVE_TIMEOUT.toSeconds());
    private static final int MAX_DATAGRAMS = 1024;
    private static final long MAX_REPLY_BYTES = 16L << 20;

    private int fd;
    private int sequence;

    private Netlink(int fd) {
        this.fd = fd;
        // Distinct sequence numbers per socket make a stale reply recognisable; any start works.
        this.sequence = (int) (System.nanoTime() & 0x3fff_ffff);
    }

    /**
     * Opens a NETLINK_ROUTE socket in the calling thread's network namespace, close-on-exec, with
     * extended acks and capped acks (the kernel does not echo the request back in an error).
     */
    public static Netlink open() throws ErrnoException {
        int fd = (int) Syscall.call("socket(AF_NETLINK, NETLINK_ROUTE)", Syscall.TABLE.socket(),
            AF_NETLINK(), SOCK_RAW() | SOCK_CLOEXEC(), NETLINK_ROUTE(), 0, 0, 0);
        try (var arena = Arena.ofConfined()) {
            var one = arena.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            setOption(fd, SOL_NETLINK(), NETLINK_EXT_ACK(), one, "NETLINK_EXT_ACK");
            setOption(fd, SOL_NETLINK(), NETLINK_CAP_ACK(), one, "NETLINK_CAP_ACK");
            var timeout = timeval.allocate(arena);
            timeval.tv_sec(timeout, RECEIVE_TIMEOUT.toSeconds());
            timeval.tv_usec(timeout, 0);
            setOption(fd, SOL_SOCKET(), SO_RCVTIMEO(), timeout, "SO_RCVTIMEO");
            var address = sockaddr_nl.allocate(arena);
            sockaddr_nl.nl_family(address, (short) AF_NETLINK());
            // Port id 0: the kernel picks a unique one; no multicast groups.
            Syscall.call("bind(AF_NETLINK)", Syscall.TABLE.bind(), fd, address.address(), sockaddr_nl.sizeof(), 0, 0, 0);
            return new Netlink(fd);
        } catch (ErrnoException e) {
            Syscall.close(fd);
            throw e;
        }
    }

    private static void setOption(int fd, int level, int name, MemorySegment value, String what) throws ErrnoException {
        Syscall.call("setsockopt(" + what + ")", Syscall.TABLE.setsockopt(), fd, level, name, value.address(),
            value.byteSize(), 0);
    }

    /** The index of the link called {@code name} (RTM_GETLINK); ENODEV when there is none. */
    public int linkIndex(String name) throws ErrnoException {
        checkName(name);
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_GETLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            request.struct(ifinfomsg.layout());
            request.attributeString(IFLA_IFNAME(), name);
            var what = "RTM_GETLINK " + name;
            for (var reply : exchange(arena, what, request)) {
                if (reply.type() == RTM_NEWLINK()) return link(what, reply).index();
            }
            throw new ErrnoException(what, Errno.EPROTO, "the kernel acknowledged without describing the link");
        }
    }

    /** The link with index {@code ifindex} (RTM_GETLINK); ENODEV when there is none. */
    public Link link(int ifindex) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_GETLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            ifinfomsg.ifi_index(request.struct(ifinfomsg.layout()), ifindex);
            var what = "RTM_GETLINK ifindex " + ifindex;
            for (var reply : exchange(arena, what, request)) {
                if (reply.type() == RTM_NEWLINK()) return link(what, reply);
            }
            throw new ErrnoException(what, Errno.EPROTO, "the kernel acknowledged without describing the link");
        }
    }

    /**
     * Waits until the link {@code ifindex} {@linkplain Link#isRunning() is running}, polling every
     * 10 ms for at most {@code timeout}: call it after bringing up a veth end (for both ends, each
     * in its namespace) and before traffic. ETIMEDOUT when it does not come up in time, as when
     * the peer is down.
     */
    public Link awaitRunning(int ifindex, Duration timeout) throws ErrnoException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long polls = Math.max(1, timeout.toMillis() / 10 + 1);
        Link last = null;
        for (long i = 0; i < polls; i++) {
            last = link(ifindex);
            if (last.isRunning()) return last;
            if (System.nanoTime() - deadline > 0) break;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ErrnoException("waiting for ifindex " + ifindex + " to run", Errno.EINTR);
            }
        }
        throw new ErrnoException("waiting for " + (last == null ? "ifindex " + ifindex : last.name()) + " to run",
            Errno.ETIMEDOUT, "still " + last + " after " + timeout.toMillis() + " ms");
    }

    /** Every link of this namespace (an RTM_GETLINK dump). */
    public List<Link> links() throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_GETLINK(),
                NLM_F_REQUEST() | NLM_F_ACK() | NLM_F_DUMP());
            request.struct(ifinfomsg.layout());
            var what = "RTM_GETLINK dump";
            var links = new ArrayList<Link>();
            for (var reply : exchange(arena, what, request)) {
                if (reply.type() == RTM_NEWLINK()) links.add(link(what, reply));
            }
            return List.copyOf(links);
        }
    }

    private static Link link(String what, NetlinkMessage reply) throws ErrnoException {
        try {
            var attributes = reply.attributesAfter(ifinfomsg.sizeof());
            var name = NetlinkMessage.find(attributes, IFLA_IFNAME()).map(NetlinkMessage.Attribute::string).orElse("");
            var qdisc = NetlinkMessage.find(attributes, IFLA_QDISC()).map(NetlinkMessage.Attribute::string).orElse("");
            return new Link(ifinfomsg.ifi_index(reply.payload()), name, ifinfomsg.ifi_flags(reply.payload()), qdisc);
        } catch (NetlinkMessage.MalformedException e) {
            throw new ErrnoException(what, Errno.EPROTO, "malformed reply: " + e.getMessage());
        }
    }

    /**
     * Every IPv4 and IPv6 address of every link of this namespace (an RTM_GETADDR dump): the
     * interface's own address ({@code IFA_LOCAL}, which differs from {@code IFA_ADDRESS} on a
     * point-to-point link, where the latter is the peer's), else {@code IFA_ADDRESS}.
     */
    public List<Address> addresses() throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_GETADDR(),
                NLM_F_REQUEST() | NLM_F_ACK() | NLM_F_DUMP());
            ifaddrmsg.ifa_family(request.struct(ifaddrmsg.layout()), (byte) AF_UNSPEC());
            var what = "RTM_GETADDR dump";
            var addresses = new ArrayList<Address>();
            for (var reply : exchange(arena, what, request)) {
                if (reply.type() != RTM_NEWADDR()) continue;
                try {
                    var attributes = reply.attributesAfter(ifaddrmsg.sizeof());
                    var raw = NetlinkMessage.find(attributes, IFA_LOCAL())
                        .or(() -> NetlinkMessage.find(attributes, IFA_ADDRESS()));
                    if (raw.isEmpty()) continue;
                    var bytes = raw.get().payload().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    int family = Byte.toUnsignedInt(ifaddrmsg.ifa_family(reply.payload()));
                    if (!(family == AF_INET() && bytes.length == 4) && !(family == AF_INET6() && bytes.length == 16)) continue;
                    addresses.add(new Address(ifaddrmsg.ifa_index(reply.payload()), InetAddress.getByAddress(bytes),
                        Byte.toUnsignedInt(ifaddrmsg.ifa_prefixlen(reply.payload()))));
                } catch (NetlinkMessage.MalformedException e) {
                    throw new ErrnoException(what, Errno.EPROTO, "malformed reply: " + e.getMessage());
                } catch (java.net.UnknownHostException e) {
                    throw new AssertionError("4 or 16 bytes always make an address", e);
                }
            }
            return List.copyOf(addresses);
        }
    }

    /** Sets the link with index {@code ifindex} up (RTM_SETLINK, IFF_UP); ENODEV when there is none. */
    public void linkUp(int ifindex) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_SETLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            var info = request.struct(ifinfomsg.layout());
            ifinfomsg.ifi_index(info, ifindex);
            ifinfomsg.ifi_flags(info, IFF_UP());
            ifinfomsg.ifi_change(info, IFF_UP());
            exchange(arena, "RTM_SETLINK up ifindex " + ifindex, request);
        }
    }

    /** Sets the link called {@code name} up (RTM_SETLINK, IFF_UP); ENODEV when there is none. */
    public void linkUp(String name) throws ErrnoException {
        checkName(name);
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_SETLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            var info = request.struct(ifinfomsg.layout());
            ifinfomsg.ifi_flags(info, IFF_UP());
            ifinfomsg.ifi_change(info, IFF_UP());
            request.attributeString(IFLA_IFNAME(), name);
            exchange(arena, "RTM_SETLINK up " + name, request);
        }
    }

    /**
     * Creates a veth pair: {@code name} in this socket's namespace and {@code peerName} created
     * directly in the namespace that {@code peerNamespaceFd} refers to (it never appears in this
     * one). Both ends start down. EEXIST when {@code name} exists here (or {@code peerName} there).
     */
    public void createVethPair(String name, String peerName, int peerNamespaceFd) throws ErrnoException {
        checkName(name);
        checkName(peerName);
        if (peerNamespaceFd < 0) throw new IllegalArgumentException("peer namespace fd " + peerNamespaceFd);
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_NEWLINK(),
                NLM_F_REQUEST() | NLM_F_ACK() | NLM_F_CREATE() | NLM_F_EXCL());
            request.struct(ifinfomsg.layout());
            request.attributeString(IFLA_IFNAME(), name);
            request.beginNested(IFLA_LINKINFO());
            request.attributeString(IFLA_INFO_KIND(), "veth");
            request.beginNested(IFLA_INFO_DATA());
            request.beginNested(VETH_INFO_PEER());
            // The peer's nest starts with its own ifinfomsg, then its attributes.
            request.struct(ifinfomsg.layout());
            request.attributeString(IFLA_IFNAME(), peerName);
            request.attributeU32(IFLA_NET_NS_FD(), peerNamespaceFd);
            request.endNested().endNested().endNested();
            exchange(arena, "RTM_NEWLINK veth " + name + "/" + peerName, request);
        }
    }

    /** Deletes the link with index {@code ifindex} (a veth takes its peer with it); ENODEV when there is none. */
    public void deleteLink(int ifindex) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_DELLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            ifinfomsg.ifi_index(request.struct(ifinfomsg.layout()), ifindex);
            exchange(arena, "RTM_DELLINK ifindex " + ifindex, request);
        }
    }

    /**
     * Adds {@code address/prefixLength} to the link {@code ifindex} (RTM_NEWADDR). An IPv6 address
     * skips duplicate address detection ({@code IFA_F_NODAD}): the link is private to namespaces
     * halt made, and a tentative address would refuse binds for a second or more.
     */
    public void addAddress(int ifindex, InetAddress address, int prefixLength) throws ErrnoException {
        int family = family(address);
        checkPrefix(address, prefixLength);
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_NEWADDR(),
                NLM_F_REQUEST() | NLM_F_ACK() | NLM_F_CREATE() | NLM_F_EXCL());
            var header = request.struct(ifaddrmsg.layout());
            ifaddrmsg.ifa_family(header, (byte) family);
            ifaddrmsg.ifa_prefixlen(header, (byte) prefixLength);
            ifaddrmsg.ifa_scope(header, (byte) RT_SCOPE_UNIVERSE());
            ifaddrmsg.ifa_index(header, ifindex);
            int flags = address instanceof Inet6Address ? IFA_F_NODAD() : 0;
            ifaddrmsg.ifa_flags(header, (byte) flags);
            // IFA_LOCAL is the interface's own address; IFA_ADDRESS the same on a non point-to-point link.
            request.attribute(IFA_LOCAL(), address.getAddress());
            request.attribute(IFA_ADDRESS(), address.getAddress());
            if (flags != 0) request.attributeU32(IFA_FLAGS(), flags);
            exchange(arena, "RTM_NEWADDR " + address.getHostAddress() + "/" + prefixLength + " ifindex " + ifindex, request);
        }
    }

    /** Adds the default route of {@code gateway}'s family via {@code gateway} on link {@code ifindex}. */
    public void addDefaultRoute(InetAddress gateway, int ifindex) throws ErrnoException {
        var any = gateway instanceof Inet6Address ? anyAddress(AF_INET6()) : anyAddress(AF_INET());
        addRoute(any, 0, gateway, ifindex);
    }

    /**
     * Adds a unicast route to {@code destination/prefixLength} in the main table, via
     * {@code gateway} on link {@code ifindex}, or directly on the link (scope link) when
     * {@code gateway} is null.
     */
    public void addRoute(InetAddress destination, int prefixLength, InetAddress gateway, int ifindex) throws ErrnoException {
        int family = family(destination);
        checkPrefix(destination, prefixLength);
        if (gateway != null && family(gateway) != family) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " is not of the family of " + destination.getHostAddress());
        }
        var what = "RTM_NEWROUTE " + (prefixLength == 0 ? "default" : destination.getHostAddress() + "/" + prefixLength)
            + (gateway != null ? " via " + gateway.getHostAddress() : "") + " ifindex " + ifindex;
        addRoute(what, family, destination, prefixLength, gateway, ifindex, RT_TABLE_MAIN(), RTN_UNICAST(),
            gateway != null ? RT_SCOPE_UNIVERSE() : RT_SCOPE_LINK());
    }

    /**
     * Adds {@code local prefix/prefixLength dev ifindex} (type RTN_LOCAL, scope host): every
     * destination in the prefix is delivered to this namespace's own sockets. With
     * {@code 0.0.0.0/0} and {@code ::/0} on {@code lo} in the proxy namespace, a listener on
     * {@code 0.0.0.0:443} accepts a connection to any address on port 443, and the accepted
     * socket's local address is the original destination.
     *
     * <p>The route goes into the <em>main</em> table, not the local one (where {@code ip route
     * add local} would put it): the local table is consulted before main for IPv6, and for IPv4
     * whenever policy rules exist, so a {@code /0} there would also swallow the replies to the
     * sandbox's own address. In main, the veth's connected prefix is longer and wins for them.
     */
    public void addLocalRoute(int ifindex, InetAddress prefix, int prefixLength) throws ErrnoException {
        int family = family(prefix);
        checkPrefix(prefix, prefixLength);
        var what = "RTM_NEWROUTE local " + prefix.getHostAddress() + "/" + prefixLength + " ifindex " + ifindex;
        addRoute(what, family, prefix, prefixLength, null, ifindex, RT_TABLE_MAIN(), RTN_LOCAL(), RT_SCOPE_HOST());
    }

    private void addRoute(String what, int family, InetAddress destination, int prefixLength, InetAddress gateway,
                          int ifindex, int table, int type, int scope) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var request = new NetlinkMessage.Builder(arena, REQUEST_CAPACITY, RTM_NEWROUTE(),
                NLM_F_REQUEST() | NLM_F_ACK() | NLM_F_CREATE() | NLM_F_EXCL());
            var header = request.struct(rtmsg.layout());
            rtmsg.rtm_family(header, (byte) family);
            rtmsg.rtm_dst_len(header, (byte) prefixLength);
            rtmsg.rtm_table(header, (byte) table);
            rtmsg.rtm_protocol(header, (byte) RTPROT_BOOT());
            rtmsg.rtm_scope(header, (byte) scope);
            rtmsg.rtm_type(header, (byte) type);
            if (prefixLength > 0) request.attribute(RTA_DST(), destination.getAddress());
            if (gateway != null) request.attribute(RTA_GATEWAY(), gateway.getAddress());
            request.attributeU32(RTA_OIF(), ifindex);
            request.attributeU32(RTA_TABLE(), table);
            exchange(arena, what, request);
        }
    }

    /**
     * Sends one request and reads until the kernel's answer to it ends: the ACK (an NLMSG_ERROR
     * with error 0) or NLMSG_DONE for a dump. Returns the other messages of the exchange; throws
     * for an NLMSG_ERROR with a negative error.
     */
    private List<NetlinkMessage> exchange(Arena arena, String what, NetlinkMessage.Builder builder) throws ErrnoException {
        if (fd < 0) throw new IllegalStateException("netlink socket closed");
        int seq = ++sequence;
        var request = builder.finish(seq);
        long sent = Syscall.call(what + " (send)", Syscall.TABLE.sendto(), fd, request.address(), request.byteSize(), 0, 0, 0);
        if (sent != request.byteSize()) {
            throw new ErrnoException(what + " (send)", Errno.EMSGSIZE, sent + " of " + request.byteSize() + " bytes sent");
        }

        var buffer = arena.allocate(RECEIVE_BUFFER, 8);
        var source = sockaddr_nl.allocate(arena);
        var sourceLength = arena.allocate(JAVA_INT);
        var replies = new ArrayList<NetlinkMessage>();
        long kept = 0;
        long deadline = System.nanoTime() + EXCHANGE_TIMEOUT.toNanos();
        for (int datagrams = 0; datagrams < MAX_DATAGRAMS; datagrams++) {
            if (System.nanoTime() - deadline > 0) break;
            sourceLength.set(JAVA_INT, 0, (int) sockaddr_nl.sizeof());
            long received;
            try {
                received = Syscall.call(what + " (receive)", Syscall.TABLE.recvfrom(), fd, buffer.address(),
                    buffer.byteSize(), MSG_TRUNC(), source.address(), sourceLength.address());
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR) continue;
                if (e.errno() == Errno.EAGAIN) {
                    throw new ErrnoException(what, e.errno(), "no answer from the kernel in " + RECEIVE_TIMEOUT.toSeconds() + " s");
                }
                throw e;
            }
            if (received > buffer.byteSize()) {
                throw new ErrnoException(what, Errno.EMSGSIZE, "a " + received + "-byte reply exceeds the "
                    + buffer.byteSize() + "-byte buffer");
            }
            // Only the kernel speaks for the kernel: ignore anything another socket sent us.
            if (sockaddr_nl.nl_pid(source) != 0) continue;
            List<NetlinkMessage> messages;
            try {
                messages = NetlinkMessage.parse(buffer.asSlice(0, received));
            } catch (NetlinkMessage.MalformedException e) {
                throw new ErrnoException(what, Errno.EPROTO, "malformed reply: " + e.getMessage());
            }
            for (var message : messages) {
                // A reply to an earlier request that timed out: not ours.
                if (message.sequence() != seq) continue;
                if (message.type() == NLMSG_ERROR()) {
                    int error = errorCode(what, message);
                    if (error == 0) return List.copyOf(replies);
                    throw new ErrnoException(what, -error, extendedAckMessage(message));
                }
                if (message.type() == NLMSG_DONE()) {
                    // A dump may end with an error in place of DONE's usual zero.
                    if (message.payload().byteSize() >= 4) {
                        int error = message.payload().get(JAVA_INT, 0);
                        if (error < 0) throw new ErrnoException(what, -error, extendedAckMessageAfter(message, 4));
                    }
                    return List.copyOf(replies);
                }
                // The receive buffer is reused by the next datagram: keep a copy, within a bound.
                kept += message.payload().byteSize();
                if (kept > MAX_REPLY_BYTES) {
                    throw new ErrnoException(what, Errno.EMSGSIZE, "replies exceed " + MAX_REPLY_BYTES + " bytes");
                }
                var copy = arena.allocate(Math.max(1, message.payload().byteSize()), 8)
                    .copyFrom(message.payload()).asSlice(0, message.payload().byteSize());
                replies.add(new NetlinkMessage(message.type(), message.flags(), message.sequence(), message.portId(), copy));
            }
        }
        throw new ErrnoException(what, Errno.EPROTO, "no acknowledgement within " + MAX_DATAGRAMS
            + " datagrams or " + EXCHANGE_TIMEOUT.toSeconds() + " s");
    }

    private static int errorCode(String what, NetlinkMessage message) throws ErrnoException {
        if (message.payload().byteSize() < 4) {
            throw new ErrnoException(what, Errno.EPROTO, "an NLMSG_ERROR of " + message.payload().byteSize() + " bytes");
        }
        int error = nlmsgerr.error(message.payload());
        if (error > 0 || error < -4095) {
            throw new ErrnoException(what, Errno.EPROTO, "an NLMSG_ERROR with error " + error);
        }
        return error;
    }

    /** The text of NLMSGERR_ATTR_MSG in an error message, or "" when the kernel sent none. */
    static String extendedAckMessage(NetlinkMessage message) {
        if ((message.flags() & NLM_F_ACK_TLVS()) == 0) return "";
        var payload = message.payload();
        long offset;
        if ((message.flags() & NLM_F_CAPPED()) != 0) {
            offset = nlmsgerr.sizeof();
        } else {
            // Not capped: the whole request follows the error code, its own length says how long.
            if (payload.byteSize() < nlmsgerr.sizeof()) return "";
            long echoed = Integer.toUnsignedLong(nlmsghdr.nlmsg_len(nlmsgerr.msg(payload)));
            offset = nlmsgerr.error$offset() + 4 + NetlinkMessage.alignMessage(echoed);
        }
        return extendedAckMessageAfter(message, offset);
    }

    private static String extendedAckMessageAfter(NetlinkMessage message, long offset) {
        var payload = message.payload();
        if (offset >= payload.byteSize()) return "";
        try {
            return NetlinkMessage.find(NetlinkMessage.attributes(payload.asSlice(offset)), NLMSGERR_ATTR_MSG())
                .map(NetlinkMessage.Attribute::string).orElse("");
        } catch (NetlinkMessage.MalformedException e) {
            // The errno is what matters; a garbled explanation is dropped, not trusted.
            return "";
        }
    }

    private static int family(InetAddress address) {
        return switch (address) {
            case Inet4Address a -> AF_INET();
            case Inet6Address a -> AF_INET6();
            case null -> throw new NullPointerException("address");
            default -> throw new IllegalArgumentException("not an IP address: " + address);
        };
    }

    private static void checkPrefix(InetAddress address, int prefixLength) {
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " for " + address.getHostAddress());
        }
    }

    private static InetAddress anyAddress(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == AF_INET6() ? 16 : 4]);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The kernel's rule for interface names (dev_valid_name): 1 to 15 bytes, no '/', ':' or whitespace, not . or .. */
    static void checkName(String name) {
        var bytes = name.getBytes(StandardCharsets.UTF_8);
        boolean valid = bytes.length > 0 && bytes.length < IFNAMSIZ() && !name.equals(".") && !name.equals("..")
            && name.chars().noneMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c == 0);
        if (!valid) throw new IllegalArgumentException("not a valid interface name: \"" + name + "\"");
    }

    /** Closes the socket; idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            Syscall.close(fd);
            fd = -1;
        }
    }
}
