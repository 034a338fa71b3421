package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.seccomp.Seccomp;
import dev.halt.core.linux.seccomp.SeccompPolicy;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.ThrowawayThread;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The metadata calls with real children under a filter that routes them to the supervisor, started
 * from a throwaway thread as the jailer starts a run's (without Landlock: the CLI tests run the whole
 * sandbox, as an unprivileged user). Each call is made in every form the child can take -- a path, a
 * path through a symbolic link, a directory descriptor, a descriptor, {@code /proc/self/fd/N} -- on a
 * file inside the one write grant and on one outside.
 */
@Tag("linux")
class MetadataCallsTest {

    @TempDir
    static Path temp;
    static Path work;
    static Path outside;

    @BeforeAll
    static void setUp() throws Exception {
        var support = SupervisorSupport.forRun();
        assumeTrue(support.available(), "[supervisor] needs the supervisor's kernel pieces: " + support.detail());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "[tool-python3] needs /usr/bin/python3");
        work = Files.createDirectories(temp.resolve("work"));
        outside = Files.createDirectories(temp.resolve("outside"));
    }

    /** Runs python3 {@code script} in {@code cwd} with the metadata supervised for {@code grants}; its output and the refusals. */
    private static Run run(List<Path> grants, Path cwd, String script, String... args) throws Exception {
        var console = new ByteArrayOutputStream();
        var refusals = new Refusals(new PrintStream(console, true, StandardCharsets.UTF_8));
        var builder = Supervisor.builder();
        var writeGrants = WriteGrants.open(grants);
        MetadataCalls.register(builder, writeGrants, refusals);
        var policy = SeccompPolicy.everyMode().withAllowUnixSockets(true).withSupervised(EnumSet.of(SeccompPolicy.Supervised.METADATA));
        var command = new java.util.ArrayList<>(List.of("/usr/bin/python3", "-c", PRELUDE + script));
        command.addAll(List.of(args));
        try (var supervisor = builder.start(); writeGrants) {
            var child = ThrowawayThread.run("test-metadata-jailer", Duration.ofSeconds(10), () -> {
                Prctl.setNoNewPrivs();
                supervisor.attach(Seccomp.installWithListener(policy.compile()));
                return new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
            });
            var out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            return new Run(out, console.toString(StandardCharsets.UTF_8), refusals.total());
        }
    }

    private record Run(String out, String lines, long refused) {
        Map<String, String> words() {
            var result = new TreeMap<String, String>();
            for (var word : out.split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) result.put(word.substring(0, eq), word.substring(eq + 1));
            }
            return result;
        }
    }

    /** Python: t(name, f) runs f and records ok or the errno's name; raw system calls by number (argv). */
    private static final String PRELUDE = """
        import ctypes, errno, os, struct, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        L = ctypes.c_long
        r = {}
        def t(name, f):
            try:
                v = f()
                r[name] = 'ok' if v is None or v >= 0 else errno.errorcode.get(ctypes.get_errno(), '?')
            except OSError as e:
                r[name] = errno.errorcode.get(e.errno, str(e.errno))
        def sys_(*a):
            return libc.syscall(*[L(x) if isinstance(x, int) else x for x in a])
        def done():
            print(' '.join(k + '=' + v for k, v in sorted(r.items())), flush=True)
        """;

    private static Path file(Path dir, String name, String mode) throws Exception {
        var file = Files.writeString(dir.resolve(name), name);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        Files.setLastModifiedTime(file, FileTime.fromMillis(5_000_000));
        return file;
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> xattrs(Path file) throws Exception {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class).list();
    }

    @Test
    void everyFormOfEveryCallChangesInsideTheGrantAndNothingOutside() throws Exception {
        var t = Syscall.TABLE;
        var in = file(work, "in", "rw-------");
        var victim = file(outside, "victim", "rw-------");
        Files.getFileAttributeView(victim, UserDefinedFileAttributeView.class).write("keep", StandardCharsets.UTF_8.encode("1"));
        Files.getFileAttributeView(in, UserDefinedFileAttributeView.class).write("gone", StandardCharsets.UTF_8.encode("1"));
        var link = Files.createSymbolicLink(work.resolve("link"), victim);
        var sub = Files.createDirectories(work.resolve("sub"));
        var sub2 = Files.createDirectories(work.resolve("sub2"));
        var r = run(List.of(work), work, """
            v = sys.argv[1]
            t('chmod_setuid_in', lambda: os.chmod('in', 0o4755))
            t('chmod_in', lambda: os.chmod('in', 0o640))
            t('chmod_out', lambda: os.chmod(v, 0o666))
            t('chmod_dotdot', lambda: os.chmod('sub/../../outside/victim', 0o666))
            t('chmod_link', lambda: os.chmod('link', 0o666))
            t('lchmod_in', lambda: os.chmod('in', 0o600, follow_symlinks=False))
            t('lchmod_out', lambda: os.chmod(v, 0o666, follow_symlinks=False))
            t('lchown_link', lambda: os.chown('link', 0, 0, follow_symlinks=False))
            t('chown_link', lambda: os.chown('link', 0, 0))
            d = os.open(os.path.dirname(v), os.O_PATH)
            t('fchmodat_dirfd_out', lambda: os.chmod('victim', 0o666, dir_fd=d))
            t('utime_dirfd_out', lambda: os.utime('victim', (7, 7), dir_fd=d))
            t('fchownat_empty_out', lambda: sys_(%d, d, b'', 0, 0, 0x1000))
            w = os.open('sub', os.O_PATH)
            t('fchmodat_dirfd_in', lambda: os.chmod('../in', 0o600, dir_fd=w))
            t('fchmodat2_empty_in', lambda: sys_(%d, w, b'', 0o750, 0x1000))
            f = os.open(v, os.O_RDONLY)
            t('fchmod_out', lambda: os.fchmod(f, 0o666))
            t('fchown_out', lambda: os.fchown(f, 0, 0))
            t('futimens_out', lambda: os.utime(f, (7, 7)))
            t('fsetxattr_out', lambda: os.setxattr(f, 'user.x', b'1'))
            t('fremovexattr_out', lambda: os.removexattr(f, 'user.keep'))
            t('procfd_out', lambda: os.chmod('/proc/self/fd/%%d' %% f, 0o666))
            g = os.open('in', os.O_RDONLY)
            t('fchmod_in', lambda: os.fchmod(g, 0o600))
            t('procfd_in', lambda: os.chmod('/proc/self/fd/%%d' %% g, 0o600))
            p = os.pipe()
            t('fchmod_pipe', lambda: os.fchmod(p[0], 0o600))
            t('utime_in', lambda: os.utime('in', (7, 7)))
            t('utime_out', lambda: os.utime(v, (7, 7)))
            t('setxattr_in', lambda: os.setxattr('in', 'user.x', b'1'))
            t('setxattr_out', lambda: os.setxattr(v, 'user.x', b'1'))
            t('setxattr_long_name', lambda: os.setxattr('in', 'user.' + 'x' * 300, b'1'))
            t('removexattr_in', lambda: os.removexattr('in', 'user.gone'))
            t('removexattr_out', lambda: os.removexattr(v, 'user.keep'))
            val = ctypes.create_string_buffer(b'2')
            args = ctypes.create_string_buffer(struct.pack('=QII', ctypes.addressof(val), 1, 0), 16)
            t('setxattrat_in', lambda: sys_(%d, -100, b'in', 0, b'user.y', args, 16))
            t('setxattrat_out', lambda: sys_(%d, -100, v.encode(), 0, b'user.y', args, 16))
            t('removexattrat_out', lambda: sys_(%d, -100, v.encode(), 0, b'user.keep'))
            fa = ctypes.create_string_buffer(24)
            t('file_setattr_in', lambda: sys_(%d, -100, b'in', fa, 24, 0))
            t('file_setattr_out', lambda: sys_(%d, -100, v.encode(), fa, 24, 0))
            t('missing', lambda: os.chmod('nothing-here', 0o600))
            t('trailing_slash_file', lambda: os.chmod('in/', 0o600))
            t('chmod_dir_in', lambda: os.chmod('sub2/', 0o700))
            t('chmod_grant_root', lambda: os.chmod('.', 0o777))
            done()
            """.formatted(t.fchownat(), t.fchmodat2(), t.setxattrat(), t.setxattrat(), t.removexattrat(), t.fileSetattr(),
            t.fileSetattr()), victim.toString());
        var expected = new TreeMap<String, String>();
        for (var ok : List.of("chmod_in", "lchmod_in", "lchown_link", "fchmodat_dirfd_in", "fchmodat2_empty_in", "fchmod_in",
            "procfd_in", "fchmod_pipe", "utime_in", "setxattr_in", "removexattr_in", "setxattrat_in", "file_setattr_in",
            "chmod_dir_in", "chmod_grant_root")) expected.put(ok, "ok");
        for (var refused : List.of("chmod_out", "chmod_dotdot", "chmod_link", "lchmod_out", "chown_link", "fchmodat_dirfd_out",
            "utime_dirfd_out", "fchownat_empty_out", "fchmod_out", "fchown_out", "futimens_out", "fsetxattr_out",
            "fremovexattr_out", "procfd_out", "utime_out", "setxattr_out", "removexattr_out", "setxattrat_out",
            "removexattrat_out", "file_setattr_out")) expected.put(refused, "EACCES");
        expected.put("setxattr_long_name", "ERANGE");
        expected.put("chmod_setuid_in", "EPERM");
        expected.put("missing", "ENOENT");
        expected.put("trailing_slash_file", "ENOTDIR");
        assertEquals(expected, r.words(), r.out() + r.lines());

        assertEquals("rw-------", mode(victim), "the file outside is as it was");
        assertEquals(FileTime.fromMillis(5_000_000), Files.getLastModifiedTime(victim));
        assertEquals(List.of("keep"), xattrs(victim));
        assertEquals("rwxr-x---", mode(sub), "fchmodat2(dirfd, \"\", AT_EMPTY_PATH) changed the directory itself");
        assertEquals("rwx------", mode(sub2), "a directory named with a trailing slash");
        assertEquals(FileTime.fromMillis(7000), Files.getLastModifiedTime(in));
        assertEquals(List.of("x", "y"), xattrs(in).stream().sorted().toList());
        assertTrue(r.lines().contains("halt: refused " + victim + " (chmod): outside the write grants"), r.lines());
        assertTrue(r.lines().contains("halt: refused " + victim + " (fsetxattr): outside the write grants"), r.lines());
        assertEquals(20, r.refused(), r.lines());
    }

    @Test
    @Tag("root")
    void aChildWithAnotherRootDirectoryIsRefusedItsPaths() throws Exception {
        assumeTrue(dev.halt.ffm.linux.unistd_h.geteuid() == 0, "[root] chroot needs root in the test's child");
        var jail = Files.createDirectories(work.resolve("jail"));
        var inJail = file(jail, "in-jail", "rw-------");
        var r = run(List.of(work), work, """
            os.chroot('jail')
            t('chmod_after_chroot', lambda: os.chmod('/in-jail', 0o640))
            done()
            """);
        assertEquals(Map.of("chmod_after_chroot", "EACCES"), r.words(), r.out() + r.lines());
        assertEquals("rw-------", mode(inJail));
        assertTrue(r.lines().contains("its root directory is not halt's"), r.lines());
    }

    @Test
    void everyCallTheFilterRoutesForMetadataHasAHandler() {
        var builder = Supervisor.builder();
        try (var grants = WriteGrants.open(List.of(work))) {
            MetadataCalls.register(builder, grants, new Refusals(System.err));
            var routed = SeccompPolicy.everyMode().withSupervised(EnumSet.of(SeccompPolicy.Supervised.METADATA)).supervisedCalls();
            assertEquals(21 - (Syscall.TABLE.chmod() == dev.halt.ffm.linux.SyscallNumbers.NONE ? 6 : 0), routed.size(), routed.toString());
            assertTrue(builder.calls().containsAll(routed), routed + " routed, handlers for " + builder.calls());
        }
    }
}
