package dev.halt.bench;

import dev.halt.proxy.dns.DnsFormatException;
import dev.halt.proxy.dns.DnsMessage;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DNS wire work of the proxy's DNS server, per query: parse the client's query, and build the
 * answer, both from scratch ({@code addressResponse}, as for a hosts-file name) and from a
 * cached upstream response ({@code forClient}: new id, echoed question, TTLs capped), which is
 * the path of every cache hit in {@code DnsService}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DnsBench {
    private byte[] query;
    private byte[] headAndQuestion;
    private DnsMessage parsedQuery;
    private DnsMessage cachedResponse;
    private List<InetAddress> addresses;

    @Setup
    public void setUp() throws DnsFormatException, UnknownHostException {
        query = DnsMessage.query(0x1234, "api.github.com", DnsMessage.TYPE_A);
        parsedQuery = DnsMessage.parse(query, query.length);
        headAndQuestion = java.util.Arrays.copyOf(query, parsedQuery.questionEnd());
        addresses = List.of(InetAddress.getByAddress(new byte[] {(byte) 140, 82, 121, 6}),
                InetAddress.getByAddress(new byte[] {(byte) 140, 82, 121, 5}));
        byte[] upstream = parsedQuery.addressResponse(addresses, 3600);
        cachedResponse = DnsMessage.parse(upstream, upstream.length);
    }

    @Benchmark
    public DnsMessage parseQuery() throws DnsFormatException {
        return DnsMessage.parse(query, query.length);
    }

    @Benchmark
    public byte[] buildAnswer() {
        return parsedQuery.addressResponse(addresses, 300);
    }

    @Benchmark
    public byte[] cachedAnswerForClient() {
        return cachedResponse.forClient(0x4321, headAndQuestion, 300);
    }

    /** What the server does per cache hit: parse the query, then rewrite the cached answer. */
    @Benchmark
    public byte[] parseAndAnswer() throws DnsFormatException {
        DnsMessage q = DnsMessage.parse(query, query.length);
        return cachedResponse.forClient(q.id(), headAndQuestion, 300);
    }
}
