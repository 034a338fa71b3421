package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.linux.net.Netlink;
import dev.halt.core.linux.net.NetworkNamespace;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.unistd_h;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The rootless supervisor attacked by real children of {@code halt run} as user 65534: the proxy's
 * port on other addresses, a listed port on a non-loopback address, a sockaddr and a descriptor
 * swapped while the call waits for halt, halt killed while a call waits, the listener descriptor,
 * listen without bind. Every target is a listener of this test, on loopback or on the host end of
 * a veth whose other end is in a namespace this test made, so that a connection let through would
 * be accepted and counted.
 */
@Tag("linux")
class SupervisorAttackTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean root;
    static TestOrigin origin;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 (TCP rules), this kernel has " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        root = unistd_h.geteuid() == 0;
        if (root) assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "[tool-setpriv] needs setpriv(1) to drop to an unprivileged user");
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        classPath = HaltProcess.readableClassPath(Files.createDirectories(temp.resolve("cp")));
        Files.setPosixFilePermissions(temp.resolve("cp"), PosixFilePermissions.fromString("rwxr-xr-x"));
        origin = new TestOrigin();
    }

    @AfterAll
    static void tearDown() {
        if (origin != null) origin.close();
    }

    private static Path workDirectory(String name) throws IOException {
        var work = Files.createDirectories(temp.resolve(name));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        return work;
    }

    private static Path config(String name, String toml) throws IOException {
        var file = Files.writeString(temp.resolve(name + ".toml"), toml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** What halt printed, and its exit status. */
    private record Run(int status, String out, String err) {}

    /**
     * Runs halt with {@code args} in {@code work} as user 65534. When the child prints a line
     * {@code port=N}, {@code onPort} gets N (it opens the listeners a connection let through would
     * reach) and the file {@code ready} appears in {@code work}; the child waits for it.
     */
    private static Run interplay(Path work, IntFunction<Void> onPort, String... args) throws Exception {
        var pb = new ProcessBuilder(HaltProcess.command(classPath, root, args)).directory(work.toFile());
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString()));
        var halt = pb.start();
        try {
            halt.getOutputStream().close();
            var err = new StringBuilder();
            var errReader = Thread.ofVirtual().start(() -> {
                try {
                    err.append(new String(halt.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // halt ended
                }
            });
            var out = new StringBuilder();
            var reader = new BufferedReader(new InputStreamReader(halt.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                out.append(line).append('\n');
                if (line.startsWith("port=")) {
                    onPort.apply(Integer.parseInt(line.substring(5).strip()));
                    Files.writeString(work.resolve("ready"), "");
                }
            }
            assertTrue(halt.waitFor(60, TimeUnit.SECONDS), "halt finished");
            errReader.join();
            return new Run(halt.exitValue(), out.toString(), err.toString());
        } finally {
            halt.destroyForcibly();
        }
    }

    /** A listener of this test that counts what it accepts, on its own thread; closed by the test. */
    private static final class CountingListener implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger accepted = new AtomicInteger();

        CountingListener(InetAddress address, int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port), 4096);
            Thread.ofPlatform().daemon(true).name("counting-listener").start(() -> {
                while (!socket.isClosed()) {
                    try (var s = socket.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Python: helpers, the proxy's port from HTTP_PROXY (or argv[1]), printed, then the wait for {@code ready}. */
    private static final String PRELUDE = """
        import ctypes, errno, os, select, socket, struct, sys, threading, time
        def name(e):
            return errno.errorcode.get(e, str(e))
        port = int(os.environ['HTTP_PROXY'].rsplit(':', 1)[1]) if 'HTTP_PROXY' in os.environ else int(sys.argv[1])
        print('port=%d' % port, flush=True)
        for _ in range(400):
            if os.path.exists('ready'):
                break
            time.sleep(0.025)
        def t(family, host):
            s = socket.socket(family, socket.SOCK_STREAM)
            try:
                s.connect((host, port))
                return 'ok'
            except OSError as e:
                return name(e.errno)
            finally:
                s.close()
        """;

    // --- proxy_only: the proxy's exact address ---

    private static final String PROXY_ONLY = PRELUDE + """
        def nonblocking():
            s = socket.socket()
            s.setblocking(False)
            first = s.connect_ex(('127.0.0.1', port))
            select.select([], [s], [], 5)
            err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            peer = s.getpeername()[0] if err == 0 else '-'
            s.close()
            return '%s,%s,%s' % (name(first), 'ok' if err == 0 else name(err), peer)
        r = {
            'proxy': t(socket.AF_INET, '127.0.0.1'),
            'mapped_proxy': t(socket.AF_INET6, '::ffff:127.0.0.1'),
            'other_loopback': t(socket.AF_INET, '127.0.0.2'),
            'mapped_other': t(socket.AF_INET6, '::ffff:127.0.0.2'),
            'ipv6_loopback': t(socket.AF_INET6, '::1'),
            'nonblocking': nonblocking(),
        }
        print(' '.join(k + '=' + v for k, v in sorted(r.items())), flush=True)
        """;

    @Test
    void proxyOnlyRefusesTheProxysPortOnOtherLoopbackAddressesWhileTheProxyWorks() throws Exception {
        try (var dns = new FakeDnsUpstream(Map.of("allowed.test", "127.0.0.1"))) {
            var work = workDirectory("proxy-only");
            var file = config("proxy-only", "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n[proxy]\n"
                + "domain_allowlist = [\"allowed.test\"]\nupstream_dns = [\"127.0.0.1:" + dns.port() + "\"]\n"
                + "allow_local_destinations = true\n");
            var listeners = new ArrayList<CountingListener>();
            try {
                var r = interplay(work, port -> {
                    try {
                        // Where a connection to the proxy's port on another address would land.
                        listeners.add(new CountingListener(InetAddress.getByName("127.0.0.2"), port));
                        listeners.add(new CountingListener(InetAddress.getByName("::1"), port));
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    return null;
                }, "run", "--config", file.toString(), "--", "sh", "-c",
                    "python3 -c \"$1\"; curl -sS -m 5 http://allowed.test:" + origin.port() + "/", "sh", PROXY_ONLY);
                int port = Integer.parseInt(HaltProcess.words(r.out()).get("port"));
                assertEquals(Map.of("port", Integer.toString(port), "proxy", "ok", "mapped_proxy", "ok",
                    "other_loopback", "EACCES", "mapped_other", "EACCES", "ipv6_loopback", "EACCES",
                    "nonblocking", "EINPROGRESS,ok,127.0.0.1"), HaltProcess.words(r.out().lines().filter(l -> !l.contains(TestOrigin.BODY))
                    .reduce("", (a, b) -> a + " " + b)), r.out() + r.err());
                assertTrue(r.out().contains(TestOrigin.BODY), "the proxy works: " + r.out() + r.err());
                assertEquals(0, listeners.stream().mapToInt(l -> l.accepted.get()).sum(), "nothing reached the other addresses");
                assertTrue(r.err().contains("halt: refused 127.0.0.2:" + port + " (connect): not the proxy"), r.err());
                assertTrue(r.err().contains("halt: refused [::1]:" + port + " (connect): not the proxy"), r.err());
                // The supervisor's refusals and the proxy's decisions (curl's request) in one summary.
                assertTrue(r.err().contains("halt network: connections 1 allowed, 3 refused, 0 failed\nmost refused:\n"),
                    "counted at exit: " + r.err());
                assertTrue(r.err().contains("\n  127.0.0.2:" + port + " (connect) (2)\n"), r.err());
                assertFalse(r.err().contains("cannot tell addresses apart"), "no warning about a hole: " + r.err());
            } finally {
                for (var l : listeners) l.close();
            }
        }
    }

    // --- localhost_only: a listed port on a non-loopback address ---

    private static final String LOCALHOST_ONLY = PRELUDE + """
        r = {'loopback': t(socket.AF_INET, '127.0.0.1'), 'veth': t(socket.AF_INET, sys.argv[2])}
        print(' '.join(k + '=' + v for k, v in sorted(r.items())), flush=True)
        """;

    @Test
    @Tag("root")
    void localhostOnlyRefusesAListedPortOnANonLoopbackAddressOfThisHost() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(),
            "[net-admin] needs root to make the veth and the namespace of its other end (CI runs as root)");
        long pid = ProcessHandle.current().pid();
        var hostEnd = "hsv" + pid % 100_000;
        var peerEnd = hostEnd + "p";
        int subnet = 20 + (int) (pid % 200);
        var hostAddress = InetAddress.getByName("169.254." + subnet + ".1");
        var peerAddress = InetAddress.getByName("169.254." + subnet + ".2");
        try (var peer = NetworkNamespace.create("test-supervisor-peer")) {
            try (var netlink = Netlink.open()) {
                netlink.createVethPair(hostEnd, peerEnd, peer.fd());
                int index = netlink.linkIndex(hostEnd);
                netlink.addAddress(index, hostAddress, 30);
                netlink.linkUp(index);
            }
            try {
                peer.call(Duration.ofSeconds(10), () -> {
                    try (var netlink = Netlink.open()) {
                        int index = netlink.linkIndex(peerEnd);
                        netlink.addAddress(index, peerAddress, 30);
                        netlink.linkUp(index);
                    }
                    return null;
                });
                try (var loopback = new CountingListener(InetAddress.getByName("127.0.0.1"), 0);
                     var veth = new CountingListener(hostAddress, loopback.socket.getLocalPort())) {
                    int port = loopback.socket.getLocalPort();
                    var work = workDirectory("localhost-only");
                    var file = config("localhost-only", "[sandbox]\nnetwork = { mode = \"localhost_only\" }\nlocalhost_ports = ["
                        + port + "]\n");
                    var r = interplay(work, p -> null, "run", "--config", file.toString(), "--",
                        "python3", "-c", LOCALHOST_ONLY, Integer.toString(port), hostAddress.getHostAddress());
                    var got = HaltProcess.words(r.out());
                    assertEquals("ok", got.get("loopback"), "the listed port works on loopback: " + r.out() + r.err());
                    assertEquals("EACCES", got.get("veth"), "not on this host's other address: " + r.out() + r.err());
                    assertEquals(0, veth.accepted.get(), "nothing reached " + hostAddress.getHostAddress());
                    assertTrue(r.err().contains("halt: refused " + hostAddress.getHostAddress() + ":" + port
                        + " (connect): not loopback"), r.err());
                }
            } finally {
                try (var netlink = Netlink.open()) {
                    // Deleting one end deletes the pair; the namespace goes with the close above too.
                    netlink.deleteLink(netlink.linkIndex(hostEnd));
                } catch (Exception gone) {
                    // already gone with the namespace
                }
            }
        }
    }

    // --- a sockaddr and a descriptor swapped while the call waits ---

    /**
     * Thread two rewrites the sockaddr between the proxy (A) and 127.0.0.2 on the proxy's port (B)
     * while the main thread connects to it; then it dup2()s a unix and a TCP socket over the
     * descriptor the main thread connects to B (a unix socket's connect is continued by halt).
     * Each part stops after 3000 tries or 8 s.
     */
    private static final String SWAPS = PRELUDE + """
        libc = ctypes.CDLL(None, use_errno=True)
        def sockaddr(ip):
            return struct.pack('=H', socket.AF_INET) + struct.pack('!H', port) + socket.inet_aton(ip) + bytes(8)
        A, B = sockaddr('127.0.0.1'), sockaddr('127.0.0.2')
        def peer_is_b(s):
            try:
                return s.getpeername()[0] == '127.0.0.2'
            except OSError:
                return False
        addr = ctypes.create_string_buffer(A, 16)
        stop = [False]
        def toggle():
            while not stop[0]:
                ctypes.memmove(addr, B, 16)
                ctypes.memmove(addr, A, 16)
        r = {'addr_tries': 0, 'addr_ok': 0, 'addr_refused': 0, 'addr_reached_b': 0}
        th = threading.Thread(target=toggle)
        th.start()
        deadline = time.monotonic() + 8
        while r['addr_tries'] < 3000 and time.monotonic() < deadline:
            s = socket.socket()
            if libc.connect(s.fileno(), addr, 16) == 0:
                r['addr_ok'] += 1
            elif ctypes.get_errno() == errno.EACCES:
                r['addr_refused'] += 1
            if peer_is_b(s):
                r['addr_reached_b'] += 1
            s.close()
            r['addr_tries'] += 1
        stop[0] = True
        th.join()

        unix = socket.socket(socket.AF_UNIX)
        slot = os.dup(unix.fileno())
        target = ctypes.create_string_buffer(B, 16)
        current = [unix.fileno()]
        stop = [False]
        def swap():
            while not stop[0]:
                try:
                    os.dup2(current[0], slot)
                    os.dup2(unix.fileno(), slot)
                except OSError:
                    pass
        r.update({'fd_tries': 0, 'fd_reached_b': 0})
        th = threading.Thread(target=swap)
        th.start()
        deadline = time.monotonic() + 8
        while r['fd_tries'] < 3000 and time.monotonic() < deadline:
            tcp = socket.socket()
            current[0] = tcp.fileno()
            libc.connect(slot, target, 16)
            if peer_is_b(tcp):
                r['fd_reached_b'] += 1
            current[0] = unix.fileno()
            tcp.close()
            r['fd_tries'] += 1
        stop[0] = True
        th.join()
        print(' '.join('%s=%d' % kv for kv in sorted(r.items())), flush=True)
        """;

    @Test
    void aSockaddrOrDescriptorSwappedWhileTheCallWaitsNeverReachesTheSwappedTarget() throws Exception {
        var work = workDirectory("swaps");
        var file = config("swaps", "[sandbox]\nnetwork = { mode = \"proxy_only\" }\nallow_unix_sockets = true\n[proxy]\n"
            + "domain_allowlist = [\"allowed.test\"]\nupstream_dns = [\"127.0.0.1:9\"]\n");
        var b = new CountingListener[1];
        try {
            var r = interplay(work, port -> {
                try {
                    b[0] = new CountingListener(InetAddress.getByName("127.0.0.2"), port);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return null;
            }, "run", "--config", file.toString(), "--", "python3", "-c", SWAPS);
            var got = HaltProcess.words(r.out());
            assertEquals("0", got.get("addr_reached_b"), r.out() + r.err());
            assertEquals("0", got.get("fd_reached_b"), r.out() + r.err());
            assertTrue(Integer.parseInt(got.get("addr_tries")) >= 500 && Integer.parseInt(got.get("fd_tries")) >= 500,
                "a few thousand tries, bounded in time: " + r.out());
            assertEquals(0, b[0].accepted.get(), "127.0.0.2 on the proxy's port accepted nothing: " + r.out());
        } finally {
            if (b[0] != null) b[0].close();
        }
    }

    // --- halt killed while a call waits for it ---

    /** Fills the listener's backlog, then connects blocking: halt's worker waits in that connect. */
    private static final String PENDING = """
        import os, socket, sys, time
        port = int(sys.argv[1])
        fill = []
        for _ in range(8):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(('127.0.0.1', port))
            fill.append(s)
        time.sleep(0.3)
        open('pending', 'w').close()
        s = socket.socket()
        r = s.connect_ex(('127.0.0.1', port))
        open('returned-%d' % r, 'w').close()
        time.sleep(300)
        """;

    @Test
    void killingHaltWhileACallWaitsForItHangsNothing() throws Exception {
        var work = workDirectory("pending");
        try (var full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = full.getLocalPort();
            var file = config("pending", "[sandbox]\nnetwork = { mode = \"localhost_only\" }\nlocalhost_ports = [" + port + "]\n");
            var marker = "halt-pending-connect-" + port;
            var pb = new ProcessBuilder(HaltProcess.command(classPath, root, "run", "--config", file.toString(), "--",
                "python3", "-c", PENDING, Integer.toString(port), marker)).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(Map.of("HOME", temp.resolve("home").toString(), "XDG_CONFIG_HOME", temp.resolve("config").toString()));
            var halt = pb.start();
            var descendants = new ArrayList<ProcessHandle>();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.exists(work.resolve("pending")) && System.nanoTime() < deadline) Thread.sleep(20);
                assertTrue(Files.exists(work.resolve("pending")), "the child started");
                var python = HaltProcess.processesRunning("python3", "-c", PENDING.strip().substring(0, 9));
                // The child's thread waits in connect(2) for halt's answer.
                var child = halt.descendants().filter(h -> h.info().command().orElse("").contains("python3")).findFirst().orElseThrow();
                String syscall = "";
                while (System.nanoTime() < deadline) {
                    syscall = Files.readString(Path.of("/proc", Long.toString(child.pid()), "syscall")).strip();
                    if (syscall.startsWith(SyscallNumbers.current().connect() + " ")) break;
                    Thread.sleep(20);
                }
                assertTrue(syscall.startsWith(SyscallNumbers.current().connect() + " "), "waiting in connect: " + syscall + " " + python);
                halt.descendants().forEach(descendants::add);

                halt.destroyForcibly();
                assertTrue(halt.waitFor(30, TimeUnit.SECONDS), "halt died");
                var left = HaltProcess.untilNoneLeft(Duration.ofSeconds(10),
                    () -> descendants.stream().filter(ProcessHandle::isAlive).map(h -> h.pid() + " " + h.info().commandLine().orElse(""))
                        .toList());
                assertEquals(List.of(), left, "the child, waiting for halt, does not outlive it");
            } finally {
                descendants.forEach(ProcessHandle::destroyForcibly);
                halt.destroyForcibly();
            }
        }
    }

    // --- the listener descriptor stays halt's ---

    private static final String FDS = PRELUDE + """
        targets = []
        for f in os.listdir('/proc/self/fd'):
            try:
                targets.append(os.readlink('/proc/self/fd/' + f))
            except OSError:
                pass  # listdir's own descriptor, closed
        print('fds=' + ','.join(sorted(targets)).replace(' ', '_'), flush=True)
        """;

    @Test
    void theChildHasNoCopyOfTheListener() throws Exception {
        var work = workDirectory("listener-fd");
        var haltFds = new ArrayList<String>();
        var r = interplay(work, port -> {
            // The control: halt itself holds the listener while the child runs.
            try (var procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                    try {
                        if (!Files.readString(p.resolve("cmdline")).contains("-cp\u0000" + classPath)) return;
                        try (var fds = Files.list(p.resolve("fd"))) {
                            fds.forEach(fd -> {
                                try {
                                    haltFds.add(Files.readSymbolicLink(fd).toString());
                                } catch (IOException closed) {
                                    // closed meanwhile
                                }
                            });
                        }
                    } catch (IOException gone) {
                        // not ours, or gone
                    }
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return null;
        }, "run", "--network", "blocked", "--", "python3", "-c", FDS, "0");
        assertTrue(haltFds.stream().anyMatch(f -> f.contains("seccomp")), "halt holds the listener: " + haltFds);
        var fds = HaltProcess.words(r.out()).get("fds");
        assertNotNull(fds, r.out() + r.err());
        assertFalse(fds.contains("seccomp"), "the child holds no listener: " + fds);
    }
}
