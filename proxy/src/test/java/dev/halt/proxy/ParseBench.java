package dev.halt.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The proxy port's request parsers: a CONNECT head (as curl sends it) and a SOCKS5 greeting plus
 * domain-name CONNECT request (as {@code socks5h://} clients send them).
 *
 * <p>A JMH benchmark among the proxy's tests: {@code HttpHead} and {@code Socks5} are
 * package-private (the proxy's API is the server, not its parsers), and only the module's own
 * tests share their package. The bench module's {@code benchmarks.jar} takes this class and its
 * generated harness from the proxy's test jar.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ParseBench {
    private final byte[] connect = ("CONNECT api.github.com:443 HTTP/1.1\r\n"
            + "Host: api.github.com:443\r\n"
            + "User-Agent: curl/8.5.0\r\n"
            + "Proxy-Connection: Keep-Alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private final byte[] greeting = {5, 1, 0};
    private final byte[] request;

    public ParseBench() {
        byte[] host = "api.github.com".getBytes(StandardCharsets.US_ASCII);
        request = new byte[7 + host.length];
        request[0] = 5;
        request[1] = 1;
        request[2] = 0;
        request[3] = 3;
        request[4] = (byte) host.length;
        System.arraycopy(host, 0, request, 5, host.length);
        request[5 + host.length] = 1;       // 443 = 0x01bb
        request[6 + host.length] = (byte) 0xbb;
    }

    @Benchmark
    public Object connectHead() {
        var p = HttpHead.parseRequest(connect, connect.length, HttpHead.MAX_REQUEST_HEAD);
        if (!(p instanceof Parse.Done<HttpHead.Request> d)) throw new IllegalStateException(p.toString());
        return d.value().target();
    }

    @Benchmark
    public Object socks5Handshake() {
        var g = Socks5.parseGreeting(greeting, greeting.length);
        if (!(g instanceof Parse.Done<Socks5.Greeting> gd) || !gd.value().offers(Socks5.METHOD_NO_AUTH)) {
            throw new IllegalStateException(g.toString());
        }
        var r = Socks5.parseRequest(request, request.length);
        if (!(r instanceof Parse.Done<Socks5.Request> rd)) throw new IllegalStateException(r.toString());
        return rd.value().destination();
    }
}
