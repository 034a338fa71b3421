package dev.halt.core.linux.fs;

import dev.halt.core.LaunchOptions;
import dev.halt.core.Sandbox;
import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.Mounts;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Attacks on a privileged run's own mount namespace, each by a real child of {@link Sandbox#launch}:
 * metadata outside the grants, root-only files under /etc, the host's /tmp and /dev/shm, other
 * terminals, git metadata and start-up files in the workspace, and other processes in /proc.
 * The workspace lives under /var/lib, outside the host's /tmp the run does not see.
 */
@Tag("linux")
@Tag("root")
class MountNamespaceTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final int NOBODY = 65534;

    private Path base;
    private Path work;
    private final List<Path> hostFiles = new ArrayList<>();
    private final List<Process> helpers = new ArrayList<>();

    private record Run(int status, String out, String err) {}

    @BeforeEach
    void layout() throws IOException {
        Requires.landlockAbi(3);
        Requires.mountAdmin();
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "[tool-python3] needs " + PYTHON + " for the attacks");
        base = Files.createDirectories(Path.of("/var/lib", "halt-test-" + random()));
        work = Files.createDirectories(base.resolve("work"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        helpers.forEach(Process::destroyForcibly);
        for (var p : hostFiles) Files.deleteIfExists(p);
        if (base != null) deleteTree(base);
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** A file the test makes on the host, removed after the test. */
    private Path hostFile(Path path, String content, String mode) throws IOException {
        hostFiles.add(path);
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private SandboxPolicy.Builder policy() {
        return SandboxPolicy.builder(work).networkMode(NetworkMode.UNRESTRICTED).grants(SystemDefaults.grants(work, hostEnv()));
    }

    private Map<String, String> hostEnv() {
        var env = new HashMap<String, String>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", work.toString());
        return env;
    }

    private Run run(String script) throws Exception {
        return run(policy().build(), hostEnv(), script);
    }

    private Run run(SandboxPolicy policy, Map<String, String> env, String script) throws Exception {
        var out = base.resolve("stdout-" + System.nanoTime());
        var err = base.resolve("stderr-" + System.nanoTime());
        var options = new LaunchOptions(env, false).withOutput(Redirect.to(out.toFile()), Redirect.to(err.toFile()));
        var child = Sandbox.launch(policy, List.of("sh", "-c", script), options);
        assertTrue(child.process().waitFor(60, TimeUnit.SECONDS), "the child finished");
        return new Run(child.waitFor(), Files.readString(out), Files.readString(err));
    }

    /** A python3 script for {@code sh -c}, with no single quote in it. */
    private static String python(String code) {
        assertFalse(code.contains("'"), code);
        return PYTHON + " -c '" + code + "'";
    }

    /** Prints NAME ERRNO-NAME (or NAME DONE) for each metadata call on {@code path}. */
    private static String metadataCalls(Path path) {
        return python(String.join("\n",
            "import errno, os",
            "p = \"" + path + "\"",
            "calls = [(\"chmod\", lambda: os.chmod(p, 0o777)), (\"setxattr\", lambda: os.setxattr(p, \"user.halt\", b\"x\")),",
            "         (\"utime\", lambda: os.utime(p, (1, 1)))]",
            "for name, call in calls:",
            "    try:",
            "        call(); print(name, \"DONE\")",
            "    except OSError as e:",
            "        print(name, errno.errorcode[e.errno])"));
    }

    @Test
    void metadataOfAFileOutsideEveryGrantCannotChange() throws Exception {
        var outside = Files.createDirectories(base.resolve("outside"));
        var victim = Files.writeString(outside.resolve("victim"), "root's file");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
        var mtime = Files.getLastModifiedTime(victim);

        var r = run(metadataCalls(victim));

        assertEquals("chmod EROFS\nsetxattr EROFS\nutime EROFS\n", r.out(), r.err());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(mtime, Files.getLastModifiedTime(victim));
        assertFalse(Files.getFileAttributeView(victim, java.nio.file.attribute.UserDefinedFileAttributeView.class)
            .list().contains("halt"), "no xattr was set");
    }

    @Test
    void metadataInsideTheWorkspaceStillChanges() throws Exception {
        var mine = Files.writeString(work.resolve("mine"), "x");
        var r = run("chmod 600 mine && touch -d @1 mine && echo ok");
        assertEquals("ok\n", r.out(), r.err());
        assertEquals(FileTime.fromMillis(1000), Files.getLastModifiedTime(mine));
    }

    @Test
    void aWriteGrantInsideAReadOnlyMountOfTheHostsStaysReadOnly() throws Exception {
        var shelf = Files.createDirectories(base.resolve("shelf"));
        var sub = Files.createDirectories(shelf.resolve("sub"));
        // The "host" is this test's own thread in a namespace of its own, where shelf is a read-only bind.
        var r = ThrowawayThread.run("test-read-only-host", java.time.Duration.ofSeconds(60), () -> {
            Mounts.unshareNamespace();
            Mounts.makePrivate();
            Mounts.bind(shelf.toString(), shelf.toString(), false);
            Mounts.setAttributes(shelf.toString(), false, dev.halt.ffm.linux.mount_h.MOUNT_ATTR_RDONLY(), 0);
            return run(policy().readWrite(sub).build(), hostEnv(), "echo x > " + sub + "/f; echo status=$?");
        });

        assertTrue(r.out().matches("status=[12]\n"), r.out());
        assertTrue(r.err().contains("Read-only file system"), r.err());
        assertFalse(Files.exists(sub.resolve("f")));
    }

    @Test
    void rootOnlyFilesUnderEtcReadEmptyAndMaskHidesMore() throws Exception {
        var secret = hostFile(Path.of("/etc", "halt-test-secret-" + random()), "ROOT-ONLY-SECRET", "rw-------");
        var masked = hostFile(Path.of("/etc", "halt-test-masked-" + random()), "WORLD-READABLE-BUT-MASKED", "rw-r--r--");
        var hostname = Files.readString(Path.of("/etc/hostname")).strip();
        var policy = policy().isolation(new Isolation(false, true, false, List.of(masked), List.of(), List.of())).build();

        var r = run(policy, hostEnv(), "cat " + secret + " " + masked + "; echo \"[$(wc -c < /etc/shadow)]\"; cat /etc/hostname;"
            + " echo x > " + secret + "; echo status=$?");

        assertFalse(r.out().contains("ROOT-ONLY-SECRET"), r.out());
        assertFalse(r.out().contains("WORLD-READABLE-BUT-MASKED"), r.out());
        assertTrue(r.out().startsWith("[0]\n" + hostname + "\n"), r.out() + r.err());
        assertFalse(r.out().contains("status=0"), r.out());
        assertEquals("ROOT-ONLY-SECRET", Files.readString(secret));
    }

    @Test
    void theHostsTmpVarTmpAndShmAreNotTheRunsOwn() throws Exception {
        var name = "halt-test-" + random();
        var hostTmp = hostFile(Path.of("/tmp", name), "HOST-TMP", "rw-r--r--");
        var hostVarTmp = hostFile(Path.of("/var/tmp", name), "HOST-VAR-TMP", "rw-r--r--");
        var hostShm = hostFile(Path.of("/dev/shm", name), "HOST-SHM", "rw-r--r--");
        hostFiles.add(Path.of("/tmp", name + "-planted"));
        hostFiles.add(Path.of("/dev/shm", name + "-planted"));

        var r = run(String.join("; ",
            "cat " + hostTmp + " " + hostVarTmp + " " + hostShm + " 2>/dev/null",
            "rm -f " + hostTmp + " " + hostShm,
            "echo planted > /tmp/" + name + "-planted && echo planted > /dev/shm/" + name + "-planted"
                + " && echo mine > /var/tmp/mine && echo written",
            "ls -A /tmp /dev/shm /var/tmp"));

        assertFalse(r.out().contains("HOST-"), r.out());
        assertTrue(r.out().startsWith("written\n"), r.out() + r.err());
        assertTrue(Files.exists(hostTmp) && Files.exists(hostShm), "the host's files are still there");
        assertFalse(Files.exists(Path.of("/tmp", name + "-planted")), "nothing was planted in the host's /tmp");
        assertFalse(Files.exists(Path.of("/dev/shm", name + "-planted")), "nothing was planted in the host's /dev/shm");
        assertFalse(r.out().contains(name + "\n"), "the host's files are not listed: " + r.out());
    }

    @Test
    void aWorkspaceUnderTheHostsTmpIsCarriedInAloneWithItsRules(@TempDir Path temp) throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        var sibling = Files.writeString(Files.createDirectories(temp.resolve("sibling")).resolve("f"), "SIBLING");
        var policy = SandboxPolicy.builder(ws).networkMode(NetworkMode.UNRESTRICTED)
            .grants(SystemDefaults.grants(ws, hostEnv())).build();

        var r = run(policy, hostEnv(), "pwd; echo in > inside && cat inside; cat " + sibling + "; ls " + temp);

        assertEquals(ws + "\nin\nws\n", r.out(), r.err());
        assertEquals("in\n", Files.readString(ws.resolve("inside")));
    }

    @Test
    void grantsInsideTheHostsTmpAreCarriedInFilesAndNestedWriteGrantsToo(@TempDir Path temp) throws Exception {
        var shared = Files.createDirectories(temp.resolve("shared"));
        Files.writeString(shared.resolve("notes.txt"), "NOTES");
        var out = Files.createDirectories(shared.resolve("out"));
        var file = Files.writeString(temp.resolve("file.txt"), "FILE");
        var policy = policy().read(shared).readWrite(out).read(file).build();

        var r = run(policy, hostEnv(), "cat " + shared + "/notes.txt " + file + "; echo; echo o > " + out + "/o && echo wrote-out;"
            + " echo y > " + shared + "/y && echo WROTE-SHARED; echo end");

        assertEquals("NOTESFILE\nwrote-out\nend\n", r.out(), r.err());
        assertEquals("o\n", Files.readString(out.resolve("o")));
        assertFalse(Files.exists(shared.resolve("y")));
    }

    @Test
    void otherTerminalsAreInvisibleAndNewPtysWork() throws Exception {
        var holder = new ProcessBuilder(PYTHON, "-c",
            "import os, time\nm, s = os.openpty()\nprint(os.ttyname(s), flush=True)\ntime.sleep(60)").start();
        helpers.add(holder);
        var other = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(other != null && other.startsWith("/dev/pts/"), other);

        var r = run(String.join("; ",
            python("import os\ntry:\n    os.open(\"" + other + "\", os.O_RDWR | os.O_NOCTTY); print(\"OPENED\")\n"
                + "except OSError as e:\n    print(\"other\", e.strerror)"),
            python("import os, pty\nm, s = pty.openpty()\nos.write(m, b\"x\\n\")\nprint(\"new\", os.ttyname(s), os.read(s, 9))"),
            "script -qc true /dev/null < /dev/null > /dev/null && echo script-ok"));

        assertEquals("other No such file or directory\nnew /dev/pts/0 b'x\\n'\nscript-ok\n", r.out(), r.err());
    }

    @Test
    void gitMetadataAndStartUpFilesInTheWorkspaceCannotChange() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        git("init", "-q", ".");
        git("config", "user.email", "t@example.invalid");
        git("config", "user.name", "t");
        Files.writeString(work.resolve("a.txt"), "a");
        git("add", "a.txt");
        git("commit", "-qm", "first");
        var bashrc = Files.writeString(work.resolve(".bashrc"), "# mine\n");
        var config = Files.readString(work.resolve(".git/config"));

        var r = run(String.join("; ",
            "echo 'echo HOOK' > .git/hooks/pre-commit && echo HOOK-WRITTEN",
            "printf '[core]\\n\\tfsmonitor = /tmp/evil\\n' >> .git/config && echo CONFIG-WRITTEN",
            "echo evil >> .bashrc && echo BASHRC-WRITTEN",
            "mv .bashrc bashrc-old && echo BASHRC-MOVED",
            "mv .git .git-old && echo GIT-MOVED",
            "echo b > b.txt && git add b.txt && git commit -qm second && echo committed",
            "rm -rf .git 2>/dev/null; echo end"));

        assertEquals("committed\nend\n", r.out(), r.err());
        assertTrue(Files.isDirectory(work.resolve(".git")));
        assertFalse(Files.exists(work.resolve(".git-old")));
        assertFalse(Files.exists(work.resolve(".git/hooks/pre-commit")));
        assertEquals(config, Files.readString(work.resolve(".git/config")));
        assertEquals("# mine\n", Files.readString(bashrc));
    }

    private void git(String... args) throws Exception {
        var command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }

    @Test
    void processesOutsideTheSandboxAreNotInProc() throws Exception {
        var sleeper = new ProcessBuilder("sleep", "1234").start();
        helpers.add(sleeper);
        long pid = sleeper.pid();

        var r = run("tr '\\0' ' ' < /proc/" + pid + "/cmdline; echo status=$?; ls /proc | grep -qx " + pid
            + " && echo LISTED; grep -c MemTotal /proc/meminfo; grep -c '^Name:' /proc/self/status");

        assertFalse(r.out().contains("1234"), r.out());
        assertFalse(r.out().contains("LISTED"), r.out());
        assertTrue(r.out().matches("status=[1-9]\\d*\n1\n1\n"), r.out() + r.err());
    }

    @Test
    void underSudoTheUserGetsThePrivateTmpAndPtysButNotRootsFiles() throws Exception {
        Files.setAttribute(work, "unix:uid", NOBODY);
        var secret = hostFile(Path.of("/etc", "halt-test-secret-" + random()), "ROOT-ONLY-SECRET", "rw-------");
        var env = hostEnv();
        env.put("SUDO_UID", Integer.toString(NOBODY));
        env.put("SUDO_GID", Integer.toString(NOBODY));

        var r = run(policy().build(), env, String.join("; ",
            "id -u",
            "echo t > /tmp/t && echo s > /dev/shm/s && echo w > w && echo wrote",
            "cat " + secret + " 2>&1 | grep -c SECRET",
            python("import os, pty\nm, s = pty.openpty()\nprint(os.ttyname(s))")));

        assertEquals(NOBODY + "\nwrote\n0\n/dev/pts/0\n", r.out(), r.err());
    }

    @Test
    void aStepThatFailsReturnsTheJailerToTheHostsNamespace() throws Exception {
        var hostNamespace = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/mnt"));
        var missing = base.resolve("missing");
        var plan = new MountPlan(List.of(new MountPlan.Step.ReadOnlyEverything(), new MountPlan.Step.Tmpfs(missing)),
            List.of(), List.of());

        var after = ThrowawayThread.run("test-mountns", java.time.Duration.ofSeconds(10), () -> {
            try {
                MountNamespace.enter(plan);
                return "entered";
            } catch (MountNamespace.StepFailure e) {
                Files.writeString(base.resolve("writable"), "x");
                return e.recovered() + " " + e.getMessage() + " " + Files.readSymbolicLink(Path.of("/proc/thread-self/ns/mnt"));
            }
        });

        assertTrue(after.startsWith("true cannot mount a tmpfs on " + missing + ": mount tmpfs on " + missing + ": ENOENT"), after);
        assertTrue(after.endsWith(" " + hostNamespace), after);
    }
}
