package dev.halt.core;

import dev.halt.core.linux.Requires;
import dev.halt.core.policy.EnvEntry;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real children under real Landlock rules, through the public API. */
@Tag("linux")
class SandboxTest {

    @TempDir
    Path temp;
    Path work;
    Path outside;
    Path home;

    private record Run(int status, String out, String err) {}

    /**
     * How a refused access reads: Landlock's EACCES; with privileges, the run's own mount
     * namespace may answer first, with EROFS, or not show the host's /tmp at all (ENOENT).
     */
    private static final java.util.regex.Pattern REFUSED =
        java.util.regex.Pattern.compile("Permission denied|Read-only file system|No such file|nonexistent");

    @BeforeEach
    void layout() throws Exception {
        Requires.landlockAbi(3);
        work = Files.createDirectories(temp.resolve("work"));
        outside = Files.createDirectories(temp.resolve("outside"));
        home = Files.createDirectories(temp.resolve("home"));
    }

    /** System defaults without the temp directories (the test's own files live under /tmp). */
    private SandboxPolicy.Builder policy() {
        var builder = SandboxPolicy.builder(work).networkMode(NetworkMode.UNRESTRICTED);
        for (PathGrant g : SystemDefaults.grants(work, System.getenv())) {
            if (!temp.startsWith(g.path())) builder.grant(g);
        }
        return builder;
    }

    private Map<String, String> hostEnv() {
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        return env;
    }

    private Run run(String script) throws Exception {
        return run(policy().build(), hostEnv(), "sh", "-c", script);
    }

    private Run run(SandboxPolicy policy, Map<String, String> env, String... command) throws Exception {
        var out = temp.resolve("stdout-" + System.nanoTime());
        var err = temp.resolve("stderr-" + System.nanoTime());
        var options = new LaunchOptions(env, false).withOutput(Redirect.to(out.toFile()), Redirect.to(err.toFile()));
        var child = Sandbox.launch(policy, List.of(command), options);
        assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "the child finished");
        return new Run(child.waitFor(), Files.readString(out), Files.readString(err));
    }

    @Test
    void writesInsideGrantsWorkAndOutsideFailAndCreateNothing() throws Exception {
        var r = run("echo in > inside.txt; echo out > " + outside + "/escaped.txt; echo status=$?");
        assertEquals("in\n", Files.readString(work.resolve("inside.txt")));
        assertFalse(Files.exists(outside.resolve("escaped.txt")));
        assertTrue(r.out().contains("status=1") || r.out().contains("status=2"), r.out());
        assertTrue(REFUSED.matcher(r.err()).find(), r.err());
    }

    @Test
    void aSecretInTheHomeDirectoryIsUnreadable() throws Exception {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_ed25519"), "SECRET-KEY-MATERIAL-1234");
        var r = run("cat \"$HOME/.ssh/id_ed25519\"; ls \"$HOME\"; echo done");
        assertFalse(r.out().contains("SECRET-KEY-MATERIAL"), r.out());
        assertFalse(r.out().contains(".ssh"), "the home directory cannot even be listed: " + r.out());
        assertTrue(r.out().endsWith("done\n"), r.out());
        assertTrue(REFUSED.matcher(r.err()).find(), r.err());
    }

    @Test
    void aReadOnlyFileCannotBeOverwrittenTruncatedRemovedOrRenamed() throws Exception {
        var ro = Files.createDirectories(temp.resolve("ro"));
        var file = Files.writeString(ro.resolve("keep.txt"), "original");
        var policy = policy().read(ro).build();
        var r = run(policy, hostEnv(), "sh", "-c", String.join("; ",
            "cat " + file,
            "echo x > " + file + " && echo OVERWROTE",
            "true > " + file + " && echo TRUNCATED",
            "truncate -s 0 " + file + " && echo TRUNCATED2",
            "rm -f " + file + " && echo REMOVED",
            "mv " + file + " " + ro + "/moved.txt && echo RENAMED",
            "mv " + file + " " + work + "/moved.txt && echo MOVED_OUT",
            "echo end"));
        assertEquals("originalend\n", r.out());
        assertEquals("original", Files.readString(file));
        assertFalse(Files.exists(ro.resolve("moved.txt")));
        // In a run's mount namespace the grants are separate mounts: mv gets EXDEV, copies, then
        // fails to remove the original. A copy of a readable file is no escape; a move would be.
        var moved = work.resolve("moved.txt");
        assertTrue(!Files.exists(moved) || Files.readString(moved).equals("original"));
    }

    @Test
    void aSymlinkInTheWorkspaceCannotBeWrittenThrough() throws Exception {
        var target = Files.writeString(outside.resolve("target.txt"), "untouched");
        Files.createSymbolicLink(work.resolve("link"), target);
        var r = run("echo pwned > link; echo pwned >> link; cat link; echo end");
        assertEquals("untouched", Files.readString(target));
        assertEquals("end\n", r.out());
    }

    @Test
    void aHardLinkToAnOutsideFileFails() throws Exception {
        var target = Files.writeString(outside.resolve("secret.txt"), "s");
        var r = run("ln " + target + " hard && echo LINKED; echo end");
        assertEquals("end\n", r.out());
        assertFalse(Files.exists(work.resolve("hard")));
    }

    @Test
    void grandchildrenInheritEveryRule() throws Exception {
        Files.writeString(home.resolve("secret"), "S3CRET");
        var r = run("sh -c 'sh -c \"echo x > " + outside + "/gc.txt; cat $HOME/secret; echo ok > gc-inside.txt\"'; echo end");
        assertFalse(Files.exists(outside.resolve("gc.txt")));
        assertFalse(r.out().contains("S3CRET"));
        assertTrue(Files.exists(work.resolve("gc-inside.txt")), "the grandchild wrote its workspace");
        assertEquals("end\n", r.out());
    }

    @Test
    void devNullIsWritableAndSystemToolsRun() throws Exception {
        var r = run("echo x > /dev/null && echo devnull-ok; ls /usr/bin > /dev/null && echo usr-ok; git --version > /dev/null 2>&1; echo end");
        assertEquals("devnull-ok\nusr-ok\nend\n", r.out());
    }

    @Test
    void noFileDescriptorBeyondTheStandardThreeLeaks() throws Exception {
        // ls looks at the shell's descriptors from outside; a glob would open one of its own.
        var r = run("ls /proc/$$/fd");
        var fds = new TreeSet<>(r.out().lines().toList());
        assertEquals(new TreeSet<>(Set.of("0", "1", "2")), fds, r.out() + r.err());
    }

    @Test
    void theEnvironmentIsScrubbedToTheAllowlistPlusEntries() throws Exception {
        var env = hostEnv();
        env.put("AWS_SECRET_ACCESS_KEY", "leak-me-not");
        env.put("PASS_ME", "passed");
        env.put("LC_ALL", "C");
        var policy = policy().env(new EnvEntry.Pass("PASS_ME"), new EnvEntry.Set("SET_ME", "set value"),
            new EnvEntry.Pass("ABSENT_VAR")).build();
        var r = run(policy, env, "sh", "-c", "env");
        var vars = r.out().lines().map(l -> l.substring(0, l.indexOf('='))).toList();
        assertFalse(r.out().contains("leak-me-not"), r.out());
        assertTrue(r.out().contains("PASS_ME=passed\n"), r.out());
        assertTrue(r.out().contains("SET_ME=set value\n"), r.out());
        assertTrue(r.out().contains("LC_ALL=C\n"), r.out());
        assertFalse(vars.contains("ABSENT_VAR"), r.out());
        assertTrue(vars.contains("PATH") && vars.contains("HOME"), r.out());
    }

    @Test
    void exitStatusesAreTheChildsOrHalts() throws Exception {
        assertEquals(0, run("true").status());
        assertEquals(42, run("exit 42").status());
        assertEquals(137, run("kill -9 $$").status());
        var notExecutable = Files.writeString(work.resolve("script.sh"), "#!/bin/sh\necho hi\n");
        var e126 = assertThrows(LaunchException.class, () -> run(policy().build(), hostEnv(), notExecutable.toString()));
        assertEquals(126, e126.exitStatus());
        var e127 = assertThrows(LaunchException.class, () -> run(policy().build(), hostEnv(), "no-such-command-halt"));
        assertEquals(127, e127.exitStatus());
        assertTrue(e127.getMessage().contains("no-such-command-halt"), e127.getMessage());
        var e125 = assertThrows(LaunchException.class, () -> Sandbox.launch(policy().build(), List.of(), LaunchOptions.defaults()));
        assertEquals(125, e125.exitStatus());
    }

    @Test
    void aProgramOutsideTheGrantsCannotBeExecuted() throws Exception {
        var tool = outside.resolve("tool.sh");
        Files.writeString(tool, "#!/bin/sh\necho RAN\n");
        tool.toFile().setExecutable(true);
        var r = run(tool + "; echo status=$?");
        assertFalse(r.out().contains("RAN"));
        // 127 when the run's mount namespace does not even show the file (it is in the host's /tmp).
        assertTrue(r.out().contains("status=126") || r.out().contains("status=127"), r.out());
    }

    @Test
    void aGrantThroughAPlantedLinkIsRefusedAndNothingRuns() throws Exception {
        Files.createSymbolicLink(work.resolve("p"), Path.of("/"));
        var marker = temp.resolve("ran");
        var policy = policy().readWrite(work.resolve("p")).build();
        var e = assertThrows(LaunchException.class, () -> run(policy, hostEnv(), "touch", marker.toString()));
        assertEquals(125, e.exitStatus());
        assertTrue(e.getMessage().contains(work.resolve("p") + " -> /"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    @Tag("root")
    void aRootChildCannotMknodSetnsOrReadInitsRoot() throws Exception {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] needs root (as CI runs)");
        var r = run(String.join("; ",
            "mknod node c 1 3 && echo MKNOD",
            "nsenter -t 1 -n true && echo SETNS",
            "ls /proc/1/root/ > /dev/null && echo PROC1ROOT",
            "kill -0 1 && echo SIGNAL_INIT",
            "grep CapEff /proc/self/status",
            "echo end"));
        assertEquals("CapEff:\t0000000000000000\nend\n", r.out(), r.err());
        assertFalse(Files.exists(work.resolve("node")));
    }

    @Test
    void signalsReachTheChild() throws Exception {
        var out = temp.resolve("signal-out");
        var options = new LaunchOptions(hostEnv(), false).withOutput(Redirect.to(out.toFile()), Redirect.DISCARD);
        var child = Sandbox.launch(policy().build(),
            List.of("sh", "-c", "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.05; done"), options);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline) Thread.sleep(20);
        assertTrue(child.signal(15));
        assertTrue(child.process().waitFor(20, TimeUnit.SECONDS));
        assertEquals(7, child.waitFor());
        assertTrue(Files.readString(out).contains("got-term"));
        assertFalse(child.signal(15), "no signal after exit");
    }
}
