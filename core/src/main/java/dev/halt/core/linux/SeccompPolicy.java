package dev.halt.core.linux;

import dev.halt.core.policy.NetworkMode;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.Syscalls;
import dev.halt.ffm.linux.seccomp_data;

import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.filter_h.BPF_JSET;
import static dev.halt.ffm.linux.ioctls_h.TIOCLINUX;
import static dev.halt.ffm.linux.ioctls_h.TIOCSTI;
import static dev.halt.ffm.linux.seccomp_h.*;
import static dev.halt.ffm.linux.socket_h.*;

/**
 * The seccomp filter of a sandboxed run, as an immutable value that compiles to a classic BPF
 * program ({@link #compile(Syscalls)}) and describes itself for {@code halt run -v}
 * ({@link #describe()}).
 *
 * <p>In every mode it refuses terminal input injection ({@code ioctl} {@code TIOCSTI} and
 * {@code TIOCLINUX}) and, unless {@code allowUnixSockets}, {@code socket(AF_UNIX, ...)}: Landlock does
 * not govern connecting to a pathname socket, and a reachable {@code docker.sock} or D-Bus is a way
 * out. {@code socketpair} stays allowed: its two ends are connected to each other and nothing else.
 *
 * <p>With {@code restrictNetworkSockets} (the isolated network modes without a network namespace),
 * the only Internet sockets are TCP stream sockets, the only other families are {@code AF_UNIX} (as
 * above) and {@code AF_NETLINK}, sends with {@code MSG_FASTOPEN} are refused, and so is io_uring.
 * Landlock's network rules govern TCP {@code connect} and {@code bind} only; everything else that
 * reaches a network (UDP, raw IP, {@code AF_PACKET}, SCTP, MPTCP, {@code AF_VSOCK}, ...) must not be
 * created at all, and a TCP Fast Open send connects without passing Landlock's connect hook.
 *
 * <p>Every refusal is {@code SECCOMP_RET_ERRNO | EPERM}; the filter kills nothing. Its first
 * instructions check {@code seccomp_data.arch}: a call through another ABI (i386 {@code int 0x80} on
 * x86_64, where numbers mean other calls) is refused whole, and on x86_64 so is every number with
 * the x32 bit.
 *
 * @param restrictNetworkSockets refuse sockets that reach a network other than TCP streams
 *                               (isolated network modes without a network namespace)
 * @param allowUnixSockets       allow {@code socket(AF_UNIX, ...)} ({@code [sandbox] allow_unix_sockets})
 * @param allowUdp               with {@code restrictNetworkSockets}, also allow UDP datagram sockets;
 *                               no effect without it
 */
public record SeccompPolicy(boolean restrictNetworkSockets, boolean allowUnixSockets, boolean allowUdp) {

    /**
     * The action of every refusal. EPERM rather than EAFNOSUPPORT for a refused socket family:
     * EAFNOSUPPORT tells a program the kernel lacks the family, and runtimes cache that and take
     * another path silently (a resolver drops to TCP, a library reports "IPv6 not supported"),
     * which hides the policy from the person reading the error. EPERM says "not allowed", is
     * what the kernel itself answers for raw sockets without CAP_NET_RAW, so every program
     * already handles it, and it is one errno for all of halt's seccomp refusals.
     */
    public static final int REFUSE = SECCOMP_RET_ERRNO() | (Errno.EPERM & SECCOMP_RET_DATA());

    /** The action of everything the policy does not refuse. */
    public static final int ALLOW = SECCOMP_RET_ALLOW();

    /** The socket type flags that {@code socket(2)} accepts besides the type itself. */
    private static final int SOCK_FLAGS = SOCK_NONBLOCK() | SOCK_CLOEXEC();

    /** The policy of every mode: terminal injection and AF_UNIX sockets refused, the network untouched. */
    public static SeccompPolicy everyMode() {
        return new SeccompPolicy(false, false, false);
    }

    /** The policy of the isolated network modes without a network namespace. */
    public static SeccompPolicy isolatedNetwork() {
        return new SeccompPolicy(true, false, false);
    }

    /**
     * The policy of a run. Sockets are restricted in the isolated modes when the child shares the
     * host's network namespace (rootless: Landlock's TCP rules plus this filter). In a network
     * namespace of halt's own the namespace is the boundary, and UDP must stay open there: the
     * child's resolver reaches halt's DNS listeners over it.
     *
     * @param mode             the run's network mode
     * @param networkNamespace whether the child runs in a network namespace halt made
     * @param allowUnixSockets {@code [sandbox] allow_unix_sockets}
     */
    public static SeccompPolicy forRun(NetworkMode mode, boolean networkNamespace, boolean allowUnixSockets) {
        boolean restrict = mode != NetworkMode.UNRESTRICTED && !networkNamespace;
        return new SeccompPolicy(restrict, allowUnixSockets, false);
    }

    /** This policy with {@code restrictNetworkSockets} set to {@code value}. */
    public SeccompPolicy withRestrictNetworkSockets(boolean value) {
        return new SeccompPolicy(value, allowUnixSockets, allowUdp);
    }

    /** This policy with {@code allowUnixSockets} set to {@code value}. */
    public SeccompPolicy withAllowUnixSockets(boolean value) {
        return new SeccompPolicy(restrictNetworkSockets, value, allowUdp);
    }

    /** This policy with {@code allowUdp} set to {@code value}. */
    public SeccompPolicy withAllowUdp(boolean value) {
        return new SeccompPolicy(restrictNetworkSockets, allowUnixSockets, value);
    }

    /**
     * Whether io_uring is refused. io_uring creates and connects sockets itself
     * ({@code IORING_OP_SOCKET}, {@code IORING_OP_CONNECT}) without passing through the
     * {@code socket} system call this filter inspects, so it goes whenever sockets are restricted.
     */
    public boolean refusesIoUring() {
        return restrictNetworkSockets || !allowUnixSockets;
    }

    /** The program for the running JVM's architecture. */
    public List<BpfInstruction> compile() {
        return compile(Syscalls.current());
    }

    /**
     * The BPF program for the architecture of {@code table}. Its shape, each part a run of
     * forward jumps:
     * <ol>
     * <li>architecture check, then the x32 check on x86_64;</li>
     * <li>dispatch on the system call number: ioctl, socket, socketpair and the sends to their blocks;
     *     io_uring to the refusal; anything else allowed;</li>
     * <li>one block per inspected call, comparing the low 32 bits of its arguments;</li>
     * <li>the shared allow and refuse returns.</li>
     * </ol>
     */
    public List<BpfInstruction> compile(Syscalls table) {
        var asm = new BpfAssembler();
        var allow = asm.label("allow");
        var refuse = asm.label("refuse");
        var ioctl = asm.label("ioctl");
        var socket = asm.label("socket");
        var socketpair = asm.label("socketpair");
        var inet = asm.label("inet");
        var tcp = asm.label("tcp");
        var udp = asm.label("udp");
        boolean inspectsSocket = restrictNetworkSockets || !allowUnixSockets;

        // 1. The architecture first: the numbers below mean these calls on this ABI only.
        asm.loadData((int) seccomp_data.arch$offset());
        asm.jumpIfEqual(table.auditArch(), null, refuse);
        asm.loadData((int) seccomp_data.nr$offset());
        if (table.auditArch() == AUDIT_ARCH_X86_64()) {
            // x32 calls arrive with AUDIT_ARCH_X86_64 too, numbered from __X32_SYSCALL_BIT up; they
            // would reach socket and ioctl under numbers this filter does not compare. Unsigned
            // ">=" also catches the negative numbers (-1 is "no call" under ptrace): all refused.
            asm.jumpIfAtLeast(__X32_SYSCALL_BIT(), refuse, null);
        }

        // 2. Dispatch on the number.
        asm.jumpIfEqual(table.ioctl(), ioctl, null);
        if (inspectsSocket) asm.jumpIfEqual(table.socket(), socket, null);
        var flagsInArg3 = asm.label("flags in args[3]");
        var flagsInArg2 = asm.label("flags in args[2]");
        if (restrictNetworkSockets) {
            asm.jumpIfEqual(table.socketpair(), socketpair, null);
            asm.jumpIfEqual(table.sendto(), flagsInArg3, null);
            asm.jumpIfEqual(table.sendmmsg(), flagsInArg3, null);
            asm.jumpIfEqual(table.sendmsg(), flagsInArg2, null);
        }
        if (refusesIoUring()) {
            asm.jumpIfEqual(table.ioUringSetup(), refuse, null);
            asm.jumpIfEqual(table.ioUringEnter(), refuse, null);
            asm.jumpIfEqual(table.ioUringRegister(), refuse, null);
        }
        asm.ret(ALLOW);

        // 3a. ioctl(fd, cmd, arg): the kernel takes cmd as an unsigned int and drops the upper half
        // of the register, so 0xffffffff00005412 is TIOCSTI too: compare the low 32 bits alone.
        asm.bind(ioctl);
        asm.loadData(argLow(table, 1));
        asm.jumpIfEqual(TIOCSTI(), refuse, null);
        asm.jumpIfEqual(TIOCLINUX(), refuse, allow);

        // 3b. socket(domain, type, protocol): three ints, so again the low 32 bits.
        if (inspectsSocket) {
            asm.bind(socket);
            asm.loadData(argLow(table, 0));
            asm.jumpIfEqual(AF_UNIX(), allowUnixSockets ? allow : refuse, null);
            if (!restrictNetworkSockets) {
                asm.ret(ALLOW);
            } else {
                asm.jumpIfEqual(AF_INET(), inet, null);
                asm.jumpIfEqual(AF_INET6(), inet, null);
                // Netlink talks to the kernel, not to a network; glibc's getaddrinfo and tools like
                // ip and ss use it, and without CAP_NET_ADMIN it changes nothing.
                asm.jumpIfEqual(AF_NETLINK(), allow, null);
                // Every other family: AF_PACKET, AF_VSOCK (the hypervisor host), AF_SMC, AF_TIPC,
                // AF_RXRPC, AF_BLUETOOTH, AF_CAN, AF_XDP, and families added after this was written.
                asm.ret(REFUSE);

                // The type with SOCK_NONBLOCK and SOCK_CLOEXEC stripped must be exactly the allowed
                // type: the kernel refuses other flag bits itself (EINVAL), so nothing is lost.
                asm.bind(inet);
                asm.loadData(argLow(table, 1));
                asm.and(~SOCK_FLAGS);
                asm.jumpIfEqual(SOCK_STREAM(), tcp, null);
                if (allowUdp) asm.jumpIfEqual(SOCK_DGRAM(), udp, null);
                asm.ret(REFUSE);

                // Landlock's network rules are about TCP; other stream protocols are not reliably
                // covered by them: SCTP (IPPROTO_SCTP), MPTCP (IPPROTO_MPTCP), SMC (IPPROTO_SMC,
                // which falls back to TCP). Only 0 and IPPROTO_TCP.
                asm.bind(tcp);
                asm.loadData(argLow(table, 2));
                asm.jumpIfEqual(0, allow, null);
                asm.jumpIfEqual(IPPROTO_TCP(), allow, refuse);

                if (allowUdp) {
                    // Likewise UDP proper only (not UDP-Lite, not ICMP "ping" datagram sockets).
                    asm.bind(udp);
                    asm.loadData(argLow(table, 2));
                    asm.jumpIfEqual(0, allow, null);
                    asm.jumpIfEqual(IPPROTO_UDP(), allow, refuse);
                }
            }
        }

        // 3c. socketpair(domain, ...): AF_UNIX only. Its ends are connected to each other, but a
        // TIPC pair (the one other family with socketpair) could still send elsewhere.
        if (restrictNetworkSockets) {
            asm.bind(socketpair);
            asm.loadData(argLow(table, 0));
            asm.jumpIfEqual(AF_UNIX(), allow, refuse);
        }

        // 3d. sendto(fd, buf, len, flags, addr, addrlen), sendmmsg(fd, vec, vlen, flags) and
        // sendmsg(fd, msg, flags): MSG_FASTOPEN on a TCP socket connects inside the send, and no LSM
        // sees that connect (landlock-lsm/linux issue 41), so Landlock's TCP rules would not apply.
        // flags is an unsigned int: the low 32 bits again. TCP_FASTOPEN_CONNECT + connect() stays
        // allowed: that connect is Landlock's.
        if (restrictNetworkSockets) {
            asm.bind(flagsInArg3);
            asm.loadData(argLow(table, 3));
            asm.jump(BPF_JSET(), MSG_FASTOPEN(), refuse, allow);
            asm.bind(flagsInArg2);
            asm.loadData(argLow(table, 2));
            asm.jump(BPF_JSET(), MSG_FASTOPEN(), refuse, allow);
        }

        // 4. The shared returns.
        asm.bind(allow);
        asm.ret(ALLOW);
        asm.bind(refuse);
        asm.ret(REFUSE);
        return asm.assemble();
    }

    /**
     * What the policy refuses, one line each, for {@code halt run -v}. Every line is a refusal
     * with EPERM; nothing is killed.
     */
    public String describe() {
        var lines = new ArrayList<String>();
        lines.add("seccomp filter (every refusal fails with EPERM; nothing is killed) refuses:");
        lines.add("  - system calls through another ABI (i386, x32): their numbers mean other calls");
        lines.add("  - ioctl TIOCSTI and TIOCLINUX: faking keyboard input on a terminal"
            + " (commands the user's shell would run after halt exits)");
        if (!allowUnixSockets) {
            lines.add("  - socket(AF_UNIX): connecting to local services such as docker.sock or D-Bus"
                + " (set [sandbox] allow_unix_sockets = true to allow; socketpair stays allowed)");
        }
        if (restrictNetworkSockets) {
            lines.add("  - socket(AF_INET/AF_INET6) other than TCP streams: "
                + (allowUdp ? "raw IP, SCTP, MPTCP and other protocols (UDP allowed)" : "UDP, raw IP, SCTP, MPTCP and other protocols"));
            lines.add("  - socket() of other families than AF_INET, AF_INET6, AF_NETLINK"
                + (allowUnixSockets ? " and AF_UNIX" : "") + ": AF_PACKET, AF_VSOCK and the rest");
            lines.add("  - socketpair() of any family but AF_UNIX");
            lines.add("  - sendto, sendmsg, sendmmsg with MSG_FASTOPEN: a TCP Fast Open send connects"
                + " without the connect() that Landlock checks");
        }
        if (refusesIoUring()) {
            lines.add("  - io_uring_setup, io_uring_enter, io_uring_register: io_uring makes sockets"
                + " without the socket() call this filter inspects");
        }
        return String.join("\n", lines);
    }

    /**
     * Offset of the low 32 bits of argument {@code index} in {@code seccomp_data}. The arguments are
     * u64 in the architecture's byte order, which its audit token tells (__AUDIT_ARCH_LE).
     */
    static int argLow(Syscalls table, int index) {
        return argLow(table.auditArch(), index);
    }

    static int argLow(int auditArch, int index) {
        if (index < 0 || index > 5) throw new IllegalArgumentException("seccomp_data has args[0..5], not " + index);
        int arg = (int) seccomp_data.args$offset() + 8 * index;
        return (auditArch & __AUDIT_ARCH_LE()) != 0 ? arg : arg + 4;
    }
}
