package dev.halt.core.control;

import dev.halt.core.json.JsonReader;
import dev.halt.core.json.JsonWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The other end of a run's control socket, for the commands ({@code halt ps}, {@code allow},
 * {@code deny}, {@code watch}, {@code stop}) and for any tool that speaks the protocol: a first line
 * with the token and the operation, then JSON lines both ways.
 */
public final class ControlClient implements AutoCloseable {

    private final SocketChannel channel;
    private final BufferedReader in;
    private final String token;

    private ControlClient(SocketChannel channel, String token) {
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.token = token;
    }

    /**
     * Checks {@code hosts} as a run's {@code allow} and {@code deny} read them, before any run is asked:
     * an IllegalArgumentException names every bad one.
     */
    public static void checkHosts(java.util.List<String> hosts) {
        dev.halt.core.live.RunNetwork.parse(hosts);
    }

    /** Connects to a run's socket with the token beside it. */
    public static ControlClient connect(ControlDirectory.Endpoint endpoint) throws IOException {
        if (!Files.isRegularFile(endpoint.token(), LinkOption.NOFOLLOW_LINKS)) throw new IOException(endpoint.token() + " is not a file");
        String token;
        try (var in = Files.newInputStream(endpoint.token(), LinkOption.NOFOLLOW_LINKS)) {
            token = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
        }
        var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(endpoint.socket()));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new ControlClient(channel, token);
    }

    /** Whether something accepts connections on {@code socket} (a run's halt still serves it). */
    static boolean answers(Path socket) {
        try (var channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends the first request, {@code op} with {@code fields} and the token, and returns the reply.
     *
     * @throws IOException when the run hung up without one
     */
    public Map<String, Object> request(String op, Map<String, Object> fields) throws IOException {
        var request = new LinkedHashMap<String, Object>();
        request.put("token", token);
        request.put("op", op);
        request.putAll(fields);
        send(request);
        var reply = next();
        if (reply == null) throw new IOException("the run hung up without answering");
        return reply;
    }

    /** Sends one line. */
    public synchronized void send(Map<String, Object> message) throws IOException {
        var bytes = (JsonWriter.compact().tree(message) + "\n").getBytes(StandardCharsets.UTF_8);
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) channel.write(buffer);
    }

    /** The next line from the run, or null when it hung up. */
    public Map<String, Object> next() throws IOException {
        var line = in.readLine();
        if (line == null) return null;
        try {
            return JsonReader.parseObject(line);
        } catch (IllegalArgumentException e) {
            throw new IOException("the run sent a line that is not a JSON object: " + e.getMessage());
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
