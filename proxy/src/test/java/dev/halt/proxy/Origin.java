package dev.halt.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin server on 127.0.0.1 for tests. Echo mode echoes bytes and, on end of stream,
 * writes {@code [eof]} and closes (so a test sees half-close). HTTP mode answers each request
 * of a keep-alive connection with what it saw. Banner mode speaks first.
 */
final class Origin implements AutoCloseable {
    enum Mode { ECHO, HTTP, BANNER }

    final ServerSocket server;
    final Mode mode;
    final AtomicInteger accepted = new AtomicInteger();
    /** HTTP mode: every request head received, as text. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    Origin(Mode mode) throws IOException {
        this(mode, "127.0.0.1");
    }

    Origin(Mode mode, String address) throws IOException {
        this.mode = mode;
        server = new ServerSocket(0, 1024, InetAddress.getByName(address));
        acceptor = Thread.ofPlatform().daemon(true).start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    accepted.incrementAndGet();
                    open.add(s);
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(30_000);
            switch (mode) {
                case ECHO -> echo(s);
                case HTTP -> http(s);
                case BANNER -> {
                    s.getOutputStream().write("HELLO FROM ORIGIN\n".getBytes(StandardCharsets.US_ASCII));
                    echo(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the test or the proxy closed the connection, or fuzzed bytes this simple origin cannot read
        } finally {
            open.remove(s);
        }
    }

    private static void echo(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[16384];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        out.write("[eof]".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private void http(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        while (true) {
            var head = new StringBuilder();
            int c;
            while (!head.toString().endsWith("\r\n\r\n")) {
                c = in.read();
                if (c < 0) return;
                head.append((char) c);
            }
            String h = head.toString();
            requests.add(h);
            int body = 0;
            for (String line : h.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    body = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] b;
            if (h.toLowerCase().contains("transfer-encoding: chunked")) {
                b = chunkedBody(in);
                if (b == null) return; // the proxy gave up on a malformed body
            } else {
                b = in.readNBytes(body);
            }
            String first = h.substring(0, h.indexOf("\r\n"));
            String reply = "origin saw " + first + " body=" + new String(b, StandardCharsets.ISO_8859_1);
            byte[] rb = reply.getBytes(StandardCharsets.ISO_8859_1);
            if (first.contains("/chunked")) {
                out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Origin: yes\r\n\r\n"
                        + Integer.toHexString(rb.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(rb);
                out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return; // close after a chunked answer, like an origin told Connection: close
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + rb.length + "\r\nConnection: keep-alive\r\nX-Origin: yes\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(rb);
            out.flush();
            if (h.toLowerCase().contains("connection: close")) {
                return;
            }
        }
    }

    /** Reads a chunked body (lenient: sizes and extensions as they come); null at an empty size line. */
    static byte[] chunkedBody(InputStream in) throws IOException {
        var acc = new java.io.ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            if (sizeLine.isEmpty()) return null;
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                while (!line(in).isEmpty()) { /* trailers */ }
                return acc.toByteArray();
            }
            acc.writeBytes(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        var sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
