package dev.halt.proxy;

import static dev.halt.proxy.ProxyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionLogTest {

    @Test
    void jsonEscapesAndCarriesEveryField() {
        var e = new DecisionEvent(Instant.parse("2026-01-02T03:04:05Z"), DecisionEvent.Via.SOCKS5, "127.0.0.1:5",
                "a\"b\\c\n", 443, null, DecisionEvent.Decision.REFUSED, "why\u0001", 1, 2, Duration.ofMillis(7));
        assertEquals("{\"time\":\"2026-01-02T03:04:05Z\",\"via\":\"socks5\",\"client\":\"127.0.0.1:5\",\"host\":\"a\\\"b\\\\c\\n\","
                + "\"port\":443,\"ip\":null,\"decision\":\"refused\",\"reason\":\"why\\u0001\",\"bytes_up\":1,\"bytes_down\":2,"
                + "\"duration_ms\":7}", e.toJson());
    }

    @Test
    void consoleSaysOneLinePerRefusedHostAndSummaryCounts(@TempDir Path dir) throws Exception {
        var console = new ByteArrayOutputStream();
        var file = dir.resolve("decisions.jsonl");
        try (var dns = new FakeDns().answer("allowed.test", "127.0.0.1"); var echo = new Origin(Origin.Mode.ECHO)) {
            var cfg = base(dns, events()).allow("allowed.test")
                    .log(new ProxyConfig.LogOptions(file, new PrintStream(console, true, StandardCharsets.UTF_8), 60, true, null))
                    .build();
            try (var proxy = ProxyServer.startOnLoopback(cfg)) {
                for (String host : new String[] {"evil.test", "evil.test", "evil.test", "other.test", "allowed.test"}) {
                    try (Socket s = connect(proxy.proxyAddress())) {
                        send(s, "CONNECT " + host + ":" + echo.port() + " HTTP/1.1\r\n\r\n");
                        readHead(s);
                    }
                }
                assertTrue(await(Duration.ofSeconds(5), () -> proxy.decisionLog().summary().connections().allowed() == 1));
                var sum = proxy.decisionLog().summary();
                assertEquals(4, sum.connections().refused());
                assertEquals(0, sum.lookups().total());
                assertEquals("evil.test", sum.topRefused().getFirst().getKey());
                assertEquals(3L, sum.topRefused().getFirst().getValue());
            }
        }
        String out = console.toString(StandardCharsets.UTF_8);
        var lines = out.lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("halt: refused evil.test")).count(), out);
        assertEquals(1, lines.stream().filter(l -> l.startsWith("halt: refused other.test")).count(), out);
        assertTrue(out.contains("halt proxy: connections 1 allowed, 4 refused, 0 failed\n"), out);
        assertTrue(out.contains("evil.test (3)"), out);
        var json = Files.readAllLines(file);
        assertEquals(5, json.size(), json.toString());
        assertTrue(json.stream().allMatch(l -> l.startsWith("{\"time\":\"") && l.endsWith("}")));
        assertEquals(1, json.stream().filter(l -> l.contains("\"decision\":\"allowed\"") && l.contains("\"via\":\"connect\"")).count());
    }

    @Test
    void consoleNoticesAreRateLimited() throws Exception {
        var console = new ByteArrayOutputStream();
        try (var log = new DecisionLog(new ProxyConfig.LogOptions(null, new PrintStream(console, true, StandardCharsets.UTF_8), 3, false, null))) {
            for (int i = 0; i < 10; i++) {
                log.record(new DecisionEvent(Instant.now(), DecisionEvent.Via.DNS, "c", "h" + i + ".test", 0, null,
                        DecisionEvent.Decision.REFUSED, "not in allowlist", 0, 0, Duration.ZERO));
            }
            assertEquals(3, console.toString(StandardCharsets.UTF_8).lines().count());
            assertEquals(7, log.suppressedNotices());
            assertEquals(10, log.summary().lookups().refused());
            assertEquals(0, log.summary().connections().total());
        }
    }
}
