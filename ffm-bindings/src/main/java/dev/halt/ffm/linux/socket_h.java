// Generated in jextract's layout from <sys/socket.h>, <netinet/in.h>, <linux/netlink.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * Address families, socket types and options, and the libc socket functions with errno captured per call.
 */
public final class socket_h {

    private socket_h() {}

    private static final int AF_UNSPEC = 0;
    /** {@snippet lang=c : #define AF_UNSPEC 0 } */
    public static int AF_UNSPEC() { return AF_UNSPEC; }
    private static final int AF_UNIX = 1;
    /** {@snippet lang=c : #define AF_UNIX 1 } */
    public static int AF_UNIX() { return AF_UNIX; }
    private static final int AF_INET = 2;
    /** {@snippet lang=c : #define AF_INET 2 } */
    public static int AF_INET() { return AF_INET; }
    private static final int AF_INET6 = 10;
    /** {@snippet lang=c : #define AF_INET6 10 } */
    public static int AF_INET6() { return AF_INET6; }
    private static final int AF_NETLINK = 16;
    /** {@snippet lang=c : #define AF_NETLINK 16 } */
    public static int AF_NETLINK() { return AF_NETLINK; }
    private static final int AF_PACKET = 17;
    /** {@snippet lang=c : #define AF_PACKET 17 } */
    public static int AF_PACKET() { return AF_PACKET; }
    private static final int AF_VSOCK = 40;
    /** {@snippet lang=c : #define AF_VSOCK 40 } Virtual machine sockets: reach the hypervisor host, not the network namespace. */
    public static int AF_VSOCK() { return AF_VSOCK; }
    private static final int SOCK_STREAM = 1;
    /** {@snippet lang=c : #define SOCK_STREAM 1 } */
    public static int SOCK_STREAM() { return SOCK_STREAM; }
    private static final int SOCK_DGRAM = 2;
    /** {@snippet lang=c : #define SOCK_DGRAM 2 } */
    public static int SOCK_DGRAM() { return SOCK_DGRAM; }
    private static final int SOCK_RAW = 3;
    /** {@snippet lang=c : #define SOCK_RAW 3 } */
    public static int SOCK_RAW() { return SOCK_RAW; }
    private static final int SOCK_SEQPACKET = 5;
    /** {@snippet lang=c : #define SOCK_SEQPACKET 5 } */
    public static int SOCK_SEQPACKET() { return SOCK_SEQPACKET; }
    private static final int SOCK_NONBLOCK = 0x800;
    /** {@snippet lang=c : #define SOCK_NONBLOCK 0x800 } */
    public static int SOCK_NONBLOCK() { return SOCK_NONBLOCK; }
    private static final int SOCK_CLOEXEC = 0x80000;
    /** {@snippet lang=c : #define SOCK_CLOEXEC 0x80000 } */
    public static int SOCK_CLOEXEC() { return SOCK_CLOEXEC; }
    private static final int MSG_FASTOPEN = 0x20000000;
    /** {@snippet lang=c : #define MSG_FASTOPEN 0x20000000 } Send data in the SYN: connects without connect(2). */
    public static int MSG_FASTOPEN() { return MSG_FASTOPEN; }
    private static final int SOL_SOCKET = 1;
    /** {@snippet lang=c : #define SOL_SOCKET 1 } */
    public static int SOL_SOCKET() { return SOL_SOCKET; }
    private static final int SO_TYPE = 3;
    /** {@snippet lang=c : #define SO_TYPE 3 } */
    public static int SO_TYPE() { return SO_TYPE; }
    private static final int SO_DOMAIN = 39;
    /** {@snippet lang=c : #define SO_DOMAIN 39 } The socket's family, fixed when it was made. */
    public static int SO_DOMAIN() { return SO_DOMAIN; }
    private static final int SHUT_RDWR = 2;
    /** {@snippet lang=c : #define SHUT_RDWR 2 } */
    public static int SHUT_RDWR() { return SHUT_RDWR; }
    private static final int SO_SNDBUF = 7;
    /** {@snippet lang=c : #define SO_SNDBUF 7 } */
    public static int SO_SNDBUF() { return SO_SNDBUF; }
    private static final int SO_RCVBUF = 8;
    /** {@snippet lang=c : #define SO_RCVBUF 8 } */
    public static int SO_RCVBUF() { return SO_RCVBUF; }
    private static final int SO_RCVTIMEO = 20;
    /** {@snippet lang=c : #define SO_RCVTIMEO 20 } The 64-bit time_t value on x86_64 and aarch64 (SO_RCVTIMEO_OLD). */
    public static int SO_RCVTIMEO() { return SO_RCVTIMEO; }
    private static final int MSG_TRUNC = 0x20;
    /** {@snippet lang=c : #define MSG_TRUNC 0x20 } Given to recv, it returns a datagram's real length even when the buffer was shorter. */
    public static int MSG_TRUNC() { return MSG_TRUNC; }
    private static final int SOL_NETLINK = 270;
    /** {@snippet lang=c : #define SOL_NETLINK 270 } */
    public static int SOL_NETLINK() { return SOL_NETLINK; }
    private static final int NETLINK_ROUTE = 0;
    /** {@snippet lang=c : #define NETLINK_ROUTE 0 } */
    public static int NETLINK_ROUTE() { return NETLINK_ROUTE; }
    private static final int NETLINK_AUDIT = 9;
    /** {@snippet lang=c : #define NETLINK_AUDIT 9 } The audit subsystem: status requests and its multicast records. */
    public static int NETLINK_AUDIT() { return NETLINK_AUDIT; }
    private static final int NETLINK_CAP_ACK = 10;
    /** {@snippet lang=c : #define NETLINK_CAP_ACK 10 } */
    public static int NETLINK_CAP_ACK() { return NETLINK_CAP_ACK; }
    private static final int NETLINK_EXT_ACK = 11;
    /** {@snippet lang=c : #define NETLINK_EXT_ACK 11 } */
    public static int NETLINK_EXT_ACK() { return NETLINK_EXT_ACK; }
    private static final int IPPROTO_IP = 0;
    /** {@snippet lang=c : #define IPPROTO_IP 0 } */
    public static int IPPROTO_IP() { return IPPROTO_IP; }
    private static final int IPPROTO_ICMP = 1;
    /** {@snippet lang=c : #define IPPROTO_ICMP 1 } */
    public static int IPPROTO_ICMP() { return IPPROTO_ICMP; }
    private static final int IPPROTO_TCP = 6;
    /** {@snippet lang=c : #define IPPROTO_TCP 6 } */
    public static int IPPROTO_TCP() { return IPPROTO_TCP; }
    private static final int IPPROTO_UDP = 17;
    /** {@snippet lang=c : #define IPPROTO_UDP 17 } */
    public static int IPPROTO_UDP() { return IPPROTO_UDP; }
    private static final int IPPROTO_ICMPV6 = 58;
    /** {@snippet lang=c : #define IPPROTO_ICMPV6 58 } */
    public static int IPPROTO_ICMPV6() { return IPPROTO_ICMPV6; }
    private static final int IPPROTO_SCTP = 132;
    /** {@snippet lang=c : #define IPPROTO_SCTP 132 } */
    public static int IPPROTO_SCTP() { return IPPROTO_SCTP; }
    private static final int IPPROTO_MPTCP = 262;
    /** {@snippet lang=c : #define IPPROTO_MPTCP 262 } Multipath TCP: a SOCK_STREAM socket that is not a plain TCP socket. */
    public static int IPPROTO_MPTCP() { return IPPROTO_MPTCP; }

    // Functions: hand-written, because jextract has no way to capture errno per call.
    // Each takes the call-state segment of Errno.allocate(...) first; read it with Errno.get(...).

    private static final class socket$ {
        static final MethodHandle HANDLE = LibC.downcall("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    /** {@snippet lang=c : int socket(int domain, int type, int protocol) } */
    public static int socket(MemorySegment errno, int domain, int type, int protocol) {
        try {
            return (int) socket$.HANDLE.invokeExact(errno, domain, type, protocol);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class connect$ {
        static final MethodHandle HANDLE = LibC.downcall("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    /** {@snippet lang=c : int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen) } */
    public static int connect(MemorySegment errno, int sockfd, MemorySegment addr, int addrlen) {
        try {
            return (int) connect$.HANDLE.invokeExact(errno, sockfd, addr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class sendto$ {
        static final MethodHandle HANDLE = LibC.downcall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }
    /** {@snippet lang=c : ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr, socklen_t addrlen) } */
    public static long sendto(MemorySegment errno, int sockfd, MemorySegment buf, long len, int flags, MemorySegment destAddr, int addrlen) {
        try {
            return (long) sendto$.HANDLE.invokeExact(errno, sockfd, buf, len, flags, destAddr, addrlen);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

}
