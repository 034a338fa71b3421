package dev.halt.proxy.dns;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The upstream client and the resolver cache, against scripted UDP servers on 127.0.0.1. */
class DnsClientTest {

    /** A UDP server on 127.0.0.1 that records (id, source port) and runs a script per query. */
    static final class Scripted implements AutoCloseable {
        interface Script {
            void answer(DatagramSocket s, DatagramPacket query, DnsMessage m) throws Exception;
        }

        final DatagramSocket socket;
        final List<int[]> seen = new CopyOnWriteArrayList<>();
        final Thread thread;

        Scripted(Script script) throws IOException {
            socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
            thread = Thread.ofPlatform().daemon(true).start(() -> {
                byte[] buf = new byte[65535];
                while (!socket.isClosed()) {
                    try {
                        var p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        DnsMessage m = DnsMessage.parse(p.getData(), p.getLength());
                        seen.add(new int[] {m.id(), p.getPort()});
                        script.answer(socket, p, m);
                    } catch (Exception e) {
                        if (socket.isClosed()) return;
                    }
                }
            });
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        static void reply(DatagramSocket s, DatagramPacket to, byte[] r) throws IOException {
            s.send(new DatagramPacket(r, r.length, to.getSocketAddress()));
        }

        @Override
        public void close() {
            socket.close();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Scripted.Script answering(String ip, long ttl) {
        return (s, p, m) -> Scripted.reply(s, p, m.addressResponse(List.of(InetAddress.ofLiteral(ip)), ttl));
    }

    @Test
    void queriesUseRandomIdsAndSourcePorts() throws Exception {
        try (var server = new Scripted(answering("127.0.0.1", 60))) {
            var client = new DnsClient(List.of(server.address()), Duration.ofSeconds(2), 1);
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), client.query("a.test", DnsMessage.TYPE_A).addresses());
            }
            var ids = new HashSet<Integer>();
            var ports = new HashSet<Integer>();
            for (int[] s : server.seen) {
                ids.add(s[0]);
                ports.add(s[1]);
            }
            assertTrue(ids.size() >= 15, "ids " + ids);
            assertTrue(ports.size() >= 15, "ports " + ports);
        }
    }

    @Test
    void answersWithTheWrongIdOrQuestionAreIgnored() throws Exception {
        Scripted.Script spoofFirst = (s, p, m) -> {
            byte[] forged = m.addressResponse(List.of(InetAddress.ofLiteral("127.0.0.66")), 60);
            forged[0] ^= 0x55; // wrong id
            Scripted.reply(s, p, forged);
            byte[] otherName = DnsMessage.parse(DnsMessage.query(m.id(), "other.test", DnsMessage.TYPE_A), 40)
                    .addressResponse(List.of(InetAddress.ofLiteral("127.0.0.67")), 60);
            Scripted.reply(s, p, otherName);
            Scripted.reply(s, p, new byte[] {1, 2, 3});
            Scripted.reply(s, p, m.addressResponse(List.of(InetAddress.ofLiteral("127.0.0.1")), 60));
        };
        try (var server = new Scripted(spoofFirst)) {
            var client = new DnsClient(List.of(server.address()), Duration.ofSeconds(2), 1);
            assertEquals(List.of(InetAddress.ofLiteral("127.0.0.1")), client.query("a.test", DnsMessage.TYPE_A).addresses());
        }
    }

    @Test
    void silentServerIsSkippedForTheNextOne() throws Exception {
        try (var silent = new Scripted((s, p, m) -> { });
             var good = new Scripted(answering("127.0.0.1", 60))) {
            var client = new DnsClient(List.of(silent.address(), good.address()), Duration.ofMillis(200), 2);
            assertEquals(1, client.query("a.test", DnsMessage.TYPE_A).addresses().size());
            assertEquals(1, silent.seen.size());
            assertEquals(1, good.seen.size());
        }
    }

    @Test
    void allSilentIsATimeoutAfterEveryAttempt() throws Exception {
        try (var silent = new Scripted((s, p, m) -> { })) {
            var client = new DnsClient(List.of(silent.address()), Duration.ofMillis(100), 3);
            var e = assertThrows(DnsException.class, () -> client.query("a.test", DnsMessage.TYPE_A));
            assertTrue(e.isTimeout());
            assertTrue(e.getMessage().contains("did not answer (3 x 100 ms)"), e.getMessage());
            assertEquals(3, silent.seen.size());
        }
    }

    @Test
    void servfailMovesOnButIsReturnedWhenNothingBetterCame() throws Exception {
        Scripted.Script servfail = (s, p, m) -> Scripted.reply(s, p,
                DnsMessage.errorResponse(p.getData(), p.getLength(), DnsMessage.RCODE_SERVFAIL));
        try (var bad = new Scripted(servfail); var good = new Scripted(answering("127.0.0.1", 60))) {
            var both = new DnsClient(List.of(bad.address(), good.address()), Duration.ofMillis(500), 1);
            assertEquals(DnsMessage.RCODE_NOERROR, both.query("a.test", DnsMessage.TYPE_A).rcode());
            var only = new DnsClient(List.of(bad.address()), Duration.ofMillis(500), 1);
            assertEquals(DnsMessage.RCODE_SERVFAIL, only.query("a.test", DnsMessage.TYPE_A).rcode());
        }
    }

    @Test
    void resolverCachesByTtlCappedAndForgetsAddressesAfterwards() throws Exception {
        var now = new AtomicLong(1_000_000_000L);
        try (var server = new Scripted(answering("127.0.0.1", 3600))) {
            var client = new DnsClient(List.of(server.address()), Duration.ofSeconds(2), 1);
            var r = new Resolver(client, HostsFile.empty(), Duration.ofSeconds(30), now::get);
            var a = r.query("a.test", DnsMessage.TYPE_A);
            assertEquals(30, a.ttlLeft(now.get()));
            now.addAndGet(Duration.ofSeconds(29).toNanos());
            r.query("a.test", DnsMessage.TYPE_A);
            assertEquals(1, server.seen.size(), "served from cache within the capped TTL");
            assertEquals(java.util.Set.of("a.test"), r.namesFor(InetAddress.ofLiteral("127.0.0.1")));
            now.addAndGet(Duration.ofSeconds(2).toNanos());
            assertTrue(r.namesFor(InetAddress.ofLiteral("127.0.0.1")).isEmpty(), "the IP record expires with the TTL");
            r.query("a.test", DnsMessage.TYPE_A);
            assertEquals(2, server.seen.size(), "asked again after the cap");
        }
    }

    @Test
    void ttlZeroIsNotCachedButTheAddressStaysUsableBriefly() throws Exception {
        var now = new AtomicLong(0);
        try (var server = new Scripted(answering("127.0.0.1", 0))) {
            var r = new Resolver(new DnsClient(List.of(server.address()), Duration.ofSeconds(2), 1), HostsFile.empty(),
                    Duration.ofSeconds(300), now::get);
            r.addresses("z.test");
            r.addresses("z.test");
            assertEquals(2, server.seen.size());
            assertFalse(r.namesFor(InetAddress.ofLiteral("127.0.0.1")).isEmpty());
        }
    }

    @Test
    void concurrentMissesShareOneUpstreamQuery() throws Exception {
        Scripted.Script slow = (s, p, m) -> {
            Thread.sleep(300);
            Scripted.reply(s, p, m.addressResponse(List.of(InetAddress.ofLiteral("127.0.0.1")), 60));
        };
        try (var server = new Scripted(slow)) {
            var r = new Resolver(new DnsClient(List.of(server.address()), Duration.ofSeconds(3), 1), HostsFile.empty(), Duration.ofSeconds(60));
            var threads = new ArrayList<Thread>();
            var results = new CopyOnWriteArrayList<List<InetAddress>>();
            for (int i = 0; i < 20; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        results.add(r.addresses("burst.test"));
                    } catch (DnsException e) {
                        results.add(List.of());
                    }
                }));
            }
            for (Thread t : threads) t.join(5000);
            assertEquals(20, results.size());
            assertTrue(results.stream().allMatch(l -> l.equals(List.of(InetAddress.ofLiteral("127.0.0.1")))));
            assertEquals(1, server.seen.size(), "one upstream query for 20 concurrent misses");
        }
    }

    @Test
    void nxdomainIsNotAskedAgainForAaaa() throws Exception {
        Scripted.Script nx = (s, p, m) -> Scripted.reply(s, p, DnsMessage.errorResponse(p.getData(), p.getLength(), DnsMessage.RCODE_NXDOMAIN));
        try (var server = new Scripted(nx)) {
            var r = new Resolver(new DnsClient(List.of(server.address()), Duration.ofSeconds(2), 1), HostsFile.empty(), Duration.ofSeconds(60));
            assertTrue(r.addresses("gone.test").isEmpty());
            assertEquals(1, server.seen.size());
            assertTrue(r.addresses("gone.test").isEmpty());
            assertEquals(1, server.seen.size(), "the negative answer is cached");
        }
    }

    @Test
    void addressSharedByTwoAllowedNamesIsAttributedToBoth() {
        var now = new AtomicLong(0);
        var r = new Resolver(new DnsClient(List.of(new InetSocketAddress("127.0.0.1", 9)), Duration.ofMillis(10), 1),
                HostsFile.empty(), Duration.ofSeconds(300), now::get);
        var ip = InetAddress.ofLiteral("127.0.0.1");
        r.record(ip, "a.test", 100);
        r.record(ip, "b.test", 50);
        assertEquals(java.util.Set.of("a.test", "b.test"), r.namesFor(ip));
        now.set(101);
        assertTrue(r.namesFor(ip).isEmpty());
        assertTrue(new ArrayList<>(r.cacheView().keySet()).isEmpty());
    }
}
