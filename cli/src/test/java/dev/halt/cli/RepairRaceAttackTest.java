package dev.halt.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rootless runs, where halt itself -- unsandboxed, with the user's rights -- repairs the protected
 * paths while the run goes on and removes the private temporary directory at exit, by path, in
 * trees the child writes. The child swaps a directory on those paths for a symbolic link to a
 * directory outside every grant ({@code renameat2(RENAME_EXCHANGE)}, atomic) between halt's check
 * and its use; halt then moves, writes or deletes outside the grants for it. Each victim is a
 * directory of the child's user beside the workspace, which the child can neither read nor write.
 * The races are bounded in time (20 s at most) and in tries.
 */
@Tag("linux")
class RepairRaceAttackTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean asNobody;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 3, "[landlock-abi-3] needs Landlock ABI >= 3, this kernel has " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "[tool-git] needs git");
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
    }

    /** The prelude of every attack: renameat2 and its flag. */
    private static final String PRELUDE = """
        import ctypes, os, sys, threading, time
        libc = ctypes.CDLL(None, use_errno=True)
        SYS_renameat2 = {'x86_64': 316, 'aarch64': 276}[os.uname().machine]
        RENAME_EXCHANGE, AT_FDCWD = 2, -100
        def exchange(a, b):
            return libc.syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)
        """;

    /**
     * The pinned {@code .git} moved into a directory {@code a} that flips with a link {@code b} to the
     * victim's parent: halt finds the original by its held descriptor's path ({@code ws/a/NAME}), checks
     * its inode, then renames that path back to {@code .git}, by then {@code VICTIM_PARENT/NAME}.
     */
    private static final String PINNED_GIT_RACE = PRELUDE + """
        parent, name, deadline = sys.argv[1], sys.argv[2], time.time() + 20
        os.mkdir('a'); os.symlink(parent, 'b')
        stop = False
        def flip():
            while not stop and time.time() < deadline:
                exchange(b'a', b'b')
        threading.Thread(target=flip, daemon=True).start()
        won = False
        for _ in range(5000):
            if time.time() >= deadline:
                break
            if any(os.path.exists(os.path.join(d, 'STOLEN')) for d in os.listdir('.') if d.startswith('.git')):
                won = True
                break
            if os.path.isdir('.git') and not os.path.islink('.git') and os.path.exists('.git/HEAD'):
                for d in ('a', 'b'):
                    try:
                        os.rename('.git', d + '/' + name)
                        break
                    except OSError:
                        pass
            time.sleep(0.002)
        stop = True
        print('ESCAPED' if won else 'HELD')
        """;

    @Test
    void theRepairOfAPinnedGitMovesNoDirectoryFromOutside() throws Exception {
        var ws = workspace("pin");
        git(ws, "init", "-q");
        var victim = Files.createDirectories(temp.resolve("victim-pin"));
        Files.writeString(victim.resolve("STOLEN"), "a secret of the user's");
        ownByHaltsUser(ws, victim);
        var r = attack(ws, PINNED_GIT_RACE, temp.toString(), victim.getFileName().toString());

        assertTrue(Files.exists(victim.resolve("STOLEN")), "the victim left its place: " + r.out() + r.err());
        try (var found = Files.walk(ws)) {
            assertEquals(List.of(), found.filter(p -> p.getFileName().toString().equals("STOLEN")).toList(), r.out());
        }
        assertTrue(r.out().contains("HELD"), r.out() + r.err());
    }

    /**
     * {@code .vscode} (protected, not pinned) flips with a link to the victim while the child deletes
     * {@code .vscode/settings.json}: halt checks that {@code .vscode} is a directory, then writes the
     * original back and moves the present one aside by paths that go through the link.
     */
    private static final String PROTECTED_PARENT_RACE = PRELUDE + """
        victim, deadline = sys.argv[1], time.time() + 8
        os.symlink(victim, 'L')
        stop = False
        def flip():
            while not stop and time.time() < deadline:
                exchange(b'.vscode', b'L')
        threading.Thread(target=flip, daemon=True).start()
        n = 0
        while time.time() < deadline and n < 5000:
            if not os.path.islink('.vscode') and not os.path.islink('L'):
                try:
                    os.rename('L', 'old%d' % n)
                    os.symlink(victim, 'L')
                except OSError:
                    pass
            for d in ('.vscode', 'L'):
                try:
                    if not os.path.islink(d) and os.path.exists(d + '/settings.json'):
                        os.unlink(d + '/settings.json')
                        n += 1
                except OSError:
                    pass
            time.sleep(0.003)
        stop = True
        print('tries', n)
        """;

    @Test
    void theRepairOfAProtectedFileWritesNothingOutside() throws Exception {
        var ws = workspace("parent");
        Files.createDirectories(ws.resolve(".vscode"));
        Files.writeString(ws.resolve(".vscode/settings.json"), "{\"from\": \"the workspace\"}");
        var victim = Files.createDirectories(temp.resolve("victim-parent"));
        Files.writeString(victim.resolve("settings.json"), "the user's own");
        ownByHaltsUser(ws, victim);
        var r = attack(ws, PROTECTED_PARENT_RACE, victim.toString());

        try (var names = Files.list(victim)) {
            assertEquals(List.of("settings.json"), names.map(p -> p.getFileName().toString()).toList(), r.err());
        }
        assertEquals("the user's own", Files.readString(victim.resolve("settings.json")), r.err());
    }

    /**
     * A process the command left behind waits (inotify) for halt's exit-time removal of the private
     * TMPDIR to open {@code TMPDIR/D}, which holds files named as the victim's, and swaps {@code D} for a
     * link to the victim: halt deletes the names it listed through the link.
     */
    private static final String PRIVATE_TMP_RACE = PRELUDE + """
        victim, names = sys.argv[1], sys.argv[2].split(',')
        d = os.path.join(os.environ['TMPDIR'], 'D').encode()
        link = os.path.join(os.getcwd(), 'L').encode()
        os.mkdir(d)
        for n in names:
            open(os.path.join(d, n.encode()), 'w').close()
        os.symlink(victim, link)
        inotify = libc.inotify_init1(0)
        libc.inotify_add_watch(inotify, d, 0x20)  # IN_OPEN
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                for fd in (0, 1, 2):
                    os.close(fd)
                os.read(inotify, 4096)
                exchange(d, link)
                time.sleep(3)
            os._exit(0)
        time.sleep(0.3)
        print('left a process behind')
        """;

    @Test
    void theRemovalOfThePrivateTmpDeletesNothingOutside() throws Exception {
        var ws = workspace("tmp");
        var victim = Files.createDirectories(temp.resolve("victim-tmp"));
        var names = new ArrayList<String>();
        for (int i = 1; i <= 20; i++) {
            names.add("file" + i);
            Files.writeString(victim.resolve("file" + i), "precious");
        }
        ownByHaltsUser(ws, victim);
        var r = attack(ws, PRIVATE_TMP_RACE, victim.toString(), String.join(",", names));

        try (var left = Files.list(victim)) {
            assertEquals(20, left.count(), "halt deleted files outside the grants: " + r.out() + r.err());
        }
    }

    private static Path workspace(String name) throws Exception {
        return Files.createDirectories(temp.resolve("ws-" + name));
    }

    /** halt, rootless, runs the attack {@code script} with {@code args} in {@code ws}. */
    private static HaltProcess.Result attack(Path ws, String script, String... args) throws Exception {
        Files.writeString(ws.resolve("attack.py"), script);
        ownByHaltsUser(ws);
        var command = new ArrayList<>(List.of("run", "--network", "unrestricted", "--", "/usr/bin/python3", "attack.py"));
        command.addAll(List.of(args));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, command.toArray(String[]::new)), ws, env);
    }

    private static void git(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        run(dir, command);
    }

    /** The paths, recursively, belong to the user halt runs as (the child's, rootless). */
    private static void ownByHaltsUser(Path... paths) throws Exception {
        if (!asNobody) return;
        for (var path : paths) run(temp, List.of("chown", "-R", "65534:65534", path.toString()));
    }

    private static void run(Path dir, List<String> command) throws Exception {
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command + " finished");
        assertEquals(0, p.exitValue(), command + ": " + out);
    }
}
