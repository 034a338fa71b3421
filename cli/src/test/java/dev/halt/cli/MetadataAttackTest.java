package dev.halt.cli;

import dev.halt.core.linux.sys.Syscall;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Metadata attacks of a rootless run's child (halt as user 65534 through setpriv when the test runs
 * as root) on that user's own files outside the write grants, which Landlock does not protect:
 * chmod, utimes, setxattr, chown to itself and removexattr, by path, through a symbolic link in the
 * workspace, from a directory descriptor and on a descriptor, and with the path swapped by another
 * thread while the call waits for halt's supervisor. The same calls inside the workspace work.
 */
@Tag("linux")
class MetadataAttackTest {

    @TempDir
    static Path temp;
    static Path work;
    static Path outside;
    static String classPath;
    static boolean asNobody;

    @BeforeAll
    static void setUp() throws Exception {
        int abi = HaltProcess.landlockAbi();
        assumeTrue(abi >= 1, "[landlock-abi-1] needs Landlock, this kernel has ABI " + abi);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        asNobody = HaltProcess.asNobody();
        classPath = HaltProcess.prepareForHaltsUser(temp);
        work = ownedDirectory(temp.resolve("work"));
        outside = ownedDirectory(temp.resolve("outside"));
    }

    /** A directory of the user halt runs as: the child's user owns the files it attacks. */
    private static Path ownedDirectory(Path path) throws Exception {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        own(path);
        return path;
    }

    private static void own(Path path) throws Exception {
        if (!asNobody) return;
        Files.setAttribute(path, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", 65534, LinkOption.NOFOLLOW_LINKS);
    }

    /** A file of the child's user, mode 0600, modified at 5000 s, with the extended attribute user.{@code xattr}. */
    private static Path file(Path dir, String name, String xattr) throws Exception {
        var file = Files.writeString(dir.resolve(name), name);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).write(xattr, StandardCharsets.UTF_8.encode("1"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(5_000_000));
        own(file);
        return file;
    }

    /** Mode, times, owner and extended attributes, and the change time that any metadata change moves. */
    private static String metadata(Path file) throws Exception {
        var attributes = Files.readAttributes(file, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime,ctime", LinkOption.NOFOLLOW_LINKS);
        return new TreeMap<>(attributes) + " xattrs=" + Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).list();
    }

    private static HaltProcess.Result halt(List<String> jvmOptions, String... args) throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, jvmOptions, args), work, env);
    }

    /** Python: t(name, f) records ok or the errno's name; done() prints the records. */
    private static final String PRELUDE = """
        import ctypes, errno, os, sys, threading, time
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        L = ctypes.c_long
        r = {}
        def t(name, f):
            try:
                f()
                r[name] = 'ok'
            except OSError as e:
                r[name] = errno.errorcode.get(e.errno, str(e.errno))
        def done():
            print(' '.join(k + '=' + str(v) for k, v in sorted(r.items())), flush=True)
        """;

    private static final String ATTACKS = PRELUDE + """
        v, me, group = sys.argv[1], os.getuid(), os.getgid()
        t('chmod_out', lambda: os.chmod(v, 0o666))
        t('utimes_out', lambda: os.utime(v, (1, 1)))
        t('setxattr_out', lambda: os.setxattr(v, 'user.planted', b'1'))
        t('chown_self_out', lambda: os.chown(v, me, group))
        t('removexattr_out', lambda: os.removexattr(v, 'user.keep'))
        t('chmod_via_link', lambda: os.chmod('link', 0o666))
        t('utimes_via_link', lambda: os.utime('link', (1, 1)))
        d = os.open(os.path.dirname(v), os.O_RDONLY | os.O_DIRECTORY)
        t('fchmodat_dirfd_out', lambda: os.chmod('victim', 0o666, dir_fd=d))
        p = os.open(os.path.dirname(v), os.O_PATH)
        t('fchownat_opath_dirfd_out', lambda: os.chown('victim', me, group, dir_fd=p))
        f = os.open(v, os.O_RDONLY)
        t('fchmod_out', lambda: os.fchmod(f, 0o666))
        t('fsetxattr_out', lambda: os.setxattr(f, 'user.planted', b'1'))
        t('futimens_out', lambda: os.utime(f, (1, 1)))
        t('chmod_in', lambda: os.chmod('mine', 0o640))
        t('utimes_in', lambda: os.utime('mine', (7, 7)))
        t('setxattr_in', lambda: os.setxattr('mine', 'user.planted', b'1'))
        t('chown_self_in', lambda: os.chown('mine', me, group))
        t('removexattr_in', lambda: os.removexattr('mine', 'user.gone'))
        t('lchown_link_in', lambda: os.chown('link', me, group, follow_symlinks=False))
        t('lutimes_link_in', lambda: os.utime('link', (9, 9), follow_symlinks=False))
        done()
        """;

    @Test
    void metadataOutsideTheWriteGrantsIsRefusedByEveryRouteAndInsideItChanges() throws Exception {
        var victim = file(outside, "victim", "keep");
        var mine = file(work, "mine", "gone");
        var link = Files.createSymbolicLink(work.resolve("link"), victim);
        own(link);
        var before = metadata(victim);

        var r = halt(List.of(), "run", "--read", outside.toString(), "--", "python3", "-c", ATTACKS, victim.toString());

        var expected = new TreeMap<String, String>();
        for (var refused : List.of("chmod_out", "utimes_out", "setxattr_out", "chown_self_out", "removexattr_out", "chmod_via_link",
            "utimes_via_link", "fchmodat_dirfd_out", "fchownat_opath_dirfd_out", "fchmod_out", "fsetxattr_out", "futimens_out")) {
            expected.put(refused, "EACCES");
        }
        for (var ok : List.of("chmod_in", "utimes_in", "setxattr_in", "chown_self_in", "removexattr_in", "lchown_link_in",
            "lutimes_link_in")) {
            expected.put(ok, "ok");
        }
        assertEquals(expected, new TreeMap<>(HaltProcess.words(r.out())), r.out() + r.err());
        assertEquals(before, metadata(victim), "the file outside is untouched, its change time included");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(mine)));
        assertEquals(FileTime.fromMillis(7000), Files.getLastModifiedTime(mine));
        assertEquals(List.of("planted"), Files.getFileAttributeView(mine, UserDefinedFileAttributeView.class).list());
        assertEquals(FileTime.fromMillis(9000), Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS), "the link itself changed");
        assertTrue(r.err().contains("halt: refused " + victim + " (" + (Syscall.TABLE.chmod() > 0 ? "chmod" : "fchmodat")
            + "): outside the write grants"), r.err());
        assertTrue(r.err().contains("halt: refused " + victim + " (fsetxattr): outside the write grants"), r.err());
        assertTrue(r.err().contains("halt files: 12 metadata changes refused"), "counted at exit: " + r.err());
        assertFalse(r.err().contains("halt network:"), "metadata refusals are not connections: " + r.err());
    }

    /**
     * Thread two rewrites the path between a file in the workspace and the victim, the same length,
     * while the main thread's fchmodat waits for halt; 3000 tries or 8 s.
     */
    private static final String SWAP = PRELUDE + """
        v = sys.argv[1]
        name = 'r' * (len(v) - len(os.getcwd()) - 1)
        inside = os.path.join(os.getcwd(), name)
        open(inside, 'w').close()
        assert len(inside) == len(v), (inside, v)
        a, b = inside.encode() + b'\\0', v.encode() + b'\\0'
        path = ctypes.create_string_buffer(a, len(a))
        stop = [False]
        def swap():
            while not stop[0]:
                ctypes.memmove(path, b, len(b))
                ctypes.memmove(path, a, len(a))
        th = threading.Thread(target=swap)
        th.start()
        r.update(tries=0, ok=0, refused=0)
        deadline = time.monotonic() + 8
        while r['tries'] < 3000 and time.monotonic() < deadline:
            mode = 0o640 if r['tries'] % 2 else 0o604
            if libc.syscall(L(int(sys.argv[2])), L(-100), path, L(mode)) == 0:
                r['ok'] += 1
            elif ctypes.get_errno() == errno.EACCES:
                r['refused'] += 1
            r['tries'] += 1
        stop[0] = True
        th.join()
        done()
        """;

    @Test
    void aPathSwappedWhileTheCallWaitsNeverChangesTheFileOutside() throws Exception {
        var victim = file(outside, "swap-victim", "keep");
        var before = metadata(victim);
        var r = halt(List.of(), "run", "--", "python3", "-c", SWAP, victim.toString(), Integer.toString(Syscall.TABLE.fchmodat()));
        var got = HaltProcess.words(r.out());
        assertNotNull(got.get("tries"), r.out() + r.err());
        assertEquals(before, metadata(victim), "the file outside never changed: " + r.out());
        assertTrue(Integer.parseInt(got.get("tries")) >= 500, "a few thousand tries, bounded in time: " + r.out());
        assertTrue(Integer.parseInt(got.get("ok")) > 0 && Integer.parseInt(got.get("refused")) > 0,
            "halt saw both paths, the swap was live: " + r.out());
    }

    @Test
    void withoutTheSupervisorMetadataIsTodaysAndCheckSaysSo() throws Exception {
        var off = List.of("-Dhalt.supervisor=off");
        var check = halt(off, "check");
        assertTrue(check.out().lines().anyMatch(l -> l.matches("WARN +metadata .*are not refused.*")), check.out());
        var supervised = halt(List.of(), "check");
        assertTrue(supervised.out().lines().anyMatch(l -> l.matches("OK +metadata +enforced by halt's supervisor.*")), supervised.out());

        // The fallback is what a run was before the supervisor: the change goes through.
        var victim = file(outside, "fallback-victim", "keep");
        var r = halt(off, "run", "--", "chmod", "604", victim.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
    }
}
