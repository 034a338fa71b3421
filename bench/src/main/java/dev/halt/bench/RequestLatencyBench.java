package dev.halt.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request on a new connection, one client at a time: what compare.sh's connection-rate test
 * does with curl, without curl's own cost and with JMH's forks and iterations against a noisy
 * machine. One operation = connect, (CONNECT and its 200 / a proxy-form request,) a GET, the
 * 1 KiB response, the origin's close. {@code via=direct} goes straight to the origin: the
 * difference is what halt's proxy adds to every short request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class RequestLatencyBench {
    @Param({"direct", "connect", "http"})
    public String via;

    Loopback.Server origin;
    Loopback.Proxy proxy;
    InetSocketAddress to;
    byte[] request;
    final ByteBuffer scratch = ByteBuffer.allocate(8192);

    @Setup(Level.Trial)
    public void start() throws IOException {
        origin = new Loopback.Server(Loopback.Kind.RESPONDER);
        if (!via.equals("direct")) proxy = new Loopback.Proxy();
        to = via.equals("direct") ? origin.address() : proxy.address;
        var target = via.equals("http") ? "http://" + Loopback.HOST + ":" + origin.port + "/small" : "/small";
        request = ("GET " + target + " HTTP/1.1\r\nHost: " + Loopback.HOST + ":" + origin.port
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (proxy != null) proxy.close();
        origin.close();
    }

    @Benchmark
    public int request() throws IOException {
        try (SocketChannel c = Loopback.open(to, true)) {
            if (via.equals("connect")) Loopback.connect(c, origin.port, scratch);
            var out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) c.write(out);
            int total = 0;
            int n;
            while ((n = c.read(scratch.clear())) >= 0) total += n;
            if (total < Loopback.RESPONSE.length) throw new IOException("short response: " + total + " bytes");
            return total;
        }
    }
}
