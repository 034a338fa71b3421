package dev.halt.proxy.dns;

import dev.halt.proxy.HostNames;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A name server that knows no name: every query gets NXDOMAIN at once. It serves a sandbox whose
 * network mode reaches no name server (blocked, localhost_only), so that a lookup fails at once
 * instead of timing out. NXDOMAIN, not REFUSED or silence: glibc turns REFUSED into
 * {@code EAI_AGAIN}, a temporary failure, and NXDOMAIN into {@code EAI_NONAME}, "no such host".
 *
 * <p>Each name is passed to {@code onFirstLookup} the first time it is asked, up to
 * {@link #MAX_REPORTED} names. A platform thread serves each socket; a TCP client is served one at
 * a time, with a read timeout. {@link #close()} closes the sockets and ends the threads.
 */
public final class DnsRefuser implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("halt");
    /** Names reported at most; later ones are answered all the same. */
    public static final int MAX_REPORTED = 100;
    private static final int TCP_READ_TIMEOUT_MS = 2000;
    private static final int TCP_MAX_QUERIES = 64;

    private final List<DatagramChannel> udp;
    private final List<ServerSocketChannel> tcp;
    private final Consumer<String> onFirstLookup;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean open = true;

    private DnsRefuser(List<DatagramChannel> udp, List<ServerSocketChannel> tcp, Consumer<String> onFirstLookup) {
        this.udp = List.copyOf(udp);
        this.tcp = List.copyOf(tcp);
        this.onFirstLookup = onFirstLookup;
    }

    /**
     * Starts answering on bound sockets, which may live in another network namespace; they are
     * closed by {@link #close()}.
     *
     * @param onFirstLookup told each name (normalised, or the question as asked when it is no host
     *                      name, with anything unprintable replaced) the first time it is asked
     */
    public static DnsRefuser start(List<DatagramChannel> udp, List<ServerSocketChannel> tcp, Consumer<String> onFirstLookup) {
        var refuser = new DnsRefuser(udp, tcp, onFirstLookup);
        for (var channel : refuser.udp) refuser.serve("udp", channel, () -> refuser.serveUdp(channel));
        for (var channel : refuser.tcp) refuser.serve("tcp", channel, () -> refuser.serveTcp(channel));
        return refuser;
    }

    private void serve(String kind, NetworkChannel channel, Runnable loop) {
        String name;
        try {
            name = "halt-dns-refuser-" + kind + "-" + channel.getLocalAddress();
        } catch (IOException e) {
            name = "halt-dns-refuser-" + kind;
        }
        threads.add(Thread.ofPlatform().daemon(true).name(name).start(loop));
    }

    /**
     * The response to a query: NXDOMAIN echoing its question, FORMERR for a malformed one, or
     * null (no answer) for a response or a message too short to answer.
     */
    byte[] answer(byte[] query, int length) {
        DnsMessage message;
        try {
            message = DnsMessage.parse(query, length);
        } catch (DnsFormatException e) {
            return DnsMessage.errorResponse(query, length, DnsMessage.RCODE_FORMERR);
        }
        if (message.isResponse()) return null;
        if (message.questions().size() != 1) return DnsMessage.errorResponse(query, length, DnsMessage.RCODE_FORMERR);
        report(message.questions().getFirst().name());
        return DnsMessage.errorResponse(query, length, DnsMessage.RCODE_NXDOMAIN);
    }

    private void report(String asked) {
        var name = HostNames.normalizeOrNull(asked);
        // Not a host name: shown as asked, but it goes to a terminal.
        if (name == null) name = HostNames.printable(asked, 255);
        if (reported.size() < MAX_REPORTED && reported.add(name)) onFirstLookup.accept(name);
    }

    private void serveUdp(DatagramChannel channel) {
        var buffer = ByteBuffer.allocate(65535);
        while (open) {
            InetSocketAddress from;
            try {
                buffer.clear();
                from = (InetSocketAddress) channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!open) return;
                LOG.log(System.Logger.Level.DEBUG, "DNS refuser: receive failed: " + e.getMessage());
                continue;
            }
            if (from == null) continue;
            var response = answer(buffer.array(), buffer.position());
            if (response == null) continue;
            try {
                channel.send(ByteBuffer.wrap(response), from);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "DNS refuser: send failed: " + e.getMessage());
            }
        }
    }

    private void serveTcp(ServerSocketChannel listener) {
        while (open) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            clients.add(client);
            try (client) {
                if (!open) return;
                client.socket().setSoTimeout(TCP_READ_TIMEOUT_MS);
                var in = new DataInputStream(client.socket().getInputStream());
                var out = client.socket().getOutputStream();
                for (int i = 0; i < TCP_MAX_QUERIES && open; i++) {
                    int length = in.readUnsignedShort();
                    var query = in.readNBytes(length);
                    if (query.length < length) break;
                    var response = answer(query, length);
                    if (response == null) break;
                    var framed = ByteBuffer.allocate(2 + response.length).putShort((short) response.length).put(response);
                    out.write(framed.array());
                }
            } catch (SocketTimeoutException | java.io.EOFException e) {
                // the client is done, or idle: the next one may come
            } catch (IOException e) {
                if (!open) return;
                LOG.log(System.Logger.Level.DEBUG, "DNS refuser: TCP client failed: " + e.getMessage());
            } finally {
                clients.remove(client);
            }
        }
    }

    @Override
    public void close() {
        open = false;
        var all = new ArrayList<NetworkChannel>(udp);
        all.addAll(tcp);
        all.addAll(clients);
        for (var channel : all) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a socket halt made cannot fail in a way it could act on
            }
        }
        for (var thread : threads) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
