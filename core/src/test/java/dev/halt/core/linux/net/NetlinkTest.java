package dev.halt.core.linux.net;

import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.ffm.linux.Errno;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Netlink against the real kernel, as root, with traffic only inside namespaces the test made:
 * loopback in a fresh namespace, a veth pair between two, link-local and ULA addresses, the
 * sandbox's default route, and the proxy namespace's {@code local 0.0.0.0/0} and {@code ::/0}.
 * Interface names are fixed: they exist only inside these private namespaces, never in the
 * host's, which each test checks.
 */
@Tag("linux")
class NetlinkTest {

    private static final Duration TASK = Duration.ofSeconds(20);
    private static final Set<String> OURS = Set.of("halt0", "halt1", "halt2");

    @BeforeAll
    static void startJdkMachineryOnAnOrdinaryThread() throws Exception {
        // A JDK thread started lazily by the first socket (e.g. a cleaner) would inherit the
        // namespace of the thread that triggered it and keep it alive: trigger it here, on the host.
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
    }

    private static InetAddress ip(String literal) throws IOException {
        return InetAddress.getByName(literal); // literals only: no resolver involved
    }

    private static Set<String> hostLinkNames() throws ErrnoException {
        try (var netlink = Netlink.open()) {
            return netlink.links().stream().map(Netlink.Link::name).collect(Collectors.toSet());
        }
    }

    private static void assertHostHasNoneOfOurs() throws ErrnoException {
        var host = hostLinkNames();
        assertFalse(host.isEmpty(), "the host dump lists at least lo");
        for (var name : OURS) assertFalse(host.contains(name), name + " appeared in the host namespace: " + host);
    }

    /** Connects from inside {@code client} to {@code target}, sends "ping", expects "pong"; returns the peer's view. */
    private static String pingPong(NetworkNamespace client, ServerSocket server, InetSocketAddress target) throws Exception {
        var accepted = new CompletableFuture<String>();
        // The listener lives in its own namespace; an ordinary thread may accept on it.
        var acceptor = Thread.ofPlatform().name("test-accept").start(() -> {
            try (var socket = server.accept()) {
                socket.setSoTimeout(5_000);
                var in = socket.getInputStream().readNBytes(4);
                socket.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                accepted.complete(new String(in, StandardCharsets.US_ASCII) + " " + socket.getLocalAddress().getHostAddress()
                    + " " + socket.getInetAddress().getHostAddress());
            } catch (Throwable t) {
                accepted.completeExceptionally(t);
            }
        });
        try {
            var reply = client.call(TASK, () -> {
                try (var socket = new Socket()) {
                    socket.connect(target, 5_000);
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                    return new String(socket.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
                }
            });
            assertEquals("pong", reply);
            return accepted.get(10, TimeUnit.SECONDS);
        } finally {
            acceptor.join(Duration.ofSeconds(10));
        }
    }

    private static ServerSocket listen(NetworkNamespace namespace, InetAddress address) throws Exception {
        return namespace.call(TASK, () -> {
            var server = new ServerSocket();
            server.bind(new InetSocketAddress(address, 0));
            server.setSoTimeout(10_000);
            return server;
        });
    }

    /** Connecting fails fast or within a second: whichever way, no connection is made. */
    private static void assertCannotConnect(NetworkNamespace client, InetSocketAddress target) throws Exception {
        var failure = client.call(TASK, () -> {
            try (var socket = new Socket()) {
                socket.connect(target, 1_000);
                return null;
            } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
                return e;
            } catch (SocketException e) {
                return e; // "Network is unreachable"
            }
        });
        assertNotNull(failure, "connected to " + target + " although nothing should route there");
    }

    @Test
    @Tag("root")
    void loopbackComesUpAndCarriesTcpInsideTheNamespace() throws Exception {
        Requires.networkAdmin();
        try (var namespace = NetworkNamespace.create("test-netns-lo")) {
            var loopback = new InetSocketAddress(ip("127.0.0.1"), 9);
            // A new namespace's lo is down: 127.0.0.1 is unreachable until it comes up.
            assertCannotConnect(namespace, loopback);
            var up = namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    assertFalse(netlink.links().stream().filter(l -> l.name().equals("lo")).findFirst().orElseThrow().isUp());
                    netlink.linkUp("lo");
                    return netlink.links();
                }
            });
            assertEquals(List.of("lo"), up.stream().map(Netlink.Link::name).toList(), "a new namespace has lo alone");
            assertTrue(up.getFirst().isUp());

            try (var server = listen(namespace, ip("127.0.0.1"))) {
                var seen = pingPong(namespace, server, new InetSocketAddress(ip("127.0.0.1"), server.getLocalPort()));
                assertEquals("ping 127.0.0.1 127.0.0.1", seen);
            }
            // And by index: lo is 1 in every namespace, bringing it up twice is fine.
            namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    assertEquals(1, netlink.linkIndex("lo"));
                    netlink.linkUp(1);
                }
                return null;
            });
        }
    }

    /** Namespace A (sandbox side) and B (proxy side) joined by veth halt0 (in A) / halt1 (in B). */
    private record Pair(NetworkNamespace a, NetworkNamespace b, int indexA, int indexB) implements AutoCloseable {
        static Pair create(String test) throws Exception {
            var a = NetworkNamespace.create(test + "-a");
            try {
                var b = NetworkNamespace.create(test + "-b");
                try {
                    int indexA = a.call(TASK, () -> {
                        try (var netlink = Netlink.open()) {
                            netlink.linkUp("lo");
                            netlink.createVethPair("halt0", "halt1", b.fd());
                            var names = netlink.links().stream().map(Netlink.Link::name).toList();
                            assertTrue(names.contains("halt0"), names.toString());
                            assertFalse(names.contains("halt1"), "the peer was created directly in B: " + names);
                            return netlink.linkIndex("halt0");
                        }
                    });
                    int indexB = b.call(TASK, () -> {
                        try (var netlink = Netlink.open()) {
                            netlink.linkUp("lo");
                            var error = assertThrows(ErrnoException.class, () -> netlink.linkIndex("halt0"));
                            assertEquals(Errno.ENODEV, error.errno(), "A's end is not in B");
                            return netlink.linkIndex("halt1");
                        }
                    });
                    return new Pair(a, b, indexA, indexB);
                } catch (Throwable t) {
                    b.close();
                    throw t;
                }
            } catch (Throwable t) {
                a.close();
                throw t;
            }
        }

        void configure(NetworkNamespace namespace, int index, InetAddress address, int prefix,
                       InetAddress defaultGateway, InetAddress localPrefix) throws Exception {
            namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    netlink.addAddress(index, address, prefix);
                    netlink.linkUp(index);
                    if (defaultGateway != null) netlink.addDefaultRoute(defaultGateway, index);
                    if (localPrefix != null) netlink.addLocalRoute(netlink.linkIndex("lo"), localPrefix, 0);
                }
                return null;
            });
        }

        /** Both ends pass packets (each checked in its own namespace). */
        void awaitRunning() throws Exception {
            for (var side : List.of(a, b)) {
                int index = side == a ? indexA : indexB;
                var link = side.call(TASK, () -> {
                    try (var netlink = Netlink.open()) {
                        return netlink.awaitRunning(index, Duration.ofSeconds(5));
                    }
                });
                assertTrue(link.isRunning() && link.qdisc().equals("noqueue"), link.toString());
            }
        }

        @Override
        public void close() {
            b.close();
            a.close();
        }
    }

    @Test
    @Tag("root")
    void vethPairCarriesTcpBetweenTwoNamespaces() throws Exception {
        Requires.networkAdmin();
        assertHostHasNoneOfOurs();
        try (var pair = Pair.create("test-netns-veth")) {
            pair.configure(pair.a(), pair.indexA(), ip("169.254.10.1"), 30, null, null);
            pair.configure(pair.b(), pair.indexB(), ip("169.254.10.2"), 30, null, null);
            pair.awaitRunning();
            assertHostHasNoneOfOurs();
            // Server created by a thread in A, client in B.
            try (var server = listen(pair.a(), ip("169.254.10.1"))) {
                var seen = pingPong(pair.b(), server, new InetSocketAddress(ip("169.254.10.1"), server.getLocalPort()));
                assertEquals("ping 169.254.10.1 169.254.10.2", seen);
            }
            var linksA = pair.a().call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    return netlink.links();
                }
            });
            assertTrue(linksA.stream().anyMatch(l -> l.name().equals("halt0") && l.isUp() && l.index() == pair.indexA()), linksA.toString());
        }
        assertHostHasNoneOfOurs();
    }

    @Test
    @Tag("root")
    void localDefaultRouteDeliversEveryIpv4DestinationToTheProxyNamespace() throws Exception {
        Requires.networkAdmin();
        try (var pair = Pair.create("test-netns-any4")) {
            // A is the sandbox: its default route points at B. B is the proxy namespace.
            pair.configure(pair.a(), pair.indexA(), ip("169.254.20.1"), 30, ip("169.254.20.2"), null);
            pair.configure(pair.b(), pair.indexB(), ip("169.254.20.2"), 30, null, null);
            pair.awaitRunning();
            try (var server = listen(pair.b(), ip("0.0.0.0"))) {
                var elsewhere = new InetSocketAddress(ip("169.254.99.99"), server.getLocalPort());
                // Without the local route B is no router (forwarding is off): the SYN is dropped.
                assertCannotConnect(pair.a(), elsewhere);
                // Nor can a listener there bind an address no interface holds.
                assertThrows(BindException.class, () -> listen(pair.b(), ip("192.0.2.53")).close());

                pair.b().call(TASK, () -> {
                    try (var netlink = Netlink.open()) {
                        netlink.addLocalRoute(netlink.linkIndex("lo"), ip("0.0.0.0"), 0);
                    }
                    return null;
                });
                // The accepted socket's local address is the destination the client asked for.
                assertEquals("ping 169.254.99.99 169.254.20.1", pingPong(pair.a(), server, elsewhere));
                assertEquals("ping 192.0.2.7 169.254.20.1",
                    pingPong(pair.a(), server, new InetSocketAddress(ip("192.0.2.7"), server.getLocalPort())));
            }
            // With it, any IPv4 address is local: a DNS listener can bind a nameserver's address.
            try (var dns = listen(pair.b(), ip("192.0.2.53"))) {
                assertEquals("ping 192.0.2.53 169.254.20.1",
                    pingPong(pair.a(), dns, new InetSocketAddress(ip("192.0.2.53"), dns.getLocalPort())));
            }
        }
    }

    @Test
    @Tag("root")
    void localDefaultRouteDeliversEveryIpv6DestinationToTheProxyNamespace() throws Exception {
        Requires.networkAdmin();
        try (var pair = Pair.create("test-netns-any6")) {
            pair.configure(pair.a(), pair.indexA(), ip("fd68:616c:74::1"), 64, ip("fd68:616c:74::2"), null);
            pair.configure(pair.b(), pair.indexB(), ip("fd68:616c:74::2"), 64, null, ip("::"));
            pair.awaitRunning();
            try (var server = listen(pair.b(), ip("::"))) {
                var elsewhere = new InetSocketAddress(ip("fd00:99::99"), server.getLocalPort());
                var seen = pingPong(pair.a(), server, elsewhere);
                assertEquals("ping fd00:99:0:0:0:0:0:99 fd68:616c:74:0:0:0:0:1", seen);
                assertInstanceOf(Inet6Address.class, ip("fd00:99::99"));
            }
        }
    }

    @Test
    @Tag("root")
    void proxyLinkWiresTheSandboxToTheProxyNamespace() throws Exception {
        Requires.networkAdmin();
        assertHostHasNoneOfOurs();
        var link = ProxyLink.DEFAULT;
        try (var proxy = NetworkNamespace.create("test-netns-proxy");
             var sandbox = NetworkNamespace.create("test-netns-sandbox")) {
            // As the jailer will: on its own thread, after unshare.
            sandbox.call(TASK, () -> {
                link.wire(proxy, TASK);
                return null;
            });
            assertHostHasNoneOfOurs();
            var sandboxLinks = sandbox.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    return netlink.links();
                }
            });
            assertEquals(Set.of("lo", "halt0"), sandboxLinks.stream().map(Netlink.Link::name).collect(Collectors.toSet()));
            assertTrue(sandboxLinks.stream().allMatch(Netlink.Link::isUp), sandboxLinks.toString());

            // One dual-stack listener in the proxy namespace takes the child's connections to any address.
            try (var server = listen(proxy, ip("::"))) {
                int port = server.getLocalPort();
                // The first connection of each family: quick, not after a lost SYN's 1 s retransmission.
                long start = System.nanoTime();
                assertEquals("ping 2001:db8:0:0:0:0:0:1 fd68:616c:74:0:0:0:0:1",
                    pingPong(sandbox, server, new InetSocketAddress(ip("2001:db8::1"), port)));
                long v6Millis = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                assertEquals("ping 192.0.2.1 169.254.77.1",
                    pingPong(sandbox, server, new InetSocketAddress(ip("192.0.2.1"), port)));
                long v4Millis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(v6Millis < 900 && v4Millis < 900,
                    "first connections took " + v6Millis + " ms (IPv6) and " + v4Millis + " ms (IPv4)");
                assertEquals("ping 169.254.77.2 169.254.77.1",
                    pingPong(sandbox, server, new InetSocketAddress(link.proxyV4(), port)));
            }
        }
        assertHostHasNoneOfOurs();
    }

    @Test
    @Tag("root")
    void namespaceTasksRunInsideOnOneThreadAndRefuseVirtualCallers() throws Exception {
        Requires.networkAdmin();
        var host = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        try (var namespace = NetworkNamespace.create("test-netns-tasks")) {
            assertNotEquals(host, namespace.identity());
            var inside = namespace.call(TASK, () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
            assertEquals(namespace.identity(), inside, "a task runs in the namespace");
            // A task calling back in runs directly instead of waiting on itself.
            assertEquals(inside, namespace.call(TASK, () -> namespace.call(TASK,
                () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString())));
            var failure = namespace.call(TASK, () -> assertThrows(ErrnoException.class,
                () -> { throw new ErrnoException("probe", Errno.EPERM); }));
            assertEquals(Errno.EPERM, failure.errno());
            var thrown = assertThrows(ErrnoException.class,
                () -> namespace.call(TASK, () -> { throw new ErrnoException("task", Errno.EBUSY); }));
            assertEquals("task: " + ErrnoException.describe(Errno.EBUSY), thrown.getMessage(), "a task's failure is rethrown as is");

            var refused = new CompletableFuture<Throwable>();
            Thread.ofVirtual().start(() -> {
                try {
                    namespace.call(TASK, () -> "ran");
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            assertInstanceOf(IllegalStateException.class, refused.get(10, TimeUnit.SECONDS));
            var timedOut = assertThrows(IllegalStateException.class,
                () -> namespace.call(Duration.ofMillis(100), () -> { Thread.sleep(10_000); return null; }));
            assertTrue(timedOut.getMessage().contains("did not finish"), timedOut.getMessage());
            assertEquals("still serving", namespace.call(TASK, () -> "still serving"), "a timed-out task was interrupted, the owner lives on");
        }
        assertEquals(host, Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
    }

    @Test
    @Tag("root")
    void aDuplicateVethNameIsEexistNamingThePair() throws Exception {
        Requires.networkAdmin();
        try (var pair = Pair.create("test-netns-dup")) {
            var error = pair.a().call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    return assertThrows(ErrnoException.class, () -> netlink.createVethPair("halt0", "halt2", pair.b().fd()));
                }
            });
            assertEquals(Errno.EEXIST, error.errno());
            assertTrue(error.getMessage().startsWith("RTM_NEWLINK veth halt0/halt2: EEXIST (File exists)"), error.getMessage());
        }
        assertHostHasNoneOfOurs();
    }

    @Test
    @Tag("root")
    void aVethEndDoesNotRunWhileItsPeerIsDown() throws Exception {
        Requires.networkAdmin();
        try (var pair = Pair.create("test-netns-down")) {
            var results = pair.a().call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    netlink.linkUp(pair.indexA());
                    var link = netlink.link(pair.indexA());
                    var error = assertThrows(ErrnoException.class, () -> netlink.awaitRunning(pair.indexA(), Duration.ofMillis(300)));
                    return List.of(link, error);
                }
            });
            var link = (Netlink.Link) results.get(0);
            assertEquals("halt0", link.name());
            assertTrue(link.isUp() && !link.isRunning(), "up without carrier: " + link);
            var error = (ErrnoException) results.get(1);
            assertEquals(Errno.ETIMEDOUT, error.errno());
            assertTrue(error.getMessage().startsWith("waiting for halt0 to run: ETIMEDOUT"), error.getMessage());

            pair.b().call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    netlink.linkUp(pair.indexB());
                }
                return null;
            });
            pair.awaitRunning();
        }
    }

    @Test
    @Tag("root")
    void aMissingLinkIsEnodevNamingIt() throws Exception {
        Requires.networkAdmin();
        try (var namespace = NetworkNamespace.create("test-netns-nodev")) {
            var errors = namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    return List.of(
                        assertThrows(ErrnoException.class, () -> netlink.linkUp(999_999)),
                        assertThrows(ErrnoException.class, () -> netlink.linkIndex("halt9")),
                        assertThrows(ErrnoException.class, () -> netlink.addAddress(999_999, ip("169.254.1.1"), 30)));
                }
            });
            for (var error : errors) assertEquals(Errno.ENODEV, error.errno(), error.getMessage());
            assertTrue(errors.get(0).getMessage().startsWith("RTM_SETLINK up ifindex 999999: ENODEV (No such device)"),
                errors.get(0).getMessage());
            assertTrue(errors.get(1).getMessage().startsWith("RTM_GETLINK halt9: ENODEV"), errors.get(1).getMessage());
            assertTrue(errors.get(2).getMessage().startsWith("RTM_NEWADDR 169.254.1.1/30 ifindex 999999: ENODEV"),
                errors.get(2).getMessage());
        }
    }

    @Test
    @Tag("root")
    void theKernelsExtendedAckTextIsInTheMessage() throws Exception {
        Requires.networkAdmin();
        try (var namespace = NetworkNamespace.create("test-netns-extack")) {
            var error = namespace.call(TASK, () -> {
                try (var netlink = Netlink.open()) {
                    netlink.linkUp("lo");
                    // No route covers this gateway: the kernel refuses it and says why.
                    return assertThrows(ErrnoException.class, () -> netlink.addDefaultRoute(ip("169.254.50.1"), 1));
                }
            });
            var plain = "RTM_NEWROUTE default via 169.254.50.1 ifindex 1: " + ErrnoException.describe(error.errno());
            assertTrue(error.getMessage().startsWith(plain + ": ") && error.getMessage().length() > plain.length() + 2,
                "an extended-ack explanation follows the errno: " + error.getMessage());
        }
    }

    @Test
    @Tag("root")
    void nothingOutlivesTheNamespaceThreads() throws Exception {
        Requires.networkAdmin();
        assertHostHasNoneOfOurs();
        var pair = Pair.create("test-netns-gone");
        long tidA = pair.a().nativeThreadId();
        long tidB = pair.b().nativeThreadId();
        assertTrue(Files.exists(Path.of("/proc/self/task/" + tidA)), "the owner thread is a task of this process");
        assertNotEquals(pair.a().identity(), pair.b().identity());
        assertHostHasNoneOfOurs();

        // Ending A destroys its namespace, and with it halt0; a veth never outlives its peer.
        pair.a().close();
        assertFalse(pair.a().isAlive());
        var vanished = pair.b().call(Duration.ofSeconds(30), () -> {
            try (var netlink = Netlink.open()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                for (int i = 0; i < 400 && System.nanoTime() < deadline; i++) {
                    try {
                        netlink.linkIndex("halt1");
                    } catch (ErrnoException e) {
                        if (e.errno() == Errno.ENODEV) return true;
                        throw e;
                    }
                    Thread.sleep(50);
                }
                return false;
            }
        });
        assertTrue(vanished, "halt1 in B went away with A's namespace");
        pair.b().close();

        for (long tid : List.of(tidA, tidB)) {
            var task = Path.of("/proc/self/task/" + tid);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (int i = 0; i < 100 && Files.exists(task) && System.nanoTime() < deadline; i++) Thread.sleep(50);
            assertFalse(Files.exists(task), "thread " + tid + " has ended");
        }
        assertThrows(IllegalStateException.class, () -> pair.b().fd(), "a closed namespace gives out no fd");
        assertHostHasNoneOfOurs();
    }
}
