package dev.halt.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Live control of a running sandbox, each test with real runs of halt: {@code halt allow} and
 * {@code deny} change what the running child may reach, {@code watch} shows it, {@code ps} lists runs
 * until they end (or their halt is killed), and the control socket serves no one but its user, with
 * the token, from outside the run. Traffic goes only to this test's origin and DNS server on 127.0.0.1.
 */
@Tag("linux")
class LiveControlTest {

    @TempDir
    Path temp;
    static TestOrigin origin;
    static FakeDnsUpstream dns;

    @BeforeAll
    static void setUp() throws Exception {
        origin = new TestOrigin();
        dns = new FakeDnsUpstream(Map.of("live.test", "127.0.0.1", "asked.test", "127.0.0.1", "evil.test", "127.0.0.1"));
    }

    @AfterAll
    static void tearDown() {
        if (origin != null) origin.close();
        if (dns != null) dns.close();
    }

    private static Path proxyConfig(LiveRuns runs, boolean unixSockets) throws Exception {
        return runs.config("live.toml", "[sandbox]\nnetwork = { mode = \"proxy_only\" }\nallow_unix_sockets = " + unixSockets
            + "\n[proxy]\nupstream_dns = [\"127.0.0.1:" + dns.port() + "\"]\nallow_local_destinations = true\n");
    }

    /** A child that asks for live.test every 100 ms, printing each status, until the file {@code stop} appears. */
    private static String pollingChild() {
        return "i=0; while [ $i -lt 600 ] && [ ! -e stop ]; do curl -s -m 5 -o /dev/null -w '%{http_code}\\n' http://live.test:"
            + origin.port() + "/; i=$((i+1)); sleep 0.1; done";
    }

    @ParameterizedTest(name = "privileged={0}")
    @ValueSource(booleans = {false, true})
    void allowLetsTheRunningChildThroughAndDenyStopsItAgainAsWatchShows(boolean privileged) throws Exception {
        try (var runs = LiveRuns.in(temp, privileged)) {
            var run = runs.start("run", "run", "--no-config", "--config", proxyConfig(runs, false).toString(), "--",
                "sh", "-c", pollingChild());
            assertTrue(run.awaitOutput(Duration.ofSeconds(30), out -> out.contains("403")), "refused first: " + run.errors());
            var watch = runs.start("watch", "watch");
            assertTrue(watch.awaitOutput(Duration.ofSeconds(20), out -> out.contains("refused")), "watch: " + watch.errors());

            var allow = runs.halt("allow", "live.test");
            assertEquals(0, allow.status(), allow.err());
            assertTrue(allow.out().contains("allowed live.test"), allow.out());
            int refusedBefore = run.output().length();
            assertTrue(run.awaitOutput(Duration.ofSeconds(10), out -> out.substring(refusedBefore).contains("200")),
                "the next request goes through, without a restart: " + run.output());

            var deny = runs.halt("deny", "live.test");
            assertEquals(0, deny.status(), deny.err());
            assertTrue(deny.out().contains("denied live.test") && deny.out().contains("removed from the allowlist: live.test"),
                deny.out());
            int allowedBefore = run.output().length();
            assertTrue(run.awaitOutput(Duration.ofSeconds(10), out -> out.substring(allowedBefore).contains("403")),
                "refused again: " + run.output());

            Files.writeString(runs.work.resolve("stop"), "");
            assertEquals(0, run.waitFor(Duration.ofSeconds(30)), run.errors());
            assertEquals(0, watch.waitFor(Duration.ofSeconds(10)), "watch ends with the run: " + watch.errors());
            var shown = watch.output();
            assertTrue(shown.lines().anyMatch(l -> l.contains("allowed") && l.contains("live.test:" + origin.port())
                && l.contains("allowed by live.test")), shown);
            assertTrue(shown.lines().anyMatch(l -> l.contains("refused") && l.contains("denied by live.test")), shown);
            assertTrue(watch.errors().contains("ended"), watch.errors());
            assertEquals(List.of(), runs.sockets(), "the socket goes with the run");
        }
    }

    /**
     * With privileges and {@code --explain-denials}, {@code watch} shows the filesystem denials too,
     * as they happen: the child keeps trying to read a file outside its grants.
     */
    @Test
    void watchShowsFilesystemDenialsAsTheyHappen() throws Exception {
        // Outside /tmp: a privileged run gets a /tmp of its own, where the file would not exist.
        var outside = Files.createTempDirectory(Path.of("/var/lib"), "halt-live-test-");
        var secret = Files.writeString(outside.resolve("secret.txt"), "not granted\n");
        try (var runs = LiveRuns.in(temp, true)) {
            var run = runs.start("run", "run", "--no-config", "--network", "blocked", "--explain-denials", "--",
                "sh", "-c", "i=0; while [ $i -lt 300 ] && [ ! -e stop ]; do cat " + secret + " >/dev/null 2>&1; i=$((i+1));"
                    + " sleep 0.1; done");
            assertTrue(run.awaitErrors(Duration.ofSeconds(30), err -> err.contains("denied read")), "the run reports it: " + run.errors());
            var watch = runs.start("watch", "watch");
            assertTrue(watch.awaitOutput(Duration.ofSeconds(20), out -> out.contains("(landlock)") && out.contains(secret.toString())),
                "watch shows the denial: " + watch.output() + watch.errors());
            var json = runs.start("watch-json", "watch", "--json");
            assertTrue(json.awaitOutput(Duration.ofSeconds(20), out -> out.lines().anyMatch(l -> l.contains("\"event\":\"decision\"")
                && l.contains("\"via\":\"landlock\"") && l.contains(secret.toString()))), "as JSON: " + json.output() + json.errors());
            Files.writeString(runs.work.resolve("stop"), "");
            assertEquals(0, run.waitFor(Duration.ofSeconds(30)), run.errors());
            assertEquals(0, watch.waitFor(Duration.ofSeconds(10)), watch.errors());
            assertEquals(0, json.waitFor(Duration.ofSeconds(10)), json.errors());
        } finally {
            Files.deleteIfExists(secret);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void psListsARunUntilItIsStoppedOrItsHaltIsKilled() throws Exception {
        try (var runs = LiveRuns.in(temp, false)) {
            var first = runs.start("first", "run", "--network", "blocked", "--", "sleep", "60");
            var listed = runs.awaitPs(Duration.ofSeconds(30), out -> out.contains("\"sleep\",\"60\""));
            @SuppressWarnings("unchecked")
            var run = ((List<Map<String, Object>>) ((Map<String, Object>) Json.parse(listed)).get("runs")).getFirst();
            assertEquals(first.process().pid(), run.get("halt_pid"), listed);
            assertEquals(String.valueOf(first.process().pid()), run.get("id"));
            assertEquals("blocked", run.get("network"));
            assertTrue(run.get("pid") instanceof Long child && child != first.process().pid(), listed);
            var table = runs.halt("ps");
            assertTrue(table.out().startsWith("RUN") && table.out().contains("sleep 60"), table.out());

            var stop = runs.halt("stop");
            assertEquals(0, stop.status(), stop.err());
            assertEquals(143, first.waitFor(Duration.ofSeconds(30)), "ends as SIGTERM to halt would: " + first.errors());
            assertEquals("{\"runs\":[]}", runs.halt("ps", "--json").out().strip());
            assertEquals(List.of(), runs.sockets());

            var second = runs.start("second", "run", "--network", "blocked", "--", "sleep", "60");
            runs.awaitPs(Duration.ofSeconds(30), out -> out.contains("\"sleep\",\"60\""));
            assertEquals(1, runs.sockets().size());
            second.process().destroyForcibly(); // kill -9: halt's own exit code never runs
            second.waitFor(Duration.ofSeconds(10));
            assertEquals(1, runs.sockets().size(), "the tether cannot remove the socket");
            assertEquals("{\"runs\":[]}", runs.halt("ps", "--json").out().strip());
            assertEquals(List.of(), runs.sockets(), "the next halt command removes a socket whose run is gone");
        }
    }

    /**
     * The attacks on the socket: a process of another user (the directory opened up to it on
     * purpose), a process of the user with a wrong token, and the sandboxed child itself, which
     * got the token (leaked into its workspace) and may make unix sockets.
     */
    @Tag("root")
    @ParameterizedTest(name = "privileged={0}")
    @ValueSource(booleans = {false, true})
    void theSocketRefusesAnotherUserAWrongTokenAndTheChildItself(boolean privileged) throws Exception {
        assumeTrue(HaltProcess.asNobody(), "[root] needs root, to act as another user");
        try (var runs = LiveRuns.in(temp, privileged)) {
            var client = Files.writeString(runs.work.resolve("client.py"), String.join("\n",
                "import json, socket, sys",
                "s = socket.socket(socket.AF_UNIX)",
                "s.connect(sys.argv[1])",
                "try:",
                "    s.sendall(json.dumps({'token': sys.argv[2], 'op': sys.argv[3], 'hosts': ['evil.test']}).encode() + b'\\n')",
                "except BrokenPipeError:",
                "    pass  # refused before it read: the reply waits all the same",
                "print('reply', s.recv(65536).decode().strip())", ""));
            Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rw-r--r--"));
            var leak = runs.work.resolve("leak");
            var run = runs.start("run", "run", "--no-config", "--config", proxyConfig(runs, true).toString(), "--",
                "python3", "-c", String.join("\n",
                    "import os, time",
                    "for _ in range(600):",
                    "    if os.path.exists('leak') and open('leak').read().endswith('\\n'): break",
                    "    time.sleep(0.05)",
                    "sock, token = open('leak').read().split()",
                    "os.execvp('python3', ['python3', 'client.py', sock, token, 'allow'])"));
            runs.awaitPs(Duration.ofSeconds(30), out -> out.contains("\"id\""));
            var socket = runs.sockets().getFirst();
            var name = socket.getFileName().toString();
            var token = Files.readString(socket.resolveSibling(name.replace(".sock", ".token"))).strip();
            var sameUser = runs.asNobody ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.<String>of();
            var right = python(sameUser, client, socket.toString(), token, "status");
            assertTrue(right.contains("\"ok\":true"), "the user's own client is served: " + right);

            // Another user: the directory and socket opened to it, so that only halt's check stands.
            var otherUser = privileged ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.<String>of();
            var opened = List.of(socket.getParent(), runs.runtime);
            var modes = new ArrayList<java.util.Set<java.nio.file.attribute.PosixFilePermission>>();
            for (var dir : opened) {
                modes.add(Files.getPosixFilePermissions(dir));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            try {
                var other = python(otherUser, client, socket.toString(), token, "allow");
                assertTrue(other.contains("\"ok\":false") && other.contains("not as halt's user"), other);
            } finally {
                Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
                for (int i = 0; i < opened.size(); i++) Files.setPosixFilePermissions(opened.get(i), modes.get(i));
            }

            var wrong = python(sameUser, client, socket.toString(), "00".repeat(32), "allow");
            assertTrue(wrong.contains("\"ok\":false") && wrong.contains("wrong token"), wrong);

            Files.writeString(leak, socket + " " + token + "\n");
            Files.setPosixFilePermissions(leak, PosixFilePermissions.fromString("rw-r--r--"));
            assertEquals(0, run.waitFor(Duration.ofSeconds(30)), run.errors());
            assertTrue(run.output().contains("\"ok\":false") && run.output().contains("the sandboxed command may not control"),
                "the child, token in hand, is refused: " + run.output() + run.errors());
            assertTrue(run.errors().contains("refused a connection to the control socket"), run.errors());
            assertFalse(run.errors().contains("evil.test"), "nothing was allowed: " + run.errors());
        }
    }

    private String python(List<String> prefix, Path script, String... args) throws Exception {
        var command = new ArrayList<>(prefix);
        command.addAll(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void askIsAnsweredFromWatchOnceThenForTheRunAndTheChildCannotReachTheSocket() throws Exception {
        try (var runs = LiveRuns.in(temp, false)) {
            var url = "http://asked.test:" + origin.port() + "/";
            var run = runs.start("run", "run", "--ask", "--no-config", "--config", proxyConfig(runs, false).toString(), "--",
                "sh", "-c", String.join("; ",
                    "for i in 1 2 3; do curl -s -m 40 -o /dev/null -w 'status=%{http_code}\\n' " + url + "; done",
                    "python3 -c \"import socket; socket.socket(socket.AF_UNIX)\" 2>&1 | tail -1"));
            assertTrue(awaitFile(run.err(), Duration.ofSeconds(30), s -> s.contains("halt: holding asked.test:" + origin.port())),
                "without a watch, one line says how to answer: " + run.errors());

            var pb = new ProcessBuilder(HaltProcess.command(runs.classPath, runs.asNobody, "watch", "--ask"))
                .directory(runs.work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(runs.env);
            var watch = pb.start();
            var questions = 0;
            var shown = new StringBuilder();
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8));
                 var answers = watch.getOutputStream()) {
                String line;
                while ((line = in.readLine()) != null) {
                    shown.append(line).append('\n');
                    if (line.startsWith("? [")) {
                        questions++;
                        answers.write((questions == 1 ? "o\n" : "r\n").getBytes(StandardCharsets.UTF_8));
                        answers.flush();
                    }
                    if (shown.toString().lines().filter(l -> l.contains("allowed") && l.contains("asked.test")).count() == 3) break;
                }
            } finally {
                watch.destroy();
            }
            assertEquals(0, run.waitFor(Duration.ofSeconds(60)), run.errors());
            assertEquals(3, run.output().lines().filter(l -> l.equals("status=200")).count(), run.output());
            assertEquals(2, questions, "asked once, then again after 'once', never after 'for the run': " + shown);
            assertTrue(shown.toString().contains("allowed once at the prompt"), shown.toString());
            assertTrue(run.output().contains("Operation not permitted"), "no unix socket for the child: " + run.output());
        }
    }

    private static boolean awaitFile(Path file, Duration timeout, java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.test(Files.readString(file))) return true;
            Thread.sleep(50);
        }
        return false;
    }
}
