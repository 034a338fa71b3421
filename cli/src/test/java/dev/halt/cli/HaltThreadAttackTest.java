package dev.halt.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The child against halt's own JVM. The jailer thread, and the JDK's process reaper that its
 * {@code ProcessBuilder.start()} creates, are threads of halt's process inside the child's Landlock
 * domain, with its uid and no capability: Landlock's ptrace scope lets the child ptrace them, and
 * they share the memory of every other thread of halt's, which no sandbox confines. The child looks
 * for such a thread among the thread ids after halt's, reads halt's environment through it (a
 * variable halt does not pass on) and tries {@code PTRACE_SEIZE} (with it, {@code POKEDATA} writes
 * code that halt's unconfined threads run). As root and as user 65534 (rootless).
 */
@Tag("linux")
class HaltThreadAttackTest {

    @TempDir
    static Path temp;
    static String classPath;
    static boolean asNobody;

    private static final String SECRET = "HALT_TEST_SECRET_NOT_FOR_THE_CHILD";

    /** Prints ESCAPED with what it got from a thread of halt's JVM, or HELD. */
    private static final String ATTACK = """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.ptrace.restype = ctypes.c_long
        libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
        PTRACE_SEIZE, PTRACE_DETACH = 0x4206, 17
        halt = os.getppid()
        for tid in range(halt + 1, os.getpid() + 200):
            try:
                status = open('/proc/%d/status' % tid).read()
                env = open('/proc/%d/environ' % tid, 'rb').read()
            except OSError:
                continue
            if int(status.split('Tgid:')[1].split()[0]) != halt:
                continue
            seized = libc.ptrace(PTRACE_SEIZE, tid, None, None) == 0
            if seized:
                libc.ptrace(PTRACE_DETACH, tid, None, None)
            secret = [e.decode() for e in env.split(b'\\0') if e.startswith(sys.argv[1].encode())]
            print('ESCAPED', open('/proc/%d/comm' % tid).read().strip(), secret, 'seized' if seized else 'not-seized')
            sys.exit(0)
        print('HELD')
        """;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 1, "[landlock-abi-1] needs Landlock, this kernel has ABI " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"root", "rootless"})
    void theChildCannotReachHaltsMemoryThroughAThreadInItsDomain(String who) throws Exception {
        boolean rootless = who.equals("rootless");
        boolean nobody = rootless && asNobody;
        if (!rootless) assumeTrue(asNobody, "[root] halt as root needs this test to run as root");
        var work = Files.createDirectories(temp.resolve("work-" + who));
        Files.writeString(work.resolve("attack.py"), ATTACK);
        if (nobody) {
            Files.setAttribute(work, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(work, "unix:gid", 65534, LinkOption.NOFOLLOW_LINKS);
        }
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home-" + who).toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state-" + who).toString(),
            SECRET, "hunter2");
        // sleep first: the reaper lives as long as the child, the jailer only while it starts it.
        var r = HaltProcess.run(HaltProcess.command(classPath, nobody, "run", "--network", "unrestricted", "--",
            "sh", "-c", "printenv " + SECRET + " || echo not-passed; sleep 0.3; exec /usr/bin/python3 attack.py " + SECRET + "="),
            work, env);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("not-passed"), "halt does not pass the variable on: " + r.out());
        assertTrue(r.out().contains("HELD"), "the child reached halt's JVM: " + r.out() + r.err());
        assertFalse(r.out().contains("hunter2"), r.out());
    }
}
