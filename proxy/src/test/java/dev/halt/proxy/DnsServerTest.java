package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.halt.proxy.dns.DnsMessage;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DNS listener, over real UDP and TCP sockets on loopback, against a fake upstream. */
class DnsServerTest {
    FakeDns dns;
    ProxyServer proxy;
    List<DecisionEvent> events;

    @BeforeEach
    void setUp() throws IOException {
        dns = new FakeDns();
        dns.answer("allowed.test", "127.0.0.1", "::1");
        dns.answer("evil.test", "127.0.0.1");
        dns.answer("target.cdn.test", "127.0.0.1");
        dns.cnames.put("alias.allowed.test", "target.cdn.test");
        dns.answer("big.allowed.test", "127.0.0.1");
        dns.truncateOverUdp.add("big.allowed.test");
        dns.silent.add("slow.allowed.test");
        events = events();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allow("allowed.test", "*.allowed.test").dnsTtl(Duration.ofSeconds(30)).build());
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
        dns.close();
    }

    byte[] udp(byte[] q) throws IOException {
        return udp(q, 3000);
    }

    /** Sends one datagram; {@code null} when no answer came within {@code millis}. */
    byte[] udp(byte[] q, int millis) throws IOException {
        try (var s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            s.setSoTimeout(millis);
            s.send(new DatagramPacket(q, q.length, proxy.dnsAddresses().getFirst()));
            var p = new DatagramPacket(new byte[65535], 65535);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    byte[] tcp(byte[] q) throws IOException {
        try (Socket s = connect(proxy.dnsAddresses().getFirst())) {
            var out = s.getOutputStream();
            out.write(new byte[] {(byte) (q.length >> 8), (byte) q.length});
            out.write(q);
            var in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            return in.readNBytes(len);
        }
    }

    static DnsMessage parse(byte[] r) throws Exception {
        assertNotNull(r, "no answer");
        return DnsMessage.parse(r, r.length);
    }

    @Test
    void allowedNameIsAnsweredWithTtlCapped() throws Exception {
        dns.ttl = 3600;
        DnsMessage m = parse(udp(DnsMessage.query(0x1234, "Allowed.TEST", DnsMessage.TYPE_A)));
        assertEquals(0x1234, m.id());
        assertEquals(DnsMessage.RCODE_NOERROR, m.rcode());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), m.addresses());
        assertTrue(m.answers().getFirst().ttl() <= 30, "TTL capped: " + m.answers().getFirst().ttl());
        assertEquals("allowed.test", m.questions().getFirst().name());
        DnsMessage six = parse(udp(DnsMessage.query(7, "allowed.test", DnsMessage.TYPE_AAAA)));
        assertEquals(List.of(InetAddress.getByName("::1")), six.addresses());
        assertEquals(java.util.Set.of("allowed.test"), proxy.resolver().namesFor(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void answersAreCached() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(DnsMessage.RCODE_NOERROR, parse(udp(DnsMessage.query(i, "allowed.test", DnsMessage.TYPE_A))).rcode());
        }
        assertEquals(1, dns.count("allowed.test"));
    }

    @Test
    void refusedNameIsNxdomainAndNeverForwarded() throws Exception {
        DnsMessage m = parse(udp(DnsMessage.query(99, "evil.test", DnsMessage.TYPE_A)));
        assertEquals(DnsMessage.RCODE_NXDOMAIN, m.rcode());
        assertEquals(99, m.id());
        assertEquals(DnsMessage.RCODE_NXDOMAIN, parse(tcp(DnsMessage.query(98, "www.evil.test", DnsMessage.TYPE_AAAA))).rcode());
        assertEquals(DnsMessage.RCODE_NXDOMAIN, parse(udp(DnsMessage.query(97, "evil.test", 16))).rcode());
        assertEquals(0, dns.count("evil.test") + dns.count("www.evil.test"), dns.log.toString());
        assertTrue(events.stream().anyMatch(e -> e.via() == DecisionEvent.Via.DNS && "evil.test".equals(e.host())
                && e.decision() == DecisionEvent.Decision.REFUSED));
        assertTrue(proxy.resolver().namesFor(InetAddress.getByName("127.0.0.1")).isEmpty());
    }

    @Test
    void cnameChainAndOtherTypesPassThrough() throws Exception {
        DnsMessage m = parse(udp(DnsMessage.query(5, "alias.allowed.test", DnsMessage.TYPE_A)));
        assertEquals(DnsMessage.RCODE_NOERROR, m.rcode());
        assertEquals(DnsMessage.TYPE_CNAME, m.answers().getFirst().type());
        assertEquals("target.cdn.test", m.answers().getFirst().target());
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), m.addresses());
        // The address is attributed to the allowed name asked for, not to the CNAME target.
        assertTrue(proxy.resolver().namesFor(InetAddress.getByName("127.0.0.1")).contains("alias.allowed.test"));
        DnsMessage txt = parse(udp(DnsMessage.query(6, "allowed.test", 16)));
        assertEquals(1, txt.answers().size());
        assertEquals(16, txt.answers().getFirst().type());
    }

    @Test
    void truncatedUdpAnswerFallsBackToTcpUpstream() throws Exception {
        DnsMessage m = parse(udp(DnsMessage.query(5, "big.allowed.test", DnsMessage.TYPE_A)));
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), m.addresses());
        assertTrue(dns.log.contains("big.allowed.test/1/udp"), dns.log.toString());
        assertTrue(dns.log.contains("big.allowed.test/1/tcp"), dns.log.toString());
    }

    @Test
    void answerTooBigForTheClientsUdpLimitIsTruncatedAndWholeOverTcp() throws Exception {
        String[] ips = new String[30]; // 33 bytes each uncompressed: over 512, under 1232
        for (int i = 0; i < ips.length; i++) ips[i] = "127.0.1." + (i + 1);
        dns.answer("many.allowed.test", ips);
        byte[] withEdns = DnsMessage.query(9, "many.allowed.test", DnsMessage.TYPE_A);
        // The same query without its OPT record: a client that accepts 512 bytes over UDP.
        byte[] plain = java.util.Arrays.copyOf(withEdns, withEdns.length - 11);
        plain[11] = 0;
        DnsMessage small = parse(udp(plain));
        assertTrue(small.isTruncated());
        assertTrue(small.answers().isEmpty());
        assertEquals(30, parse(udp(withEdns)).addresses().size(), "fits in the 1232 bytes the EDNS client accepts");
        assertEquals(30, parse(tcp(plain)).addresses().size());
    }

    @Test
    void upstreamTimeoutIsServfail() throws Exception {
        DnsMessage m = parse(udp(DnsMessage.query(5, "slow.allowed.test", DnsMessage.TYPE_A)));
        assertEquals(DnsMessage.RCODE_SERVFAIL, m.rcode());
    }

    @Test
    void tcpQueriesWorkAndKeepTheConnection() throws Exception {
        try (Socket s = connect(proxy.dnsAddresses().getFirst())) {
            var in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < 3; i++) {
                byte[] q = DnsMessage.query(100 + i, "allowed.test", DnsMessage.TYPE_A);
                s.getOutputStream().write(new byte[] {0, (byte) q.length});
                s.getOutputStream().write(q);
                byte[] r = in.readNBytes(in.readUnsignedShort());
                assertEquals(100 + i, parse(r).id());
            }
        }
    }

    @Test
    void malformedQueriesGetFormerrOrSilenceAndTheServerKeepsServing() throws Exception {
        // Shorter than a header: nothing to answer to.
        assertNull(udp(new byte[] {1, 2, 3, 4, 5}, 500));
        // A header promising a question that is not there: FORMERR with the same id.
        byte[] header = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
        DnsMessage f = parse(udp(header));
        assertEquals(DnsMessage.RCODE_FORMERR, f.rcode());
        assertEquals(0x1234, f.id());
        // A name that is a pointer to itself.
        byte[] loop = {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};
        assertEquals(DnsMessage.RCODE_FORMERR, parse(udp(loop)).rcode());
        // Two pointers pointing at each other.
        byte[] loop2 = {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', (byte) 0xc0, 16, (byte) 0xc0, 12, 0, 1, 0, 1};
        assertEquals(DnsMessage.RCODE_FORMERR, parse(udp(loop2)).rcode());
        // A pointer out of bounds.
        byte[] oob = {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 1, 0, 1};
        assertEquals(DnsMessage.RCODE_FORMERR, parse(udp(oob)).rcode());
        // A label running past the end.
        byte[] cut = {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 60, 'a', 'b'};
        assertEquals(DnsMessage.RCODE_FORMERR, parse(udp(cut)).rcode());
        // A response sent to us: ignored.
        byte[] resp = DnsMessage.query(3, "allowed.test", DnsMessage.TYPE_A);
        resp[2] |= (byte) 0x80;
        assertNull(udp(resp, 500));
        // Garbage over TCP: FORMERR, not a crash.
        assertEquals(DnsMessage.RCODE_FORMERR, parse(tcp(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})).rcode());
        assertEquals(0, dns.log.stream().filter(l -> l.startsWith("malformed")).count());
        allowedNameIsAnsweredWithTtlCapped();
    }

    @Test
    void localOnlyAnswersAreRefusedWithoutAllowLocal() throws Exception {
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).allowLocalDestinations(false).allow("allowed.test").build());
        DnsMessage m = parse(udp(DnsMessage.query(5, "allowed.test", DnsMessage.TYPE_A)));
        assertEquals(DnsMessage.RCODE_NXDOMAIN, m.rcode());
        assertTrue(events.stream().anyMatch(e -> e.reason().contains("DNS rebinding")));
    }

    @Test
    void hostsFileIsConsultedBeforeUpstream(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var hosts = dir.resolve("hosts");
        java.nio.file.Files.writeString(hosts, "# comment\n127.0.0.7 Local.Allowed.Test other\n::1 local.allowed.test\n");
        proxy.close();
        proxy = ProxyServer.startOnLoopback(base(dns, events).hostsFile(hosts).allow("*.allowed.test").build());
        DnsMessage m = parse(udp(DnsMessage.query(5, "local.allowed.test", DnsMessage.TYPE_A)));
        assertEquals(List.of(InetAddress.getByName("127.0.0.7")), m.addresses());
        assertEquals(0, dns.count("local.allowed.test"));
        assertEquals(java.util.Set.of("local.allowed.test"), proxy.resolver().namesFor(InetAddress.getByName("127.0.0.7")));
    }
}
