package dev.halt.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The network modes without privileges: halt runs as user 65534 (through setpriv when the test
 * runs as root, as CI does). Traffic goes only to listeners on 127.0.0.1 that this test opened.
 */
@Tag("linux")
class RootlessNetworkTest {

    @TempDir
    static Path temp;
    static Path work;
    static String classPath;
    static boolean asNobody;
    static TestOrigin origin;
    static int originPort;
    static ServerSocket otherListener;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 (TCP rules), this kernel has " + abi);
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
        work = Files.createDirectories(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));

        origin = new TestOrigin();
        originPort = origin.port();
        otherListener = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (origin != null) origin.close();
        if (otherListener != null) otherListener.close();
    }

    private static HaltProcess.Result halt(String... args) throws Exception {
        // halt's config directory lies outside the working directory: halt refuses a write grant over it
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, args), work, env);
    }

    private static Path config(String name, String toml) throws Exception {
        var file = Files.writeString(temp.resolve(name), toml);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    @Test
    void checkNamesLandlockSeccompAndTheSupervisorForEveryIsolatedMode() throws Exception {
        var r = halt("check", "--json");
        @SuppressWarnings("unchecked")
        var report = (Map<String, Object>) Json.parse(r.out());
        @SuppressWarnings("unchecked")
        var modes = (Map<String, Map<String, Object>>) report.get("network_modes");
        @SuppressWarnings("unchecked")
        var probes = (List<Map<String, Object>>) report.get("probes");
        var supervisor = probes.stream().filter(p -> p.get("name").equals("seccomp.supervisor")).findFirst().orElseThrow();
        assertEquals(true, supervisor.get("available"), "the supervisor's round trip works here: " + supervisor);
        for (var mode : List.of("localhost_only", "proxy_only", "blocked")) {
            assertEquals("landlock-tcp+seccomp+supervisor", modes.get(mode).get("mechanism"), mode);
            // exact addresses: no hole left to warn about
            assertEquals("ok", modes.get(mode).get("status"), mode);
        }
        assertTrue(((String) modes.get("proxy_only").get("note")).contains("proxy's address and port"), modes.toString());
        var text = halt("check");
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("OK    proxy_only") && l.contains("supervisor")), text.out());
        assertEquals(text.out().contains("FAIL:") ? 1 : 0, text.status(), text.out());
    }

    @Test
    void blockedRefusesTcpAndUdp() throws Exception {
        var r = halt("run", "--network", "blocked", "--", "sh", "-c",
            "curl -sS -m 5 http://127.0.0.1:" + originPort + "/ ; echo curl=$?; "
                + "python3 -c 'import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)' 2>&1 | tail -1");
        assertFalse(r.out().contains("hello-origin"), r.out());
        assertTrue(r.out().contains("curl=7"), r.out() + r.err());
        assertTrue(r.out().contains("Operation not permitted"), "UDP refused: " + r.out());
    }

    @Test
    void localhostOnlyAllowsTheConfiguredPortsOnly() throws Exception {
        var file = config("localhost.toml", "[sandbox]\nnetwork = { mode = \"localhost_only\" }\nlocalhost_ports = [" + originPort + "]\n");
        var r = halt("run", "--config", file.toString(), "--", "sh", "-c",
            "curl -sS -m 5 http://127.0.0.1:" + originPort + "/; echo; curl -sS -m 5 http://127.0.0.1:"
                + otherListener.getLocalPort() + "/ ; echo other=$?");
        assertTrue(r.out().contains("hello-origin"), r.out() + r.err());
        assertTrue(r.out().contains("other=7"), r.out());
        assertTrue(r.err().contains("halt: refused 127.0.0.1:" + otherListener.getLocalPort() + " (connect): port "
            + otherListener.getLocalPort() + " is not in localhost_ports"), r.err());
        assertFalse(r.err().contains("cannot tell addresses apart"), "the supervisor tells them apart: " + r.err());
    }

    @Test
    void proxyOnlyReachesAllowedNamesThroughTheProxyAndNothingElse() throws Exception {
        try (var dns = new FakeDnsUpstream(Map.of("allowed.test", "127.0.0.1", "denied.test", "127.0.0.1"))) {
            var file = config("proxy.toml", "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n[proxy]\n"
                + "domain_allowlist = [\"allowed.test\"]\nupstream_dns = [\"127.0.0.1:" + dns.port() + "\"]\n"
                + "allow_local_destinations = true\n");
            var log = work.resolve("decisions.jsonl");
            var url = ":" + originPort + "/";
            var r = halt("run", "--config", file.toString(), "--log", log.toString(), "--", "sh", "-c", String.join("; ",
                "curl -sS -m 5 http://127.0.0.1" + url + " ; echo direct=$?",
                "curl -sS -m 5 -o /dev/null -w 'literal=%{http_code}\\n' --noproxy '' -x \"$HTTP_PROXY\" http://127.0.0.1" + url,
                "curl -sS -m 5 http://allowed.test" + url + "; echo",
                "curl -sS -m 5 -o /dev/null -w 'denied=%{http_code}\\n' http://denied.test" + url,
                "curl -sS -m 5 https://denied.test/ ; echo connect=$?",
                "curl -sS -m 5 --noproxy '*' http://allowed.test" + url + " ; echo unproxied=$?"));
            assertTrue(r.out().contains("direct=7"), r.out() + r.err());
            assertTrue(r.out().contains("literal=403"), "an IP nobody resolved is refused: " + r.out());
            assertTrue(r.out().contains("hello-origin"), r.out() + r.err());
            assertTrue(r.out().contains("denied=403"), r.out());
            assertTrue(r.out().contains("connect=56"), "CONNECT refused: " + r.out());
            assertFalse(r.out().contains("unproxied=0"), "no direct connection around the proxy: " + r.out());
            assertTrue(dns.queries().contains("allowed.test"), dns.queries().toString());
            assertFalse(dns.queries().contains("denied.test"), "a refused name never goes upstream: " + dns.queries());
            assertTrue(r.err().contains("denied.test"), "each refused host is reported: " + r.err());
            assertTrue(r.err().contains("halt: refused 127.0.0.1:" + originPort + " (connect): not the proxy"), r.err());
            assertFalse(r.err().contains("halt: warning: proxy_only without privileges"), "no hole to warn about: " + r.err());
            var lines = Files.readAllLines(log);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"denied.test\"") && l.contains("refused")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"allowed.test\"") && l.contains("allowed")), lines.toString());
        }
    }

    @Test
    void withoutTheSupervisorTheModesFallBackToPortRulesAndSaySo() throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString());
        var off = List.of("-Dhalt.supervisor=off");
        var file = config("fallback.toml", "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n[proxy]\n"
            + "domain_allowlist = [\"allowed.test\"]\nupstream_dns = [\"127.0.0.1:9\"]\n");
        var r = HaltProcess.run(HaltProcess.command(classPath, asNobody, off, "run", "--config", file.toString(), "--", "sh", "-c",
            "curl -sS -m 5 http://127.0.0.1:" + originPort + "/ ; echo direct=$?"), work, env);
        assertTrue(r.out().contains("direct=7"), "Landlock's port rule still stands: " + r.out() + r.err());
        assertTrue(r.err().contains("halt: warning: proxy_only without privileges: Landlock allows TCP connect to the proxy's port")
            && r.err().contains("switched off (-Dhalt.supervisor=off)"), "says the hole and why: " + r.err());
        var check = HaltProcess.run(HaltProcess.command(classPath, asNobody, off, "check", "--json"), work, env);
        @SuppressWarnings("unchecked")
        var modes = (Map<String, Map<String, Object>>) ((Map<String, Object>) Json.parse(check.out())).get("network_modes");
        // check names what run would use with the same switch: the port rules, a WARN, and why.
        assertEquals("landlock-tcp+seccomp", modes.get("proxy_only").get("mechanism"));
        assertEquals("warn", modes.get("proxy_only").get("status"));
        assertTrue(((String) modes.get("proxy_only").get("note")).contains("connect to that port on any address")
            && ((String) modes.get("proxy_only").get("note")).contains("switched off"), modes.toString());
    }

    @Test
    void exactNetworkRefusesToRunOnPortRulesAlone() throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString());
        var off = List.of("-Dhalt.supervisor=off");
        var marker = work.resolve("exact-ran");
        var file = config("exact.toml", "[sandbox]\nnetwork = { mode = \"proxy_only\", exact = true }\n[proxy]\n"
            + "upstream_dns = [\"127.0.0.1:9\"]\n");
        var refused = HaltProcess.run(HaltProcess.command(classPath, asNobody, off, "run", "--config", file.toString(), "--",
            "touch", marker.toString()), work, env);
        assertEquals(125, refused.status(), refused.err());
        assertTrue(refused.err().contains("exact = true") && refused.err().contains("Nothing was run"), refused.err());
        assertFalse(Files.exists(marker), "nothing ran");

        var bestEffort = HaltProcess.run(HaltProcess.command(classPath, asNobody, off, "run", "--best-effort", "--config",
            file.toString(), "--", "touch", marker.toString()), work, env);
        assertEquals(0, bestEffort.status(), bestEffort.err());
        assertTrue(bestEffort.err().contains("best effort: network mode proxy_only with exact = true"), bestEffort.err());

        var supervised = HaltProcess.run(HaltProcess.command(classPath, asNobody, "run", "--config", file.toString(), "--",
            "true"), work, env);
        assertEquals(0, supervised.status(), "with the supervisor the addresses are exact: " + supervised.err());
        Files.deleteIfExists(marker);
    }

    @Test
    void killingHaltKillsTheCommandItsJobsAndItsOrphans() throws Exception {
        var marker = work.resolve("rootless-started");
        var pb = new ProcessBuilder(HaltProcess.command(classPath, asNobody, "run", "--network", "blocked", "--",
            // sleep 312 leaves the command's tree (setsid, its parent gone): halt adopts it and names
            // it to the tether within a second. Until then, and in the first milliseconds before
            // halt names the command itself, a rootless run has a known window: start past them.
            "sh", "-c", "sleep 311 & (setsid sleep 312 &); sleep 1.5; touch " + marker + "; sleep 310"))
            .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("HOME", temp.resolve("home").toString(), "XDG_CONFIG_HOME", temp.resolve("config").toString(),
            "XDG_STATE_HOME", temp.resolve("state").toString()));
        var halt = pb.start();
        var descendants = new java.util.ArrayList<ProcessHandle>();
        try {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(marker), "the child started");
            halt.descendants().forEach(descendants::add);

            halt.destroyForcibly();
            assertTrue(halt.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));

            var left = HaltProcess.untilNoneLeft(java.time.Duration.ofSeconds(10), () -> {
                var found = new java.util.ArrayList<>(HaltProcess.processesRunning("sleep", "310"));
                found.addAll(HaltProcess.processesRunning("sleep", "311"));
                found.addAll(HaltProcess.processesRunning("sleep", "312"));
                return found;
            });
            assertEquals(List.of(), left, "the command, its background job and its orphan do not outlive halt");
            // The killed halt's private /tmp directory is left to the next halt command, which removes it.
            assertTrue(halt("config", "show").err().contains("was killed during a run"), "cleaned up after");
        } finally {
            descendants.forEach(ProcessHandle::destroyForcibly);
            halt.destroyForcibly();
        }
    }
}
