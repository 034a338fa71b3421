package dev.halt.core.control;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Where the control sockets live, what halt accepts as that place, and the sockets of runs that are gone. */
@Tag("linux")
class ControlDirectoryTest {
    @TempDir
    Path tmp;

    private Path runtime(String mode) throws Exception {
        var dir = Files.createDirectories(tmp.resolve("runtime-" + mode));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
        return dir;
    }

    @Test
    void aPrivateRuntimeDirectoryOfTheUsersHoldsItElseRunUserElseTmp() throws Exception {
        int uid = ControlDirectory.effectiveUid();
        var own = runtime("rwx------");
        assertEquals(own.resolve("halt"), ControlDirectory.locate(Map.of("XDG_RUNTIME_DIR", own.toString()), uid));
        var open = runtime("rwxr-xr-x");
        var elsewhere = Files.isDirectory(Path.of("/run/user/" + uid)) ? Path.of("/run/user/" + uid, "halt")
            : uid == 0 ? Path.of("/run/halt-0") : Path.of("/tmp/halt-" + uid);
        assertEquals(elsewhere, ControlDirectory.locate(Map.of("XDG_RUNTIME_DIR", open.toString()), uid), "others may enter it");
        assertEquals(elsewhere, ControlDirectory.locate(Map.of(), uid));
        assertFalse(ControlDirectory.locate(Map.of("XDG_RUNTIME_DIR", own.toString()), uid + 1).startsWith(own),
            "not the directory of another user (the one who ran sudo)");
    }

    @Test
    void aLinkAnotherUsersDirectoryOrAnOpenModeIsRefused() throws Exception {
        int uid = ControlDirectory.effectiveUid();
        var real = runtime("rwx------");
        var link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertTrue(ControlDirectory.problem(link, uid).orElseThrow().contains("symbolic link"));
        assertTrue(ControlDirectory.problem(real, uid + 1).orElseThrow().contains("belongs to uid"));
        assertTrue(ControlDirectory.problem(runtime("rwx--x--x"), uid).orElseThrow().contains("chmod 700"));
        assertTrue(ControlDirectory.problem(real, uid).isEmpty());

        var made = ControlDirectory.prepare(Map.of("XDG_RUNTIME_DIR", real.toString()));
        assertEquals(real.resolve("halt"), made.path());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.path())));
    }

    @Test
    void aSocketWhoseRunIsGoneAndThatRefusesConnectionsIsRemovedAndNoOther() throws Exception {
        var dir = ControlDirectory.prepare(Map.of("XDG_RUNTIME_DIR", runtime("rwx------").toString()));
        // A run that is gone: no process 999999999 and nothing listening on its socket.
        var gone = dir.socket(999_999_999L, 1);
        try (var listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(gone));
        }
        Files.writeString(ControlDirectory.tokenOf(gone), "00\n");
        // A run that is gone but whose socket still answers (another halt took it over): kept.
        var answering = dir.socket(999_999_998L, 1);
        try (var listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(answering));
            var removed = dir.removeStale();
            assertEquals(1, removed.size(), removed.toString());
            assertTrue(removed.getFirst().contains("999999999"), removed.getFirst());
            assertFalse(Files.exists(gone));
            assertFalse(Files.exists(ControlDirectory.tokenOf(gone)));
            assertTrue(Files.exists(answering));
        }
    }
}
