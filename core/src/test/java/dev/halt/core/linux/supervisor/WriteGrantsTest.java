package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.Mounts;
import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.Errno;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Where a file is with respect to the write grants, by device and inode, on halt's own thread: deep
 * trees (the walk up reopens every 64 levels), file grants, hard and symbolic links, descriptors of
 * files no path reaches, and mounts (a bind mount of a grant, a file system mounted inside one),
 * which are placed as Landlock places them.
 */
@Tag("linux")
class WriteGrantsTest {

    @TempDir
    Path temp;

    private static boolean inside(WriteGrants grants, Path path, boolean follow) throws CallFailed {
        try (var scope = new FileScope()) {
            var found = ChildPath.resolve(scope, AT_FDCWD, path.toString().getBytes(StandardCharsets.UTF_8), follow);
            return grants.isInside(scope, found);
        }
    }

    private static Path deep(Path root, int levels) throws Exception {
        var dir = root;
        for (int i = 0; i < levels; i++) dir = dir.resolve("d" + i);
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("file"), "x");
    }

    @Test
    void aFileIsInsideByTheDirectoriesAboveItHoweverDeep() throws Exception {
        var grant = Files.createDirectories(temp.resolve("grant"));
        var other = Files.createDirectories(temp.resolve("other"));
        try (var grants = WriteGrants.open(List.of(grant))) {
            assertTrue(inside(grants, deep(grant, 150), true), "150 levels down: past two reopenings of the walk");
            assertFalse(inside(grants, deep(other, 150), true));
            assertTrue(inside(grants, grant, true), "the grant itself");
            assertTrue(inside(grants, Files.writeString(grant.resolve("top"), "x"), true));
            assertFalse(inside(grants, grant.resolve("../other/d0"), true), "'..' is resolved, not compared");
            assertFalse(inside(grants, temp, true), "above the grant");
            assertFalse(inside(grants, Path.of("/"), true), "the root");
        }
    }

    @Test
    void aFileGrantCountsForThatFileAndLinksAreJudgedWhereTheyAre() throws Exception {
        var dir = Files.createDirectories(temp.resolve("dir"));
        var granted = Files.writeString(dir.resolve("granted"), "x");
        var sibling = Files.writeString(dir.resolve("sibling"), "x");
        var elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        var hardLink = Files.createLink(elsewhere.resolve("hard"), granted);
        var symlink = Files.createSymbolicLink(elsewhere.resolve("sym"), granted);
        try (var grants = WriteGrants.open(List.of(granted))) {
            assertTrue(inside(grants, granted, true));
            assertFalse(inside(grants, sibling, true), "a file grant covers nothing beside it");
            assertFalse(inside(grants, dir, true), "nor its directory");
            assertTrue(inside(grants, hardLink, true), "the same inode: Landlock grants it through any link too");
            assertTrue(inside(grants, symlink, true), "followed: the granted file");
            assertFalse(inside(grants, symlink, false), "not followed: a link outside");
        }
    }

    @Test
    void descriptorsOfFilesNoPathReachesAreAllowedAndOthersArePlacedByTheirPath() throws Exception {
        var grant = Files.createDirectories(temp.resolve("grant"));
        var other = Files.createDirectories(temp.resolve("other"));
        var unlinked = Files.writeString(other.resolve("unlinked"), "x");
        try (var grants = WriteGrants.open(List.of(grant)); var scope = new FileScope()) {
            long eventfd = dev.halt.core.linux.sys.Syscall.callRaw(dev.halt.core.linux.sys.Syscall.TABLE.eventfd2(), 0, 0, 0, 0, 0, 0);
            assertTrue(eventfd >= 0);
            try {
                assertTrue(grants.isInsideDescriptor(scope, (int) eventfd, scope.stat((int) eventfd)), "anon_inode:[eventfd], on no path");
            } finally {
                dev.halt.core.linux.sys.Syscall.close((int) eventfd);
            }
            var found = ChildPath.resolve(scope, AT_FDCWD, unlinked.toString().getBytes(StandardCharsets.UTF_8), false);
            assertFalse(grants.isInsideDescriptor(scope, found.fd(), scope.stat(found.fd())), "outside while it has a name");
            Files.delete(unlinked);
            assertTrue(grants.isInsideDescriptor(scope, found.fd(), scope.stat(found.fd())), "no link left: only its holders see it");
            var inGrant = ChildPath.resolve(scope, AT_FDCWD, deep(grant, 3).toString().getBytes(StandardCharsets.UTF_8), false);
            assertTrue(grants.isInsideDescriptor(scope, inGrant.fd(), inGrant.inode()), "a file by its path, then its directory");
        }
    }

    @Test
    @Tag("root")
    void mountsArePlacedAsLandlockPlacesThem() throws Exception {
        Requires.mountAdmin();
        var grant = Files.createDirectories(temp.resolve("grant"));
        var inner = Files.createDirectories(grant.resolve("mnt"));
        var other = Files.createDirectories(temp.resolve("other"));
        var bindOfGrant = Files.createDirectories(other.resolve("bind-of-grant"));
        var secret = Files.createDirectories(temp.resolve("secret"));
        Files.writeString(secret.resolve("file"), "x");
        Files.writeString(grant.resolve("file"), "x");
        try (var grants = WriteGrants.open(List.of(grant))) {
            // The "host" is a throwaway thread in a mount namespace of its own: nothing leaks to the test's.
            var placed = ThrowawayThread.run("test-grants-mounts", Duration.ofSeconds(30), () -> {
                Mounts.unshareNamespace();
                Mounts.makePrivate();
                Mounts.bind(grant.toString(), bindOfGrant.toString(), false);
                Mounts.bind(secret.toString(), inner.toString(), false);
                Mounts.mount("tmpfs", other.resolve("bind-of-grant").toString() + "/mnt", "tmpfs", 0, "size=1m");
                Files.writeString(other.resolve("bind-of-grant/mnt/on-tmpfs"), "x");
                return List.of(inside(grants, bindOfGrant.resolve("file"), true), inside(grants, inner.resolve("file"), true),
                    inside(grants, other.resolve("bind-of-grant/mnt/on-tmpfs"), true), inside(grants, other, true));
            });
            assertEquals(List.of(true, true, true, false), placed,
                "a bind mount of the grant, a directory mounted inside it, a file system on a mount inside it: inside; its parent: not");
        }
    }

    @Test
    void pathsResolveAsTheKernelResolvesThem() throws Exception {
        var dir = Files.createDirectories(temp.resolve("dir"));
        var file = Files.writeString(dir.resolve("file"), "x");
        Files.createSymbolicLink(dir.resolve("relative"), Path.of("file"));
        Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        try (var scope = new FileScope()) {
            var viaLink = ChildPath.resolve(scope, AT_FDCWD, bytes(dir.resolve("relative")), true);
            assertTrue(viaLink.inode().sameFile(scope.stat(ChildPath.resolve(scope, AT_FDCWD, bytes(file), true).fd())),
                "a relative link resolves from its own directory");
            assertTrue(ChildPath.resolve(scope, AT_FDCWD, bytes(dir.resolve("relative")), false).inode().isSymlink());
            assertEquals(Errno.ELOOP, failure(scope, dir.resolve("loop") + "", true));
            assertEquals(Errno.ENOTDIR, failure(scope, file + "/", true), "a trailing slash needs a directory");
            assertEquals(Errno.ELOOP, failure(scope, "/proc/self/cwd/" + dir.getFileName(), true), "no magic link on the way");
            assertEquals(Errno.ENOENT, failure(scope, "", true));
            assertTrue(ChildPath.resolve(scope, AT_FDCWD, bytes(dir), true).directory() >= 0, "a directory named by name has its directory");
            assertEquals(-1, ChildPath.resolve(scope, AT_FDCWD, (dir + "/").getBytes(StandardCharsets.UTF_8), true).directory(),
                "named whole: no directory of its own");
        }
        assertEquals(7, MetadataCalls.procDescriptor("/proc/self/fd/7".getBytes(StandardCharsets.UTF_8)));
        assertEquals(12, MetadataCalls.procDescriptor("/proc/thread-self/fd/12".getBytes(StandardCharsets.UTF_8)));
        for (var not : List.of("/proc/self/fd/", "/proc/self/fd/7/x", "/proc/1/fd/7", "proc/self/fd/7", "/proc/self/fd/1234567890")) {
            assertEquals(-1, MetadataCalls.procDescriptor(not.getBytes(StandardCharsets.UTF_8)), not);
        }
    }

    private static byte[] bytes(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static int failure(FileScope scope, String path, boolean follow) {
        try {
            ChildPath.resolve(scope, AT_FDCWD, path.getBytes(StandardCharsets.UTF_8), follow);
            return 0;
        } catch (CallFailed e) {
            return e.errno();
        }
    }
}
