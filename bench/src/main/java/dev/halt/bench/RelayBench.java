package dev.halt.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
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
 * Relay throughput through the real proxy on loopback. One operation = 1 MiB received by the
 * client from a local source server, so the score in ops/s is MiB/s (summed over threads).
 * {@code tunnels1} uses one tunnel, {@code tunnels8} eight concurrent tunnels (one JMH thread
 * each). {@code via=direct} connects the client straight to the source: the loopback limit of
 * this machine with the same client and server code, for the ratio.
 *
 * <p>Direction: download (server to client), the bulk direction for agents (packages, clones).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RelayBench {
    static final int MIB = 1 << 20;

    @State(Scope.Benchmark)
    public static class Env {
        @Param({"direct", "connect", "socks5"})
        public String via;

        Loopback.Server source;
        Loopback.Proxy proxy;

        @Setup(Level.Trial)
        public void start() throws IOException {
            source = new Loopback.Server(Loopback.Kind.SOURCE);
            if (!via.equals("direct")) proxy = new Loopback.Proxy();
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException {
            if (proxy != null) proxy.close();
            source.close();
        }
    }

    @State(Scope.Thread)
    public static class Tunnel {
        SocketChannel channel;
        ByteBuffer buf;

        @Setup(Level.Trial)
        public void open(Env env) throws IOException {
            buf = ByteBuffer.allocateDirect(256 * 1024);
            var sourceAddress = new InetSocketAddress(Loopback.LO, env.source.port);
            switch (env.via) {
                case "direct" -> channel = Loopback.open(sourceAddress, false);
                case "connect" -> {
                    channel = Loopback.open(env.proxy.address, false);
                    Loopback.connect(channel, env.source.port, buf);
                }
                case "socks5" -> {
                    channel = Loopback.open(env.proxy.address, false);
                    Loopback.socks5(channel, env.source.port, buf);
                }
                default -> throw new IllegalArgumentException(env.via);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
        }

        long receive(long bytes) throws IOException {
            long got = 0;
            while (got < bytes) {
                buf.clear();
                if (buf.remaining() > bytes - got) buf.limit((int) (bytes - got));
                int n = channel.read(buf);
                if (n < 0) throw new IOException("tunnel closed");
                got += n;
            }
            return got;
        }
    }

    @Benchmark
    @Threads(1)
    public long tunnels1(Tunnel t) throws IOException {
        return t.receive(MIB);
    }

    @Benchmark
    @Threads(8)
    public long tunnels8(Tunnel t) throws IOException {
        return t.receive(MIB);
    }
}
