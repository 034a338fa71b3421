package dev.halt.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DNS server on 127.0.0.1 for tests: answers A queries for the names it knows with an IPv4
 * address, AAAA queries for those with an IPv6 one (no record for the other type), NXDOMAIN for
 * other names, and logs every name asked.
 */
final class FakeDnsUpstream implements AutoCloseable {
    private final DatagramSocket socket;
    private final Map<String, byte[]> answers;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final Thread thread;

    FakeDnsUpstream(Map<String, String> names) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        answers = names.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> {
            try {
                return InetAddress.getByName(e.getValue()).getAddress();
            } catch (IOException x) {
                throw new IllegalArgumentException(x);
            }
        }));
        thread = Thread.ofPlatform().daemon(true).name("fake-dns").start(this::serve);
    }

    int port() { return socket.getLocalPort(); }

    List<String> queries() { return List.copyOf(queries); }

    private void serve() {
        var buf = new byte[512];
        while (!socket.isClosed()) {
            var packet = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(packet);
                var reply = answer(packet.getData(), packet.getLength());
                if (reply != null) socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    private byte[] answer(byte[] q, int length) {
        if (length < 17) return null;
        int i = 12;
        var name = new StringBuilder();
        while (i < length && q[i] != 0) {
            int len = q[i] & 0xff;
            if (len > 63 || i + 1 + len > length) return null;
            if (!name.isEmpty()) name.append('.');
            name.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII).toLowerCase());
            i += 1 + len;
        }
        int questionEnd = i + 5;
        if (questionEnd > length) return null;
        int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        queries.add(name.toString());
        var address = answers.get(name.toString());
        // A (1) for a 4-byte address, AAAA (28) for a 16-byte one.
        boolean record = address != null && type == (address.length == 4 ? 1 : 28);
        var out = new java.io.ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x81);                                       // response, recursion desired
        out.write(address == null ? 0x83 : 0x80);              // recursion available; NXDOMAIN or NOERROR
        out.writeBytes(new byte[] {0, 1, 0, (byte) (record ? 1 : 0), 0, 0, 0, 0});
        out.write(q, 12, questionEnd - 12);
        if (record) {
            out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, (byte) type, 0, 1, 0, 0, 0, 60, 0, (byte) address.length});
            out.writeBytes(address);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
