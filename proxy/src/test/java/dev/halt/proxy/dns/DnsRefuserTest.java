package dev.halt.proxy.dns;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/** The name server of the isolated modes, on loopback: NXDOMAIN for every name, each named once. */
class DnsRefuserTest {

    @Test
    void everyQueryGetsNxdomainAndEachNameIsReportedOnce() throws Exception {
        var reported = new CopyOnWriteArrayList<String>();
        var loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        var udp = DatagramChannel.open().bind(loopback);
        var tcp = ServerSocketChannel.open().bind(loopback);
        try (var refuser = DnsRefuser.start(List.of(udp), List.of(tcp), reported::add);
             var client = DatagramChannel.open()) {
            client.connect(udp.getLocalAddress());
            client.socket().setSoTimeout(5000);
            for (var name : List.of("Registry.NPMJS.org.", "registry.npmjs.org", "other.test")) {
                var answer = ask(client, DnsMessage.query(7, name, DnsMessage.TYPE_A));
                assertEquals(DnsMessage.RCODE_NXDOMAIN, answer.rcode(), name);
                assertEquals(7, answer.id());
                assertTrue(answer.questions().getFirst().name().equalsIgnoreCase(name.replaceFirst("\\.$", "")),
                    "the question is echoed: " + answer.questions());
            }
            assertEquals(DnsMessage.RCODE_FORMERR, ask(client, new byte[] {0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63}).rcode());
            var escape = DnsMessage.query(8, "x.test", DnsMessage.TYPE_A);
            escape[13] = 0x1b; // "x" becomes ESC: a name that would drive the terminal stderr goes to
            assertEquals(DnsMessage.RCODE_FORMERR, ask(client, escape).rcode(), "refused, and not reported");

            var port = ((InetSocketAddress) tcp.getLocalAddress()).getPort();
            try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(5000);
                var out = new DataOutputStream(socket.getOutputStream());
                var in = new DataInputStream(socket.getInputStream());
                for (int i = 0; i < 2; i++) {
                    var query = DnsMessage.query(40 + i, "tcp.test", DnsMessage.TYPE_AAAA);
                    out.writeShort(query.length);
                    out.write(query);
                    var answer = in.readNBytes(in.readUnsignedShort());
                    assertEquals(DnsMessage.RCODE_NXDOMAIN, DnsMessage.parse(answer, answer.length).rcode());
                }
            }
            assertEquals(List.of("registry.npmjs.org", "other.test", "tcp.test"), reported);
        }
        assertFalse(udp.isOpen() || tcp.isOpen(), "closing the refuser closes its sockets");
    }

    private static DnsMessage ask(DatagramChannel client, byte[] query) throws Exception {
        client.write(ByteBuffer.wrap(query));
        var in = client.socket();
        var packet = new java.net.DatagramPacket(new byte[512], 512);
        in.receive(packet);
        return DnsMessage.parse(packet.getData(), packet.getLength());
    }
}
