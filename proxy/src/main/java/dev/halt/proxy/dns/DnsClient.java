package dev.halt.proxy.dns;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * A stub DNS client: UDP with TCP fallback when the answer is truncated, a random query id and
 * a fresh socket (so a random source port) per query, a timeout per server and several rounds
 * over the servers. Answers whose source, id or question do not match are ignored, which makes
 * off-path spoofing need to guess 32 bits.
 */
public final class DnsClient {
    private static final System.Logger LOG = System.getLogger(DnsClient.class.getName());
    private final List<InetSocketAddress> servers;
    private final int timeoutMillis;
    private final int attempts;
    private final SecureRandom random = new SecureRandom();

    /** @param servers upstream servers, tried in order; must not be empty */
    public DnsClient(List<InetSocketAddress> servers, Duration timeout, int attempts) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no upstream DNS server (none given and none in resolv.conf)");
        }
        this.servers = List.copyOf(servers);
        this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        this.attempts = attempts;
    }

    /** The servers this client asks. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * Asks the upstream servers for one name and type.
     *
     * @return the first NOERROR or NXDOMAIN answer; else the last other answer (SERVFAIL...)
     * @throws DnsException when no server answered in time, or none usefully; its message says
     *     what upstream did ({@code upstream DNS 127.0.0.1:53 did not answer (2 x 2000 ms)})
     */
    public DnsMessage query(String name, int type) throws DnsException {
        DnsMessage fallback = null;
        String lastError = "no answer";
        boolean allTimeouts = true;
        for (int round = 0; round < attempts; round++) {
            for (InetSocketAddress server : servers) {
                int id = random.nextInt(0x10000);
                byte[] q = DnsMessage.query(id, name, type);
                try {
                    DnsMessage m = udp(server, q, id, name, type);
                    if (m.isTruncated()) {
                        m = tcp(server, DnsMessage.query(random.nextInt(0x10000), name, type), name, type);
                    }
                    if (m.rcode() == DnsMessage.RCODE_NOERROR || m.rcode() == DnsMessage.RCODE_NXDOMAIN) {
                        return m;
                    }
                    fallback = m;
                    allTimeouts = false;
                } catch (SocketTimeoutException e) {
                    lastError = describe(server) + " timed out after " + timeoutMillis + " ms";
                } catch (IOException | DnsFormatException e) {
                    allTimeouts = false;
                    lastError = describe(server) + ": " + e.getMessage();
                    LOG.log(System.Logger.Level.DEBUG, () -> "DNS query " + name + " to " + server + " failed: " + e);
                }
            }
        }
        if (fallback != null) {
            return fallback;
        }
        if (allTimeouts) {
            var names = servers.stream().map(DnsClient::describe).collect(java.util.stream.Collectors.joining(", "));
            throw new DnsException("upstream DNS " + names + " did not answer (" + attempts + " x " + timeoutMillis + " ms)", true);
        }
        throw new DnsException("upstream DNS " + lastError, false);
    }

    /** {@code 127.0.0.1:53}, {@code [::1]:53}. */
    private static String describe(InetSocketAddress server) {
        var address = server.getAddress();
        if (address == null) return server.getHostString() + ":" + server.getPort();
        var text = address.getHostAddress();
        return (text.indexOf(':') >= 0 ? "[" + text + "]" : text) + ":" + server.getPort();
    }

    private DnsMessage udp(InetSocketAddress server, byte[] q, int id, String name, int type)
            throws IOException, DnsFormatException {
        try (var socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(q, q.length, server));
            byte[] buf = new byte[65535];
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("timed out");
                }
                socket.setSoTimeout((int) left);
                var p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                if (!server.equals(p.getSocketAddress())) {
                    continue;
                }
                DnsMessage m;
                try {
                    m = DnsMessage.parse(buf, p.getLength());
                } catch (DnsFormatException e) {
                    continue; // a forged or broken datagram must not end the wait for the real one
                }
                if (matches(m, id, name, type)) {
                    return m;
                }
            }
        }
    }

    private DnsMessage tcp(InetSocketAddress server, byte[] q, String name, int type) throws IOException, DnsFormatException {
        int id = DnsMessage.u16(q, 0);
        try (var s = new Socket()) {
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            byte[] framed = new byte[q.length + 2];
            framed[0] = (byte) (q.length >>> 8);
            framed[1] = (byte) q.length;
            System.arraycopy(q, 0, framed, 2, q.length);
            out.write(framed);
            var in = new DataInputStream(s.getInputStream());
            int len = in.readUnsignedShort();
            byte[] body = in.readNBytes(len);
            if (body.length != len) {
                throw new IOException("TCP answer cut off");
            }
            DnsMessage m = DnsMessage.parse(body, len);
            if (!matches(m, id, name, type)) {
                throw new IOException("TCP answer does not match the query");
            }
            return m;
        }
    }

    private static boolean matches(DnsMessage m, int id, String name, int type) {
        if (m.id() != id || !m.isResponse() || m.questions().size() != 1) {
            return false;
        }
        var q = m.questions().getFirst();
        return q.type() == type && q.name().equals(name);
    }
}
