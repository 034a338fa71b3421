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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * New tunnels per second through the real proxy on loopback: one operation = open a TCP
 * connection to the proxy, CONNECT (or SOCKS5) to a local sink by name (allowlist check, hosts
 * file lookup, upstream connect), read the 200 / granted reply, close. {@code direct} is the same
 * client doing a bare TCP connect to a server that accepts and closes: the kernel's own cost.
 *
 * <p>Clients close with SO_LINGER 0 so client ports do not pile up in TIME_WAIT; the proxy's
 * upstream sockets rely on {@code net.ipv4.tcp_tw_reuse} (Linux default 2: loopback reuse).
 * Four client threads keep both cores of a 2-core box busy while one waits on a syscall.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(4)
public class HandshakeBench {
    Loopback.Server sink;
    Loopback.Server closer;
    Loopback.Proxy proxy;
    InetSocketAddress closerAddress;

    @State(Scope.Thread)
    public static class Scratch {
        final ByteBuffer buf = ByteBuffer.allocate(4096);
    }

    @Setup(Level.Trial)
    public void start() throws IOException {
        sink = new Loopback.Server(Loopback.Kind.SINK);
        closer = new Loopback.Server(Loopback.Kind.CLOSER);
        closerAddress = new InetSocketAddress(Loopback.LO, closer.port);
        proxy = new Loopback.Proxy();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        proxy.close();
        sink.close();
        closer.close();
    }

    @Benchmark
    public void connect(Scratch s) throws IOException {
        try (SocketChannel c = Loopback.open(proxy.address, true)) {
            Loopback.connect(c, sink.port, s.buf);
        }
    }

    @Benchmark
    public void socks5(Scratch s) throws IOException {
        try (SocketChannel c = Loopback.open(proxy.address, true)) {
            Loopback.socks5(c, sink.port, s.buf);
        }
    }

    @Benchmark
    public void direct() throws IOException {
        try (SocketChannel c = Loopback.open(closerAddress, true)) {
            c.finishConnect();
        }
    }
}
