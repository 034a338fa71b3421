package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The network modes with privileges (as root, as CI runs): namespaces made by halt. The child's
 * traffic stays inside those namespaces; the proxy reaches only this test's listeners on
 * 127.0.0.1 (an origin and a fake DNS upstream). Addresses the child probes that are not its own
 * are link-local ones captured by halt's proxy namespace, which never connects to them.
 */
@Tag("linux")
@Tag("root")
class NamespaceNetworkTest {

    @TempDir
    static Path temp;
    static Path work;
    static TestOrigin origin;
    static int originPort;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(),
            "[net-admin] needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN (CI runs as root)");
        for (var tool : List.of("curl", "getent", "dig", "nc", "ping", "python3")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), "[tool-" + tool + "] needs /usr/bin/" + tool + " (.ci/run installs it)");
        }
        work = Files.createDirectories(temp.resolve("work"));
        origin = new TestOrigin();
        originPort = origin.port();
    }

    @AfterAll
    static void tearDown() {
        if (origin != null) origin.close();
    }

    private static HaltProcess.Result halt(String... args) throws Exception {
        // halt's config directory lies outside the working directory: halt refuses a write grant over it
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString());
        return HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false, args), work, env);
    }

    /** Pins the proxy's upstream DNS to a dead loopback port, so no run can query /etc/resolv.conf's nameserver. */
    private static Path loopbackDnsConfig() throws IOException {
        return Files.writeString(temp.resolve("loopback-dns.toml"), "[proxy]\nupstream_dns = [\"127.0.0.1:9\"]\n");
    }

    private static java.util.Set<String> hostInterfaces() throws IOException {
        try (var names = Files.list(Path.of("/sys/class/net"))) {
            return names.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        }
    }

    @Test
    void checkNamesNetnsForEveryIsolatedMode() throws Exception {
        @SuppressWarnings("unchecked")
        var modes = (Map<String, Map<String, Object>>) ((Map<String, Object>) Json.parse(halt("check", "--json").out()))
            .get("network_modes");
        for (var mode : List.of("localhost_only", "proxy_only", "blocked")) assertEquals("netns", modes.get(mode).get("mechanism"), mode);
    }

    @Test
    void blockedHasOnlyLoopback() throws Exception {
        var r = halt("run", "--network", "blocked", "--", "sh", "-c", String.join("; ",
            "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
            "curl -sS -m 3 http://127.0.0.1:" + originPort + "/ >/dev/null 2>&1; echo curl=$?",
            "ping -c 1 -W 1 169.254.99.99 >/dev/null 2>&1; echo ping=$?",
            "nc -z -w 2 169.254.99.99 80 >/dev/null 2>&1; echo nc=$?",
            "getent hosts example.test >/dev/null; echo getent=$?",
            "dig +time=1 +tries=1 @169.254.99.99 example.test >/dev/null 2>&1; echo dig=$?",
            "nc -l 127.0.0.1 18081 >/dev/null 2>&1 & i=0; while [ $i -lt 50 ] && ! nc -z 127.0.0.1 18081; do sleep 0.1; i=$((i+1)); done; echo lo-inside=$?"));
        assertEquals(List.of("lo"), r.out().lines().filter(l -> !l.contains("=")).toList(), r.out() + r.err());
        assertTrue(r.out().contains("curl=7"), "the host's loopback is not the child's: " + r.out());
        assertFalse(r.out().contains("ping=0") || r.out().contains("nc=0") || r.out().contains("getent=0")
            || r.out().contains("dig=0"), r.out());
        assertTrue(r.out().contains("lo-inside=0"), "loopback inside works: " + r.out() + r.err());
    }

    /**
     * A namespace with only lo reaches no name server: halt answers every lookup there with
     * NXDOMAIN (EAI_NONAME, "no such host"), not silence or REFUSED (EAI_AGAIN, a temporary
     * failure), and names the host once on stderr. The query goes to the nameserver
     * address of /etc/resolv.conf, which exists only on the sandbox's lo: nothing leaves it.
     */
    @Test
    void aDnsLookupFailsAtOnceWithNxdomainWhenTheModeReachesNoNameServer() throws Exception {
        var lookup = Files.writeString(work.resolve("lookup.py"), String.join("\n",
            "import socket, time",
            "start = time.monotonic()",
            "try:",
            "    socket.getaddrinfo('registry.npmjs.org', 443)",
            "    print('gai=resolved')",
            "except socket.gaierror as e:",
            "    print('gai=%s' % ('EAI_NONAME' if e.errno == socket.EAI_NONAME else e.errno))",
            "print('ms=%d' % ((time.monotonic() - start) * 1000))", ""));
        for (var mode : List.of("blocked", "localhost_only")) {
            var r = halt("run", "--network", mode, "--", "sh", "-c", String.join("; ",
                "python3 " + lookup,
                "dig +time=2 +tries=1 registry.npmjs.org 2>/dev/null | grep -o 'status: [A-Z]*' | tr -d ' '",
                "dig +tcp +time=2 +tries=1 other.test 2>/dev/null | grep -o 'status: [A-Z]*' | tr -d ' '",
                "getent hosts registry.npmjs.org; echo getent=$?",
                "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\\n' ' ' | sed 's/^/interfaces=/'; echo"));
            var words = HaltProcess.words(r.out());
            assertEquals("EAI_NONAME", words.get("gai"), mode + ": " + r.out() + r.err());
            assertTrue(Integer.parseInt(words.get("ms")) < 3000, mode + ": a lookup answered at once: " + r.out());
            assertEquals(2, r.out().lines().filter(l -> l.equals("status:NXDOMAIN")).count(), mode + ", UDP and TCP: " + r.out());
            assertEquals("2", words.get("getent"), r.out());
            assertEquals("lo", words.get("interfaces"), "the namespace still has only lo: " + r.out());
            var line = "halt: refused DNS lookup of registry.npmjs.org: network mode " + mode;
            assertEquals(1, r.err().lines().filter(line::equals).count(), "once per host: " + r.err());
            assertTrue(r.err().contains("halt: refused DNS lookup of other.test: network mode " + mode), r.err());
        }
    }

    @Test
    void localhostOnlyReachesItselfButNotTheHost() throws Exception {
        var r = halt("run", "--network", "localhost", "--", "sh", "-c", String.join("; ",
            "python3 -m http.server 18080 --bind 127.0.0.1 >/dev/null 2>&1 & server=$!",
            "i=0; while [ $i -lt 50 ] && ! curl -s -o /dev/null http://127.0.0.1:18080/; do sleep 0.1; i=$((i+1)); done",
            "curl -sS -o /dev/null -w 'own=%{http_code}\\n' http://127.0.0.1:18080/",
            "curl -sS -m 3 http://127.0.0.1:" + originPort + "/ >/dev/null 2>&1; echo host=$?",
            "kill $server"));
        assertTrue(r.out().contains("own=200"), r.out() + r.err());
        assertTrue(r.out().contains("host=7"), r.out());
    }

    @Test
    void proxyOnlyEndToEnd() throws Exception {
        var before = hostInterfaces();
        try (var dns = new FakeDnsUpstream(Map.of("allowed.test", "127.0.0.1", "denied.test", "127.0.0.1"))) {
            var config = Files.writeString(temp.resolve("proxy.toml"), "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n"
                + "[proxy]\ndomain_allowlist = [\"allowed.test\"]\nupstream_dns = [\"127.0.0.1:" + dns.port() + "\"]\n"
                + "allow_local_destinations = true\n");
            var url = ":" + originPort + "/";
            var r = halt("run", "--config", config.toString(), "--", "sh", "-c", String.join("; ",
                "curl -sS -m 5 http://allowed.test" + url + "; echo",
                "curl -sS -m 5 -o /dev/null -w 'denied=%{http_code}\\n' http://denied.test" + url,
                "curl -sS -m 5 -o /dev/null -w 'literal=%{http_code}\\n' --noproxy '' -x \"$HTTP_PROXY\" http://169.254.99.99" + url,
                "env -u HTTP_PROXY -u http_proxy -u ALL_PROXY -u all_proxy curl -sS -m 3 http://127.0.0.1" + url + " >/dev/null 2>&1; echo direct=$?",
                "getent hosts allowed.test | cut -d' ' -f1",
                "getent hosts denied.test; echo getent-denied=$?",
                "dig +short +time=2 +tries=1 allowed.test | head -1",
                "curl -sS -m 5 -o /dev/null --noproxy '*' --resolve allowed.test:443:169.254.99.99 https://allowed.test/ ; echo sni-unresolved=$?",
                "python3 -c \"import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1); s.sendto(b'x', ('169.254.99.99', 9)); print('udp', 'no reply' if not s.recv(1) else 'reply')\" 2>&1 | tail -1",
                "nc -z -w 2 169.254.99.99 22; echo nc=$?"));
            assertTrue(r.out().contains("hello-origin"), "allowed name through HTTP_PROXY: " + r.out() + r.err());
            assertTrue(r.out().contains("denied=403"), r.out());
            assertTrue(r.out().contains("literal=403"), r.out());
            assertTrue(r.out().contains("direct=7"), "without the proxy variables nothing connects: " + r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.equals("127.0.0.1")), "DNS answers allowed names: " + r.out());
            assertTrue(r.out().contains("getent-denied=2"), "NXDOMAIN for refused names: " + r.out());
            assertFalse(r.out().contains("sni-unresolved=0"), r.out());
            assertFalse(r.out().contains("udp reply"), r.out());
            assertFalse(r.out().contains("nc=0"), "a port with no listener reaches nothing: " + r.out());
            assertFalse(dns.queries().contains("denied.test"), "refused names never go upstream: " + dns.queries());
            assertTrue(dns.queries().contains("allowed.test"), dns.queries().toString());
            assertTrue(r.err().contains("denied.test"), r.err());
        }
        assertEquals(before, hostInterfaces(), "no interface appeared or stayed in the host namespace");
    }

    /**
     * A proxy-unaware client: the child resolves the name through halt's DNS and connects to the
     * address itself; the transparent listener decides by the address's name and the TLS SNI. The
     * origin lives in a namespace this test makes, joined to the host by a veth of its own
     * (169.254.88.0/30), so the proxy's upstream connection stays on this machine.
     */
    @Test
    void aProxyUnawareClientGoesThroughTheTransparentListener() throws Exception {
        withTestOrigin(List.of("169.254.88.1/30"), List.of("169.254.88.2/30"), () -> {
            try (var dns = new FakeDnsUpstream(Map.of("allowed.test", "169.254.88.2", "denied.test", "169.254.88.2"))) {
                var r = halt("run", "--config", transparentConfig(dns).toString(), "--", "sh", "-c", String.join("; ",
                    "curl -sS -m 5 --noproxy '*' http://allowed.test/; echo",
                    "curl -sS -m 5 --noproxy '*' -o /dev/null -w 'fronted=%{http_code}\\n' -H 'Host: denied.test' http://allowed.test/",
                    "curl -sS -m 5 --noproxy '*' -k --resolve denied.test:443:169.254.88.2 https://denied.test/ >/dev/null 2>&1; echo sni=$?"));
                assertTrue(r.out().contains("hello-transparent"), "through the transparent listener: " + r.out() + r.err());
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fronted=") && !l.equals("fronted=200")),
                    "a Host header naming a refused host is refused: " + r.out());
                assertFalse(r.out().contains("sni=0"), "an SNI naming a refused host is refused: " + r.out());
                assertTrue(r.err().contains("denied.test"), r.err());
            }
        });
    }

    /** The same over IPv6: the listeners bind {@code ::} and take the child's IPv6 connections too. */
    @Test
    void aProxyUnawareIpv6ClientGoesThroughTheTransparentListener() throws Exception {
        assumeTrue(dev.halt.core.linux.net.ProxyLink.ipv6Available(), "[ipv6] needs IPv6 in the kernel (/proc/net/if_inet6)");
        withTestOrigin(List.of("169.254.88.1/30", "fd71:7400:88::1/64"), List.of("169.254.88.2/30", "fd71:7400:88::2/64"), () -> {
            try (var dns = new FakeDnsUpstream(Map.of("six.test", "fd71:7400:88::2", "denied.test", "fd71:7400:88::2"))) {
                var r = halt("run", "--config", transparentConfig(dns, "six.test").toString(), "--", "sh", "-c", String.join("; ",
                    "curl -6 -sS -m 5 --noproxy '*' http://six.test/; echo",
                    "curl -6 -sS -m 5 --noproxy '*' -o /dev/null -w 'fronted=%{http_code}\\n' -H 'Host: denied.test' http://six.test/"));
                assertTrue(r.out().contains("hello-transparent"), "IPv6 through the transparent listener: " + r.out() + r.err());
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fronted=") && !l.equals("fronted=200")),
                    "a Host header naming a refused host is refused: " + r.out());
            }
        });
    }

    private Path transparentConfig(FakeDnsUpstream dns, String... allowed) throws IOException {
        var names = allowed.length == 0 ? List.of("allowed.test") : List.of(allowed);
        return Files.writeString(temp.resolve("transparent.toml"), "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n"
            + "[proxy]\ndomain_allowlist = [\"" + String.join("\", \"", names) + "\"]\nupstream_dns = [\"127.0.0.1:"
            + dns.port() + "\"]\nallow_local_destinations = true\n");
    }

    /** Code that may throw, run while the test origin serves. */
    private interface WithOrigin {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} while an HTTP origin answers on port 80 of every {@code originSide} address,
     * in a namespace this test makes, joined to the host by the veth haltt0/haltt1 whose host end
     * has the {@code hostSide} addresses ("address/prefix"). Removes the veth and namespace after.
     */
    private void withTestOrigin(List<String> hostSide, List<String> originSide, WithOrigin body) throws Exception {
        var before = hostInterfaces();
        var timeout = java.time.Duration.ofSeconds(10);
        try (var originNs = dev.halt.core.linux.net.NetworkNamespace.create("test-origin-ns")) {
            // Netlink from this (host-namespace) platform thread: the veth's near end stays in the host.
            try (var netlink = dev.halt.core.linux.net.Netlink.open()) {
                netlink.createVethPair("haltt0", "haltt1", originNs.fd());
                int index = netlink.linkIndex("haltt0");
                for (var a : hostSide) netlink.addAddress(index, address(a), prefix(a));
                netlink.linkUp(index);
            }
            var servers = originNs.call(timeout, () -> {
                try (var netlink = dev.halt.core.linux.net.Netlink.open()) {
                    netlink.linkUp("lo");
                    int index = netlink.linkIndex("haltt1");
                    for (var a : originSide) netlink.addAddress(index, address(a), prefix(a));
                    netlink.linkUp(index);
                    netlink.awaitRunning(index, timeout);
                }
                var bound = new java.util.ArrayList<java.nio.channels.ServerSocketChannel>();
                for (var a : originSide) {
                    bound.add(java.nio.channels.ServerSocketChannel.open().bind(new InetSocketAddress(address(a), 80), 16));
                }
                return bound;
            });
            try (var netlink = dev.halt.core.linux.net.Netlink.open()) {
                netlink.awaitRunning(netlink.linkIndex("haltt0"), timeout);
            }
            var served = servers.stream().map(server -> Thread.ofVirtual().start(() -> serveHttp(server))).toList();
            try {
                body.run();
            } finally {
                for (var server : servers) server.close();
                for (var thread : served) thread.join(5_000);
            }
        } finally {
            try (var netlink = dev.halt.core.linux.net.Netlink.open()) {
                // Deleting one end removes the pair; it may already be gone with the namespace.
                netlink.deleteLink(netlink.linkIndex("haltt0"));
            } catch (dev.halt.core.linux.sys.ErrnoException gone) {
                // ENODEV: the namespace's end went first and took the pair with it
            }
        }
        assertEquals(before, hostInterfaces(), "the test's own veth is gone");
    }

    private static InetAddress address(String withPrefix) {
        return InetAddress.ofLiteral(withPrefix.substring(0, withPrefix.indexOf('/')));
    }

    private static int prefix(String withPrefix) {
        return Integer.parseInt(withPrefix.substring(withPrefix.indexOf('/') + 1));
    }

    /** A minimal HTTP/1.0 origin on {@code server}: one response per connection. */
    private static void serveHttp(java.nio.channels.ServerSocketChannel server) {
        while (server.isOpen()) {
            try (var client = server.accept()) {
                var in = java.nio.ByteBuffer.allocate(4096);
                client.read(in);
                client.write(java.nio.ByteBuffer.wrap(
                    "HTTP/1.0 200 OK\r\nContent-Length: 17\r\n\r\nhello-transparent".getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                return;
            }
        }
    }

    @Test
    void twoConcurrentRunsDoNotShareAllowances() throws Exception {
        try (var dns = new FakeDnsUpstream(Map.of("one.test", "127.0.0.1", "two.test", "127.0.0.1"))) {
            var common = "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n[proxy]\nupstream_dns = [\"127.0.0.1:" + dns.port()
                + "\"]\nallow_local_destinations = true\ndomain_allowlist = ";
            var one = Files.writeString(temp.resolve("one.toml"), common + "[\"one.test\"]\n");
            var two = Files.writeString(temp.resolve("two.toml"), common + "[\"two.test\"]\n");
            var script = "sleep 1; for h in one.test two.test; do curl -sS -m 5 -o /dev/null -w \"$h=%{http_code}\\n\" http://$h:" + originPort + "/; done";
            var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(), "XDG_CONFIG_HOME", temp.resolve("config").toString());
            var first = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false,
                "run", "--config", one.toString(), "--", "sh", "-c", script)).directory(work.toFile());
            first.environment().putAll(env);
            var p1 = first.redirectErrorStream(true).start();
            var r2 = halt("run", "--config", two.toString(), "--", "sh", "-c", script);
            var out1 = new String(p1.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p1.waitFor(60, TimeUnit.SECONDS));
            assertTrue(out1.contains("one.test=200") && out1.contains("two.test=403"), out1);
            assertTrue(r2.out().contains("two.test=200") && r2.out().contains("one.test=403"), r2.out() + r2.err());
        }
    }

    @Test
    void sigintToHaltLeavesNothingBehind() throws Exception {
        var before = hostInterfaces();
        var marker = work.resolve("sigint-started");
        // A shell's background jobs start with SIGINT ignored, and an ignored signal stays ignored
        // across exec (the JVM then leaves it alone): give halt the default disposition, as a terminal does.
        var command = new java.util.ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(HaltProcess.command(System.getProperty("java.class.path"), false,
            "run", "--config", loopbackDnsConfig().toString(), "--network", "proxy", "--allow", "example.test", "--", "sh", "-c", "touch " + marker + "; sleep 303"));
        var pb = new ProcessBuilder(command)
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        var halt = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(marker), "the child started");
            new ProcessBuilder("kill", "-INT", Long.toString(halt.pid())).start().waitFor();
            assertTrue(halt.waitFor(30, TimeUnit.SECONDS), "halt ended");
        } finally {
            halt.descendants().forEach(ProcessHandle::destroyForcibly);
            halt.destroyForcibly();
        }
        assertEquals(130, halt.exitValue(), "the child's status: killed by SIGINT");
        assertEquals(List.of(), HaltProcess.processesRunning("sleep", "303"), "no process of the run is left");
        assertEquals(before, hostInterfaces());
    }

    @Test
    void killingHaltLeavesNoProcessNamespaceOrInterface() throws Exception {
        var before = hostInterfaces();
        var marker = work.resolve("started");
        // A job that leaves the command's tree (setsid, its parent gone) is found by its namespace.
        var pb = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false,
            "run", "--config", loopbackDnsConfig().toString(), "--network", "proxy", "--allow", "example.test", "--",
            "sh", "-c", "(setsid sleep 309 &); touch " + marker + "; sleep 308"))
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // A run without a mount namespace keeps a record of what to clean up: in this test's directory.
        pb.environment().put("XDG_STATE_HOME", temp.resolve("state").toString());
        var halt = pb.start();
        var descendants = new java.util.ArrayList<ProcessHandle>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(marker), "the child started");
            halt.descendants().forEach(descendants::add);
            var child = halt.children().filter(h -> h.info().commandLine().orElse("").contains("308")).findFirst();
            assertTrue(child.isPresent(), "found the child");
            var namespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(child.get().pid()), "ns", "net"));

            halt.destroyForcibly();
            assertTrue(halt.waitFor(30, TimeUnit.SECONDS));

            var left = HaltProcess.untilNoneLeft(java.time.Duration.ofSeconds(10), () -> {
                var found = new java.util.ArrayList<>(HaltProcess.processesRunning("sleep", "308"));
                found.addAll(HaltProcess.processesRunning("sleep", "309"));
                found.addAll(processesIn(namespace));
                return found;
            });
            assertEquals(List.of(), left, "no process of the run, nor of its namespace, outlives halt");
            // The next halt command cleans up what the killed one could not (a private /tmp without a mount namespace).
            var next = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false, "config", "show"))
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            next.environment().putAll(pb.environment());
            assertTrue(next.start().waitFor(60, TimeUnit.SECONDS));
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
            halt.destroyForcibly();
        }
        assertEquals(before, hostInterfaces());
    }

    /** PIDs of live processes (not zombies) whose network namespace is {@code namespace}. */
    private static List<String> processesIn(Path namespace) throws Exception {
        var found = new java.util.ArrayList<String>();
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (var dir : dirs) {
                try {
                    if (!Files.readSymbolicLink(dir.resolve("ns/net")).equals(namespace)) continue;
                    var stat = Files.readString(dir.resolve("stat"));
                    if (stat.charAt(stat.lastIndexOf(')') + 2) != 'Z') found.add(dir.getFileName().toString());
                } catch (java.io.IOException e) {
                    // Gone while we looked, or a kernel thread.
                }
            }
        }
        return found;
    }
}
