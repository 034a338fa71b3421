package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.seccomp.Seccomp;
import dev.halt.core.linux.seccomp.SeccompPolicy;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.core.policy.NetworkMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The supervisor with real children: a throwaway thread installs a filter with a listener and
 * starts the child, as the jailer does (without Landlock: the CLI tests run the whole sandbox).
 * Connections go to a listener of this test on 127.0.0.1.
 */
@Tag("linux")
class SupervisorTest {

    @BeforeAll
    static void needsTheSupervisor() {
        var support = SupervisorSupport.forRun();
        assumeTrue(support.available(), "[supervisor] needs the supervisor's kernel pieces: " + support.detail());
    }

    @Test
    void theCheckProbeRoundTripsThroughAChild() {
        var result = SupervisorSupport.probe();
        assertTrue(result.available(), result.detail());
        assertTrue(result.detail().contains("pidfd_getfd"), result.detail());
    }

    @Test
    void theTrainingRunChangesNothingAndLeavesNoThreadBehind() throws Exception {
        var dir = Files.createTempDirectory("halt-train");
        try {
            var file = Files.writeString(dir.resolve("file"), "x");
            var before = Files.getPosixFilePermissions(file);
            var modified = Files.getLastModifiedTime(file);
            RunSupervision.train(dir);
            assertEquals(before, Files.getPosixFilePermissions(file));
            assertEquals(modified, Files.getLastModifiedTime(file));
            var left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("halt-supervisor-")).toList();
            assertEquals(List.of(), left, "the training's supervisor stops with it");
        } finally {
            Files.deleteIfExists(dir.resolve("file"));
            Files.deleteIfExists(dir);
        }
    }

    /** Connects to each {@code name=address} of argv (port argv[1]) and prints {@code name=ok} or the errno's name. */
    private static final String CONNECTS = """
        import errno, select, socket, sys
        port = int(sys.argv[1])
        def t(family, host):
            s = socket.socket(family, socket.SOCK_STREAM)
            try:
                s.connect((host, port))
                return 'ok'
            except OSError as e:
                return errno.errorcode.get(e.errno, str(e.errno))
            finally:
                s.close()
        def nonblocking():
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            first = s.connect_ex(('127.0.0.1', port))
            select.select([], [s], [], 5)
            second = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            s.close()
            return errno.errorcode.get(first, str(first)) + '-' + ('ok' if second == 0 else str(second))
        r = {
            'proxy': t(socket.AF_INET, '127.0.0.1'),
            'mapped': t(socket.AF_INET6, '::ffff:127.0.0.1'),
            'other_loopback': t(socket.AF_INET, '127.0.0.2'),
            'ipv6_loopback': t(socket.AF_INET6, '::1'),
            'nonblocking': nonblocking(),
        }
        print(' '.join(k + '=' + v for k, v in sorted(r.items())))
        """;

    @Test
    void proxyOnlyConnectsToTheProxysExactAddressAndRefusesTheSamePortElsewhere() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        try (var listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             var dualStack = openIpv6Loopback(listener.getLocalPort())) {
            int port = listener.getLocalPort();
            var console = new ByteArrayOutputStream();
            var refusals = new Refusals(new PrintStream(console, true, StandardCharsets.UTF_8));
            var rules = new NetworkRules(NetworkMode.PROXY_ONLY, new InetSocketAddress("127.0.0.1", port), Set.of(), false, false);
            var out = runSupervised(rules, refusals, "/usr/bin/python3", "-c", CONNECTS, Integer.toString(port));
            assertEquals(Map.of("proxy", "ok", "mapped", "ok", "other_loopback", "EACCES", "ipv6_loopback", "EACCES",
                "nonblocking", "EINPROGRESS-ok"), words(out), out);
            var lines = console.toString(StandardCharsets.UTF_8);
            assertTrue(lines.contains("halt: refused 127.0.0.2:" + port + " (connect): not the proxy"), lines);
            assertTrue(lines.contains("halt: refused [::1]:" + port + " (connect): not the proxy"), lines);
            assertEquals(2, refusals.total(), lines);
            assertEquals(List.of(Map.entry("127.0.0.2:" + port + " (connect)", 1L), Map.entry("[::1]:" + port + " (connect)", 1L))
                .stream().sorted(Map.Entry.comparingByKey()).toList(), refusals.top(10).stream().sorted(Map.Entry.comparingByKey()).toList());
        }
    }

    /** A listener on [::1]:port, so that a connect there would succeed if it were let through; null without IPv6. */
    private static ServerSocket openIpv6Loopback(int port) {
        try {
            return new ServerSocket(port, 50, InetAddress.getByName("::1"));
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void aCallStillWaitingWhenTheSupervisorStopsFailsWithEnosys() throws Exception {
        var entered = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        // A handler that does not answer: what a dead halt, or one stuck in a call, looks like to the child.
        var builder = Supervisor.builder().handle("connect", dev.halt.core.linux.sys.Syscall.TABLE.connect(), (call, child) -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.error(dev.halt.ffm.linux.Errno.ECONNREFUSED);
        });
        var policy = new SeccompPolicy(SeccompPolicy.Sockets.TCP_ONLY, false, false, false)
            .withSupervised(EnumSet.of(SeccompPolicy.Supervised.NETWORK));
        var supervisor = builder.start();
        try {
            var child = ThrowawayThread.run("test-supervised-jailer", Duration.ofSeconds(10), () -> {
                Prctl.setNoNewPrivs();
                supervisor.attach(Seccomp.installWithListener(policy.compile()));
                return new ProcessBuilder("/usr/bin/python3", "-c", "import errno, socket\n"
                    + "print('connect=' + errno.errorcode[socket.socket().connect_ex(('127.0.0.1', 9))])").redirectErrorStream(true).start();
            });
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the connect reached the handler");
            supervisor.close();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child's call did not wait for an answer that cannot come");
            assertEquals("connect=ENOSYS", new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        } finally {
            release.countDown();
            supervisor.close();
        }
    }

    /** Two threads connect; each prints {@code first=ERRNO} or {@code second=ERRNO} when its connect returns. */
    private static final String TWO_THREADS = """
        import errno, socket, threading, time
        def connect(name):
            r = socket.socket().connect_ex(('127.0.0.1', 9))
            print(name + '=' + errno.errorcode.get(r, str(r)), flush=True)
        t = threading.Thread(target=connect, args=('first',))
        t.start()
        time.sleep(0.2)
        connect('second')
        t.join()
        """;

    @Test
    void aCallHaltIsStuckInDoesNotHoldUpTheChildsOtherCalls() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        var stuck = new java.util.concurrent.atomic.AtomicBoolean();
        var release = new java.util.concurrent.CountDownLatch(1);
        // The first connect waits in halt (a full backlog, a far host, a slow file system look the same
        // to the leader); the next one is answered at once, if a worker receives it.
        var builder = Supervisor.builder().handle("connect", dev.halt.core.linux.sys.Syscall.TABLE.connect(), (call, child) -> {
            if (stuck.compareAndSet(false, true)) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Response.error(dev.halt.ffm.linux.Errno.ETIMEDOUT);
            }
            return Response.error(dev.halt.ffm.linux.Errno.ECONNREFUSED);
        });
        var policy = new SeccompPolicy(SeccompPolicy.Sockets.TCP_ONLY, false, false, false)
            .withSupervised(EnumSet.of(SeccompPolicy.Supervised.NETWORK));
        try (var supervisor = builder.start()) {
            var child = ThrowawayThread.run("test-supervised-jailer", Duration.ofSeconds(10), () -> {
                Prctl.setNoNewPrivs();
                supervisor.attach(Seccomp.installWithListener(policy.compile()));
                return new ProcessBuilder("/usr/bin/python3", "-c", TWO_THREADS).redirectErrorStream(true).start();
            });
            try {
                var lines = new java.util.concurrent.LinkedBlockingQueue<String>();
                Thread.ofPlatform().daemon(true).start(() -> child.inputReader(StandardCharsets.UTF_8).lines().forEach(lines::add));
                var answered = lines.poll(10, TimeUnit.SECONDS);
                assertNotNull(answered, "the second connect is still waiting behind the first");
                assertTrue(answered.endsWith("=ECONNREFUSED"), answered);
                release.countDown();
                var released = lines.poll(10, TimeUnit.SECONDS);
                assertNotNull(released, "the first connect returned");
                assertTrue(released.endsWith("=ETIMEDOUT"), released);
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            } finally {
                release.countDown();
                child.destroyForcibly();
            }
        }
    }

    @Test
    void closingLeavesNoSupervisorThreadBehind() throws Exception {
        var supervisor = Supervisor.builder().start();
        supervisor.close();
        var left = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(supervisor.threadName())).toList();
        assertEquals(java.util.List.of(), left);
    }

    @Test
    void everyCallTheFilterRoutesHasAHandler() {
        var builder = Supervisor.builder();
        NetworkCalls.register(builder, new NetworkRules(NetworkMode.BLOCKED, null, Set.of(), true, true), new Refusals(System.err));
        for (boolean unix : new boolean[] {false, true}) {
            for (boolean binding : new boolean[] {false, true}) {
                var policy = new SeccompPolicy(SeccompPolicy.Sockets.TCP_ONLY, unix, false, binding)
                    .withSupervised(EnumSet.of(SeccompPolicy.Supervised.NETWORK));
                var routed = policy.supervisedCalls();
                assertFalse(routed.isEmpty());
                assertTrue(builder.calls().containsAll(routed), routed + " routed, handlers for " + builder.calls());
            }
        }
    }

    /** Runs {@code command} from a throwaway thread under the isolated filter with the network supervised; its output. */
    static String runSupervised(NetworkRules rules, Refusals refusals, String... command) throws Exception {
        var builder = Supervisor.builder();
        NetworkCalls.register(builder, rules, refusals);
        var policy = SeccompPolicy.forRun(rules.mode(), true, rules.allowUnixSockets(), rules.allowLocalBinding())
            .withSupervised(EnumSet.of(SeccompPolicy.Supervised.NETWORK));
        try (var supervisor = builder.start()) {
            var child = ThrowawayThread.run("test-supervised-jailer", Duration.ofSeconds(10), () -> {
                Prctl.setNoNewPrivs();
                supervisor.attach(Seccomp.installWithListener(policy.compile()));
                return new ProcessBuilder(command).redirectErrorStream(true).start();
            });
            var out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            return out;
        }
    }

    static Map<String, String> words(String out) {
        var result = new TreeMap<String, String>();
        for (var word : out.split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) result.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return result;
    }
}
