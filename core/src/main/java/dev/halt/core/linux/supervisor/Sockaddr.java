package dev.halt.core.linux.supervisor;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.sockaddr_in;
import dev.halt.ffm.linux.sockaddr_in6;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static dev.halt.ffm.linux.socket_h.AF_INET;
import static dev.halt.ffm.linux.socket_h.AF_INET6;
import static dev.halt.ffm.linux.socket_h.AF_UNSPEC;

/**
 * Reads the {@code sockaddr} of an Internet socket's {@code connect} or {@code bind} from halt's copy,
 * as the kernel would read it for a socket of that family, and writes an address back into a copy.
 * What the kernel would refuse is refused here with the kernel's errno, and never performed.
 */
final class Sockaddr {
    private Sockaddr() {}

    /** The largest sockaddr the kernel copies ({@code struct sockaddr_storage}); longer is EINVAL. */
    static final int MAX_LENGTH = 128;

    /** What a sockaddr means for a socket of one family. */
    sealed interface Parsed {}

    /** An IPv4 or IPv6 address and port. */
    record Inet(NetworkRules.Endpoint endpoint) implements Parsed {}

    /** {@code AF_UNSPEC}: for connect, the kernel disconnects the socket. */
    record Unspecified() implements Parsed {}

    /** The kernel would refuse it with {@code errno}. */
    record Invalid(int errno) implements Parsed {}

    /**
     * {@code copy} (the whole length the child passed) for a socket of {@code domain}
     * ({@code AF_INET} or {@code AF_INET6}), following {@code __inet_stream_connect},
     * {@code tcp_v4_connect} and {@code tcp_v6_connect}: too short for the family is EINVAL, another
     * family EAFNOSUPPORT.
     */
    static Parsed parse(int domain, MemorySegment copy) {
        // One copy into the heap: each field read of native memory costs while the call is interpreted.
        var bytes = new byte[(int) copy.byteSize()];
        MemorySegment.copy(copy, ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
        long length = bytes.length;
        if (length < 2) return new Invalid(Errno.EINVAL);
        // sa_family in native order.
        int family = LITTLE_ENDIAN ? (bytes[0] & 0xff) | (bytes[1] & 0xff) << 8 : (bytes[0] & 0xff) << 8 | (bytes[1] & 0xff);
        if (family == AF_UNSPEC()) return new Unspecified();
        if (domain == AF_INET()) {
            if (length < sockaddr_in.sizeof()) return new Invalid(Errno.EINVAL);
            if (family != AF_INET()) return new Invalid(Errno.EAFNOSUPPORT);
            return new Inet(new NetworkRules.Endpoint(address(bytes, sockaddr_in.sin_addr$offset(), 4), port(bytes)));
        }
        if (domain == AF_INET6()) {
            // SIN6_LEN_RFC2133: the sockaddr_in6 without sin6_scope_id.
            if (length < sockaddr_in6.sizeof() - 4) return new Invalid(Errno.EINVAL);
            if (family != AF_INET6()) return new Invalid(Errno.EAFNOSUPPORT);
            return new Inet(new NetworkRules.Endpoint(address(bytes, sockaddr_in6.sin6_addr$offset(), 16), port(bytes)));
        }
        throw new IllegalArgumentException("not an Internet socket family: " + domain);
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    /** The port, in network byte order at offset 2 of both families; read only once the length is checked. */
    private static int port(byte[] sockaddr) {
        return (sockaddr[2] & 0xff) << 8 | (sockaddr[3] & 0xff);
    }

    /**
     * Writes {@code address} into {@code copy}, a sockaddr of a socket of {@code domain}, keeping its
     * port (and IPv6 flow and scope): an IPv4 address into an IPv6 socket's as {@code ::ffff:a.b.c.d}.
     */
    static void setAddress(int domain, MemorySegment copy, InetAddress address) {
        var bytes = address.getAddress();
        if (domain == AF_INET()) {
            if (bytes.length != 4) throw new IllegalArgumentException("an IPv4 socket takes an IPv4 address, not " + address);
            MemorySegment.copy(bytes, 0, copy, ValueLayout.JAVA_BYTE, sockaddr_in.sin_addr$offset(), 4);
            return;
        }
        var six = new byte[16];
        if (address instanceof Inet4Address) {
            six[10] = (byte) 0xff;
            six[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, six, 12, 4);
        } else {
            System.arraycopy(bytes, 0, six, 0, 16);
        }
        MemorySegment.copy(six, 0, copy, ValueLayout.JAVA_BYTE, sockaddr_in6.sin6_addr$offset(), 16);
    }

    /** A new sockaddr of {@code domain}'s family for {@code address} and {@code port}, allocated in {@code arena}. */
    static MemorySegment of(int domain, InetAddress address, int port, java.lang.foreign.Arena arena) {
        var copy = arena.allocate(domain == AF_INET() ? sockaddr_in.sizeof() : sockaddr_in6.sizeof());
        copy.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) domain);
        copy.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >>> 8));
        copy.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
        setAddress(domain, copy, address);
        return copy;
    }

    private static InetAddress address(byte[] sockaddr, long offset, int length) {
        try {
            // An IPv4-mapped IPv6 address comes back as an Inet4Address.
            return InetAddress.getByAddress(java.util.Arrays.copyOfRange(sockaddr, (int) offset, (int) offset + length));
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }
}
