package dev.halt.core.linux.seccomp;

import dev.halt.core.linux.seccomp.ClassicBpf.Call;
import dev.halt.ffm.linux.SyscallNumbers;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.halt.ffm.linux.filter_h.BPF_MAXINSNS;
import static dev.halt.ffm.linux.ioctls_h.*;
import static dev.halt.ffm.linux.ioprio_h.*;
import static dev.halt.ffm.linux.resource_h.*;
import static dev.halt.ffm.linux.seccomp_h.*;
import static dev.halt.ffm.linux.socket_h.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The compiled programs, run by a classic-BPF interpreter over synthetic {@code seccomp_data}: every
 * branch, both architectures, every option, with no system call made. What the kernel does with
 * the same programs is {@link SeccompPolicyTest}'s job.
 */
class SeccompPolicyProgramTest {

    private static final List<SyscallNumbers> TABLES = List.of(SyscallNumbers.X86_64, SyscallNumbers.AARCH64);
    private static final int REFUSE = SeccompPolicy.REFUSE;
    private static final int ALLOW = SeccompPolicy.ALLOW;
    private static final int ABSENT = SeccompPolicy.ABSENT;
    private static final int NOTIFY = SeccompPolicy.NOTIFY;
    private static final Set<Integer> ACTIONS = Set.of(ALLOW, REFUSE, ABSENT, NOTIFY);
    /** {@code NETLINK_SOCK_DIAG} ({@code ss} uses it). */
    private static final int NETLINK_SOCK_DIAG = 4;
    /** {@code NETLINK_AUDIT}. */
    private static final int NETLINK_AUDIT = 9;
    /** {@code __O_TMPFILE}: {@code O_TMPFILE} is it with the architecture's {@code O_DIRECTORY}. */
    private static final int O_TMPFILE_BIT = 020000000;
    /** {@code AF_TIPC} from {@code <sys/socket.h>}: the other family with a socketpair. */
    private static final int AF_TIPC = 30;
    /** {@code AF_SMC}: its sockets fall back to TCP outside Landlock's rules. */
    private static final int AF_SMC = 43;
    /** {@code IPPROTO_SMC} (Linux 6.11): SMC through {@code AF_INET}. */
    private static final int IPPROTO_SMC = 256;
    /** {@code IPPROTO_UDPLITE}. */
    private static final int IPPROTO_UDPLITE = 136;
    private static final int SOCK_FLAGS = SOCK_NONBLOCK() | SOCK_CLOEXEC();

    private static final SeccompPolicy.Supervised NETWORK = SeccompPolicy.Supervised.NETWORK;
    private static final SeccompPolicy.Supervised METADATA = SeccompPolicy.Supervised.METADATA;

    /**
     * Every combination of the policy's fields; the network supervised where it can be (TCP_ONLY), and
     * each of those again with the metadata supervised.
     */
    static List<SeccompPolicy> allPolicies() {
        var all = new ArrayList<SeccompPolicy>();
        for (var sockets : SeccompPolicy.Sockets.values()) {
            for (int bits = 0; bits < 8; bits++) {
                var policy = new SeccompPolicy(sockets, (bits & 1) != 0, (bits & 2) != 0, (bits & 4) != 0);
                all.add(policy);
                all.add(policy.withSupervised(Set.of(METADATA)));
                if (sockets == SeccompPolicy.Sockets.TCP_ONLY) {
                    all.add(policy.withSupervised(Set.of(NETWORK)));
                    all.add(policy.withSupervised(Set.of(NETWORK, METADATA)));
                }
            }
        }
        return all;
    }

    /** {@link #allPolicies()} without the metadata supervised: every call of the metadata decided in BPF. */
    static List<SeccompPolicy> policiesWithoutMetadata() {
        return allPolicies().stream().filter(p -> !p.supervised().contains(METADATA)).toList();
    }

    /**
     * The metadata calls other than the mode's, from their man pages and independent of the policy's
     * table: each goes to the supervisor whole when the metadata is supervised.
     */
    static List<Integer> metadataCalls(SyscallNumbers t) {
        var calls = new ArrayList<>(List.of(t.chown(), t.lchown(), t.fchown(), t.fchownat(), t.utime(), t.utimes(), t.futimesat(),
            t.utimensat(), t.setxattr(), t.lsetxattr(), t.fsetxattr(), t.removexattr(), t.lremovexattr(), t.fremovexattr(),
            t.setxattrat(), t.removexattrat(), t.fileSetattr()));
        calls.removeIf(n -> n == SyscallNumbers.NONE);
        return calls;
    }

    /** Whether {@code nr} is one of the mode's calls ({@code chmod} and friends, not {@code open}'s kin). */
    static boolean changesMode(SyscallNumbers t, int nr) {
        return nr != SyscallNumbers.NONE && (nr == t.chmod() || nr == t.fchmod() || nr == t.fchmodat() || nr == t.fchmodat2());
    }

    /**
     * The argument that holds the mode in each call with one, from the calls' man pages and
     * independent of the policy's table; -1 for every other call.
     */
    static int modeArgument(SyscallNumbers t, int nr) {
        if (nr == SyscallNumbers.NONE) return -1;
        if (nr == t.chmod() || nr == t.fchmod() || nr == t.creat() || nr == t.mkdir() || nr == t.mknod()) return 1;
        if (nr == t.fchmodat() || nr == t.fchmodat2() || nr == t.open() || nr == t.mkdirat() || nr == t.mknodat()) return 2;
        if (nr == t.openat()) return 3;
        return -1;
    }

    /**
     * The action the policy is meant to return, written from its specification, independent of the
     * program's layout.
     */
    static int expected(SeccompPolicy policy, SyscallNumbers table, Call call) {
        if (call.arch() != table.auditArch()) return REFUSE;
        long unsignedNr = Integer.toUnsignedLong(call.nr());
        if (table == SyscallNumbers.X86_64 && unsignedNr >= 0x4000_0000L) return REFUSE;
        if (unsignedNr > table.highestKnown()) return ABSENT;
        int nr = call.nr();
        long[] args = call.args();
        var sockets = policy.sockets();
        boolean isolated = sockets != SeccompPolicy.Sockets.OPEN;
        boolean tcpOnly = sockets == SeccompPolicy.Sockets.TCP_ONLY;
        if (nr == table.ioctl()) {
            int cmd = (int) args[1];   // the kernel's cmd is an unsigned int
            return cmd == TIOCSTI() || cmd == TIOCLINUX() ? REFUSE : ALLOW;
        }
        if (nr == table.socket()) {
            int domain = (int) args[0], type = (int) args[1], protocol = (int) args[2];
            if (domain == AF_UNIX()) return policy.allowUnixSockets() ? ALLOW : REFUSE;
            if (!isolated) return ALLOW;
            if (domain == AF_NETLINK()) return protocol == NETLINK_ROUTE() ? ALLOW : REFUSE;
            if (domain != AF_INET() && domain != AF_INET6()) return REFUSE;
            if (!tcpOnly) return ALLOW;
            int base = type & ~SOCK_FLAGS;
            if (base == SOCK_STREAM()) return protocol == 0 || protocol == IPPROTO_TCP() ? ALLOW : REFUSE;
            if (base == SOCK_DGRAM() && policy.allowUdp()) return protocol == 0 || protocol == IPPROTO_UDP() ? ALLOW : REFUSE;
            return REFUSE;
        }
        if (nr == table.socketpair()) return isolated && (int) args[0] != AF_UNIX() ? REFUSE : ALLOW;
        if (nr == table.sendto() || nr == table.sendmmsg()) return tcpOnly && ((int) args[3] & MSG_FASTOPEN()) != 0 ? REFUSE : ALLOW;
        if (nr == table.sendmsg()) return tcpOnly && ((int) args[2] & MSG_FASTOPEN()) != 0 ? REFUSE : ALLOW;
        boolean supervised = policy.supervised().contains(SeccompPolicy.Supervised.NETWORK);
        if (nr == table.listen()) {
            if (tcpOnly && !policy.allowLocalBinding() && !policy.allowUnixSockets()) return REFUSE;
            return supervised ? NOTIFY : ALLOW;
        }
        if (supervised && (nr == table.connect() || nr == table.bind())) return NOTIFY;
        if (nr == table.ioUringSetup() || nr == table.ioUringEnter() || nr == table.ioUringRegister()) return REFUSE;
        if (nr == table.prlimit64()) return (int) args[0] != 0 && args[2] != 0 ? REFUSE : ALLOW;
        if (nr == table.setpriority()) {
            int which = (int) args[0];
            return which == PRIO_PGRP() || which == PRIO_USER() ? REFUSE : ALLOW;
        }
        if (nr == table.ioprioSet()) {
            int which = (int) args[0];
            return which == IOPRIO_WHO_PGRP() || which == IOPRIO_WHO_USER() ? REFUSE : ALLOW;
        }
        boolean metadata = policy.supervised().contains(METADATA);
        int mode = modeArgument(table, nr);
        if (mode >= 0) return ((int) args[mode] & 06000) != 0 ? REFUSE : metadata && changesMode(table, nr) ? NOTIFY : ALLOW;
        if (metadata && metadataCalls(table).contains(nr)) return NOTIFY;
        if (nr == table.openat2()) return ABSENT;
        if (nr == table.keyctl() || nr == table.addKey() || nr == table.requestKey()) return REFUSE;
        return ALLOW;
    }

    private static int run(SeccompPolicy policy, SyscallNumbers table, Call call) {
        return ClassicBpf.run(policy.compile(table), call, ByteOrder.LITTLE_ENDIAN);
    }

    private static Call socket(SyscallNumbers t, long domain, long type, long protocol) {
        return new Call(t.socket(), t.auditArch(), domain, type, protocol);
    }

    private static Call ioctl(SyscallNumbers t, long cmd) {
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
                int next = 3;
                if (table == SyscallNumbers.X86_64) {
                    var x32 = program.get(next++);
                    assertEquals(0x35, x32.code(), "x32 check (JGE K): " + where);
                    assertEquals(__X32_SYSCALL_BIT(), x32.k(), where);
                    assertEquals(BpfInstruction.ret(REFUSE), program.get(next + Byte.toUnsignedInt(x32.jt())), where);
                } else {
                    assertNotEquals(__X32_SYSCALL_BIT(), program.get(3).k(), "no x32 check on " + table.arch());
                }
                var beyond = program.get(next);
                assertEquals(0x35, beyond.code(), "then the numbers above the highest known (JGE K): " + where);
                assertEquals(table.highestKnown() + 1, beyond.k(), where);
                assertEquals(BpfInstruction.ret(ABSENT), program.get(next + 1 + Byte.toUnsignedInt(beyond.jt())), where);
                assertEquals(0x06, program.getLast().code(), "ends with a return: " + where);
                for (int pc = 0; pc < program.size(); pc++) {
                    var insn = program.get(pc);
                    int cls = insn.code() & 0x07;
                    if (cls == 0x05) {
                        assertNotEquals(0x05, insn.code(), "no unconditional jumps: " + where);
                        assertTrue(pc + 1 + Byte.toUnsignedInt(insn.jt()) < program.size(), "jt of " + pc + " inside: " + where);
                        assertTrue(pc + 1 + Byte.toUnsignedInt(insn.jf()) < program.size(), "jf of " + pc + " inside: " + where);
                    } else if (cls == 0x06) {
                        assertTrue(ACTIONS.contains(insn.k()), "returns only allow, EPERM, ENOSYS or the supervisor at " + pc + ": " + where);
                        if (insn.k() == NOTIFY) assertFalse(policy.supervised().isEmpty(), "the supervisor only when it runs: " + where);
                    } else if (insn.code() == 0x20) {
                        assertTrue(insn.k() % 4 == 0 && insn.k() + 4 <= ClassicBpf.DATA_SIZE, "aligned load in seccomp_data at " + pc);
                    }
                }
            }
        }
    }

    @Test
    void refusalIsEpermAbsentIsEnosysAndAllowIsAllow() {
        assertEquals(0x0005_0001, REFUSE, "SECCOMP_RET_ERRNO | EPERM");
        assertEquals(0x0005_0026, ABSENT, "SECCOMP_RET_ERRNO | ENOSYS");
        assertEquals(0x7fff_0000, ALLOW, "SECCOMP_RET_ALLOW");
    }

    @Test
    void bothTablesKnowLinux618AndTheCallsAarch64LacksAreLeftOut() {
        assertEquals(469, SyscallNumbers.X86_64.highestKnown(), "file_setattr, Linux 6.17; 6.18 added none");
        assertEquals(SyscallNumbers.X86_64.highestKnown(), SyscallNumbers.AARCH64.highestKnown(), "numbers are unified from 403 on");
        var aarch64 = new SeccompPolicy(SeccompPolicy.Sockets.TCP_ONLY, false, false, false).rules(SyscallNumbers.AARCH64);
        assertTrue(aarch64.stream().noneMatch(r -> r.nr() == SyscallNumbers.NONE), aarch64.toString());
        var calls = aarch64.stream().map(SeccompPolicy.Rule::call).toList();
        assertFalse(calls.contains("chmod") || calls.contains("open") || calls.contains("creat"), calls.toString());
        assertTrue(calls.containsAll(List.of("fchmodat", "fchmodat2", "openat", "mkdirat", "mknodat", "listen")), calls.toString());
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
            var other = t == SyscallNumbers.X86_64 ? AUDIT_ARCH_AARCH64() : AUDIT_ARCH_X86_64();
            cases.add(new Case("gettid, the other 64-bit arch", new Call(t.gettid(), other), REFUSE));
            if (t == SyscallNumbers.X86_64) {
                cases.add(new Case("x32 socket", new Call(__X32_SYSCALL_BIT() | 41, t.auditArch(), AF_INET(), SOCK_DGRAM(), 0), REFUSE));
                cases.add(new Case("x32 gettid", new Call(__X32_SYSCALL_BIT() | 186, t.auditArch()), REFUSE));
                cases.add(new Case("nr -1", new Call(-1, t.auditArch()), REFUSE));
                cases.add(new Case("highest x86_64 nr", new Call(__X32_SYSCALL_BIT() - 1, t.auditArch()), ABSENT));
            } else {
                cases.add(new Case("the x32 bit means nothing on aarch64", new Call(__X32_SYSCALL_BIT() | 178, t.auditArch()), ABSENT));
                cases.add(new Case("nr -1 on aarch64", new Call(-1, t.auditArch()), ABSENT));
            }
            cases.add(new Case("netlink sock_diag", socket(t, AF_NETLINK(), SOCK_RAW(), NETLINK_SOCK_DIAG), REFUSE));
            cases.add(new Case("listen", new Call(t.listen(), t.auditArch(), 3, 16), REFUSE));
            assertCases(policy, t, cases);
        }
    }

    private static void assertCases(SeccompPolicy policy, SyscallNumbers t, List<Case> cases) {
        var wrong = new ArrayList<String>();
        for (var c : cases) {
            int got = run(policy, t, c.call());
            if (got != c.expected()) wrong.add(c.name() + ": got 0x" + Integer.toHexString(got));
            // The reference agrees with each hand-written expectation, so the sampled comparison
            // below compares with something checked.
            assertEquals(c.expected(), expected(policy, t, c.call()), "reference on " + c.name());
        }
        assertEquals(List.of(), wrong, policy + " on " + t.arch());
    }

    /** The rules of every mode, with each sockets setting: the same decisions. */
    @Test
    void everyModeDecidesTheNamedCases() {
        for (var t : TABLES) {
            var cases = new ArrayList<Case>();
            int otherPid = 4242;
            long limit = 0x7ffd_1234_5670L;
            cases.add(new Case("prlimit64 on another pid with a new limit", new Call(t.prlimit64(), t.auditArch(), otherPid, 7, limit, 0), REFUSE));
            cases.add(new Case("prlimit64 on another pid, new limit in the upper half only",
                new Call(t.prlimit64(), t.auditArch(), otherPid, 7, 0x1_0000_0000L, 0), REFUSE));
            cases.add(new Case("prlimit64 on another pid, new limit in the lower half only",
                new Call(t.prlimit64(), t.auditArch(), otherPid, 7, 0x1000, 0), REFUSE));
            cases.add(new Case("prlimit64 reading another pid", new Call(t.prlimit64(), t.auditArch(), otherPid, 7, 0, limit), ALLOW));
            cases.add(new Case("prlimit64 on itself (ulimit)", new Call(t.prlimit64(), t.auditArch(), 0, 7, limit, limit), ALLOW));
            cases.add(new Case("prlimit64, pid 0 with upper bits (the kernel reads an int: itself)",
                new Call(t.prlimit64(), t.auditArch(), 0xffff_ffff_0000_0000L, 7, limit, 0), ALLOW));
            cases.add(new Case("prlimit64, pid -1", new Call(t.prlimit64(), t.auditArch(), 0xffff_ffffL, 7, limit, 0), REFUSE));
            cases.add(new Case("setpriority PRIO_PGRP", new Call(t.setpriority(), t.auditArch(), PRIO_PGRP(), 0, 10), REFUSE));
            cases.add(new Case("setpriority PRIO_USER", new Call(t.setpriority(), t.auditArch(), PRIO_USER(), 0, 10), REFUSE));
            cases.add(new Case("setpriority PRIO_USER, upper bits", new Call(t.setpriority(), t.auditArch(),
                0x8_0000_0000L | PRIO_USER(), 0, 10), REFUSE));
            cases.add(new Case("setpriority PRIO_PROCESS (nice, threads)", new Call(t.setpriority(), t.auditArch(), PRIO_PROCESS(), otherPid, 10), ALLOW));
            cases.add(new Case("ioprio_set IOPRIO_WHO_PGRP", new Call(t.ioprioSet(), t.auditArch(), IOPRIO_WHO_PGRP(), 0, 0x6000), REFUSE));
            cases.add(new Case("ioprio_set IOPRIO_WHO_USER", new Call(t.ioprioSet(), t.auditArch(), IOPRIO_WHO_USER(), 0, 0x6000), REFUSE));
            cases.add(new Case("ioprio_set IOPRIO_WHO_PROCESS", new Call(t.ioprioSet(), t.auditArch(), IOPRIO_WHO_PROCESS(), 0, 0x6000), ALLOW));
            long tmpfile = O_TMPFILE_BIT | t.oDirectory() | SyscallNumbers.O_WRONLY;
            cases.add(new Case("openat O_CREAT 0644", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 0644), ALLOW));
            cases.add(new Case("openat O_CREAT 04755", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 04755), REFUSE));
            cases.add(new Case("openat O_TMPFILE 04755", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, tmpfile, 04755), REFUSE));
            cases.add(new Case("openat without O_CREAT, mode 02000", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 02000), REFUSE));
            cases.add(new Case("openat O_RDONLY mode 0", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 0), ALLOW));
            cases.add(new Case("openat 04000 in the mode's upper half only",
                new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 04000L << 32 | 0644), ALLOW));
            cases.add(new Case("openat, 04000 in the flags", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 04000, 0644), ALLOW));
            cases.add(new Case("openat, sticky bit", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 01777), ALLOW));
            cases.add(new Case("fchmodat 04755", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 04755), REFUSE));
            cases.add(new Case("fchmodat g+s", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 02755), REFUSE));
            cases.add(new Case("fchmodat 0755", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0755), ALLOW));
            cases.add(new Case("fchmodat2 06755", new Call(t.fchmodat2(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 06755, 0x100), REFUSE));
            cases.add(new Case("fchmodat2 0600", new Call(t.fchmodat2(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0600, 0x100), ALLOW));
            cases.add(new Case("fchmod 04711", new Call(t.fchmod(), t.auditArch(), 3, 04711), REFUSE));
            cases.add(new Case("fchmod, 04000 in the fd", new Call(t.fchmod(), t.auditArch(), 04000, 0644), ALLOW));
            cases.add(new Case("mkdirat 02755", new Call(t.mkdirat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 02755), REFUSE));
            cases.add(new Case("mkdirat 01777", new Call(t.mkdirat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 01777), ALLOW));
            cases.add(new Case("mknodat S_IFREG|04755", new Call(t.mknodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0104755, 0), REFUSE));
            cases.add(new Case("mknodat S_IFIFO|0644", new Call(t.mknodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 010644, 0), ALLOW));
            if (t == SyscallNumbers.X86_64) {
                cases.add(new Case("chmod 04755", new Call(t.chmod(), t.auditArch(), 0, 04755), REFUSE));
                cases.add(new Case("chmod 0755", new Call(t.chmod(), t.auditArch(), 0, 0755), ALLOW));
                cases.add(new Case("open O_CREAT 02755", new Call(t.open(), t.auditArch(), 0, SyscallNumbers.O_CREAT, 02755), REFUSE));
                cases.add(new Case("creat 04755", new Call(t.creat(), t.auditArch(), 0, 04755), REFUSE));
                cases.add(new Case("mkdir 02755", new Call(t.mkdir(), t.auditArch(), 0, 02755), REFUSE));
                cases.add(new Case("mknod S_IFREG|06755", new Call(t.mknod(), t.auditArch(), 0, 0106755, 0), REFUSE));
                cases.add(new Case("mkdir 0755", new Call(t.mkdir(), t.auditArch(), 0, 0755), ALLOW));
            }
            cases.add(new Case("openat2", new Call(t.openat2(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 24), ABSENT));
            cases.add(new Case("keyctl", new Call(t.keyctl(), t.auditArch(), 0, -4, 0), REFUSE));
            cases.add(new Case("add_key", new Call(t.addKey(), t.auditArch()), REFUSE));
            cases.add(new Case("request_key", new Call(t.requestKey(), t.auditArch()), REFUSE));
            cases.add(new Case("io_uring_setup", new Call(t.ioUringSetup(), t.auditArch(), 8, 0), REFUSE));
            cases.add(new Case("file_setattr (Linux 6.17, the highest known)", new Call(t.highestKnown(), t.auditArch()), ALLOW));
            cases.add(new Case("the first unknown number", new Call(t.highestKnown() + 1, t.auditArch()), ABSENT));
            cases.add(new Case("an unknown number far above", new Call(0x3fff_0000, t.auditArch()), ABSENT));
            cases.add(new Case("kcmp (Landlock's)", new Call(t.kcmp(), t.auditArch(), 1, 2, 0, 0, 0), ALLOW));
            cases.add(new Case("pidfd_getfd (Landlock's)", new Call(t.pidfdGetfd(), t.auditArch(), 3, 0, 0), ALLOW));
            for (var policy : policiesWithoutMetadata()) assertCases(policy, t, cases);
        }
    }

    /** Isolated, in halt's network namespace: the family allowlist, any Internet socket. */
    @Test
    void inANamespaceTheFamiliesAreAnAllowlist() {
        for (var t : TABLES) {
            var cases = new ArrayList<Case>();
            cases.add(new Case("tcp", socket(t, AF_INET(), SOCK_STREAM(), 0), ALLOW));
            cases.add(new Case("udp (halt's DNS)", socket(t, AF_INET(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0), ALLOW));
            cases.add(new Case("udp6", socket(t, AF_INET6(), SOCK_DGRAM(), IPPROTO_UDP()), ALLOW));
            cases.add(new Case("raw (the kernel's CAP_NET_RAW check)", socket(t, AF_INET(), SOCK_RAW(), IPPROTO_ICMP()), ALLOW));
            cases.add(new Case("sctp", socket(t, AF_INET(), SOCK_STREAM(), IPPROTO_SCTP()), ALLOW));
            cases.add(new Case("vsock", socket(t, AF_VSOCK(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("vsock, upper bits", socket(t, 0x1_0000_0000L | AF_VSOCK(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("packet", socket(t, AF_PACKET(), SOCK_RAW(), 0x0300), REFUSE));
            cases.add(new Case("smc", socket(t, AF_SMC, SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("tipc", socket(t, AF_TIPC, SOCK_SEQPACKET(), 0), REFUSE));
            cases.add(new Case("netlink route", socket(t, AF_NETLINK(), SOCK_RAW() | SOCK_CLOEXEC(), NETLINK_ROUTE()), ALLOW));
            cases.add(new Case("netlink route, upper bits of protocol",
                socket(t, AF_NETLINK(), SOCK_RAW(), 0xffff_ffff_0000_0000L | NETLINK_ROUTE()), ALLOW));
            cases.add(new Case("netlink sock_diag (ss)", socket(t, AF_NETLINK(), SOCK_RAW(), NETLINK_SOCK_DIAG), REFUSE));
            cases.add(new Case("netlink audit", socket(t, AF_NETLINK(), SOCK_RAW(), NETLINK_AUDIT), REFUSE));
            cases.add(new Case("unix", socket(t, AF_UNIX(), SOCK_STREAM(), 0), REFUSE));
            cases.add(new Case("socketpair unix", new Call(t.socketpair(), t.auditArch(), AF_UNIX(), SOCK_STREAM(), 0, 0), ALLOW));
            cases.add(new Case("socketpair tipc", new Call(t.socketpair(), t.auditArch(), AF_TIPC, SOCK_DGRAM(), 0, 0), REFUSE));
            cases.add(new Case("listen (only lo in the namespace)", new Call(t.listen(), t.auditArch(), 3, 16), ALLOW));
            cases.add(new Case("sendto MSG_FASTOPEN (inside the namespace)",
                new Call(t.sendto(), t.auditArch(), 3, 0, 1, MSG_FASTOPEN(), 0, 16), ALLOW));
            var namespace = new SeccompPolicy(SeccompPolicy.Sockets.FAMILIES, false, false, false);
            assertCases(namespace, t, cases);
            assertEquals(ALLOW, run(namespace.withAllowUnixSockets(true), t, socket(t, AF_UNIX(), SOCK_STREAM(), 0)));
            assertEquals(REFUSE, run(namespace.withAllowUnixSockets(true), t, socket(t, AF_VSOCK(), SOCK_STREAM(), 0)));
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
            var listen = new Call(t.listen(), t.auditArch(), 3, 16);

            var every = SeccompPolicy.everyMode();
            assertEquals(ALLOW, run(every, t, udp), "every mode leaves UDP alone");
            assertEquals(ALLOW, run(every, t, raw));
            assertEquals(ALLOW, run(every, t, packet));
            assertEquals(ALLOW, run(every, t, listen));
            assertEquals(REFUSE, run(every, t, unix), "AF_UNIX refused in every mode by default");
            assertEquals(REFUSE, run(every, t, ioUring), "io_uring opens files and sockets unseen");
            assertEquals(REFUSE, run(every, t, tiocsti));
            var fastOpen = new Call(t.sendto(), t.auditArch(), 3, 0, 1, MSG_FASTOPEN(), 0, 16);
            assertEquals(ALLOW, run(every, t, fastOpen), "no Landlock TCP rules to protect in every mode");
            assertEquals(REFUSE, run(SeccompPolicy.isolatedNetwork(), t, fastOpen));

            var everyUnix = every.withAllowUnixSockets(true);
            assertEquals(ALLOW, run(everyUnix, t, unix));
            assertEquals(REFUSE, run(everyUnix, t, ioUring), "io_uring's openat would pass a setuid mode");
            assertEquals(REFUSE, run(everyUnix, t, tiocsti), "terminal injection refused in every mode");

            var isolated = SeccompPolicy.isolatedNetwork();
            assertEquals(REFUSE, run(isolated, t, udp));
            assertEquals(REFUSE, run(isolated, t, listen), "listen() binds a port without Landlock's bind");
            assertEquals(ALLOW, run(isolated.withAllowLocalBinding(true), t, listen));
            assertEquals(REFUSE, run(isolated.withAllowLocalBinding(true), t, udp), "binding opens listen only");
            assertEquals(REFUSE, run(isolated.withAllowUnixSockets(true), t, udp));
            assertEquals(ALLOW, run(isolated.withAllowUnixSockets(true), t, unix));
            assertEquals(ALLOW, run(isolated.withAllowUnixSockets(true), t, listen), "unix sockets need listen");
            assertTrue(isolated.withAllowUnixSockets(true).leavesAutobindOpen());
            assertFalse(isolated.withAllowUnixSockets(true).withAllowLocalBinding(true).leavesAutobindOpen(), "binding is allowed anyway");
            assertFalse(isolated.leavesAutobindOpen());
            assertFalse(every.withAllowUnixSockets(true).leavesAutobindOpen(), "nothing to leave open without Landlock's bind rule");

            var isolatedUdp = isolated.withAllowUdp(true);
            assertEquals(ALLOW, run(isolatedUdp, t, udp));
            assertEquals(ALLOW, run(isolatedUdp, t, socket(t, AF_INET6(), SOCK_DGRAM(), IPPROTO_UDP())));
            assertEquals(REFUSE, run(isolatedUdp, t, udpLite), "UDP proper only");
            assertEquals(REFUSE, run(isolatedUdp, t, raw));
            assertEquals(REFUSE, run(isolatedUdp, t, packet));
            assertEquals(ALLOW, run(every.withAllowUdp(true), t, udp), "allowUdp alone changes nothing");
            for (var sockets : List.of(SeccompPolicy.Sockets.OPEN, SeccompPolicy.Sockets.FAMILIES)) {
                var policy = new SeccompPolicy(sockets, false, false, false);
                assertEquals(policy.compile(t), policy.withAllowUdp(true).compile(t), "allowUdp without TCP_ONLY: same program");
                assertEquals(policy.compile(t), policy.withAllowLocalBinding(true).compile(t),
                    "allowLocalBinding without TCP_ONLY: same program");
            }
        }
    }

    @Test
    void sampledCallsMatchTheReferenceDecision() {
        // Fixed seed and a fixed count: the same sample on every run, bounded time.
        var random = new Random(0x5ecc0_1L);
        int[] domains = {AF_UNSPEC(), AF_UNIX(), AF_INET(), AF_INET6(), AF_NETLINK(), AF_PACKET(), AF_VSOCK(), AF_TIPC, AF_SMC, 44, 45, 46};
        int[] types = {SOCK_STREAM(), SOCK_DGRAM(), SOCK_RAW(), 4, SOCK_SEQPACKET(), 6, 10, 0, 15};
        int[] protocols = {0, IPPROTO_TCP(), IPPROTO_UDP(), IPPROTO_ICMP(), IPPROTO_ICMPV6(), IPPROTO_SCTP(),
            IPPROTO_MPTCP(), IPPROTO_SMC, IPPROTO_UDPLITE, 255, NETLINK_SOCK_DIAG, NETLINK_AUDIT};
        int[] cmds = {TIOCSTI(), TIOCLINUX(), FIONREAD(), (int) TIOCSPTLCK(), TIOCGPTPEER(), TIOCSTI() + 1, TIOCSTI() - 1, 0};
        int[] modes = {0, 0644, 0755, 04755, 02755, 06755, 01777, 0100644, 0104755, 07777, 0400, 02000};
        int[] whiches = {0, 1, 2, 3, 4, -1};
        int[] archs = {AUDIT_ARCH_X86_64(), AUDIT_ARCH_AARCH64(), AUDIT_ARCH_I386(), AUDIT_ARCH_ARM()};
        var mismatches = new ArrayList<String>();
        var seen = new HashMap<String, int[]>();   // per call kind: {allowed, refused, absent}
        for (var t : TABLES) {
            var numbers = new ArrayList<>(List.of(t.socket(), t.socketpair(), t.ioctl(), t.ioUringSetup(), t.ioUringEnter(),
                t.ioUringRegister(), t.gettid(), t.connect(), t.bind(), t.read(), t.sendto(), t.sendmsg(), t.sendmmsg(),
                t.listen(), t.prlimit64(), t.setpriority(), t.ioprioSet(), t.chmod(), t.fchmod(), t.fchmodat(),
                t.fchmodat2(), t.open(), t.openat(), t.creat(), t.mkdir(), t.mkdirat(), t.mknod(), t.mknodat(),
                t.openat2(), t.keyctl(), t.addKey(), t.requestKey(), t.kcmp(), t.highestKnown(), t.highestKnown() + 1));
            numbers.addAll(metadataCalls(t));
            numbers.removeIf(n -> n == SyscallNumbers.NONE);
            for (var policy : allPolicies()) {
                var program = policy.compile(t);
                for (int i = 0; i < 1500; i++) {
                    int nr = switch (random.nextInt(10)) {
                        case 0 -> random.nextInt();                              // any number at all
                        case 1 -> numbers.get(random.nextInt(numbers.size())) | (random.nextBoolean() ? __X32_SYSCALL_BIT() : 0);
                        default -> numbers.get(random.nextInt(numbers.size()));
                    };
                    int arch = random.nextInt(8) == 0 ? archs[random.nextInt(archs.length)] : t.auditArch();
                    var args = new long[6];
                    for (int a = 0; a < 6; a++) {
                        long upper = random.nextInt(4) == 0 ? random.nextLong() & 0xffff_ffff_0000_0000L : 0;
                        int low = switch (random.nextInt(9)) {
                            case 0 -> random.nextInt();
                            case 1 -> 0;
                            case 2 -> domains[random.nextInt(domains.length)];
                            case 3 -> types[random.nextInt(types.length)] | switch (random.nextInt(4)) {
                                case 0 -> 0;
                                case 1 -> SOCK_CLOEXEC();
                                case 2 -> SOCK_FLAGS;
                                default -> 1 << random.nextInt(32);
                            };
                            case 4 -> protocols[random.nextInt(protocols.length)];
                            case 5 -> cmds[random.nextInt(cmds.length)];
                            case 6 -> modes[random.nextInt(modes.length)];
                            case 7 -> whiches[random.nextInt(whiches.length)];
                            default -> random.nextBoolean() ? MSG_FASTOPEN() : random.nextInt(1 << 16);
                        };
                        args[a] = upper | low & 0xffff_ffffL;
                    }
                    var call = new Call(nr, arch, args);
                    int action = ClassicBpf.run(program, call, ByteOrder.LITTLE_ENDIAN);
                    int reference = expected(policy, t, call);
                    if (action != reference && mismatches.size() < 20) {
                        mismatches.add(policy + " " + t.arch() + " nr=" + nr + " arch=0x" + Integer.toHexString(arch)
                            + " args=" + java.util.Arrays.stream(args).mapToObj(Long::toHexString).toList()
                            + ": program 0x" + Integer.toHexString(action) + ", reference 0x" + Integer.toHexString(reference));
                    }
                    String kind = arch != t.auditArch() ? "other arch" : nr == t.socket() ? "socket" : nr == t.ioctl() ? "ioctl"
                        : nr == t.socketpair() ? "socketpair"
                        : nr == t.sendto() || nr == t.sendmsg() || nr == t.sendmmsg() ? "send"
                        : nr == t.listen() ? "listen"
                        : nr == t.prlimit64() ? "prlimit64"
                        : nr == t.setpriority() || nr == t.ioprioSet() ? "priority"
                        : modeArgument(t, nr) >= 0 ? "mode"
                        : metadataCalls(t).contains(nr) ? "metadata" : "other";
                    seen.computeIfAbsent(kind, k -> new int[4])[action == ALLOW ? 0 : action == REFUSE ? 1 : action == ABSENT ? 2 : 3]++;
                }
            }
        }
        assertEquals(List.of(), mismatches);
        // The sample is not vacuous: both outcomes occurred for each inspected call.
        for (var kind : List.of("socket", "ioctl", "socketpair", "send", "listen", "prlimit64", "priority", "mode", "other")) {
            var counts = seen.get(kind);
            assertNotNull(counts, kind);
            assertTrue(counts[0] > 20 && counts[1] > 20, kind + " allowed " + counts[0] + ", refused " + counts[1]);
        }
        assertTrue(seen.get("other")[2] > 20, "numbers above the highest known: " + seen.get("other")[2]);
        assertEquals(0, seen.get("other arch")[0], "nothing of another architecture is allowed");
        assertEquals(0, seen.get("other arch")[3], "nor handed to the supervisor");
        assertTrue(seen.get("mode")[3] > 20, "modes without set-id bits to the supervisor: " + seen.get("mode")[3]);
        assertTrue(seen.get("metadata")[0] > 20 && seen.get("metadata")[3] > 20,
            "metadata allowed " + seen.get("metadata")[0] + ", supervised " + seen.get("metadata")[3]);
    }

    @Test
    void theSupervisedMetadataRefusesTheSetIdBitsInBpfAndHandsEveryOtherChangeToTheSupervisor() {
        for (var t : TABLES) {
            for (var sockets : SeccompPolicy.Sockets.values()) {
                var plain = new SeccompPolicy(sockets, false, false, false);
                var metadata = plain.withSupervised(Set.of(METADATA));
                var cases = new ArrayList<Case>();
                cases.add(new Case("fchmodat 0644", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0644), NOTIFY));
                cases.add(new Case("fchmodat 04755", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 04755), REFUSE));
                cases.add(new Case("fchmodat 02000, upper bits", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0,
                    0xffff_0000_0000_2000L | 02000), REFUSE));
                cases.add(new Case("fchmodat 04000 in the upper half only", new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0,
                    04000L << 32 | 0600), NOTIFY));
                cases.add(new Case("fchmodat2 0600 nofollow", new Call(t.fchmodat2(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0600, 0x100), NOTIFY));
                cases.add(new Case("fchmodat2 06755", new Call(t.fchmodat2(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 06755, 0), REFUSE));
                cases.add(new Case("fchmod 0700", new Call(t.fchmod(), t.auditArch(), 3, 0700), NOTIFY));
                cases.add(new Case("fchmod 04711", new Call(t.fchmod(), t.auditArch(), 3, 04711), REFUSE));
                cases.add(new Case("mkdirat 0755: makes, does not change", new Call(t.mkdirat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0755), ALLOW));
                cases.add(new Case("openat 0644", new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 0644), ALLOW));
                cases.add(new Case("utimensat", new Call(t.utimensat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 0), NOTIFY));
                cases.add(new Case("fchownat", new Call(t.fchownat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 1000, 1000, 0x100), NOTIFY));
                cases.add(new Case("fchown", new Call(t.fchown(), t.auditArch(), 3, 1000, 1000), NOTIFY));
                cases.add(new Case("setxattr", new Call(t.setxattr(), t.auditArch(), 0, 0, 0, 0, 0), NOTIFY));
                cases.add(new Case("fremovexattr", new Call(t.fremovexattr(), t.auditArch(), 3, 0), NOTIFY));
                cases.add(new Case("setxattrat (6.13)", new Call(t.setxattrat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 0, 0, 16), NOTIFY));
                cases.add(new Case("removexattrat (6.13)", new Call(t.removexattrat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 0), NOTIFY));
                cases.add(new Case("file_setattr (6.17)", new Call(t.fileSetattr(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0, 24, 0), NOTIFY));
                cases.add(new Case("file_setattr through another ABI", new Call(t.fileSetattr(), AUDIT_ARCH_I386(), 0, 0, 0, 24, 0), REFUSE));
                cases.add(new Case("getxattrat reads", new Call(t.fileSetattr() - 5, t.auditArch(), 0, 0, 0, 0), ALLOW));
                if (t == SyscallNumbers.X86_64) {
                    cases.add(new Case("chmod 0777", new Call(t.chmod(), t.auditArch(), 0, 0777), NOTIFY));
                    cases.add(new Case("chmod 06777", new Call(t.chmod(), t.auditArch(), 0, 06777), REFUSE));
                    cases.add(new Case("lchown", new Call(t.lchown(), t.auditArch(), 0, 0, 0), NOTIFY));
                    cases.add(new Case("utimes", new Call(t.utimes(), t.auditArch(), 0, 0), NOTIFY));
                    cases.add(new Case("futimesat", new Call(t.futimesat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0), NOTIFY));
                }
                assertCases(metadata, t, cases);
                for (var c : cases) {
                    // Without the supervisor the same rules allow what they hand over.
                    assertEquals(c.expected() == NOTIFY ? ALLOW : c.expected(), run(plain, t, c.call()), c.name() + " without the supervisor");
                }
            }
        }
        var table = dev.halt.core.linux.sys.Syscall.TABLE;
        var routed = SeccompPolicy.everyMode().withSupervised(Set.of(METADATA)).supervisedCalls();
        var names = new java.util.TreeSet<>(List.of("fchmod", "fchmodat", "fchmodat2", "fchown", "fchownat", "utimensat", "setxattr",
            "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "setxattrat", "removexattrat", "file_setattr"));
        if (table == SyscallNumbers.X86_64) names.addAll(List.of("chmod", "chown", "lchown", "utime", "utimes", "futimesat"));
        assertEquals(names, new java.util.TreeSet<>(routed), "the mode's calls notify by their otherwise action, the others always");
        assertEquals(names.size(), routed.size(), "each once: " + routed);
        assertTrue(SeccompPolicy.everyMode().withSupervised(Set.of(METADATA)).describe().contains("metadata changes outside the write grants"));
    }

    @Test
    void aChecksOtherwiseActionIsWhereTheCallsThatDoNotMatchGo() {
        // The shared returns are per action: a check with another otherwise gets a block of its own.
        var plain = SeccompPolicy.everyMode();
        var metadata = plain.withSupervised(Set.of(METADATA));
        for (var t : TABLES) {
            var program = metadata.compile(t);
            assertTrue(program.contains(BpfInstruction.ret(NOTIFY)), "the supervisor's return is in the program");
            assertFalse(plain.compile(t).contains(BpfInstruction.ret(NOTIFY)), "and only there");
            // openat's set-id check (otherwise allowed) and fchmodat's (otherwise notified) are different blocks.
            var openat = new Call(t.openat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, SyscallNumbers.O_CREAT, 0644);
            var fchmodat = new Call(t.fchmodat(), t.auditArch(), SyscallNumbers.AT_FDCWD, 0, 0644);
            assertEquals(ALLOW, run(metadata, t, openat));
            assertEquals(NOTIFY, run(metadata, t, fchmodat));
            assertEquals(ALLOW, run(plain, t, fchmodat));
        }
    }

    @Test
    void theSupervisedNetworkRoutesConnectBindAndTheListenNotRefusedOutright() {
        var base = new SeccompPolicy(SeccompPolicy.Sockets.TCP_ONLY, false, false, false);
        var network = Set.of(SeccompPolicy.Supervised.NETWORK);
        for (var t : TABLES) {
            var supervised = base.withSupervised(network);
            assertEquals(NOTIFY, run(supervised, t, new Call(t.connect(), t.auditArch(), 3, 0, 16)));
            assertEquals(NOTIFY, run(supervised, t, new Call(t.bind(), t.auditArch(), 3, 0, 16)));
            assertEquals(REFUSE, run(supervised, t, new Call(t.listen(), t.auditArch(), 3, 1)), "no binding, no unix: refused in BPF");
            assertEquals(NOTIFY, run(supervised.withAllowUnixSockets(true), t, new Call(t.listen(), t.auditArch(), 3, 1)),
                "a unix socket needs listen: the supervisor tells it from a TCP one");
            assertEquals(NOTIFY, run(supervised.withAllowLocalBinding(true), t, new Call(t.listen(), t.auditArch(), 3, 1)));
            assertEquals(ALLOW, run(base, t, new Call(t.connect(), t.auditArch(), 3, 0, 16)), "without the supervisor");
        }
        assertFalse(base.withAllowUnixSockets(true).withSupervised(network).leavesAutobindOpen());
        assertTrue(base.withAllowUnixSockets(true).leavesAutobindOpen());
        assertEquals(List.of("connect", "bind", "listen"), base.withAllowLocalBinding(true).withSupervised(network).supervisedCalls());
        assertThrows(IllegalArgumentException.class, () -> new SeccompPolicy(SeccompPolicy.Sockets.FAMILIES, false, false, false,
            network), "a namespace is the boundary there");
        assertTrue(base.withSupervised(network).describe().contains("decided by halt's supervisor"));
    }

    @Test
    void aRunRestrictsSocketsByItsNetworkMechanism() {
        var open = SeccompPolicy.Sockets.OPEN;
        var families = SeccompPolicy.Sockets.FAMILIES;
        var tcpOnly = SeccompPolicy.Sockets.TCP_ONLY;
        for (var mode : dev.halt.core.policy.NetworkMode.values()) {
            boolean isolated = mode != dev.halt.core.policy.NetworkMode.UNRESTRICTED;
            assertEquals(new SeccompPolicy(isolated ? tcpOnly : open, false, false, false),
                SeccompPolicy.forRun(mode, true, false, false), mode.toString());
            assertEquals(new SeccompPolicy(isolated ? tcpOnly : open, true, false, true),
                SeccompPolicy.forRun(mode, true, true, true), mode.toString());
            assertEquals(new SeccompPolicy(isolated ? families : open, false, false, false), SeccompPolicy.forRun(mode, false, false, false),
                "in halt's namespace UDP reaches only halt's DNS, but AF_VSOCK reaches the host: " + mode);
        }
    }

    @Test
    void everyProgramFitsTheAssemblersLimitsWithRoomToGrow() {
        int longest = 0;
        for (var t : TABLES) {
            for (var policy : allPolicies()) longest = Math.max(longest, policy.compile(t).size());
        }
        // A dispatch jump skips at most the whole program; 255 is the limit, so this leaves room
        // for the supervisor's routes before the dispatch needs splitting.
        assertTrue(longest < 150, "longest program " + longest + " instructions");
    }

    @Test
    void argumentsAreReadInTheArchitecturesByteOrder() {
        assertEquals(16, SeccompPolicy.argLow(SyscallNumbers.X86_64, 0));
        assertEquals(24, SeccompPolicy.argLow(SyscallNumbers.AARCH64, 1));
        assertEquals(32, SeccompPolicy.argLow(SyscallNumbers.X86_64, 2));
        // A big-endian token (no __AUDIT_ARCH_LE, as aarch64_be) keeps the low half 4 bytes further.
        assertEquals(28, SeccompPolicy.argLow(AUDIT_ARCH_AARCH64() & ~__AUDIT_ARCH_LE(), 1));
        assertThrows(IllegalArgumentException.class, () -> SeccompPolicy.argLow(SyscallNumbers.X86_64, 6));
    }

    @Test
    void describeNamesWhatIsRefusedAndNothingElse() {
        var every = SeccompPolicy.everyMode().describe();
        for (var expected : List.of("TIOCSTI", "TIOCLINUX", "socket(AF_UNIX)", "io_uring", "EPERM", "ENOSYS", "above 469",
            "prlimit64", "RLIMIT_CPU", "PRIO_PGRP", "PRIO_USER", "IOPRIO_WHO_PGRP", "IOPRIO_WHO_USER", "per-process forms stay",
            "setuid and setgid bits", "fchmodat2", "mknodat", "creat", "openat2, with ENOSYS", "keyctl, add_key, request_key",
            "setxattrat and removexattrat", "file_setattr")) {
            assertTrue(every.contains(expected), expected + " in:\n" + every);
        }
        assertFalse(every.contains("UDP"), every);
        assertFalse(every.contains("AF_VSOCK"), every);
        assertFalse(every.contains("listen"), every);

        var open = SeccompPolicy.everyMode().withAllowUnixSockets(true).describe();
        assertFalse(open.contains("socket(AF_UNIX)"), open);
        assertTrue(open.contains("io_uring"), open);
        assertTrue(open.contains("TIOCSTI"), open);

        var namespace = new SeccompPolicy(SeccompPolicy.Sockets.FAMILIES, false, false, false).describe();
        assertTrue(namespace.contains("AF_VSOCK reaches the hypervisor host"), namespace);
        assertTrue(namespace.contains("other than NETLINK_ROUTE"), namespace);
        assertTrue(namespace.contains("socketpair() of any family but AF_UNIX"), namespace);
        assertFalse(namespace.contains("UDP"), namespace);
        assertFalse(namespace.contains("listen"), namespace);

        var isolated = SeccompPolicy.isolatedNetwork().describe();
        assertTrue(isolated.contains("UDP, raw IP"), isolated);
        assertTrue(isolated.contains("AF_PACKET"), isolated);
        assertTrue(isolated.contains("MSG_FASTOPEN"), isolated);
        assertTrue(isolated.contains("listen: on an unbound TCP socket"), isolated);
        assertFalse(every.contains("MSG_FASTOPEN"), every);
        assertTrue(SeccompPolicy.isolatedNetwork().withAllowUdp(true).describe().contains("UDP allowed"));
        assertFalse(SeccompPolicy.isolatedNetwork().withAllowLocalBinding(true).describe().contains("listen"));
        assertTrue(SeccompPolicy.isolatedNetwork().withAllowUnixSockets(true).describe().contains("NOT listen"));

        Map<SeccompPolicy, String> seen = new HashMap<>();
        for (var p : allPolicies()) seen.put(p, p.describe());
        // OPEN and FAMILIES: 2 each (unix); TCP_ONLY: unix x udp x binding, where binding changes
        // nothing once unix sockets are allowed (listen stays allowed either way, the line differs);
        // supervised TCP_ONLY: unix x udp x binding again (the supervisor's listen line names binding);
        // each of them again with the metadata supervised (its own line).
        assertEquals((2 + 2 + 8 + 8) * 2, seen.values().stream().distinct().count(), "options without effect describe like without them");
    }
}
