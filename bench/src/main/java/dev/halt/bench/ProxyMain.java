package dev.halt.bench;

import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * halt's proxy alone on loopback, for {@code compare.sh} to drive with curl exactly like
 * tinyproxy: {@code java -cp benchmarks.jar dev.halt.bench.ProxyMain HOSTS_FILE DNS_PORT PORT_FILE}.
 * Allows only {@code localhost} and the names of the hosts file (which must map to loopback),
 * local destinations allowed, upstream DNS = 127.0.0.1:DNS_PORT (never the system's). Writes its
 * proxy port to PORT_FILE, then serves until killed (SIGTERM runs the shutdown hook).
 */
public final class ProxyMain {
    private ProxyMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ProxyMain HOSTS_FILE DNS_PORT PORT_FILE");
            System.exit(2);
        }
        Path hosts = Path.of(args[0]);
        var builder = ProxyConfig.builder()
                .allowLocalDestinations(true)
                .hostsFile(hosts)
                .upstreamDns(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])))
                .maxConnections(100_000)
                .log(new ProxyConfig.LogOptions(null, new PrintStream(OutputStream.nullOutputStream()), 0, false, null));
        for (String line : Files.readAllLines(hosts)) {
            String[] f = line.trim().split("\\s+");
            for (int i = 1; i < f.length && !f[0].startsWith("#"); i++) builder.allow(f[i]);
        }
        var server = ProxyServer.startOnLoopback(builder.build());
        var done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            done.countDown();
        }));
        Path tmp = Path.of(args[2] + ".tmp");
        Files.writeString(tmp, Integer.toString(server.proxyAddress().getPort()));
        Files.move(tmp, Path.of(args[2]), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        done.await();
    }
}
