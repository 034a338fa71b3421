package dev.halt.core.linux.fs;

import dev.halt.core.linux.sys.Syscall;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What halt does in trees a run can write: removals and renames from held directories, which a
 * link planted on the way does not redirect. This test plays the run (it plants the links).
 */
@Tag("linux")
class OpenDirectoryTest {

    @TempDir
    Path temp;

    @Test
    void aTreeIsRemovedWithoutFollowingItsLinksEvenUnreadableParts() throws Exception {
        var victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "x");
        var tree = Files.createDirectories(temp.resolve("tree/a/b"));
        Files.createSymbolicLink(tree.resolve("to-victim"), victim);
        Files.createSymbolicLink(temp.resolve("tree/a/to-file"), victim.resolve("precious"));
        Files.writeString(tree.resolve("file"), "y");
        Files.setAttribute(tree, "unix:mode", 0);
        Files.setAttribute(temp.resolve("tree/a"), "unix:mode", 0500);

        try (var top = OpenDirectory.open(temp)) {
            top.deleteTree("tree");
        }
        assertFalse(Files.exists(temp.resolve("tree")));
        assertEquals(List.of(victim.resolve("precious")), Files.list(victim).toList());
    }

    /** A protected empty file swapped for a FIFO with no writer must not compare as the empty file it was. */
    @Test
    void aFifoInPlaceOfAnEmptyFileIsNotReadAsOne() throws Exception {
        Files.writeString(temp.resolve("empty"), "");
        var mkfifo = new ProcessBuilder("mkfifo", temp.resolve("fifo").toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        try (var dir = OpenDirectory.open(temp)) {
            assertArrayEquals(new byte[0], dir.readRegularFile("empty", 16));
            assertNull(dir.readRegularFile("fifo", 16), "a FIFO is not a regular file, though it reads as empty");
        }
    }

    @Test
    void aChildThatIsALinkIsNotOpenedAndNothingBeneathALinkIsReached() throws Exception {
        var victim = Files.createDirectories(temp.resolve("victim"));
        Files.createDirectories(temp.resolve("ws/real"));
        Files.createSymbolicLink(temp.resolve("ws/link"), victim);
        try (var ws = OpenDirectory.open(temp.resolve("ws"))) {
            var e = assertThrows(OpenDirectory.Failed.class, () -> ws.openChild("link"));
            assertTrue(e.notADirectory(), e.getMessage());
            var beneath = assertThrows(OpenDirectory.Failed.class, () -> ws.openBeneath(Path.of("link")));
            assertTrue(beneath.notADirectory(), beneath.getMessage());
            assertThrows(OpenDirectory.Failed.class, () -> ws.openBeneath(Path.of("real/../..")), "not above it");
            try (var real = ws.openBeneath(Path.of("real"))) {
                assertEquals(temp.resolve("ws/real"), real.path());
            }
            ws.deleteTree("link");
        }
        assertTrue(Files.isDirectory(victim), "the link went, not what it names");
        assertFalse(Files.exists(temp.resolve("ws/link"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void thePrivateTmpIsRemovedWithoutFollowingALinkInIt() throws Exception {
        var victim = Files.createDirectories(temp.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "x");
        var tmp = Files.createDirectory(Path.of("/tmp/halt-" + Syscall.geteuid() + "-opendirtest" + System.nanoTime() % 100000));
        Files.createSymbolicLink(tmp.resolve("D"), victim);
        Files.createDirectories(tmp.resolve("sub/deeper"));
        var done = RunRecord.removePrivateTmp(tmp);
        assertEquals(java.util.Optional.of("halt removed its temporary directory " + tmp), done);
        assertFalse(Files.exists(tmp));
        assertTrue(Files.exists(victim.resolve("precious")));
        assertEquals(java.util.Optional.empty(), RunRecord.removePrivateTmp(temp.resolve("not-halts")), "only halt's own");
    }
}
