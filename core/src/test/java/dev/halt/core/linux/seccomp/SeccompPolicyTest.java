package dev.halt.core.linux.seccomp;

import dev.halt.core.linux.Requires;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.socket_h;
import dev.halt.ffm.linux.unistd_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static dev.halt.ffm.linux.ioctls_h.*;
import static dev.halt.ffm.linux.ioprio_h.*;
import static dev.halt.ffm.linux.resource_h.*;
import static dev.halt.ffm.linux.socket_h.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link SeccompPolicy} installed for real: on a throwaway platform thread, which then makes the
 * calls by raw downcalls and starts a child process that makes them again. Every refusal is
 * compared with the same call on a thread without the filter, so an EPERM the kernel would have
 * answered anyway proves nothing and is not counted as the filter's.
 */
@Tag("linux")
class SeccompPolicyTest {

    private static final SyscallNumbers TABLE = SyscallNumbers.current();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    // <fcntl.h>, the same on x86_64 and aarch64 (asm-generic): O_RDWR 02, O_NOCTTY 0400.
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    /** getpid on x86_64, for the x32 number built from it. */
    private static final int X86_64_GETPID = 39;
    private static final boolean ROOT = unistd_h.geteuid() == 0;

    @BeforeAll
    static void startTheProcessReaperFromAnOrdinaryThread() throws Exception {
        // The JDK makes its reaper thread from the first thread that starts a process; let that
        // be this one, not a filtered one (DESIGN.md, "the sandbox is a thread").
        var p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }

    /** errno of a raw system call, or 0; a returned file descriptor is closed. */
    private static int call(int number, boolean returnsFd, long a1, long a2, long a3) {
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            long r = unistd_h.syscall(errno, number, a1, a2, a3, 0, 0, 0);
            if (r == -1) return Errno.get(errno);
            if (returnsFd) Syscall.close((int) r);
            return 0;
        }
    }

    private static int socket(long domain, long type, long protocol) {
        return call(TABLE.socket(), true, domain, type, protocol);
    }

    /** Everything the policy decides, made from the calling thread: name to errno (0 = success). */
    private static Map<String, Integer> probe() {
        var out = new LinkedHashMap<String, Integer>();
        out.put("tcp", socket(AF_INET(), SOCK_STREAM(), 0));
        out.put("tcp cloexec|nonblock", socket(AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC() | SOCK_NONBLOCK(), IPPROTO_TCP()));
        out.put("tcp6", socket(AF_INET6(), SOCK_STREAM(), 0));
        out.put("netlink", socket(AF_NETLINK(), SOCK_RAW() | SOCK_CLOEXEC(), NETLINK_ROUTE()));
        out.put("udp", socket(AF_INET(), SOCK_DGRAM(), 0));
        out.put("udp6", socket(AF_INET6(), SOCK_DGRAM(), 0));
        // The kernel reads an int: the upper half of the register is dropped, this is AF_INET.
        out.put("udp, upper bits of domain", socket(0xffff_ffff_0000_0000L | AF_INET(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0));
        out.put("raw", socket(AF_INET(), SOCK_RAW(), IPPROTO_ICMP()));
        out.put("raw6", socket(AF_INET6(), SOCK_RAW(), IPPROTO_ICMPV6()));
        out.put("packet", socket(AF_PACKET(), SOCK_RAW(), 0x0300));   // htons(ETH_P_ALL)
        out.put("mptcp", socket(AF_INET(), SOCK_STREAM(), IPPROTO_MPTCP()));
        out.put("vsock", socket(AF_VSOCK(), SOCK_STREAM(), 0));
        out.put("unix", socket(AF_UNIX(), SOCK_STREAM(), 0));
        out.put("unix through libc", libcSocket(AF_UNIX(), SOCK_DGRAM() | SOCK_CLOEXEC()));
        out.put("udp through libc", libcSocket(AF_INET(), SOCK_DGRAM()));
        out.put("io_uring_setup", call(TABLE.ioUringSetup(), true, 1, 0, 0));   // params NULL: EFAULT unfiltered
        out.put("gettid", call(TABLE.gettid(), false, 0, 0, 0));
        if (TABLE == SyscallNumbers.X86_64) {
            out.put("x32 getpid", call(dev.halt.ffm.linux.seccomp_h.__X32_SYSCALL_BIT() | X86_64_GETPID, false, 0, 0, 0));
        }
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            var pair = arena.allocate(JAVA_INT, 2);
            long r = unistd_h.syscall(errno, TABLE.socketpair(), AF_UNIX(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, pair.address(), 0, 0);
            out.put("socketpair unix", r == -1 ? Errno.get(errno) : 0);
            if (r == 0) {
                int a = pair.getAtIndex(JAVA_INT, 0), b = pair.getAtIndex(JAVA_INT, 1);
                // Terminal ioctls on a socket: the kernel answers ENOTTY, the filter EPERM.
                out.put("TIOCSTI on a socket", call(TABLE.ioctl(), false, a, TIOCSTI(), arena.allocateFrom("x").address()));
                out.put("TIOCSTI with upper bits on a socket",
                    call(TABLE.ioctl(), false, a, 0xdead_beef_0000_0000L | TIOCSTI(), arena.allocateFrom("x").address()));
                out.put("TIOCLINUX on a socket", call(TABLE.ioctl(), false, a, TIOCLINUX(), arena.allocate(JAVA_INT).address()));
                // An unrelated ioctl still works and answers: 3 bytes wait on the other end.
                var bytes = arena.allocateFrom("abc");
                long sent = socket_h.sendto(errno, b, bytes, 3, 0, java.lang.foreign.MemorySegment.NULL, 0);
                var count = arena.allocate(JAVA_INT);
                int fionread = call(TABLE.ioctl(), false, a, FIONREAD(), count.address());
                out.put("FIONREAD", sent != 3 ? -1000 : fionread != 0 ? -fionread : count.get(JAVA_INT, 0));
                Syscall.close(a);
                Syscall.close(b);
            }
            var ptmx = arena.allocateFrom("/dev/ptmx");
            int master = unistd_h.open(errno, ptmx, O_RDWR | O_NOCTTY | SyscallNumbers.O_CLOEXEC, 0);
            if (master >= 0) {
                var unlock = arena.allocate(JAVA_INT);   // 0: unlock
                out.put("pty unlock", call(TABLE.ioctl(), false, master, TIOCSPTLCK(), unlock.address()));
                long peer = unistd_h.syscall(errno, TABLE.ioctl(), master, TIOCGPTPEER(), O_RDWR | O_NOCTTY | SyscallNumbers.O_CLOEXEC, 0, 0, 0);
                out.put("pty peer", peer < 0 ? Errno.get(errno) : 0);
                if (peer >= 0) {
                    var c = arena.allocate(JAVA_BYTE);
                    c.set(JAVA_BYTE, 0, (byte) ' ');
                    out.put("TIOCSTI on a pty", call(TABLE.ioctl(), false, peer, TIOCSTI(), c.address()));
                    out.put("TIOCSTI with upper bits on a pty", call(TABLE.ioctl(), false, peer, 0x1_0000_0000L | TIOCSTI(), c.address()));
                    Syscall.close((int) peer);
                }
                Syscall.close(master);
            }
        }
        return out;
    }

    private static int libcSocket(int domain, int type) {
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            int fd = socket_h.socket(errno, domain, type, 0);
            if (fd < 0) return Errno.get(errno);
            Syscall.close(fd);
            return 0;
        }
    }

    private static Map<String, Integer> unfiltered() throws Exception {
        return ThrowawayThread.run("test-seccomp-baseline", TIMEOUT, SeccompPolicyTest::probe);
    }

    private static Map<String, Integer> filtered(SeccompPolicy policy) throws Exception {
        return ThrowawayThread.run("test-seccomp-policy", TIMEOUT, () -> {
            Prctl.setNoNewPrivs();
            Seccomp.install(policy);
            assertEquals(2, Prctl.seccompMode(), "the thread is in filter mode");
            return probe();
        });
    }

    /** Names whose unfiltered answer is never EPERM on any kernel: the filter's EPERM is provably its own. */
    private static final Set<String> NEVER_EPERM_UNFILTERED = Set.of("udp", "udp6", "udp, upper bits of domain", "unix",
        "unix through libc", "udp through libc", "TIOCSTI on a socket", "TIOCSTI with upper bits on a socket",
        "TIOCLINUX on a socket");

    /** Names whose unfiltered answer is success or another errno when running as root. */
    private static final Set<String> NOT_EPERM_AS_ROOT = Set.of("raw", "raw6", "packet", "TIOCSTI on a pty",
        "TIOCSTI with upper bits on a pty");

    /**
     * Asserts that {@code refused} got EPERM with the filter, that each of them whose unfiltered
     * answer is known got something else without it, and that everything else got exactly its
     * unfiltered answer.
     */
    private static void assertDecisions(Map<String, Integer> baseline, Map<String, Integer> filtered, Set<String> refused) {
        assertEquals(baseline.keySet(), filtered.keySet(), "the same calls were made");
        var wrong = new TreeMap<String, String>();
        for (var name : baseline.keySet()) {
            int before = baseline.get(name), after = filtered.get(name);
            if (refused.contains(name)) {
                if (after != Errno.EPERM) wrong.put(name, "expected EPERM with the filter, got " + after);
                boolean provable = NEVER_EPERM_UNFILTERED.contains(name) || ROOT && NOT_EPERM_AS_ROOT.contains(name);
                if (provable && before == Errno.EPERM) wrong.put(name, "EPERM without the filter too: proves nothing");
            } else if (before != after) {
                wrong.put(name, "allowed, so expected the unfiltered answer " + before + ", got " + after);
            }
        }
        assertEquals(Map.of(), wrong, "baseline " + baseline + "\nfiltered " + filtered);
    }

    @Test
    void unfilteredAnswersAreWhatTheComparisonsAssume() throws Exception {
        var baseline = unfiltered();
        assertEquals(0, baseline.get("tcp"));
        assertEquals(0, baseline.get("tcp cloexec|nonblock"));
        assertEquals(0, baseline.get("udp"));
        assertEquals(0, baseline.get("unix"));
        assertEquals(0, baseline.get("socketpair unix"));
        assertEquals(3, baseline.get("FIONREAD"), "three bytes waiting");
        assertEquals(Errno.ENOTTY, baseline.get("TIOCSTI on a socket"));
        assertEquals(Errno.ENOTTY, baseline.get("TIOCSTI with upper bits on a socket"), "the kernel drops the upper bits");
        assertEquals(Errno.ENOTTY, baseline.get("TIOCLINUX on a socket"));
        assertNotEquals(Errno.EPERM, baseline.get("io_uring_setup"), "io_uring not disabled by sysctl here");
        assumeTrue(baseline.containsKey("TIOCSTI on a pty"), "[pty] no pseudo-terminal could be opened: " + baseline);
        if (ROOT) {
            assertEquals(0, baseline.get("TIOCSTI on a pty"), "as root, TIOCSTI works on a pty without the filter");
            assertEquals(0, baseline.get("TIOCSTI with upper bits on a pty"), "and the upper bits are ignored");
        }
    }

    @Test
    void isolatedNetworkRefusesAllButTcpAndTerminalInjection() throws Exception {
        var baseline = unfiltered();
        var isolated = filtered(SeccompPolicy.isolatedNetwork());
        assertDecisions(baseline, isolated, Set.of("udp", "udp6", "udp, upper bits of domain", "raw", "raw6", "packet",
            "mptcp", "vsock", "unix", "unix through libc", "udp through libc", "io_uring_setup", "x32 getpid",
            "TIOCSTI on a socket", "TIOCSTI with upper bits on a socket", "TIOCLINUX on a socket",
            "TIOCSTI on a pty", "TIOCSTI with upper bits on a pty"));
        assertEquals(0, isolated.get("tcp"), "TCP allowed");
        assertEquals(0, isolated.get("tcp cloexec|nonblock"), "TCP with flags allowed");
        assertEquals(0, isolated.get("socketpair unix"));
        assertEquals(3, isolated.get("FIONREAD"), "an unrelated ioctl still answers");
        assertTrue(isolated.containsKey("TIOCSTI on a pty") || !Files.exists(Path.of("/dev/ptmx")), "the pty was opened under the filter");
    }

    @Test
    void isolatedNetworkWithItsOptions() throws Exception {
        var baseline = unfiltered();
        var withUnixAndUdp = filtered(SeccompPolicy.isolatedNetwork().withAllowUnixSockets(true).withAllowUdp(true));
        assertDecisions(baseline, withUnixAndUdp, Set.of("raw", "raw6", "packet", "mptcp", "vsock", "io_uring_setup",
            "x32 getpid", "TIOCSTI on a socket", "TIOCSTI with upper bits on a socket", "TIOCLINUX on a socket",
            "TIOCSTI on a pty", "TIOCSTI with upper bits on a pty"));
        assertEquals(0, withUnixAndUdp.get("udp"));
        assertEquals(0, withUnixAndUdp.get("unix"));
    }

    @Test
    void everyModeLeavesTheNetworkAloneButRefusesUnixSocketsAndInjection() throws Exception {
        var baseline = unfiltered();
        var every = filtered(SeccompPolicy.everyMode());
        assertDecisions(baseline, every, Set.of("unix", "unix through libc", "io_uring_setup", "x32 getpid",
            "TIOCSTI on a socket", "TIOCSTI with upper bits on a socket", "TIOCLINUX on a socket",
            "TIOCSTI on a pty", "TIOCSTI with upper bits on a pty"));
        assertEquals(0, every.get("udp"), "restrictNetworkSockets=false allows UDP");

        var everyWithUnix = filtered(SeccompPolicy.everyMode().withAllowUnixSockets(true));
        assertDecisions(baseline, everyWithUnix, Set.of("io_uring_setup", "x32 getpid", "TIOCSTI on a socket",
            "TIOCSTI with upper bits on a socket", "TIOCLINUX on a socket", "TIOCSTI on a pty", "TIOCSTI with upper bits on a pty"));
        assertEquals(0, everyWithUnix.get("unix"));
    }

    @Test
    void inANamespaceOnlyTheFamiliesAreRestricted() throws Exception {
        var baseline = unfiltered();
        var namespace = filtered(new SeccompPolicy(SeccompPolicy.Sockets.FAMILIES, false, false, false));
        assertDecisions(baseline, namespace, Set.of("packet", "vsock", "unix", "unix through libc", "io_uring_setup",
            "x32 getpid", "TIOCSTI on a socket", "TIOCSTI with upper bits on a socket", "TIOCLINUX on a socket",
            "TIOCSTI on a pty", "TIOCSTI with upper bits on a pty"));
        assertEquals(0, namespace.get("udp"), "UDP reaches halt's DNS in the namespace");
        assertEquals(0, baseline.get("vsock"), "AF_VSOCK sockets can be made here without the filter");
    }

    // --- the rules of every mode, call by call ---

    /** A uid and a process group nobody has: the group and user forms then change nothing, with or without the filter. */
    private static final int NOBODYS_ID = 0x3ff_f0f0;
    /** {@code RLIMIT_NOFILE}, the same on x86_64 and aarch64. */
    private static final int RLIMIT_NOFILE = 7;
    /** {@code IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)}. */
    private static final int IOPRIO_BE_4 = (2 << 13) | 4;

    /** errno of a raw system call with up to six arguments, or 0; a returned file descriptor is closed when {@code fd}. */
    private static int raw(boolean fd, int number, long... args) {
        var a = java.util.Arrays.copyOf(args, 6);
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            long r = unistd_h.syscall(errno, number, a[0], a[1], a[2], a[3], a[4], a[5]);
            if (r == -1) return Errno.get(errno);
            if (fd) Syscall.close((int) r);
            return 0;
        }
    }

    /**
     * The calls the rules of every mode decide, made in {@code dir} from the calling thread, each on
     * fresh files; {@code other} is a process of this test's own. Nothing here changes anything
     * outside {@code dir} even unfiltered: the limits set are the ones read, the priorities go to a
     * group and a user that do not exist.
     */
    private static Map<String, Integer> everyModeProbe(Path dir, long other) {
        var out = new LinkedHashMap<String, Integer>();
        try (var arena = Arena.ofConfined()) {
            var n = new java.util.concurrent.atomic.AtomicInteger();
            java.util.function.Supplier<MemorySegment> fresh = () -> {
                var file = dir.resolve("f" + n.incrementAndGet());
                try {
                    Files.writeString(file, "x");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return arena.allocateFrom(file.toString());
            };
            java.util.function.Supplier<MemorySegment> absent = () -> arena.allocateFrom(dir.resolve("n" + n.incrementAndGet()).toString());
            long cwd = SyscallNumbers.AT_FDCWD;
            out.put("fchmodat 04755", raw(false, TABLE.fchmodat(), cwd, fresh.get().address(), 04755));
            out.put("fchmodat g+s", raw(false, TABLE.fchmodat(), cwd, fresh.get().address(), 02755));
            out.put("fchmodat 0755", raw(false, TABLE.fchmodat(), cwd, fresh.get().address(), 0755));
            out.put("fchmodat2 04755", raw(false, TABLE.fchmodat2(), cwd, fresh.get().address(), 04755, 0));
            out.put("openat O_CREAT 04755", raw(true, TABLE.openat(), cwd, absent.get().address(), SyscallNumbers.O_CREAT | SyscallNumbers.O_WRONLY, 04755));
            out.put("openat O_CREAT 0644", raw(true, TABLE.openat(), cwd, absent.get().address(), SyscallNumbers.O_CREAT | SyscallNumbers.O_WRONLY, 0644));
            var tmpfile = 020000000 | TABLE.oDirectory() | SyscallNumbers.O_WRONLY;
            out.put("openat O_TMPFILE 04755", raw(true, TABLE.openat(), cwd, arena.allocateFrom(dir.toString()).address(), tmpfile, 04755));
            out.put("mkdirat 02755", raw(false, TABLE.mkdirat(), cwd, absent.get().address(), 02755));
            out.put("mkdirat 01777", raw(false, TABLE.mkdirat(), cwd, absent.get().address(), 01777));
            out.put("mknodat S_IFREG|04755", raw(false, TABLE.mknodat(), cwd, absent.get().address(), 0104755, 0));
            if (TABLE == SyscallNumbers.X86_64) {
                out.put("chmod 04755", raw(false, TABLE.chmod(), fresh.get().address(), 04755));
                out.put("open O_CREAT 02755", raw(true, TABLE.open(), absent.get().address(), SyscallNumbers.O_CREAT | SyscallNumbers.O_WRONLY, 02755));
                out.put("creat 04755", raw(true, TABLE.creat(), absent.get().address(), 04755));
                out.put("mkdir 02755", raw(false, TABLE.mkdir(), absent.get().address(), 02755));
                out.put("mknod S_IFREG|06755", raw(false, TABLE.mknod(), absent.get().address(), 0106755, 0));
            }
            long fd = unistd_h.syscall(Errno.allocate(arena), TABLE.openat(), cwd, fresh.get().address(), SyscallNumbers.O_WRONLY, 0, 0, 0);
            out.put("fchmod 04755", raw(false, TABLE.fchmod(), fd, 04755));
            Syscall.close((int) fd);

            var limits = arena.allocate(JAVA_LONG, 2);
            raw(false, TABLE.prlimit64(), other, RLIMIT_NOFILE, 0, limits.address());   // read: the same limits written back
            out.put("prlimit64 other, new limit", raw(false, TABLE.prlimit64(), other, RLIMIT_NOFILE, limits.address(), 0));
            out.put("prlimit64 other, read", raw(false, TABLE.prlimit64(), other, RLIMIT_NOFILE, 0, limits.address()));
            out.put("prlimit64 self", raw(false, TABLE.prlimit64(), 0, RLIMIT_NOFILE, limits.address(), limits.address()));
            out.put("setpriority PRIO_PGRP", raw(false, TABLE.setpriority(), PRIO_PGRP(), NOBODYS_ID, 5));
            out.put("setpriority PRIO_USER", raw(false, TABLE.setpriority(), PRIO_USER(), NOBODYS_ID, 5));
            out.put("setpriority PRIO_PROCESS self", raw(false, TABLE.setpriority(), PRIO_PROCESS(), 0, 0));
            out.put("ioprio_set IOPRIO_WHO_PGRP", raw(false, TABLE.ioprioSet(), IOPRIO_WHO_PGRP(), NOBODYS_ID, IOPRIO_BE_4));
            out.put("ioprio_set IOPRIO_WHO_USER", raw(false, TABLE.ioprioSet(), IOPRIO_WHO_USER(), NOBODYS_ID, IOPRIO_BE_4));
            var how = arena.allocate(24, 8);   // struct open_how {flags, mode, resolve}: O_RDONLY
            out.put("openat2", raw(true, TABLE.openat2(), cwd, arena.allocateFrom("/").address(), how.address(), 24));
            out.put("keyctl", raw(false, TABLE.keyctl(), 0, -4, 0));   // KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING
            out.put("io_uring_setup", raw(true, TABLE.ioUringSetup(), 1, 0));
        }
        return out;
    }

    @Test
    void everyModeRefusesSetIdModesOtherProcessesLimitsGroupPrioritiesKeyringsAndOpenat2(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        var other = new ProcessBuilder("sleep", "60").start();
        try {
            var plain = Files.createDirectories(dir.resolve("plain"));
            var under = Files.createDirectories(dir.resolve("filtered"));
            var baseline = ThrowawayThread.run("test-seccomp-every-baseline", TIMEOUT, () -> everyModeProbe(plain, other.pid()));
            for (var sockets : SeccompPolicy.Sockets.values()) {
                var policy = new SeccompPolicy(sockets, true, false, false);
                var dirForPolicy = Files.createDirectories(under.resolve(sockets.name()));
                var filtered = ThrowawayThread.run("test-seccomp-every", TIMEOUT, () -> {
                    Prctl.setNoNewPrivs();
                    Seccomp.install(policy);
                    return everyModeProbe(dirForPolicy, other.pid());
                });
                assertEquals(baseline.keySet(), filtered.keySet());
                var wrong = new TreeMap<String, String>();
                for (var name : baseline.keySet()) {
                    int before = baseline.get(name), after = filtered.get(name);
                    boolean allowed = name.endsWith("0755") || name.endsWith("0644") || name.endsWith("01777")
                        || name.endsWith("read") || name.endsWith("self");
                    int refusal = name.equals("openat2") ? Errno.ENOSYS : Errno.EPERM;
                    if (allowed && after != before) wrong.put(name, "allowed: expected " + before + ", got " + after);
                    if (!allowed && after != refusal) wrong.put(name, "expected " + refusal + ", got " + after);
                    if (!allowed && before == refusal) wrong.put(name, "the same " + refusal + " without the filter: proves nothing");
                }
                assertEquals(Map.of(), wrong, sockets + "\nbaseline " + baseline + "\nfiltered " + filtered);
                // Nothing refused left a file behind with a set-id bit.
                try (var files = Files.list(dirForPolicy)) {
                    for (var f : files.toList()) {
                        int mode = (int) Files.getAttribute(f, "unix:mode");
                        assertEquals(0, mode & 06000, f + " has mode " + Integer.toOctalString(mode));
                    }
                }
            }
            assertEquals(0, baseline.get("prlimit64 other, new limit"), "a process of the same user: prlimit works unfiltered");
            assertEquals(Errno.ESRCH, baseline.get("setpriority PRIO_USER"), "no process of that user: nothing changed");
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The numbers above the highest known: on a kernel that has no newer call the kernel answers
     * ENOSYS itself, so this filter is compiled with its highest known number lowered below
     * {@code file_getattr} (Linux 6.17), which then answers ENOSYS instead of its own error.
     */
    @Test
    void numbersAboveTheHighestKnownGetEnosys() throws Exception {
        int fileGetattr = 468;
        int openTreeAttr = 467;
        var unfiltered = ThrowawayThread.run("test-seccomp-newest-baseline", TIMEOUT,
            () -> List.of(raw(false, fileGetattr), raw(false, openTreeAttr), raw(false, TABLE.gettid())));
        assumeTrue(unfiltered.get(0) != Errno.ENOSYS, "[linux-6.17] needs Linux 6.17 (file_getattr) to see a known call become unknown");
        var components = SyscallNumbers.class.getRecordComponents();
        var values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = components[i].getName().equals("highestKnown") ? openTreeAttr : components[i].getAccessor().invoke(TABLE);
        }
        var older = (SyscallNumbers) SyscallNumbers.class.getDeclaredConstructor(
            java.util.Arrays.stream(components).map(java.lang.reflect.RecordComponent::getType).toArray(Class[]::new)).newInstance(values);
        var program = SeccompPolicy.everyMode().withAllowUnixSockets(true).compile(older);
        var filtered = ThrowawayThread.run("test-seccomp-newest", TIMEOUT, () -> {
            Prctl.setNoNewPrivs();
            Seccomp.install(program);
            return List.of(raw(false, fileGetattr), raw(false, openTreeAttr), raw(false, TABLE.gettid()));
        });
        assertEquals(List.of(Errno.ENOSYS, unfiltered.get(1), 0), filtered,
            "file_getattr (above), open_tree_attr (the highest known), gettid; unfiltered " + unfiltered);
        // The real table knows every call of this kernel that answers here.
        assertTrue(TABLE.highestKnown() >= fileGetattr);
    }

    @Test
    void theKernelAcceptsEveryOptionCombination() throws Exception {
        for (var policy : SeccompPolicyProgramTest.allPolicies()) {
            int tid = ThrowawayThread.run("test-seccomp-accept", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                Seccomp.install(policy);
                return (int) Syscall.call("gettid", TABLE.gettid(), 0, 0, 0, 0, 0, 0);
            });
            assertTrue(tid > 0, policy.toString());
        }
    }

    // --- TCP Fast Open: a send that connects ---

    /** {@code struct sockaddr_in} for 127.0.0.1:port. */
    private static MemorySegment loopback(Arena arena, int port) {
        var address = arena.allocate(16, 8);   // zeroed
        address.set(JAVA_SHORT, 0, (short) AF_INET());
        address.set(JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) port);
        address.asSlice(4, 4).copyFrom(MemorySegment.ofArray(new byte[] {127, 0, 0, 1}));
        return address;
    }

    /** errno of connect(2) to 127.0.0.1:port from a new TCP socket, or 0. */
    private static int connectErrno(int port) {
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            long fd = unistd_h.syscall(errno, TABLE.socket(), AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
            if (fd < 0) throw new AssertionError("socket: errno " + Errno.get(errno));
            long r = unistd_h.syscall(errno, TABLE.connect(), fd, loopback(arena, port).address(), 16, 0, 0, 0);
            int result = r < 0 ? Errno.get(errno) : 0;
            Syscall.close((int) fd);
            return result;
        }
    }

    /** sendto, sendmsg and sendmmsg with MSG_FASTOPEN of one byte to 127.0.0.1:port, each on a new TCP socket. */
    private static Map<String, Integer> fastOpenSends(int port) {
        var out = new LinkedHashMap<String, Integer>();
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            var address = loopback(arena, port);
            var data = arena.allocateFrom("x");
            var iov = arena.allocate(16, 8);       // struct iovec {base, len}
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, 1);
            var msg = arena.allocate(64, 8);       // struct mmsghdr: struct msghdr (56 bytes) + msg_len
            msg.set(ADDRESS, 0, address);          // msg_name
            msg.set(JAVA_INT, 8, 16);              // msg_namelen
            msg.set(ADDRESS, 16, iov);             // msg_iov
            msg.set(JAVA_LONG, 24, 1);             // msg_iovlen
            for (var name : List.of("sendto", "sendmsg", "sendmmsg")) {
                long fd = unistd_h.syscall(errno, TABLE.socket(), AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
                if (fd < 0) throw new AssertionError("socket: errno " + Errno.get(errno));
                long r = switch (name) {
                    case "sendto" -> unistd_h.syscall(errno, TABLE.sendto(), fd, data.address(), 1, MSG_FASTOPEN(), address.address(), 16);
                    case "sendmsg" -> unistd_h.syscall(errno, TABLE.sendmsg(), fd, msg.address(), MSG_FASTOPEN(), 0, 0, 0);
                    default -> unistd_h.syscall(errno, TABLE.sendmmsg(), fd, msg.address(), 1, MSG_FASTOPEN(), 0, 0);
                };
                out.put(name, r < 0 ? Errno.get(errno) : 0);
                Syscall.close((int) fd);
            }
        }
        return out;
    }

    @Test
    void fastOpenSendsCannotConnectAroundLandlock() throws Exception {
        try (var server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = server.getLocalPort();
            var baseline = ThrowawayThread.run("test-seccomp-tfo-baseline", TIMEOUT, () -> fastOpenSends(port));
            // Each send that worked made a connection and delivered its byte: drain them.
            server.setSoTimeout(5000);
            for (var entry : baseline.entrySet()) {
                if (entry.getValue() != 0) continue;
                try (var accepted = server.accept()) {
                    accepted.setSoTimeout(5000);
                    assertEquals('x', accepted.getInputStream().read(), "the byte sent in the SYN's connection");
                }
            }
            var filtered = ThrowawayThread.run("test-seccomp-tfo", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                Seccomp.install(SeccompPolicy.isolatedNetwork());
                return fastOpenSends(port);
            });
            assertEquals(Map.of("sendto", Errno.EPERM, "sendmsg", Errno.EPERM, "sendmmsg", Errno.EPERM), filtered,
                "unfiltered: " + baseline);
            server.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, server::accept, "nothing connected under the filter");
            assertFalse(baseline.containsValue(Errno.EPERM), "EPERM without the filter proves nothing: " + baseline);
            // With net.ipv4.tcp_fastopen's client bit set (the default) each of them connected.
            assertEquals(Map.of("sendto", 0, "sendmsg", 0, "sendmmsg", 0), baseline,
                "without the filter a Fast Open send connects (net.ipv4.tcp_fastopen client bit)");
        }
    }

    /**
     * The rootless recipe, Landlock's TCP rules and this filter on one thread: Landlock refuses
     * connect(2), but a send with MSG_FASTOPEN connects without it (landlock-lsm/linux issue 41);
     * the filter refuses those sends.
     */
    @Test
    void withLandlockTcpRulesTheFilterClosesTheFastOpenDoor() throws Exception {
        int abi = Requires.landlockAbi(4);
        try (var server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = server.getLocalPort();
            var results = ThrowawayThread.run("test-seccomp-landlock", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                try (var ruleset = Landlock.createRuleset(abi, 0, dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_CONNECT_TCP(), 0)) {
                    ruleset.restrictSelf(0);
                }
                var landlockOnly = new LinkedHashMap<String, Integer>(fastOpenSends(port));
                landlockOnly.put("connect", connectErrno(port));
                Seccomp.install(SeccompPolicy.isolatedNetwork());
                var both = new LinkedHashMap<String, Integer>(fastOpenSends(port));
                both.put("connect", connectErrno(port));
                return List.of(landlockOnly, both);
            });
            var landlockOnly = results.get(0);
            var both = results.get(1);
            assertEquals(Errno.EACCES, landlockOnly.get("connect"), "Landlock refuses connect(2): " + results);
            assertEquals(Errno.EACCES, both.get("connect"), results.toString());
            assertEquals(Map.of("sendto", Errno.EPERM, "sendmsg", Errno.EPERM, "sendmmsg", Errno.EPERM, "connect", Errno.EACCES),
                both, "with the filter no Fast Open send is made");
            // Under Landlock alone (kernel 6.18 here) the Fast Open sends connect anyway: the hole the
            // filter closes. Each that did delivered its byte; drain them, then nothing else may come.
            server.setSoTimeout(5000);
            for (var name : List.of("sendto", "sendmsg", "sendmmsg")) {
                if (landlockOnly.get(name) != 0) continue;
                try (var accepted = server.accept()) {
                    accepted.setSoTimeout(5000);
                    assertEquals('x', accepted.getInputStream().read(), name + " connected around Landlock");
                }
            }
            server.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, server::accept, "nothing connected once the filter was on");
        }
    }

    // --- a child process started from the filtered thread inherits the filter ---

    private static final String CHILD = """
        import errno, fcntl, os, pty, socket, termios
        def t(f):
            try:
                f()
                return 'ok'
            except OSError as e:
                return errno.errorcode.get(e.errno, str(e.errno))
        def opened(*a):
            socket.socket(*a).close()
        def tiocsti():
            m, s = pty.openpty()
            try:
                fcntl.ioctl(s, termios.TIOCSTI, b' ')
            finally:
                os.close(s); os.close(m)
        r = {
            'tcp': t(lambda: opened(socket.AF_INET, socket.SOCK_STREAM)),
            'tcp6': t(lambda: opened(socket.AF_INET6, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)),
            'udp': t(lambda: opened(socket.AF_INET, socket.SOCK_DGRAM)),
            'udp6': t(lambda: opened(socket.AF_INET6, socket.SOCK_DGRAM)),
            'unix': t(lambda: opened(socket.AF_UNIX, socket.SOCK_STREAM)),
            'socketpair': t(lambda: [s.close() for s in socket.socketpair()]),
            'tiocsti': t(tiocsti),
        }
        for line in open('/proc/self/status'):
            if line.startswith('Seccomp:'):
                r['seccomp'] = line.split()[1]
        print(' '.join(k + '=' + v for k, v in sorted(r.items())))
        """;

    private static String python() {
        for (var candidate : List.of("/usr/bin/python3", "/usr/local/bin/python3")) {
            if (Files.isExecutable(Path.of(candidate))) return candidate;
        }
        var path = System.getenv().getOrDefault("PATH", "");
        for (var dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) return Path.of(dir, "python3").toString();
        }
        return null;
    }

    /** Runs the child script from the calling thread; its {@code key=value} words. */
    private static Map<String, String> runChild(String python) throws Exception {
        var process = new ProcessBuilder(python, "-c", CHILD).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the child did not finish: " + output);
        }
        assertEquals(0, process.exitValue(), output);
        var result = new TreeMap<String, String>();
        for (var word : output.split("\\s+")) {
            int eq = word.indexOf('=');
            assertTrue(eq > 0, "unexpected child output: " + output);
            result.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return result;
    }

    @Test
    void aChildStartedFromTheFilteredThreadInheritsTheFilter() throws Exception {
        var python = python();
        assumeTrue(python != null, "[tool-python3] needs python3 to run the child checks (install python3)");
        var baseline = ThrowawayThread.run("test-seccomp-child-baseline", TIMEOUT, () -> runChild(python));
        var child = ThrowawayThread.run("test-seccomp-child", TIMEOUT, () -> {
            Prctl.setNoNewPrivs();
            Seccomp.install(SeccompPolicy.isolatedNetwork());
            return runChild(python);
        });
        assertEquals("0", baseline.get("seccomp"), "no filter without install: " + baseline);
        assertEquals("ok", baseline.get("udp"), "UDP works without the filter: " + baseline);
        assertEquals("ok", baseline.get("unix"), "AF_UNIX works without the filter: " + baseline);
        if (ROOT) assertEquals("ok", baseline.get("tiocsti"), "TIOCSTI works as root without the filter: " + baseline);

        assertEquals("2", child.get("seccomp"), "the child runs under a filter: " + child);
        assertEquals("ok", child.get("tcp"), child.toString());
        assertEquals(baseline.get("tcp6"), child.get("tcp6"), child.toString());
        assertEquals("ok", child.get("socketpair"), child.toString());
        assertEquals("EPERM", child.get("udp"), child.toString());
        assertEquals("EPERM", child.get("udp6"), child.toString());
        assertEquals("EPERM", child.get("unix"), child.toString());
        assertEquals("EPERM", child.get("tiocsti"), child.toString());
    }
}
