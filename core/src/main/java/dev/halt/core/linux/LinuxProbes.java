package dev.halt.core.linux;

import dev.halt.core.linux.audit.Audit;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.launch.Tether;
import dev.halt.core.linux.net.NetworkNamespace;
import dev.halt.core.linux.seccomp.BpfInstruction;
import dev.halt.core.linux.seccomp.Seccomp;
import dev.halt.core.linux.seccomp.SeccompPolicy;
import dev.halt.core.linux.supervisor.SupervisorSupport;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Mounts;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.core.probe.Availability;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.LandlockAbi;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.mount_h;
import dev.halt.ffm.linux.sockaddr_in;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_NET_CONNECT_TCP;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
import static dev.halt.ffm.linux.socket_h.AF_INET;
import static dev.halt.ffm.linux.socket_h.SOCK_CLOEXEC;
import static dev.halt.ffm.linux.socket_h.SOCK_DGRAM;
import static dev.halt.ffm.linux.socket_h.SOCK_STREAM;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The probes of {@code halt check} and of the enforcement plan: each tries a kernel feature for
 * real, on a throwaway platform thread where it restricts itself, never from a version number
 * alone. The thread ends with the probe; the rest of the JVM keeps full access. Every call goes
 * through {@link Syscall}, the path a run's own calls take, so a probe exercises the code of the
 * run it vouches for. {@link LinuxFacts} runs the plan's probes at most once per JVM.
 */
public final class LinuxProbes {
    private LinuxProbes() {}

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * The kernel's Landlock ABI, and the probe's line.
     *
     * @param version      the ABI, 0 when Landlock cannot be used
     * @param availability {@code ABI N}, or why Landlock cannot be used
     */
    public record Abi(int version, Availability availability) {}

    /** The Landlock ABI, or why Landlock cannot be used. */
    public static Abi landlockAbi() {
        try {
            int abi = Landlock.abiVersion();
            return new Abi(abi, Availability.available("ABI " + abi));
        } catch (ErrnoException e) {
            return new Abi(0, Availability.unavailable(switch (e.errno()) {
                case Errno.ENOSYS -> "this kernel has no Landlock (Linux 5.13+ built with CONFIG_SECURITY_LANDLOCK)";
                case Errno.EOPNOTSUPP -> "Landlock is built in but disabled: add landlock to the lsm= boot parameter";
                default -> e.getMessage();
            }));
        }
    }

    /**
     * Restricts a throwaway thread with a ruleset that handles every filesystem right and grants
     * none, then tries to create a file in a fresh temporary directory: EACCES proves enforcement.
     */
    static Availability landlockEnforcement(int abi) {
        if (abi < 1) return Availability.unavailable("no Landlock ABI");
        Path dir = null;
        try {
            dir = Files.createTempDirectory("halt-check-");
            var target = dir.resolve("must-not-exist");
            int errno = ThrowawayThread.run("halt-probe-landlock-fs", TIMEOUT, () -> {
                warmUpFileCalls();
                Prctl.setNoNewPrivs();
                try (var ruleset = Landlock.createRuleset(abi, LandlockAbi.fsAccess(abi), 0, 0)) {
                    ruleset.restrictSelf(quiet(abi));
                }
                return createFile(target);
            });
            if (errno == Errno.EACCES) {
                return Availability.available("a restricted thread was denied creating a file in " + dir + " (EACCES)");
            }
            if (errno == 0) {
                return Availability.unavailable("Landlock accepted the ruleset but a restricted thread still created " + target);
            }
            return Availability.unavailable("expected EACCES creating a file under Landlock, got " + ErrnoException.describe(errno));
        } catch (ErrnoException e) {
            return Availability.unavailable(e.getMessage());
        } catch (Exception e) {
            return Availability.unavailable("probe failed: " + e);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Restricts a throwaway thread with TCP connect handled and no port allowed, then connects
     * to a listener on 127.0.0.1 that this probe opened: EACCES proves the TCP rules work.
     */
    public static Availability landlockTcp(int abi) {
        if (abi < 4) return Availability.unavailable("Landlock ABI " + abi + " has no TCP rules (ABI 4, Linux 6.7)");
        int listener = -1;
        try {
            listener = loopbackListener();
            int port = localPort(listener);
            int errno = ThrowawayThread.run("halt-probe-landlock-tcp", TIMEOUT, () -> {
                warmUpSocketCalls();
                Prctl.setNoNewPrivs();
                try (var ruleset = Landlock.createRuleset(abi, 0, LANDLOCK_ACCESS_NET_CONNECT_TCP(), 0)) {
                    ruleset.restrictSelf(quiet(abi));
                }
                return connectLoopback(port);
            });
            if (errno == Errno.EACCES) {
                return Availability.available("a restricted thread was denied connecting to 127.0.0.1:" + port + " (EACCES)");
            }
            return Availability.unavailable(errno == 0
                ? "a thread restricted from TCP connect still connected to 127.0.0.1:" + port
                : "expected EACCES connecting under Landlock, got " + ErrnoException.describe(errno));
        } catch (ErrnoException e) {
            return Availability.unavailable(e.getMessage());
        } catch (Exception e) {
            return Availability.unavailable("probe failed: " + e);
        } finally {
            if (listener >= 0) Syscall.close(listener);
        }
    }

    /** Creates a ruleset with the signal and abstract-unix-socket scopes: the kernel must accept it. */
    static Availability landlockScopes(int abi) {
        if (abi < 6) return Availability.unavailable("Landlock ABI " + abi + " has no scopes (ABI 6, Linux 6.12)");
        try (var ruleset = Landlock.createRuleset(abi, 0, 0, LandlockAbi.scopes(abi))) {
            return Availability.available("signal and abstract unix socket scopes accepted");
        } catch (ErrnoException e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    /**
     * {@code LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF} from ABI 7: a probe's own denial is the
     * proof it looks for, not an event for the system's audit log.
     */
    private static int quiet(int abi) {
        return abi >= 7 ? LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF() : 0;
    }

    /**
     * Whether {@code halt run} can report the accesses Landlock denies: Landlock ABI 7 writes them
     * to the audit subsystem, which halt reads with privileges while audit is on. Asks the status
     * ({@code AUDIT_GET}), joins the multicast group the records arrive on, and restricts a
     * throwaway thread with {@code LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON}, which the kernel must
     * accept. Available only when all of it works and audit is on.
     */
    static Availability audit(int abi) {
        if (abi < 7) return Availability.unavailable("Landlock ABI " + abi + " does not report denials (ABI 7, Linux 6.15)");
        Audit.Status status;
        try {
            status = Audit.status();
        } catch (ErrnoException e) {
            return Availability.unavailable(e.errno() == Errno.EPERM || e.errno() == Errno.EACCES
                ? "unavailable: without privileges halt cannot read the audit records Landlock reports its denials in"
                    + " (CAP_AUDIT_CONTROL, CAP_AUDIT_READ); when a command fails, halt run names 'halt explain'"
                : "unavailable: " + e.getMessage());
        }
        try (var subscription = Audit.Subscription.open()) {
            // Joined and left: the multicast group is readable (CAP_AUDIT_READ).
        } catch (ErrnoException e) {
            return Availability.unavailable("unavailable: audit records cannot be read (" + e.getMessage() + "; CAP_AUDIT_READ)");
        }
        String flag;
        try {
            ThrowawayThread.run("halt-probe-audit", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                try (var ruleset = Landlock.createRuleset(abi, LandlockAbi.fsAccess(abi), 0, 0)) {
                    ruleset.restrictSelf(LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON() | LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF());
                }
                return 0;
            });
            flag = "LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON accepted";
        } catch (Exception e) {
            return Availability.unavailable("LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON refused (" + e.getMessage()
                + "): a command's denials after exec are not logged");
        }
        var daemon = status.daemonPid() == 0 ? "no audit daemon: the records also reach the kernel log"
            : "audit daemon pid " + status.daemonPid();
        if (!status.on()) {
            return Availability.unavailable("disabled: halt run reports no denial unless --explain-denials, which switches"
                + " audit on for the run and off at exit (" + daemon + "); " + flag);
        }
        return Availability.available("enabled (" + daemon + "): halt run reports each denial; " + flag);
    }

    /** Sets no_new_privs on a throwaway thread and reads it back. */
    static Availability noNewPrivs() {
        try {
            boolean set = ThrowawayThread.run("halt-probe-nnp", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                return Prctl.noNewPrivs();
            });
            return set ? Availability.available("set and read back on a throwaway thread")
                : Availability.unavailable("PR_SET_NO_NEW_PRIVS succeeded but PR_GET_NO_NEW_PRIVS reads 0");
        } catch (Exception e) {
            return Availability.unavailable(e.getMessage());
        }
    }

    /**
     * Installs halt's own filter of the isolated network modes on a throwaway thread and makes a
     * UDP socket, which the kernel would otherwise grant: only EPERM passes.
     */
    static Availability seccompFilter() {
        try {
            int errno = ThrowawayThread.run("halt-probe-seccomp", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                Seccomp.install(isolatedProgram());
                long fd = Syscall.callRaw(Syscall.TABLE.socket(), AF_INET(), SOCK_DGRAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
                if (fd < 0) return (int) -fd;
                Syscall.close((int) fd);
                return 0;
            });
            return errno == Errno.EPERM
                ? Availability.available("halt's filter, installed on a throwaway thread, refused a UDP socket (EPERM)")
                : Availability.unavailable("a seccomp filter was installed but the refused socket call answered "
                    + (errno == 0 ? "success" : ErrnoException.describe(errno)));
        } catch (ErrnoException e) {
            return Availability.unavailable(e.getMessage());
        } catch (Exception e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }

    /** The program of {@link SeccompPolicy#isolatedNetwork()}, compiled once. */
    private static volatile List<BpfInstruction> isolatedProgram;

    /**
     * The seccomp probe's program, compiled on first use and kept. {@code Sandbox.prepare} compiles
     * it in the background, which also warms the BPF assembler every launch compiles its own filter with.
     */
    public static List<BpfInstruction> isolatedProgram() {
        var program = isolatedProgram;
        if (program == null) isolatedProgram = program = SeccompPolicy.isolatedNetwork().compile();
        return program;
    }

    /**
     * Whether halt's supervisor can run: each piece it needs, checked by a few system calls on halt's
     * own process ({@link SupervisorSupport#forRun()}), as a run checks them.
     */
    static Availability supervisor() {
        var result = SupervisorSupport.forRun();
        return result.available() ? Availability.available(result.detail())
            : Availability.unavailable(result.detail() + ": rootless runs fall back to Landlock's port rules");
    }

    /**
     * For {@code halt check} only: the supervisor's round trip with a throwaway child
     * ({@link SupervisorSupport#probe()}), which starts a process and so stays off a run's path.
     */
    static Availability supervisorRoundTrip() {
        var result = SupervisorSupport.probe();
        return result.available() ? Availability.available(result.detail()) : Availability.unavailable(result.detail());
    }

    /**
     * Starts a run's tether (outside any namespace), tells it the run is over and waits for it to
     * exit cleanly: the process that ends a run whose halt was killed.
     */
    static Availability tether() {
        return dev.halt.core.launch.TetherProcess.probe(() -> Tether.start(false), "a run's processes die with it");
    }

    /**
     * Whether this kernel has network namespaces ({@code /proc/self/ns/net}): the plan's fact, with
     * halt's privileges. A run does not make a namespace to find out: a probe's namespace is torn
     * down by the kernel under the lock the run's own namespace then waits for (measured 5-30 ms);
     * {@code halt check} makes one ({@link #networkNamespace()}).
     */
    static Availability networkNamespaces() {
        var own = Path.of("/proc/self/ns/net");
        return Files.exists(own, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            ? Availability.available("the kernel has network namespaces (" + own + ")")
            : Availability.unavailable("this kernel has no network namespaces (CONFIG_NET_NS): no " + own);
    }

    /** Moves a throwaway thread into a new network namespace; the namespace dies with the thread. */
    static Availability networkNamespace() {
        try {
            ThrowawayThread.run("halt-probe-netns", TIMEOUT, () -> {
                NetworkNamespace.unshareCallingThread();
                return null;
            });
            return Availability.available("unshare(CLONE_NEWNET) on a throwaway thread");
        } catch (ErrnoException e) {
            return Availability.unavailable(switch (e.errno()) {
                case Errno.EPERM -> "unshare(CLONE_NEWNET) refused (EPERM): needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN";
                case Errno.EINVAL -> "this kernel has no network namespaces (CONFIG_NET_NS)";
                default -> e.getMessage();
            });
        } catch (Exception e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }

    /**
     * Moves a throwaway thread into a mount namespace of its own, mounts a tmpfs there, makes it
     * read-only with {@code mount_setattr} and creates a file in it: only EROFS passes. The
     * namespace and its tmpfs die with the thread.
     */
    static Availability mountNamespace() {
        var dir = Stream.of("/tmp", "/mnt", "/").filter(d -> Files.isDirectory(Path.of(d))).findFirst().orElse("/");
        try {
            int errno = ThrowawayThread.run("halt-probe-mountns", TIMEOUT, () -> {
                Mounts.unshareNamespace();
                Mounts.makePrivate();
                Mounts.mount("tmpfs", dir, "tmpfs", 0, "size=16k");
                Mounts.setAttributes(dir, false, mount_h.MOUNT_ATTR_RDONLY(), 0);
                return createFile(Path.of(dir, "halt-check"));
            });
            if (errno == Errno.EROFS) {
                return Availability.available("a throwaway thread's own mount namespace: a tmpfs on " + dir
                    + " made read-only by mount_setattr refused a new file (EROFS)");
            }
            return Availability.unavailable("a tmpfs made read-only by mount_setattr answered "
                + (errno == 0 ? "success" : ErrnoException.describe(errno)) + " to creating a file, not EROFS");
        } catch (ErrnoException e) {
            return Availability.unavailable(switch (e.errno()) {
                case Errno.EPERM -> e.getMessage() + ": needs root or CAP_SYS_ADMIN";
                case Errno.ENOSYS -> e.getMessage() + ": mount_setattr needs Linux 5.12";
                default -> e.getMessage();
            });
        } catch (Exception e) {
            return Availability.unavailable("probe failed: " + e);
        }
    }

    // Everything the restricted thread calls after landlock_restrict_self is linked here first:
    // a class or handle initialised later would need to read files the thread may no longer open.
    private static void warmUpFileCalls() {
        try {
            Syscall.close(Syscall.open("/", SyscallNumbers.O_PATH | SyscallNumbers.O_CLOEXEC));
        } catch (ErrnoException e) {
            // Linked all the same: the call was made.
        }
    }

    private static void warmUpSocketCalls() {
        connectLoopback(0);
    }

    /** 0 if the file was created (then removed by the caller's cleanup), else the errno. */
    private static int createFile(Path target) {
        try (var arena = Arena.ofConfined()) {
            long fd = Syscall.callRaw(Syscall.TABLE.openat(), SyscallNumbers.AT_FDCWD, arena.allocateFrom(target.toString()).address(),
                SyscallNumbers.O_WRONLY | SyscallNumbers.O_CREAT | SyscallNumbers.O_EXCL | SyscallNumbers.O_CLOEXEC, 0600, 0, 0);
            if (fd < 0) return (int) -fd;
            Syscall.close((int) fd);
            return 0;
        }
    }

    /** 0 if connected, else the errno. */
    private static int connectLoopback(int port) {
        long fd = Syscall.callRaw(Syscall.TABLE.socket(), AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC(), 0, 0, 0, 0);
        if (fd < 0) return (int) -fd;
        try (var arena = Arena.ofConfined()) {
            long r = Syscall.callRaw(Syscall.TABLE.connect(), fd, loopbackAddress(arena, port).address(), sockaddr_in.sizeof(),
                0, 0, 0);
            return r == 0 ? 0 : (int) -r;
        } finally {
            Syscall.close((int) fd);
        }
    }

    /** A TCP socket listening on 127.0.0.1 at a port the kernel picks. */
    private static int loopbackListener() throws ErrnoException {
        int fd = (int) Syscall.call("socket(AF_INET)", Syscall.TABLE.socket(), AF_INET(), SOCK_STREAM() | SOCK_CLOEXEC(), 0,
            0, 0, 0);
        try (var arena = Arena.ofConfined()) {
            Syscall.call("bind 127.0.0.1", Syscall.TABLE.bind(), fd, loopbackAddress(arena, 0).address(), sockaddr_in.sizeof(),
                0, 0, 0);
            Syscall.call("listen", Syscall.TABLE.listen(), fd, 1, 0, 0, 0, 0);
            return fd;
        } catch (ErrnoException e) {
            Syscall.close(fd);
            throw e;
        }
    }

    /** The port {@code fd} is bound to. */
    private static int localPort(int fd) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var address = sockaddr_in.allocate(arena);
            var length = arena.allocateFrom(JAVA_INT, (int) sockaddr_in.sizeof());
            Syscall.call("getsockname", Syscall.TABLE.getsockname(), fd, address.address(), length.address(), 0, 0, 0);
            long port = sockaddr_in.sin_port$offset();
            return (Byte.toUnsignedInt(address.get(JAVA_BYTE, port)) << 8) | Byte.toUnsignedInt(address.get(JAVA_BYTE, port + 1));
        }
    }

    private static MemorySegment loopbackAddress(Arena arena, int port) {
        var addr = sockaddr_in.allocate(arena);
        sockaddr_in.sin_family(addr, (short) AF_INET());
        // Network byte order, written a byte at a time whatever the host's order.
        addr.set(JAVA_BYTE, sockaddr_in.sin_port$offset(), (byte) (port >>> 8));
        addr.set(JAVA_BYTE, sockaddr_in.sin_port$offset() + 1, (byte) port);
        var ip = sockaddr_in.sin_addr$offset();
        addr.set(JAVA_BYTE, ip, (byte) 127);
        addr.set(JAVA_BYTE, ip + 3, (byte) 1);
        return addr;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover empty temp directory is harmless.
        }
    }
}
