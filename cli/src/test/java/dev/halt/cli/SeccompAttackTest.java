package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.unistd_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The escapes of issue 12 that the seccomp filter closes, attempted by real children under
 * {@code halt run}: as root, and as user 65534 through setpriv (rootless). The processes attacked
 * are {@code sleep}s this test starts, of the child's own uid; connections go to 127.0.0.1 only.
 * Each run collects every answer and the test names every one that is wrong at once.
 */
@Tag("linux")
class SeccompAttackTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean root;

    /** A uid and process group with no process: the user forms then change nothing even unrefused. */
    private static final int NOBODYS_ID = 0x3ff_f0f0;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 (TCP rules: rootless network modes), this kernel has " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        root = unistd_h.geteuid() == 0;
        if (root) assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "[tool-setpriv] needs setpriv(1) to drop to an unprivileged user");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        classPath = HaltProcess.readableClassPath(Files.createDirectories(temp.resolve("cp")));
        Files.setPosixFilePermissions(temp.resolve("cp"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Path workDirectory(String name) throws Exception {
        var work = Files.createDirectories(temp.resolve(name));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        return work;
    }

    private static Map<String, String> env(Path work) {
        // halt's config directory outside the working directory: halt refuses a write grant over it
        return Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString());
    }

    /** As user 65534 when this test runs as root (as CI does); else as whoever runs it. */
    private static List<String> asChildUser(boolean nobody, String... command) {
        var line = new ArrayList<String>();
        if (nobody && root) line.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        line.addAll(List.of(command));
        return line;
    }

    // --- every mode: unrestricted, as root and as user 65534 ---

    /** The Python helpers: {@code raw} makes a system call by name, {@code t} runs a function; both answer ok or the errno's name. */
    private static final String PYTHON_HELPERS = """
        import ctypes, errno, os, resource, signal, sys
        pid = int(sys.argv[1])
        NR = dict(kcmp=%d, pidfd_getfd=%d, ioprio_set=%d, keyctl=%d, openat2=%d)
        NOBODYS_ID = %d
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        def name(e):
            return errno.errorcode.get(e, str(e))
        def raw(call, *args):
            r = libc.syscall(ctypes.c_long(NR[call]), *[ctypes.c_long(a) for a in args])
            return 'ok' if r >= 0 else name(ctypes.get_errno())
        def t(f):
            try:
                f()
                return 'ok'
            except OSError as e:
                return name(e.errno)
        def openat2():
            path = ctypes.create_string_buffer(b'.')
            how = ctypes.create_string_buffer(24)
            return raw('openat2', -100, ctypes.addressof(path), ctypes.addressof(how), 24)
        r = {}
        """;

    /** Attacks on a process of the child's uid outside the sandbox ({@code argv[1]}), on the keyrings, and the O_TMPFILE setuid file. */
    private static final String OUTSIDE_ATTACKS = """
        def tmpfile_setuid():
            # No write: without CAP_FSETID a write or truncate clears the bit; the file stays empty.
            fd = os.open('.', os.O_TMPFILE | os.O_WRONLY, 0o4755)
            if libc.linkat(-100, ('/proc/self/fd/' + str(fd)).encode(), -100, b'tmpfile-id', 0x400) != 0:
                raise OSError(ctypes.get_errno(), 'linkat')
        IDLE = 3 << 13
        r['prlimit_other'] = t(lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (64, 64)))
        r['prlimit_read_other'] = t(lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE))
        r['setpriority_pgrp'] = t(lambda: os.setpriority(os.PRIO_PGRP, pid, 15))
        r['setpriority_user'] = t(lambda: os.setpriority(os.PRIO_USER, NOBODYS_ID, 15))
        r['setpriority_self'] = t(lambda: os.setpriority(os.PRIO_PROCESS, 0, 3))
        r['ioprio_pgrp'] = raw('ioprio_set', 2, pid, IDLE)
        r['ioprio_user'] = raw('ioprio_set', 3, NOBODYS_ID, IDLE)
        r['ioprio_self'] = raw('ioprio_set', 1, 0, (2 << 13) | 4)
        r['kcmp'] = raw('kcmp', pid, os.getpid(), 1, 0, 0)
        pidfd = os.pidfd_open(pid)
        r['pidfd_send_signal'] = t(lambda: signal.pidfd_send_signal(pidfd, 0))
        r['pidfd_getfd'] = raw('pidfd_getfd', pidfd, 0, 0)
        r['keyctl'] = raw('keyctl', 0, -4, 0)
        r['openat2'] = openat2()
        r['tmpfile_setuid'] = t(tmpfile_setuid)
        print(' '.join(k + '=' + v for k, v in sorted(r.items())))
        """;

    /** What the child is refused that works outside, without changing anything. */
    private static final String OUTSIDE_BASELINE = """
        r['kcmp'] = raw('kcmp', pid, os.getpid(), 1, 0, 0)
        r['keyctl'] = raw('keyctl', 0, -4, 0)
        r['openat2'] = openat2()
        print(' '.join(k + '=' + v for k, v in sorted(r.items())))
        """;

    private static String python(String body) {
        var t = SyscallNumbers.current();
        return PYTHON_HELPERS.formatted(t.kcmp(), t.pidfdGetfd(), t.ioprioSet(), t.keyctl(), t.openat2(), NOBODYS_ID) + body;
    }

    /** The shell half: the setuid copy of issue 12 and the other mode changes, then the Python half. */
    private static final String SHELL_ATTACKS = String.join("; ",
        "cp /usr/bin/id x", "chmod 4755 x", "echo chmod4755=$?", "chmod u+s x", "echo chmod_us=$?",
        "mkdir d", "chmod g+s d", "echo chmod_gs=$?", "mkdir -m 2755 d2 2>/dev/null", "echo mkdir2755=$?",
        "cp /usr/bin/id y", "chmod 700 y", "chmod 755 y", "echo chmod755=$?", "ulimit -n 100", "echo ulimit=$?",
        "python3 -c \"$1\" \"$2\"");

    /**
     * A {@code sleep} of the child's uid outside the sandbox, leader of its own process group, with
     * no capability: the kernel itself keeps a capability-less child from renicing a process with
     * more capabilities than its own, so a root {@code sleep} with every capability would not show
     * what the filter adds for the processes it can reach (every process of a sudo user, say).
     */
    private static Process outsideSleep(boolean nobody) throws Exception {
        var sleep = new ProcessBuilder(nobody ? asChildUser(true, "setsid", "sleep", "120")
            : List.of("setpriv", "--bounding-set=-all", "setsid", "sleep", "120")).start();
        var cmdline = Path.of("/proc", Long.toString(sleep.pid()), "cmdline");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && !Files.readString(cmdline).startsWith("sleep\0")) Thread.sleep(10);
        assertTrue(Files.readString(cmdline).startsWith("sleep\0"), "setsid exec'd sleep in place");
        return sleep;
    }

    /** What an outside observer sees of {@code pid}: its open-files limit, nice value and I/O priority. */
    private static String observed(long pid) throws Exception {
        var limits = Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits")).stream()
            .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
        var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        var ionice = new ProcessBuilder("ionice", "-p", Long.toString(pid)).redirectErrorStream(true).start();
        var io = new String(ionice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(ionice.waitFor(10, TimeUnit.SECONDS));
        // stat fields from the state on: nice is field 19, the 17th after the command.
        return limits.replaceAll("\\s+", " ") + " | nice " + fields[16] + " | ionice " + io;
    }

    private void everyModeAttacks(boolean nobody) throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 6, "[landlock-abi-6] needs Landlock ABI >= 6 (the signal scope refuses pidfd_send_signal), this"
            + " kernel has " + abi);
        var work = workDirectory(nobody ? "every-nobody" : "every-root");
        var sleep = outsideSleep(nobody);
        try {
            var before = observed(sleep.pid());
            var r = HaltProcess.run(HaltProcess.command(classPath, nobody && root, "-v", "run", "--network", "unrestricted",
                "--", "sh", "-c", SHELL_ATTACKS, "sh", python(OUTSIDE_ATTACKS), Long.toString(sleep.pid())), work, env(work));
            assertEquals(0, r.status(), r.out() + r.err());
            var got = HaltProcess.words(r.out());
            var wrong = new TreeMap<String, String>();
            // Landlock's: another domain's process cannot be compared, signalled or have its fds taken.
            // seccomp's: the rest.
            var expected = new TreeMap<>(Map.ofEntries(
                Map.entry("prlimit_other", "EPERM"), Map.entry("prlimit_read_other", "ok"),
                Map.entry("setpriority_pgrp", "EPERM"), Map.entry("setpriority_user", "EPERM"), Map.entry("setpriority_self", "ok"),
                Map.entry("ioprio_pgrp", "EPERM"), Map.entry("ioprio_user", "EPERM"), Map.entry("ioprio_self", "ok"),
                Map.entry("kcmp", "EPERM"), Map.entry("pidfd_send_signal", "EPERM"), Map.entry("pidfd_getfd", "EPERM"),
                Map.entry("keyctl", "EPERM"), Map.entry("openat2", "ENOSYS"), Map.entry("tmpfile_setuid", "EPERM"),
                Map.entry("chmod755", "0"), Map.entry("ulimit", "0")));
            expected.forEach((k, v) -> {
                if (!v.equals(got.get(k))) wrong.put(k, "expected " + v + ", got " + got.get(k));
            });
            for (var k : List.of("chmod4755", "chmod_us", "chmod_gs", "mkdir2755")) {
                if ("0".equals(got.getOrDefault(k, "0"))) wrong.put(k, "succeeded (or did not run): " + got.get(k));
            }
            for (var file : List.of("x", "y")) {
                int mode = (int) Files.getAttribute(work.resolve(file), "unix:mode");
                if (mode != 0100755) wrong.put(file, "mode " + Integer.toOctalString(mode) + ", expected 100755");
            }
            int dirMode = (int) Files.getAttribute(work.resolve("d"), "unix:mode");
            if ((dirMode & 06000) != 0) wrong.put("d", "mode " + Integer.toOctalString(dirMode));
            for (var planted : List.of("d2", "tmpfile-id")) {
                var path = work.resolve(planted);
                if (Files.exists(path)) wrong.put(planted, "made, mode " + Integer.toOctalString((int) Files.getAttribute(path, "unix:mode")));
            }
            var after = observed(sleep.pid());
            if (!after.equals(before)) wrong.put("outside sleep", "changed from " + before + " to " + after);
            assertEquals(Map.of(), wrong, r.out() + r.err());

            // What was refused in the child works outside the sandbox, as the same user.
            var outside = new ProcessBuilder(asChildUser(nobody, "/usr/bin/python3", "-c", python(OUTSIDE_BASELINE),
                Long.toString(sleep.pid()))).directory(work.toFile()).redirectErrorStream(true).start();
            var outsideOut = new String(outside.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(outside.waitFor(30, TimeUnit.SECONDS));
            var unsandboxed = HaltProcess.words(outsideOut);
            assertEquals("ok", unsandboxed.get("keyctl"), "the keyring works outside: " + outsideOut);
            assertEquals("ok", unsandboxed.get("kcmp"), "kcmp works outside: " + outsideOut);
            assertEquals("ok", unsandboxed.get("openat2"), outsideOut);

            // -v names every rule.
            for (var rule : List.of("prlimit64", "PRIO_PGRP", "setuid and setgid bits", "openat2", "keyctl", "above 469")) {
                assertTrue(r.err().contains(rule), "-v names " + rule + ": " + r.err());
            }
        } finally {
            sleep.destroyForcibly();
            sleep.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Tag("root")
    void asRootTheChildCannotReachOutsideProcessesKeyringsOrLeaveASetuidFile() throws Exception {
        assumeTrue(root, "[root] needs root (CI runs as root)");
        everyModeAttacks(false);
    }

    @Test
    void rootlessTheChildCannotReachOutsideProcessesKeyringsOrLeaveASetuidFile() throws Exception {
        everyModeAttacks(true);
    }

    // --- the isolated modes: socket families ---

    private static final String FAMILIES = """
        import errno, socket
        def t(*a):
            try:
                socket.socket(*a).close()
                return 'ok'
            except OSError as e:
                return errno.errorcode.get(e.errno, str(e.errno))
        r = {
            'vsock': t(socket.AF_VSOCK, socket.SOCK_STREAM),
            'netlink_route': t(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE),
            'netlink_sock_diag': t(socket.AF_NETLINK, socket.SOCK_RAW, 4),
            'udp': t(socket.AF_INET, socket.SOCK_DGRAM),
            'tcp': t(socket.AF_INET, socket.SOCK_STREAM),
        }
        print(' '.join(k + '=' + v for k, v in sorted(r.items())))
        """;

    @Test
    @Tag("root")
    void inANamespaceAVsockSocketIsRefused() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(), "[net-admin] needs root (CI runs as root)");
        var work = workDirectory("vsock-root");
        var r = HaltProcess.run(HaltProcess.command(classPath, false, "run", "--network", "blocked", "--",
            "python3", "-c", FAMILIES), work, env(work));
        assertEquals(0, r.status(), r.err());
        // AF_VSOCK is in no namespace: it would reach the hypervisor host from this one.
        assertEquals(Map.of("netlink_route", "ok", "netlink_sock_diag", "EPERM", "tcp", "ok", "udp", "ok", "vsock", "EPERM"),
            HaltProcess.words(r.out()), r.err());
    }

    @Test
    void rootlessAVsockSocketIsRefused() throws Exception {
        var work = workDirectory("vsock-nobody");
        var r = HaltProcess.run(HaltProcess.command(classPath, root, "run", "--network", "blocked", "--",
            "python3", "-c", FAMILIES), work, env(work));
        assertEquals(0, r.status(), r.err());
        assertEquals(Map.of("netlink_route", "ok", "netlink_sock_diag", "EPERM", "tcp", "ok", "udp", "EPERM", "vsock", "EPERM"),
            HaltProcess.words(r.out()), r.err());
    }

    // --- rootless: listen() without bind() ---

    /** listen() on an unbound TCP socket, which binds an ephemeral port on every address; waits for "done". */
    private static final String LISTEN = """
        import errno, os, socket, time
        def name(e):
            return errno.errorcode.get(e.errno, str(e.errno))
        s = socket.socket()
        try:
            s.listen()
            r = 'ok'
        except OSError as e:
            r = name(e)
        try:
            u = socket.socket(socket.AF_UNIX)
            u.bind('unix.sock')
            u.listen()
            unix = 'ok'
        except OSError as e:
            unix = name(e)
        print('listen=%s port=%d unix=%s' % (r, s.getsockname()[1], unix), flush=True)
        for _ in range(200):
            if os.path.exists('done'):
                break
            time.sleep(0.05)
        """;

    private record Listened(Map<String, String> words, boolean connected, String err) {}

    /** Runs {@link #LISTEN} rootless in {@code blocked} with {@code config}, and connects from here to the port it names. */
    private static Listened listenWithout(String name, String config) throws Exception {
        var work = workDirectory(name);
        var file = Files.writeString(temp.resolve(name + ".toml"), config);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var pb = new ProcessBuilder(HaltProcess.command(classPath, root, "run", "--network", "blocked", "--config", file.toString(),
            "--", "python3", "-c", LISTEN)).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(env(work));
        var halt = pb.start();
        try {
            halt.getOutputStream().close();
            var err = new StringBuilder();
            var errReader = Thread.ofVirtual().start(() -> {
                try {
                    err.append(new String(halt.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (java.io.IOException ignored) {
                    // halt ended
                }
            });
            var line = new BufferedReader(new InputStreamReader(halt.getInputStream(), StandardCharsets.UTF_8)).readLine();
            var words = HaltProcess.words(line == null ? "" : line);
            boolean connected = false;
            int port = Integer.parseInt(words.getOrDefault("port", "0"));
            if (port > 0) {
                try (var socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 2000);
                    connected = true;
                } catch (ConnectException refused) {
                    connected = false;
                }
            }
            Files.writeString(work.resolve("done"), "");
            assertTrue(halt.waitFor(30, TimeUnit.SECONDS), "halt finished");
            errReader.join();
            assertEquals(0, halt.exitValue(), line + err);
            return new Listened(words, connected, err.toString());
        } finally {
            halt.destroyForcibly();
        }
    }

    @Test
    void rootlessListenWithoutBindIsRefusedSoNoPortOpens() throws Exception {
        var l = listenWithout("listen", "[sandbox]\n");
        assertEquals("EPERM", l.words().get("listen"), l.toString());
        assertFalse(l.connected(), "nothing accepted a connection from the host: " + l);
    }

    @Test
    void rootlessListenWorksWhenLocalBindingIsAllowed() throws Exception {
        var l = listenWithout("listen-binding", "[sandbox]\nallow_local_binding = true\n");
        assertEquals("ok", l.words().get("listen"), l.toString());
        assertTrue(l.connected(), "the port is open, as allow_local_binding asks: " + l);
    }

    @Test
    void rootlessWithUnixSocketsListenWithoutBindIsStillRefused() throws Exception {
        var l = listenWithout("listen-unix", "[sandbox]\nallow_unix_sockets = true\n");
        assertEquals("ok", l.words().get("unix"), "unix sockets listen: " + l);
        // BPF cannot tell the TCP socket from a unix one; halt's supervisor can.
        assertEquals("EPERM", l.words().get("listen"), l.toString());
        assertFalse(l.connected(), "nothing accepted a connection from the host: " + l);
        assertFalse(l.err().contains("leaves listen() allowed"), "no hole to warn about: " + l.err());
        assertTrue(l.err().contains("(listen): allow_local_binding is off"), l.err());
    }
}
