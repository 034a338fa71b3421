package dev.halt.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** halt run as a user runs it: a separate JVM, real children, real Landlock. */
@Tag("linux")
class RunCommandTest {

    @TempDir
    Path temp;
    Path work;
    Path home;

    private record Result(int status, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
    }

    private ProcessBuilder halt(String... args) {
        var pb = new ProcessBuilder(HaltProcess.command(System.getProperty("java.class.path"), false, args))
            .directory(work.toFile());
        var env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        return pb;
    }

    private Result run(String... args) throws Exception {
        var p = halt(args).start();
        p.getOutputStream().close();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "halt finished");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void exitStatusesThroughTheCli() throws Exception {
        assertEquals(0, run("run", "--network", "unrestricted", "--", "true").status());
        assertEquals(42, run("run", "--network", "unrestricted", "--", "sh", "-c", "exit 42").status());
        assertEquals(137, run("run", "--network", "unrestricted", "--", "sh", "-c", "kill -9 $$").status());
        var notFound = run("run", "--network", "unrestricted", "--", "no-such-program-xyz");
        assertEquals(127, notFound.status());
        assertTrue(notFound.err().contains("no-such-program-xyz"), notFound.err());
        Files.writeString(work.resolve("plain.txt"), "not a program");
        assertEquals(126, run("run", "--network", "unrestricted", "--", "./plain.txt").status());
    }

    @Test
    void theDefaultNetworkModeIsLocalhostOnly() throws Exception {
        var marker = work.resolve("ran");
        var r = run("-v", "run", "--", "touch", marker.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(marker));
        assertTrue(r.err().contains("network localhost_only"), r.err());
    }

    @Test
    void writeGrantsAreExactlyWhatIsEnforced() throws Exception {
        var granted = Files.createDirectories(temp.resolve("granted"));
        // Outside /tmp, where the test's own directories live; /var/tmp is a default grant, but each
        // run gets a private one (a tmpfs with privileges, nothing of the host's without).
        var other = Files.createTempDirectory(Path.of("/var/tmp"), "halt-test-");
        try {
            assertOnlyGrantedWritable(granted, other);
        } finally {
            try (var files = Files.list(other)) {
                for (var f : files.toList()) Files.delete(f);
            }
            Files.delete(other);
        }
    }

    private void assertOnlyGrantedWritable(Path granted, Path other) throws Exception {
        var r = run("run", "--network", "unrestricted", "--no-config", "--write", granted.toString(), "--",
            "sh", "-c", "echo ok > " + granted + "/a; echo no > " + other + "/b; echo done");
        assertEquals(0, r.status(), r.err());
        assertEquals("done\n", r.out());
        assertTrue(Files.exists(granted.resolve("a")));
        assertFalse(Files.exists(other.resolve("b")));
    }

    @Test
    void envFlagsPassAndSetVariables() throws Exception {
        var pb = halt("run", "--network", "unrestricted", "--env", "PASS_ME", "--env", "SET_ME=v", "--env", "NOT_SET",
            "-v", "--", "sh", "-c", "echo \"$PASS_ME|$SET_ME|$SECRET_TOKEN\"");
        pb.environment().put("PASS_ME", "p");
        pb.environment().put("SECRET_TOKEN", "leak");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("p|v|\n", out, err);
        assertTrue(err.contains("NOT_SET"), "-v says the absent variable was left out: " + err);
    }

    @Test
    void aConfigErrorNamesFileLineAndKeyAndNothingRuns() throws Exception {
        var config = Files.writeString(temp.resolve("bad.toml"), "[sandbox]\nnetwork = { mode = \"unrestricted\" }\nnetwrok = 1\n");
        var marker = work.resolve("ran");
        var r = run("run", "--config", config.toString(), "--", "touch", marker.toString());
        assertEquals(125, r.status());
        assertTrue(r.err().contains(config + ":3"), r.err());
        assertTrue(r.err().contains("netwrok"), r.err());
        assertFalse(Files.exists(marker));
    }

    @Test
    void cliNetworkOverridesTheConfigAndTheUntrustedProjectFileStopsTheRun() throws Exception {
        var config = Files.writeString(temp.resolve("blocked.toml"), "[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        var interfaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '";
        var blocked = run("run", "--config", config.toString(), "--", "sh", "-c", interfaces);
        assertEquals(0, blocked.status(), blocked.err());
        var unrestricted = run("run", "--config", config.toString(), "--network", "unrestricted", "--", "sh", "-c", interfaces);
        assertEquals(0, unrestricted.status(), unrestricted.err());
        if (dev.halt.core.linux.sys.Credentials.current(System.getenv()).mayManageNetworkNamespaces()) {
            assertEquals("lo\n", blocked.out(), "the config's blocked mode: a namespace with only lo");
            assertNotEquals("lo\n", unrestricted.out(), "--network unrestricted overrides the config: the host's interfaces");
        }

        Files.createDirectories(work.resolve(".halt"));
        Files.writeString(work.resolve(".halt/halt.toml"), "[sandbox]\nnetwork = { mode = \"unrestricted\" }\n");
        var untrusted = run("run", "--", "true");
        assertEquals(125, untrusted.status());
        assertTrue(untrusted.err().contains("halt config trust"), untrusted.err());
        assertEquals(0, run("run", "--no-config", "--network", "unrestricted", "--", "true").status());
        assertEquals(0, run("config", "trust").status());
        assertEquals(0, run("run", "--", "true").status(), "trusted: its unrestricted mode applies");
        Files.writeString(work.resolve(".halt/halt.toml"), "[sandbox]\nnetwork = { mode = \"unrestricted\" }\n# changed\n");
        assertEquals(125, run("run", "--", "true").status(), "a changed file needs trusting again");
    }

    @Test
    void configInitShowAndItsRefusalToOverwrite() throws Exception {
        var init = run("config", "init");
        assertEquals(0, init.status(), init.err());
        assertTrue(Files.exists(work.resolve(".halt/halt.toml")));
        var again = run("config", "init");
        assertEquals(125, again.status());
        assertTrue(again.err().contains("--force"), again.err());
        var show = run("config", "show", "--format", "json");
        assertEquals(0, show.status(), show.err());
        assertInstanceOf(java.util.Map.class, Json.parse(show.out()));
        var bad = run("config", "show", "--format", "yaml");
        assertEquals(125, bad.status());
        assertTrue(bad.err().contains("yaml"), bad.err());
    }

    @Test
    void whatTheCommandLeavesBehindIsKilled() throws Exception {
        var pidFile = work.resolve("bg.pid");
        var r = run("run", "--network", "unrestricted", "--", "sh", "-c",
            "sleep 300 & echo $! > " + pidFile + "; setsid sleep 301 & exit 3");
        assertEquals(3, r.status(), r.err());
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        var handle = ProcessHandle.of(pid);
        assertTrue(handle.isEmpty() || !handle.get().isAlive(), "the background sleep was killed");
        assertEquals(List.of(), HaltProcess.processesRunning("sleep", "301"), "the setsid'd sleep was killed too");
    }

    @Test
    @Tag("root")
    void underSudoTheChildRunsAsTheInvokingUserAtHome() throws Exception {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] needs root (as CI runs)");
        Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        var pb = halt("run", "--network", "blocked", "--", "sh", "-c",
            "id -u; id -g; echo \"$HOME\"; grep CapEff /proc/self/status; touch made-by-child");
        pb.environment().put("SUDO_UID", "65534");
        pb.environment().put("SUDO_GID", "65534");
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        var home = dev.halt.core.linux.sys.Credentials.account(65534, Path.of("/etc/passwd"))
            .orElseThrow().home().toString();
        assertEquals("65534\n65534\n" + home + "\nCapEff:\t0000000000000000\n", out, err);
        assertEquals(65534, Files.getAttribute(work.resolve("made-by-child"), "unix:uid"));
    }

    @Test
    void sigtermToHaltReachesTheChildAndHaltReportsItsStatus() throws Exception {
        var ready = work.resolve("ready");
        var p = halt("run", "--network", "unrestricted", "--", "sh", "-c",
            "trap 'exit 9' TERM; touch " + ready + "; while :; do sleep 0.05; done").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(ready) && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(Files.exists(ready), "the child started");
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(9, p.exitValue());
    }

    @Test
    void anInteractiveProgramWorksThroughAPseudoTerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "[tool-script] needs script(1) from util-linux");
        var haltCommand = String.join(" ", halt().command().stream().map(a -> "'" + a + "'").toList())
            + " run --network unrestricted -- sh -c 'test -t 0 && test -t 1 && echo TTY-YES; read line; echo GOT:$line'";
        var pb = new ProcessBuilder("script", "-q", "-e", "-c", haltCommand, "/dev/null").directory(work.toFile());
        pb.environment().putAll(halt().environment());
        var p = pb.start();
        p.getOutputStream().write("hello-tty\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("TTY-YES"), out);
        assertTrue(out.contains("GOT:hello-tty"), out);
        assertEquals(0, p.exitValue(), out);
    }
}
