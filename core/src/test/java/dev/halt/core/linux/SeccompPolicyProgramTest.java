package dev.halt.core.linux;

import dev.halt.core.linux.ClassicBpf.Call;
import dev.halt.ffm.linux.Syscalls;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.halt.ffm.linux.filter_h.BPF_MAXINSNS;
import static dev.halt.ffm.linux.ioctls_h.*;
import static dev.halt.ffm.linux.seccomp_h.*;
import static dev.halt.ffm.linux.socket_h.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The compiled programs, run by a classic-BPF interpreter over synthetic {@code seccomp_data}: every
 * branch, both architectures, every option, with no system call made. What the kernel does with
 * the same programs is {@link SeccompPolicyTest}'s job.
 */
class SeccompPolicyProgramTest {

    private static final List<Syscalls> TABLES = List.of(Syscalls.X86_64, Syscalls.AARCH64);
    private static final int REFUSE = SeccompPolicy.REFUSE;
    private static final int ALLOW = SeccompPolicy.ALLOW;
    /** {@code AF_TIPC} from {@code <sys/socket.h>}: the other family with a socketpair. */
    private static final int AF_TIPC = 30;
    /** {@code AF_SMC}: its sockets fall back to TCP outside Landlock's rules. */
    private static final int AF_SMC = 43;
    /** {@code IPPROTO_SMC} (Linux 6.11): SMC through {@code AF_INET}. */
    private static final int IPPROTO_SMC = 256;
    /** {@code IPPROTO_UDPLITE}. */
    private static final int IPPROTO_UDPLITE = 136;
    private static final int SOCK_FLAGS = SOCK_NONBLOCK() | SOCK_CLOEXEC();

    /** All eight option combinations. */
    static List<SeccompPolicy> allPolicies() {
        var all = new ArrayList<SeccompPolicy>();
        for (int bits = 0; bits < 8; bits++) all.add(new SeccompPolicy((bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0));
        return all;
    }

    /**
     * The decision the policy is meant to make, written from its specification, independent of the
     * program's layout: {@code true} when the call is refused.
     */
    static boolean refusedByReference(SeccompPolicy policy, Syscalls table, Call call) {
        if (call.arch() != table.auditArch()) return true;
        if (table == Syscalls.X86_64 && Integer.toUnsignedLong(call.nr()) >= 0x4000_0000L) return true;
        int nr = call.nr();
        long[] args = call.args();
        if (nr == table.ioctl()) {
            int cmd = (int) args[1];   // the kernel's cmd is an unsigned int
            return cmd == TIOCSTI() || cmd == TIOCLINUX();
        }
        if (nr == table.socket()) {
            int domain = (int) args[0], type = (int) args[1], protocol = (int) args[2];
            if (domain == AF_UNIX()) return !policy.allowUnixSockets();
            if (!policy.restrictNetworkSockets()) return false;
            if (domain == AF_NETLINK()) return false;
            if (domain != AF_INET() && domain != AF_INET6()) return true;
            int base = type & ~SOCK_FLAGS;
            if (base == SOCK_STREAM()) return protocol != 0 && protocol != IPPROTO_TCP();
            if (base == SOCK_DGRAM() && policy.allowUdp()) return protocol != 0 && protocol != IPPROTO_UDP();
            return true;
        }
        if (nr == table.socketpair()) return policy.restrictNetworkSockets() && (int) args[0] != AF_UNIX();
        if (nr == table.sendto() || nr == table.sendmmsg()) {
            return policy.restrictNetworkSockets() && ((int) args[3] & MSG_FASTOPEN()) != 0;
        }
        if (nr == table.sendmsg()) return policy.restrictNetworkSockets() && ((int) args[2] & MSG_FASTOPEN()) != 0;
        if (nr == table.ioUringSetup() || nr == table.ioUringEnter() || nr == table.ioUringRegister()) {
            return policy.restrictNetworkSockets() || !policy.allowUnixSockets();
        }
        return false;
    }

    private static int run(SeccompPolicy policy, Syscalls table, Call call) {
        return ClassicBpf.run(policy.compile(table), call, ByteOrder.LITTLE_ENDIAN);
    }

    private static Call socket(Syscalls t, long domain, long type, long protocol) {
        return new Call(t.socket(), t.auditArch(), domain, type, protocol);
    }

    private static Call ioctl(Syscalls t, long cmd) {
        return new Call(t.ioctl(), t.auditArch(), 0, cmd, 0);
    }

    @Test
    void everyProgramChecksTheArchitectureFirstStaysInsideItselfAndKillsNothing() {
        for (var table : TABLES) {
            for (var policy : allPolicies()) {
                var program = policy.compile(table);
                var where = policy + " on " + table.arch();
                assertTrue(program.size() <= BPF_MAXINSNS(), where);
                assertEquals(BpfInstruction.loadData(4), program.get(0), "loads seccomp_data.arch first: " + where);
                var check = program.get(1);
                assertEquals(0x15, check.code(), "then compares it (JEQ K): " + where);
                assertEquals(table.auditArch(), check.k(), where);
                assertEquals(0, check.jt(), "the right arch goes on: " + where);
                var mismatch = program.get(2 + Byte.toUnsignedInt(check.jf()));
                assertEquals(BpfInstruction.ret(REFUSE), mismatch, "another arch is refused: " + where);
                assertEquals(BpfInstruction.loadData(0), program.get(2), "then loads nr: " + where);
                if (table == Syscalls.X86_64) {
                    var x32 = program.get(3);
                    assertEquals(0x35, x32.code(), "x32 check (JGE K): " + where);
                    assertEquals(__X32_SYSCALL_BIT(), x32.k(), where);
                    assertEquals(BpfInstruction.ret(REFUSE), program.get(4 + Byte.toUnsignedInt(x32.jt())), where);
                } else {
                    assertNotEquals(__X32_SYSCALL_BIT(), program.get(3).k(), "no x32 check on " + table.arch());
                }
                assertEquals(0x06, program.getLast().code(), "ends with a return: " + where);
                for (int pc = 0; pc < program.size(); pc++) {
                    var insn = program.get(pc);
                    int cls = insn.code() & 0x07;
                    if (cls == 0x05) {
                        assertNotEquals(0x05, insn.code(), "no unconditional jumps: " + where);
                        assertTrue(pc + 1 + Byte.toUnsignedInt(insn.jt()) < program.size(), "jt of " + pc + " inside: " + where);
                        assertTrue(pc + 1 + Byte.toUnsignedInt(insn.jf()) < program.size(), "jf of " + pc + " inside: " + where);
                    } else if (cls == 0x06) {
                        assertTrue(insn.k() == ALLOW || insn.k() == REFUSE, "returns only allow or EPERM at " + pc + ": " + where);
                    } else if (insn.code() == 0x20) {
                        assertTrue(insn.k() % 4 == 0 && insn.k() + 4 <= ClassicBpf.DATA_SIZE, "aligned load in seccomp_data at " + pc);
                    }
                }
            }
        }
    }

    @Test
    void refusalIsEpermAndAllowIsAllow() {
        assertEquals(0x0005_0001, REFUSE, "SECCOMP_RET_ERRNO | EPERM");
        assertEquals(0x7fff_0000, ALLOW, "SECCOMP_RET_ALLOW");
    }

    private record Case(String name, Call call, int expected) {}

    @Test
    void isolatedNetworkDecidesTheNamedCases() {
        var policy = SeccompPolicy.isolatedNetwork();
        for (var t : TABLES) {
            var cases = new ArrayList<Case>();
            cases.add(new Case("tcp", socket(t, AF_INET(), SOCK_STREAM(), 0), ALLOW));
            cases.add(new Case("tcp flags", socket(t, AF_INET(), SOCK_STREAM() | SOCK_FLAGS, IPPROTO_TCP()), ALLOW));
            cases.add(new Case("tcp6 nonblock", socket(t, AF_INET6(), SOCK_STREAM() | SOCK_NONBLOCK(), 0), ALLOW));
            cases.add(new Case("tcp, upper bits of type", socket(t, AF_INET(), 0xffff_ffff_0000_0000L | SOCK_STREAM(), 0), ALLOW));
            cases.add(new Case("udp", socket(t, AF_INET(), SOCK_DGRAM(), 0), REFUSE));
            cases.add(new Case("udp cloexec", socket(t, AF_INET(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0), REFUSE));
            cases.add(new Case("udp6", socket(t, AF_INET6(), SOCK_DGRAM(), IPPROTO_UDP()), REFUSE));
            cases.add(new Case("udp, upper bits of domain", socket(t, 0xffff_ffff_0000_0000L | AF_INET(), SOCK_DGRAM(), 0), REFUSE));
            cases.add(new Case("raw", socket(t, AF_INET(), SOCK_RAW(), IPPROTO_ICMP()), REFUSE));
            cases.add(new Case("raw6", socket(t, AF_INET6(), SOCK_RAW(), IPPROTO_ICMPV6()), REFUSE));
            cases.add(new Case("seqpacket", socket(t, AF_INET(), SOCK_SEQPACKET(), 0), REFUSE));
            cases.add(new Case("stream with an unknown flag", socket(t, AF_INET(), SOCK_STREAM() | 0x100, 0), REFUSE));
            cases.add(new Case("sctp stream", socket(t, AF_INET(), SOCK_STREAM(), IPPROTO_SCTP()), REFUSE));
            cases.add(new Case("mptcp", socket(t, AF_INET6(), SOCK_STREAM(), IPPROTO_MPTCP()), REFUSE));
            cases.add(new Case("smc over inet", socket(t, AF_INET(), SOCK_STREAM(), IPPROTO_SMC), REFUSE));
            cases.add(new Case("tcp, upper bits of protocol", socket(t, AF_INET(), SOCK_STREAM(), 0x1_0000_0000L | IPPROTO_TCP()), ALLOW));
            cases.add(new Case("packet", socket(t, AF_PACKET(), SOCK_RAW(), 0x0300), REFUSE));
            cases.add(new Case("vsock", socket(t, AF_VSOCK(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("smc", socket(t, AF_SMC, SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("unspec", socket(t, AF_UNSPEC(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("netlink", socket(t, AF_NETLINK(), SOCK_RAW() | SOCK_CLOEXEC(), NETLINK_ROUTE()), ALLOW));
            cases.add(new Case("unix", socket(t, AF_UNIX(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("socketpair unix", new Call(t.socketpair(), t.auditArch(), AF_UNIX(), SOCK_STREAM(), 0, 0), ALLOW));
            cases.add(new Case("socketpair tipc", new Call(t.socketpair(), t.auditArch(), AF_TIPC, SOCK_DGRAM(), 0, 0), REFUSE));
            cases.add(new Case("TIOCSTI", ioctl(t, TIOCSTI()), REFUSE));
            cases.add(new Case("TIOCSTI, upper bits set", ioctl(t, 0xffff_ffff_0000_0000L | TIOCSTI()), REFUSE));
            cases.add(new Case("TIOCSTI, one upper bit", ioctl(t, 0x1_0000_0000L | TIOCSTI()), REFUSE));
            cases.add(new Case("TIOCLINUX", ioctl(t, TIOCLINUX()), REFUSE));
            cases.add(new Case("FIONREAD", ioctl(t, FIONREAD()), ALLOW));
            cases.add(new Case("TIOCSTI in arg 2 only", new Call(t.ioctl(), t.auditArch(), 0, FIONREAD(), TIOCSTI()), ALLOW));
            long fastOpen = MSG_FASTOPEN();
            cases.add(new Case("sendto", new Call(t.sendto(), t.auditArch(), 3, 0, 1, 0x4000, 0, 0), ALLOW));
            cases.add(new Case("sendto MSG_FASTOPEN", new Call(t.sendto(), t.auditArch(), 3, 0, 1, fastOpen | 0x4000, 0, 16), REFUSE));
            cases.add(new Case("sendto MSG_FASTOPEN in the upper half only",
                new Call(t.sendto(), t.auditArch(), 3, 0, 1, fastOpen << 32, 0, 16), ALLOW));
            cases.add(new Case("sendmmsg MSG_FASTOPEN", new Call(t.sendmmsg(), t.auditArch(), 3, 0, 1, fastOpen), REFUSE));
            cases.add(new Case("sendmsg MSG_FASTOPEN", new Call(t.sendmsg(), t.auditArch(), 3, 0, fastOpen), REFUSE));
            cases.add(new Case("sendmsg, MSG_FASTOPEN in args[3] (not its flags)",
                new Call(t.sendmsg(), t.auditArch(), 3, 0, 0, fastOpen), ALLOW));
            cases.add(new Case("io_uring_setup", new Call(t.ioUringSetup(), t.auditArch(), 8, 0), REFUSE));
            cases.add(new Case("io_uring_enter", new Call(t.ioUringEnter(), t.auditArch()), REFUSE));
            cases.add(new Case("io_uring_register", new Call(t.ioUringRegister(), t.auditArch()), REFUSE));
            cases.add(new Case("gettid", new Call(t.gettid(), t.auditArch()), ALLOW));
            cases.add(new Case("connect", new Call(t.connect(), t.auditArch(), 3, 0, 16), ALLOW));
            cases.add(new Case("gettid, i386", new Call(t.gettid(), AUDIT_ARCH_I386()), REFUSE));
            cases.add(new Case("gettid, arm", new Call(t.gettid(), AUDIT_ARCH_ARM()), REFUSE));
            var other = t == Syscalls.X86_64 ? AUDIT_ARCH_AARCH64() : AUDIT_ARCH_X86_64();
            cases.add(new Case("gettid, the other 64-bit arch", new Call(t.gettid(), other), REFUSE));
            if (t == Syscalls.X86_64) {
                cases.add(new Case("x32 socket", new Call(__X32_SYSCALL_BIT() | 41, t.auditArch(), AF_INET(), SOCK_DGRAM(), 0), REFUSE));
                cases.add(new Case("x32 gettid", new Call(__X32_SYSCALL_BIT() | 186, t.auditArch()), REFUSE));
                cases.add(new Case("nr -1", new Call(-1, t.auditArch()), REFUSE));
                cases.add(new Case("highest x86_64 nr", new Call(__X32_SYSCALL_BIT() - 1, t.auditArch()), ALLOW));
            } else {
                cases.add(new Case("the x32 bit means nothing on aarch64", new Call(__X32_SYSCALL_BIT() | 178, t.auditArch()), ALLOW));
            }
            var wrong = new ArrayList<String>();
            for (var c : cases) {
                int got = run(policy, t, c.call());
                if (got != c.expected()) wrong.add(c.name() + ": got 0x" + Integer.toHexString(got));
                // The reference agrees with each hand-written expectation, so the sampled comparison
                // below compares with something checked.
                assertEquals(c.expected() == REFUSE, refusedByReference(policy, t, c.call()), "reference on " + c.name());
            }
            assertEquals(List.of(), wrong, "on " + t.arch());
        }
    }

    @Test
    void optionsOpenExactlyWhatTheySay() {
        for (var t : TABLES) {
            var udp = socket(t, AF_INET(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0);
            var udpLite = socket(t, AF_INET(), SOCK_DGRAM(), IPPROTO_UDPLITE);
            var raw = socket(t, AF_INET(), SOCK_RAW(), IPPROTO_ICMP());
            var packet = socket(t, AF_PACKET(), SOCK_RAW(), 0x0300);
            var unix = socket(t, AF_UNIX(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0);
            var ioUring = new Call(t.ioUringSetup(), t.auditArch(), 8, 0);
            var tiocsti = ioctl(t, TIOCSTI());

            var every = SeccompPolicy.everyMode();
            assertEquals(ALLOW, run(every, t, udp), "every mode leaves UDP alone");
            assertEquals(ALLOW, run(every, t, raw));
            assertEquals(ALLOW, run(every, t, packet));
            assertEquals(REFUSE, run(every, t, unix), "AF_UNIX refused in every mode by default");
            assertEquals(REFUSE, run(every, t, ioUring), "io_uring would open AF_UNIX sockets");
            assertEquals(REFUSE, run(every, t, tiocsti));
            var fastOpen = new Call(t.sendto(), t.auditArch(), 3, 0, 1, MSG_FASTOPEN(), 0, 16);
            assertEquals(ALLOW, run(every, t, fastOpen), "no Landlock TCP rules to protect in every mode");
            assertEquals(REFUSE, run(SeccompPolicy.isolatedNetwork(), t, fastOpen));

            var everyUnix = every.withAllowUnixSockets(true);
            assertEquals(ALLOW, run(everyUnix, t, unix));
            assertEquals(ALLOW, run(everyUnix, t, ioUring), "nothing about sockets left to protect");
            assertEquals(REFUSE, run(everyUnix, t, tiocsti), "terminal injection refused in every mode");

            var isolated = SeccompPolicy.isolatedNetwork();
            assertEquals(REFUSE, run(isolated, t, udp));
            assertEquals(REFUSE, run(isolated.withAllowUnixSockets(true), t, udp));
            assertEquals(ALLOW, run(isolated.withAllowUnixSockets(true), t, unix));
            assertEquals(REFUSE, run(isolated.withAllowUnixSockets(true), t, ioUring), "io_uring would open UDP sockets");

            var isolatedUdp = isolated.withAllowUdp(true);
            assertEquals(ALLOW, run(isolatedUdp, t, udp));
            assertEquals(ALLOW, run(isolatedUdp, t, socket(t, AF_INET6(), SOCK_DGRAM(), IPPROTO_UDP())));
            assertEquals(REFUSE, run(isolatedUdp, t, udpLite), "UDP proper only");
            assertEquals(REFUSE, run(isolatedUdp, t, raw));
            assertEquals(REFUSE, run(isolatedUdp, t, packet));
            assertEquals(ALLOW, run(every.withAllowUdp(true), t, udp), "allowUdp alone changes nothing");
            assertEquals(every.compile(t), every.withAllowUdp(true).compile(t), "allowUdp without restriction: same program");
        }
    }

    @Test
    void sampledCallsMatchTheReferenceDecision() {
        // Fixed seed and a fixed count: the same sample on every run, bounded time.
        var random = new Random(0x5ecc0_1L);
        int[] domains = {AF_UNSPEC(), AF_UNIX(), AF_INET(), AF_INET6(), AF_NETLINK(), AF_PACKET(), AF_VSOCK(), AF_TIPC, AF_SMC, 44, 45, 46};
        int[] types = {SOCK_STREAM(), SOCK_DGRAM(), SOCK_RAW(), 4, SOCK_SEQPACKET(), 6, 10, 0, 15};
        int[] protocols = {0, IPPROTO_TCP(), IPPROTO_UDP(), IPPROTO_ICMP(), IPPROTO_ICMPV6(), IPPROTO_SCTP(),
            IPPROTO_MPTCP(), IPPROTO_SMC, IPPROTO_UDPLITE, 255};
        int[] cmds = {TIOCSTI(), TIOCLINUX(), FIONREAD(), TIOCSPTLCK(), TIOCGPTPEER(), TIOCSTI() + 1, TIOCSTI() - 1, 0};
        int[] archs = {AUDIT_ARCH_X86_64(), AUDIT_ARCH_AARCH64(), AUDIT_ARCH_I386(), AUDIT_ARCH_ARM()};
        var mismatches = new ArrayList<String>();
        var seen = new HashMap<String, int[]>();   // per call kind: {allowed, refused}
        for (var t : TABLES) {
            int[] numbers = {t.socket(), t.socketpair(), t.ioctl(), t.ioUringSetup(), t.ioUringEnter(),
                t.ioUringRegister(), t.gettid(), t.connect(), t.bind(), t.read(), t.sendto(), t.sendmsg(), t.sendmmsg()};
            for (var policy : allPolicies()) {
                var program = policy.compile(t);
                for (int i = 0; i < 3000; i++) {
                    int nr = switch (random.nextInt(10)) {
                        case 0 -> random.nextInt();                              // any number at all
                        case 1 -> numbers[random.nextInt(numbers.length)] | (random.nextBoolean() ? __X32_SYSCALL_BIT() : 0);
                        default -> numbers[random.nextInt(numbers.length)];
                    };
                    int arch = random.nextInt(8) == 0 ? archs[random.nextInt(archs.length)] : t.auditArch();
                    long upper = random.nextInt(4) == 0 ? random.nextLong() & 0xffff_ffff_0000_0000L : 0;
                    long a0, a1, a2;
                    if (nr == t.ioctl()) {
                        a0 = random.nextInt(10);
                        a1 = upper | (random.nextInt(5) == 0 ? random.nextInt() : cmds[random.nextInt(cmds.length)]) & 0xffff_ffffL;
                        a2 = random.nextLong();
                    } else {
                        a0 = upper | (random.nextInt(6) == 0 ? random.nextInt() : domains[random.nextInt(domains.length)]) & 0xffff_ffffL;
                        int flags = switch (random.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> SOCK_CLOEXEC();
                            case 2 -> SOCK_FLAGS;
                            default -> 1 << random.nextInt(32);
                        };
                        a1 = (random.nextBoolean() ? random.nextLong() & 0xffff_ffff_0000_0000L : 0)
                            | (types[random.nextInt(types.length)] | flags) & 0xffff_ffffL;
                        a2 = (random.nextInt(4) == 0 ? random.nextLong() & 0xffff_ffff_0000_0000L : 0)
                            | protocols[random.nextInt(protocols.length)] & 0xffff_ffffL;
                    }
                    if (nr == t.sendmsg()) a2 = random.nextLong();   // its flags: MSG_FASTOPEN half the time
                    var call = new Call(nr, arch, a0, a1, a2, random.nextLong(), random.nextLong(), random.nextLong());
                    int action = ClassicBpf.run(program, call, ByteOrder.LITTLE_ENDIAN);
                    boolean reference = refusedByReference(policy, t, call);
                    if (action != (reference ? REFUSE : ALLOW) && mismatches.size() < 20) {
                        mismatches.add(policy + " " + t.arch() + " nr=" + nr + " arch=0x" + Integer.toHexString(arch)
                            + " args=0x" + Long.toHexString(a0) + ",0x" + Long.toHexString(a1) + ",0x" + Long.toHexString(a2)
                            + ": program 0x" + Integer.toHexString(action) + ", reference " + (reference ? "refuse" : "allow"));
                    }
                    String kind = arch != t.auditArch() ? "other arch" : nr == t.socket() ? "socket" : nr == t.ioctl() ? "ioctl"
                        : nr == t.socketpair() ? "socketpair"
                        : nr == t.sendto() || nr == t.sendmsg() || nr == t.sendmmsg() ? "send" : "other";
                    seen.computeIfAbsent(kind, k -> new int[2])[action == REFUSE ? 1 : 0]++;
                }
            }
        }
        assertEquals(List.of(), mismatches);
        // The sample is not vacuous: both outcomes occurred for each inspected call.
        for (var kind : List.of("socket", "ioctl", "socketpair", "send", "other")) {
            var counts = seen.get(kind);
            assertNotNull(counts, kind);
            assertTrue(counts[0] > 20 && counts[1] > 20, kind + " allowed " + counts[0] + ", refused " + counts[1]);
        }
        assertEquals(0, seen.get("other arch")[0], "nothing of another architecture is allowed");
    }

    @Test
    void aRunRestrictsSocketsInTheIsolatedModesWithoutANamespaceOnly() {
        for (var mode : dev.halt.core.policy.NetworkMode.values()) {
            boolean isolated = mode != dev.halt.core.policy.NetworkMode.UNRESTRICTED;
            assertEquals(new SeccompPolicy(isolated, false, false), SeccompPolicy.forRun(mode, false, false), mode.toString());
            assertEquals(new SeccompPolicy(isolated, true, false), SeccompPolicy.forRun(mode, false, true), mode.toString());
            assertEquals(new SeccompPolicy(false, false, false), SeccompPolicy.forRun(mode, true, false),
                "in halt's namespace UDP reaches only halt's DNS: " + mode);
        }
    }

    @Test
    void argumentsAreReadInTheArchitecturesByteOrder() {
        assertEquals(16, SeccompPolicy.argLow(Syscalls.X86_64, 0));
        assertEquals(24, SeccompPolicy.argLow(Syscalls.AARCH64, 1));
        assertEquals(32, SeccompPolicy.argLow(Syscalls.X86_64, 2));
        // A big-endian token (no __AUDIT_ARCH_LE, as aarch64_be) keeps the low half 4 bytes further.
        assertEquals(28, SeccompPolicy.argLow(AUDIT_ARCH_AARCH64() & ~__AUDIT_ARCH_LE(), 1));
        assertThrows(IllegalArgumentException.class, () -> SeccompPolicy.argLow(Syscalls.X86_64, 6));
    }

    @Test
    void describeNamesWhatIsRefusedAndNothingElse() {
        var every = SeccompPolicy.everyMode().describe();
        assertTrue(every.contains("TIOCSTI") && every.contains("TIOCLINUX"), every);
        assertTrue(every.contains("socket(AF_UNIX)"), every);
        assertTrue(every.contains("io_uring"), every);
        assertTrue(every.contains("EPERM"), every);
        assertFalse(every.contains("UDP"), every);
        assertFalse(every.contains("AF_PACKET"), every);

        var open = SeccompPolicy.everyMode().withAllowUnixSockets(true).describe();
        assertFalse(open.contains("socket(AF_UNIX)"), open);
        assertFalse(open.contains("io_uring"), open);
        assertTrue(open.contains("TIOCSTI"), open);

        var isolated = SeccompPolicy.isolatedNetwork().describe();
        assertTrue(isolated.contains("UDP, raw IP"), isolated);
        assertTrue(isolated.contains("AF_PACKET"), isolated);
        assertTrue(isolated.contains("socketpair() of any family but AF_UNIX"), isolated);
        assertTrue(isolated.contains("io_uring"), isolated);
        assertTrue(isolated.contains("MSG_FASTOPEN"), isolated);
        assertFalse(every.contains("MSG_FASTOPEN"), every);
        assertTrue(SeccompPolicy.isolatedNetwork().withAllowUdp(true).describe().contains("UDP allowed"));

        Map<SeccompPolicy, String> seen = new HashMap<>();
        for (var p : allPolicies()) seen.put(p, p.describe());
        assertEquals(6, seen.values().stream().distinct().count(), "allowUdp without restriction describes like without it");
    }
}
