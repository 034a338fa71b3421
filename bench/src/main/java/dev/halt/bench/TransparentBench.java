package dev.halt.bench;

import dev.halt.proxy.Dialer;
import dev.halt.proxy.ProxyServer;
import dev.halt.proxy.dns.DnsMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
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
 * The transparent accept path, end to end: one operation = a new TCP connection to the
 * transparent listener (on 127.0.0.2), a real TLS ClientHello naming {@link #HOST}; the proxy
 * decides by the name the address recently resolved from and by the SNI, connects upstream and
 * relays; an echo server sends the hello back, the client reads it and closes.
 *
 * <p>In a sandbox the listener sits in the proxy namespace, where a {@code local 0.0.0.0/0}
 * route makes every address local, so the accepted socket's local address is the destination
 * the child dialled. On host loopback that address would be the listener itself, which the proxy
 * refuses; so, as the proxy's own tests do, a {@link Dialer} routes the upstream connection to the
 * echo server. Everything else is the production path.
 *
 * <p>Network rule: every socket is on 127.0.0.1 or 127.0.0.2; the name comes from a hosts file
 * written here; the upstream DNS is a loopback socket that never answers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(4)
public class TransparentBench {
    static final String HOST = Loopback.HOST;
    static final InetAddress LISTENER_IP = InetAddress.ofLiteral("127.0.0.2");

    Loopback.Server echo;
    DatagramChannel silentDns;
    Path hosts;
    ProxyServer proxy;
    InetSocketAddress listener;
    byte[] hello;

    @State(Scope.Thread)
    public static class Scratch {
        ByteBuffer buf;
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        echo = new Loopback.Server(Loopback.Kind.ECHO);
        silentDns = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        hosts = Files.createTempFile("halt-bench-hosts", "");
        Files.writeString(hosts, LISTENER_IP.getHostAddress() + " " + HOST + "\n");
        var transparent = ServerSocketChannel.open().bind(new InetSocketAddress(LISTENER_IP, 0), 4096);
        listener = (InetSocketAddress) transparent.getLocalAddress();
        var echoAddress = echo.address();
        var config = Loopback.proxyConfig(hosts, (InetSocketAddress) silentDns.getLocalAddress())
                .dialer(new Dialer() {
                    @Override
                    public InetSocketAddress route(InetSocketAddress destination) {
                        return destination.equals(listener) ? echoAddress : destination;
                    }
                })
                .build();
        var dns = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        proxy = ProxyServer.start(config, new ProxyServer.Listeners(List.of(), List.of(transparent), List.of(dns), List.of()));
        resolveThroughProxy(proxy.dnsAddresses().getFirst());
        hello = clientHello(HOST);
    }

    /** The child's DNS lookup, which is what lets the transparent listener name the address. */
    private static void resolveThroughProxy(InetSocketAddress dns) throws Exception {
        try (var s = DatagramChannel.open()) {
            s.connect(dns);
            s.write(ByteBuffer.wrap(DnsMessage.query(1, HOST, DnsMessage.TYPE_A)));
            var answer = ByteBuffer.allocate(512);
            s.read(answer);
            var addresses = DnsMessage.parse(answer.array(), answer.position()).addresses();
            if (!addresses.equals(List.of(LISTENER_IP))) {
                throw new IllegalStateException("the proxy's DNS answered " + addresses + " for " + HOST);
            }
        }
    }

    /** A real ClientHello from the JDK's TLS stack. */
    private static byte[] clientHello(String sni) throws Exception {
        var ctx = SSLContext.getInstance("TLS");
        ctx.init(null, null, null);
        var engine = ctx.createSSLEngine();
        engine.setUseClientMode(true);
        var parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        engine.setSSLParameters(parameters);
        var out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        var bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        proxy.close();
        echo.close();
        silentDns.close();
        Files.deleteIfExists(hosts);
    }

    @Benchmark
    public void tlsThroughTransparentListener(Scratch s) throws IOException {
        if (s.buf == null) s.buf = ByteBuffer.allocate(hello.length);
        try (var c = SocketChannel.open()) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.setOption(StandardSocketOptions.SO_LINGER, 0);
            c.connect(listener);
            c.write(ByteBuffer.wrap(hello));
            s.buf.clear();
            while (s.buf.hasRemaining()) {
                if (c.read(s.buf) < 0) throw new IOException("the proxy closed the tunnel: the hello was refused");
            }
        }
    }
}
