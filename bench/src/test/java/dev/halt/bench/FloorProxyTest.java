package dev.halt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The floor rows of compare.sh measure a proxy that works: each mode of {@link FloorProxy}, as a
 * process of its own, tunnels a CONNECT and forwards a plain-HTTP request to a local origin.
 * Loopback only.
 */
class FloorProxyTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    private static ServerSocket origin;
    private static final List<String> requestLines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startOrigin() throws IOException {
        origin = new ServerSocket(0, 50, LO);
        Thread.ofPlatform().daemon().start(() -> {
            while (!origin.isClosed()) {
                try (Socket s = origin.accept()) {
                    s.setSoTimeout(10_000);
                    String head = readHead(s.getInputStream());
                    requestLines.add(head.substring(0, head.indexOf("\r\n")));
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test that caused it fails on its own
                }
            }
        });
    }

    @AfterAll
    static void stopOrigin() throws IOException {
        origin.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "early", "virtual"})
    void tunnelsConnectAndForwardsPlainHttp(String mode, @TempDir Path dir) throws Exception {
        Process proxy = start(mode, dir);
        try {
            int port = proxyPort(proxy, dir);
            try (Socket s = connect(port)) {
                send(s, "CONNECT localhost:" + origin.getLocalPort() + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", readHead(s.getInputStream()));
                send(s, "GET /in-tunnel HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertTrue(readAll(s.getInputStream()).endsWith("\r\n\r\nhello"));
            }
            assertEquals("GET /in-tunnel HTTP/1.1", requestLines.getLast());
            try (Socket s = connect(port)) {
                send(s, "GET http://localhost:" + origin.getLocalPort() + "/plain?q=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                assertTrue(readAll(s.getInputStream()).endsWith("\r\n\r\nhello"));
            }
            assertEquals("GET /plain?q=1 HTTP/1.1", requestLines.getLast());
        } finally {
            proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What sets {@code early} apart: the 200 goes out before the connect, so a refused one is a bare close. */
    @ParameterizedTest
    @ValueSource(strings = {"loop", "early"})
    void unreachableUpstream(String mode, @TempDir Path dir) throws Exception {
        int closed;
        try (var probe = new ServerSocket(0, 1, LO)) {
            closed = probe.getLocalPort();
        }
        Process proxy = start(mode, dir);
        try (Socket s = connect(proxyPort(proxy, dir))) {
            send(s, "CONNECT localhost:" + closed + " HTTP/1.1\r\n\r\n");
            String answer = readAll(s.getInputStream());
            assertEquals(mode.equals("early") ? "HTTP/1.1 200 Connection established\r\n\r\n" : "", answer);
        } finally {
            proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Process start(String mode, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FloorProxy.class.getName(),
                mode, dir.resolve("port").toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err").toFile())
                .start();
    }

    private static int proxyPort(Process proxy, Path dir) throws Exception {
        Path file = dir.resolve("port");
        for (int i = 0; i < 200 && !Files.exists(file); i++) {
            assertTrue(proxy.isAlive(), () -> "FloorProxy exited: " + read(dir.resolve("err")));
            Thread.sleep(50);
        }
        return Integer.parseInt(Files.readString(file).trim());
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Socket connect(int port) throws IOException {
        var s = new Socket(LO, port);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Bytes up to and including the first empty line, read one at a time so none past it are consumed. */
    private static String readHead(InputStream in) throws IOException {
        var b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) break;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
