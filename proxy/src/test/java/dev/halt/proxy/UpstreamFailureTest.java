package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An allowed host that cannot be reached is explained on the console, once per host, with what
 * upstream did: a fake DNS upstream on 127.0.0.1 that answers NXDOMAIN or SERVFAIL or stays
 * silent, and an origin port on 127.0.0.1 that refuses. DNS lookups are counted apart from
 * connections, and a proxy that decided nothing prints no summary.
 */
class UpstreamFailureTest {

    private record Run(String console, DecisionLog.Summary summary) {}

    /** A port on 127.0.0.1 that nothing listens on: bound, then closed. */
    private static int closedPort() throws Exception {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs {@code client} against a proxy allowing the test names over {@code dns}; the console and the counts. */
    private static Run withProxy(FakeDns dns, ThrowingConsumer<ProxyServer> client) throws Exception {
        var console = new ByteArrayOutputStream();
        var cfg = base(dns, events()).allow("nx.test", "broken.test", "silent.test", "refusing.test", "ok.test")
                .log(new ProxyConfig.LogOptions(null, new PrintStream(console, true, StandardCharsets.UTF_8), 60, true, null))
                .build();
        DecisionLog.Summary summary;
        try (var proxy = ProxyServer.startOnLoopback(cfg)) {
            client.accept(proxy);
            summary = proxy.decisionLog().summary();
        }
        return new Run(console.toString(StandardCharsets.UTF_8), summary);
    }

    private interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }

    private static String connect(ProxyServer proxy, String target) throws Exception {
        try (Socket s = ProxyTestSupport.connect(proxy.proxyAddress())) {
            send(s, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
            return readHead(s);
        }
    }

    private static long lines(String console, String prefix) {
        return console.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void eachUnreachableHostGetsOneLineWithWhatUpstreamDid() throws Exception {
        int refusing = closedPort();
        try (var dns = new FakeDns().answer("refusing.test", "127.0.0.1")) {
            dns.servfail.add("broken.test");
            dns.silent.add("silent.test");
            var run = withProxy(dns, proxy -> {
                for (int i = 0; i < 2; i++) {
                    assertTrue(connect(proxy, "nx.test:443").startsWith("HTTP/1.1 502"));
                }
                assertTrue(connect(proxy, "broken.test:443").startsWith("HTTP/1.1 502"));
                assertTrue(connect(proxy, "silent.test:443").startsWith("HTTP/1.1 504"));
                assertTrue(connect(proxy, "refusing.test:" + refusing).startsWith("HTTP/1.1 502"));
                assertTrue(await(Duration.ofSeconds(5), () -> proxy.decisionLog().summary().connections().failed() == 5));
            });
            String c = run.console();
            assertEquals(1, lines(c, "halt: could not reach nx.test:443: no address (upstream DNS NXDOMAIN)"), c);
            assertEquals(1, lines(c, "halt: could not reach broken.test:443: no address (upstream DNS SERVFAIL)"), c);
            assertEquals(1, lines(c, "halt: could not reach silent.test:443: no address (upstream DNS 127.0.0.1:"
                    + dns.address().getPort() + " did not answer (1 x 500 ms))"), c);
            assertEquals(1, lines(c, "halt: could not reach refusing.test:" + refusing + ": connection to 127.0.0.1:"
                    + refusing + " refused"), c);
            assertEquals(4, lines(c, "halt: could not reach "), "one line per host: " + c);
            assertEquals(new DecisionLog.Counts(0, 0, 5), run.summary().connections());
            assertTrue(c.contains("halt proxy: connections 0 allowed, 0 refused, 5 failed\n"), "no DNS lookups, no DNS part: " + c);
        }
    }

    @Test
    void theSandboxsDnsLookupsAreCountedApartAndAFailedOneIsExplained() throws Exception {
        try (var dns = new FakeDns().answer("ok.test", "127.0.0.1")) {
            var run = withProxy(dns, proxy -> {
                var server = proxy.dnsAddresses().getFirst();
                try (var udp = new DatagramSocket()) {
                    udp.setSoTimeout(5000);
                    int id = 0;
                    for (String name : List.of("ok.test", "nx.test", "nx.test", "evil.example")) {
                        byte[] q = DnsMessage.query(++id, name, DnsMessage.TYPE_A);
                        udp.send(new DatagramPacket(q, q.length, server));
                        var p = new DatagramPacket(new byte[512], 512);
                        udp.receive(p);
                        int expected = name.equals("ok.test") ? DnsMessage.RCODE_NOERROR : DnsMessage.RCODE_NXDOMAIN;
                        assertEquals(expected, DnsMessage.parse(p.getData(), p.getLength()).rcode(), name);
                    }
                }
                assertTrue(await(Duration.ofSeconds(5), () -> proxy.decisionLog().summary().lookups().total() == 4));
            });
            String c = run.console();
            assertEquals(new DecisionLog.Counts(1, 1, 2), run.summary().lookups(), "an allowed name upstream does not know failed");
            assertEquals(0, run.summary().connections().total());
            assertEquals(1, lines(c, "halt: could not reach nx.test: no address (upstream DNS NXDOMAIN)"), c);
            assertEquals(1, lines(c, "halt: refused evil.example (dns): "), c);
            assertTrue(c.contains("halt proxy: no connections; DNS lookups 1 answered, 1 refused, 2 failed\n"), c);
        }
    }

    @Test
    void aProxyThatDecidedNothingPrintsNoSummary() throws Exception {
        try (var dns = new FakeDns()) {
            var run = withProxy(dns, proxy -> { });
            assertTrue(run.summary().isEmpty());
            assertEquals("", run.console());
        }
    }
}
