package dev.halt.core.linux.fs;

import dev.halt.core.linux.fs.MountPlan.Step;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.protect.ProtectedPaths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a privileged run's mount namespace is planned to hold, decided without mounting anything. */
@Tag("linux")
class MountPlanTest {
    private static final int ABI = 7;
    private static final MountPlan.Caller ROOT = new MountPlan.Caller(Optional.empty(), 0, 0);

    @TempDir
    Path temp;

    private static MountPlan plan(SandboxPolicy policy) throws Exception {
        return plan(policy, ProtectedPaths.NONE, ROOT);
    }

    private static MountPlan plan(SandboxPolicy policy, ProtectedPaths protectedPaths, MountPlan.Caller caller) throws Exception {
        var landlock = Landlock.plan(policy, List.of(), ABI, caller.childUid(), Landlock.TcpRules.NONE);
        return MountPlan.build(policy, landlock, protectedPaths, caller, MountPlan.scanEtc());
    }

    private static <T extends Step> List<T> steps(MountPlan plan, Class<T> kind) {
        return plan.steps().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private static Optional<Landlock.Rule> rule(MountPlan plan, String path) {
        return plan.rules().stream().filter(r -> r.path().equals(Path.of(path))).findFirst();
    }

    private SandboxPolicy.Builder defaults(Path ws, Map<String, String> env) {
        return SandboxPolicy.builder(ws).networkMode(NetworkMode.UNRESTRICTED).grants(SystemDefaults.grants(ws, env));
    }

    @Test
    void onlyTopMostWriteGrantsAreBoundAndDevicesAndReplacedMountsAreNot() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(ws.resolve("sub"));
        var policy = defaults(ws, Map.of()).readWrite(ws.resolve("sub")).readWrite(Path.of("/usr/share"))
            .readWrite(Path.of("/usr/share/doc")).build();

        var plan = plan(policy);

        assertInstanceOf(Step.ReadOnlyEverything.class, plan.steps().get(0));
        assertEquals(List.of(Path.of("/usr/share")), steps(plan, Step.BindWritable.class).stream().map(Step.BindWritable::path).toList(),
            "devices (/dev/null...), the run's own /tmp, /dev/shm and /dev/pts and nested grants are not bound");
        var carried = steps(plan, Step.Carry.class);
        assertEquals(List.of(new Step.Carry(ws, true, true, List.of())), carried, "the workspace in /tmp is carried in, writable");
        assertEquals(List.of(new Step.Tmpfs(Path.of("/tmp")), new Step.Tmpfs(Path.of("/dev/shm"))),
            steps(plan, Step.Tmpfs.class).stream().filter(t -> !t.path().equals(Path.of("/var/tmp"))).toList());
        assertTrue(plan.steps().indexOf(steps(plan, Step.Tmpfs.class).get(0)) < plan.steps().indexOf(carried.get(0)));
        assertEquals(new Step.Proc(true), plan.steps().get(plan.steps().size() - 1));
    }

    /**
     * What {@code halt explain} answers from: only what the namespace mounts read-write is
     * writable, whatever Landlock allows (the run's /tmp is, the host's files under a read grant in
     * /tmp are not, a protected path inside a write grant is not).
     */
    @Test
    void writableIsWhatTheRunMountsReadWrite() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        var hooks = Files.createDirectories(ws.resolve(".git/hooks"));
        var readOnly = Files.createDirectories(temp.resolve("ro"));
        var policy = defaults(ws, Map.of()).read(readOnly).readWrite(Path.of("/usr/share")).build();
        var landlock = Landlock.plan(policy, List.of(), ABI, 0, Landlock.TcpRules.NONE);
        var protectedPaths = new ProtectedPaths(List.of(ws), List.of(hooks), List.of(), List.of(), List.of(), List.of());
        var plan = MountPlan.build(policy, landlock, protectedPaths, ROOT, MountPlan.scanEtc());

        assertTrue(plan.writable(ws.resolve("file")), "the workspace, carried in writable");
        assertTrue(plan.writable(Path.of("/tmp/other")), "the run's own /tmp");
        assertTrue(plan.writable(Path.of("/usr/share/doc/x")), "a write grant");
        assertFalse(plan.writable(readOnly.resolve("file")), "a read grant in /tmp, carried in read-only");
        assertFalse(plan.writable(hooks.resolve("pre-commit")), "a protected path in a write grant");
        assertFalse(plan.writable(Path.of("/etc/hosts")), "everything else");
        assertTrue(plan.writable(Path.of("/dev/pts/0")), "the run's own devpts");
    }

    @Test
    void sharedTmpKeepsTheHostsDirectoriesAndBindsTheirGrants() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        var policy = defaults(ws, Map.of()).isolation(new Isolation(true, true, false, List.of(), List.of(), List.of())).build();

        var plan = plan(policy);

        assertEquals(List.of(), steps(plan, Step.Tmpfs.class));
        assertEquals(List.of(), steps(plan, Step.Carry.class));
        var bound = steps(plan, Step.BindWritable.class).stream().map(Step.BindWritable::path).toList();
        assertTrue(bound.contains(Path.of("/tmp")) && bound.contains(Path.of("/dev/shm")), bound.toString());
        assertFalse(bound.contains(ws), "the workspace is inside /tmp, bound with it: " + bound);
    }

    @Test
    void tmpdirStartsEmptyOwnedByTheChildAndVarTmpIsGrantedAsTmpIs() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        var tmpdir = Files.createDirectories(temp.resolve("tmpdir"));
        var policy = defaults(ws, Map.of("TMPDIR", tmpdir.toString())).build();

        var plan = plan(policy, ProtectedPaths.NONE, new MountPlan.Caller(Optional.empty(), 1000, 100));

        assertEquals(List.of(new Step.FreshDirectory(tmpdir, 1000, 100)), steps(plan, Step.FreshDirectory.class));
        assertTrue(steps(plan, Step.Carry.class).stream().noneMatch(c -> c.path().equals(tmpdir)));
        var mine = Files.createDirectories(tmpdir.resolve("mine"));
        var named = plan(defaults(ws, Map.of("TMPDIR", tmpdir.toString())).readWrite(mine).build());
        assertTrue(named.steps().contains(new Step.Carry(mine, true, true, List.of())),
            "a grant of yours inside $TMPDIR is carried in, writable: " + named.steps());
        assumeTrue(Files.isDirectory(Path.of("/var/tmp")), "[var-tmp] this machine has no /var/tmp");
        assertEquals(rule(plan, "/tmp").orElseThrow().access(), rule(plan, "/var/tmp").orElseThrow().access());
    }

    @Test
    void theRunsOwnDevptsReplacesRulesInsideTheHostsAndBringsTheTerminal() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/pts/ptmx")) && Files.exists(Path.of("/dev/console")), "[dev-console] needs /dev/pts/ptmx and /dev/console");
        var ws = Files.createDirectories(temp.resolve("ws"));
        var policy = defaults(ws, Map.of()).grant(new PathGrant(Path.of("/dev/pts/ptmx"), PathAccess.READ_WRITE,
            dev.halt.core.policy.ValueSource.Programmatic.API)).build();
        var terminal = Path.of("/dev/pts/7");

        var plan = plan(policy, ProtectedPaths.NONE, new MountPlan.Caller(Optional.of(terminal), 0, 0));

        assertTrue(rule(plan, "/dev/pts/ptmx").isEmpty(), "a rule inside the host's devpts is dropped");
        assertTrue(plan.notices().stream().anyMatch(n -> n.contains("/dev/pts/ptmx")), plan.notices().toString());
        assertEquals(Landlock.rights(PathAccess.READ_WRITE, ABI), rule(plan, "/dev/pts").orElseThrow().access());
        assertEquals(List.of(new Step.Console(terminal)), steps(plan, Step.Console.class));
        assertTrue(rule(plan, "/dev/console").isPresent());
        assertEquals(Landlock.rights(PathAccess.TRAVERSE, ABI), rule(plan, "/dev").orElseThrow().access(),
            "ttyname() lists /dev to find the terminal");
        int devpts = plan.steps().indexOf(steps(plan, Step.Devpts.class).get(0));
        assertEquals(devpts + 1, plan.steps().indexOf(steps(plan, Step.Console.class).get(0)));
    }

    @Test
    void protectedPathsArePinnedThenBoundReadOnlyAfterTheGrants() throws Exception {
        var ws = Files.createDirectories(temp.resolve("ws"));
        Files.createDirectories(ws.resolve(".git/hooks"));
        Files.writeString(ws.resolve(".bashrc"), "");
        var protectedPaths = new ProtectedPaths(List.of(ws), List.of(ws.resolve(".git/hooks"), ws.resolve(".bashrc"),
            ws.resolve("gone")), List.of(ws.resolve(".git")), List.of(), List.of(), List.of());

        var plan = plan(defaults(ws, Map.of()).build(), protectedPaths, ROOT);

        var kinds = new ArrayList<Object>();
        for (var step : plan.steps()) {
            if (step instanceof Step.Carry || step instanceof Step.Pin || step instanceof Step.ProtectReadOnly) kinds.add(step);
        }
        assertEquals(List.of(new Step.Carry(ws, true, true, List.of()), new Step.Pin(ws.resolve(".git")),
            new Step.ProtectReadOnly(ws.resolve(".git/hooks")), new Step.ProtectReadOnly(ws.resolve(".bashrc"))), kinds);
        assertTrue(plan.notices().stream().anyMatch(n -> n.contains(ws.resolve("gone").toString())), plan.notices().toString());
    }

    @Test
    void entriesOthersMayNotReadAreFoundWithoutDescendingOrFollowingLinks() throws Exception {
        var root = Files.createDirectories(temp.resolve("etc"));
        var secret = Files.writeString(root.resolve("shadow"), "s");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(Files.writeString(root.resolve("hostname"), "h"), PosixFilePermissions.fromString("rw-r--r--"));
        var privateDir = Files.createDirectories(root.resolve("ssl/private"));
        Files.setPosixFilePermissions(Files.writeString(privateDir.resolve("key.pem"), "k"), PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(privateDir, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(root.resolve("link"), secret);

        var notices = new ArrayList<String>();
        var found = MountPlan.unreadableByOthers(root, notices);

        assertEquals(List.of(new MountPlan.Mask(secret, false, "not readable by others"),
                new MountPlan.Mask(privateDir, true, "not readable by others")),
            found.stream().sorted(java.util.Comparator.comparing(m -> m.path().toString())).toList());
        assertEquals(List.of(), notices);
    }

    @Test
    void whatStaysReadOnlyInAWriteGrantComesFromTheHostsMountinfo() throws Exception {
        var mountinfo = Files.writeString(temp.resolve("mountinfo"), String.join("\n",
            "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
            "28 27 0:25 / /mnt/with\\040space ro,nosuid,nodev,relatime - tmpfs x ro,size=4k",
            "29 27 0:26 / /srv rw,relatime - tmpfs y ro",
            "30 29 0:27 / /srv/ro ro,relatime - tmpfs z ro",
            "31 29 0:28 / /srv/ro rw,relatime - tmpfs z rw", ""));

        var mounts = MountPlan.mountPoints(mountinfo);
        assertEquals(Map.of(Path.of("/"), false, Path.of("/mnt/with space"), true, Path.of("/srv"), false,
            Path.of("/srv/ro"), false), mounts, "the last of two stacked mounts decides");
        assertEquals(List.of(Path.of("/mnt/with space")), MountPlan.keepReadOnly(mounts, Path.of("/")));
        assertEquals(List.of(Path.of("/mnt/with space/ws")), MountPlan.keepReadOnly(mounts, Path.of("/mnt/with space/ws")),
            "a grant inside a read-only mount of the host's stays read-only");
        assertEquals(List.of(), MountPlan.keepReadOnly(mounts, Path.of("/srv")));
        assertEquals("a\\b", MountPlan.unescape("a\\134b"));
        assertEquals("trailing\\04", MountPlan.unescape("trailing\\04"));
    }

    @Test
    void theTtyGroupComesFromTheGroupFile() throws Exception {
        assertEquals(7, MountPlan.ttyGid(Files.writeString(temp.resolve("group"), "root:x:0:\ntty:x:7:\n")));
        assertEquals(MountPlan.DEFAULT_TTY_GID, MountPlan.ttyGid(temp.resolve("absent")));
    }
}
