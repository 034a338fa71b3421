package dev.halt.proxy;

import dev.halt.proxy.dns.DnsFormatException;
import dev.halt.proxy.dns.DnsMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A DNS upstream on 127.0.0.1 for tests: answers from a table (NXDOMAIN for a name not in it),
 * logs every question it gets (so a test can prove a name never reached it), can stay silent,
 * answer SERVFAIL or truncate over UDP.
 */
final class FakeDns implements AutoCloseable {
    final Map<String, List<InetAddress>> addresses = new ConcurrentHashMap<>();
    final Map<String, String> cnames = new ConcurrentHashMap<>();
    final Set<String> silent = ConcurrentHashMap.newKeySet();
    /** Names answered with SERVFAIL. */
    final Set<String> servfail = ConcurrentHashMap.newKeySet();
    final Set<String> truncateOverUdp = ConcurrentHashMap.newKeySet();
    /** "name/type/udp" or "name/type/tcp" per question received. */
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile long ttl = 60;
    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final Thread udpThread;
    private final Thread tcpThread;

    FakeDns() throws IOException {
        var lo = InetAddress.getByName("127.0.0.1");
        DatagramChannel u = null;
        ServerSocketChannel t = null;
        for (int i = 0; i < 20 && t == null; i++) {
            u = DatagramChannel.open().bind(new InetSocketAddress(lo, 0));
            try {
                t = ServerSocketChannel.open().bind(new InetSocketAddress(lo, ((InetSocketAddress) u.getLocalAddress()).getPort()));
            } catch (IOException e) {
                u.close();
            }
        }
        udp = u;
        tcp = t;
        udpThread = Thread.ofPlatform().daemon(true).start(this::udpLoop);
        tcpThread = Thread.ofPlatform().daemon(true).start(this::tcpLoop);
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) udp.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    FakeDns answer(String name, String... ips) {
        addresses.put(name, java.util.Arrays.stream(ips).map(InetAddress::ofLiteral).toList());
        return this;
    }

    long count(String name) {
        return log.stream().filter(l -> l.startsWith(name + "/")).count();
    }

    private void udpLoop() {
        var buf = ByteBuffer.allocate(65535);
        while (udp.isOpen()) {
            try {
                buf.clear();
                var from = udp.receive(buf);
                byte[] r = respond(java.util.Arrays.copyOf(buf.array(), buf.position()), true);
                if (r != null) udp.send(ByteBuffer.wrap(r), from);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tcpLoop() {
        while (tcp.isOpen()) {
            try {
                var ch = tcp.accept();
                Thread.ofVirtual().start(() -> {
                    try (Socket s = ch.socket()) {
                        s.setSoTimeout(5000);
                        var in = new DataInputStream(s.getInputStream());
                        int len = in.readUnsignedShort();
                        byte[] q = in.readNBytes(len);
                        byte[] r = respond(q, false);
                        if (r != null) {
                            var out = s.getOutputStream();
                            out.write(new byte[] {(byte) (r.length >> 8), (byte) r.length});
                            out.write(r);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // test client went away
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    private byte[] respond(byte[] q, boolean overUdp) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(q, q.length);
        } catch (DnsFormatException e) {
            log.add("malformed/" + (overUdp ? "udp" : "tcp"));
            return null;
        }
        var question = m.questions().getFirst();
        String name = question.name();
        log.add(name + "/" + question.type() + "/" + (overUdp ? "udp" : "tcp"));
        if (silent.contains(name)) {
            return null;
        }
        var out = new ByteArrayOutputStream();
        out.write(q, 0, m.questionEnd());
        int answers = 0;
        boolean truncated = overUdp && truncateOverUdp.contains(name);
        String owner = name;
        if (!truncated) {
            String target = cnames.get(name);
            if (target != null) {
                name(out, owner);
                u16(out, DnsMessage.TYPE_CNAME);
                u16(out, 1);
                u32(out, ttl);
                var t = new ByteArrayOutputStream();
                name(t, target);
                u16(out, t.size());
                out.writeBytes(t.toByteArray());
                answers++;
                owner = target;
            }
            if (question.type() == 16) { // TXT, to show other types pass through
                name(out, owner);
                u16(out, 16);
                u16(out, 1);
                u32(out, ttl);
                byte[] txt = "hello".getBytes(StandardCharsets.US_ASCII);
                u16(out, txt.length + 1);
                out.write(txt.length);
                out.writeBytes(txt);
                answers++;
            }
            for (InetAddress a : addresses.getOrDefault(owner, List.of())) {
                boolean v4 = a instanceof Inet4Address;
                if ((question.type() == DnsMessage.TYPE_A) != v4 || (question.type() != DnsMessage.TYPE_A && question.type() != DnsMessage.TYPE_AAAA)) {
                    continue;
                }
                name(out, owner);
                u16(out, question.type());
                u16(out, 1);
                u32(out, ttl);
                byte[] raw = a.getAddress();
                u16(out, raw.length);
                out.writeBytes(raw);
                answers++;
            }
        }
        byte[] r = out.toByteArray();
        boolean known = addresses.containsKey(owner) || cnames.containsKey(name) || question.type() == 16;
        int rcode = servfail.contains(name) ? 2 : known || truncated ? 0 : 3;
        int flags = 0x8000 | 0x0100 | 0x0080 | (truncated ? 0x0200 : 0) | rcode;
        r[2] = (byte) (flags >> 8);
        r[3] = (byte) flags;
        r[6] = (byte) (answers >> 8);
        r[7] = (byte) answers;
        r[8] = r[9] = r[10] = r[11] = 0;
        return r;
    }

    private static void name(ByteArrayOutputStream out, String name) {
        for (String l : name.split("\\.")) {
            out.write(l.length());
            out.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        u16(out, (int) (v >>> 16));
        u16(out, (int) v);
    }

    @Override
    public void close() throws IOException {
        udp.close();
        tcp.close();
        try {
            udpThread.join(2000);
            tcpThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
