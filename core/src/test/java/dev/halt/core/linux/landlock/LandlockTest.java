package dev.halt.core.linux.landlock;

import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.LandlockAbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.halt.ffm.linux.landlock_h.*;
import static org.junit.jupiter.api.Assertions.*;

/** Real Landlock rulesets enforced on throwaway threads; the test thread itself stays free. */
@Tag("linux")
class LandlockTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void reportsTheKernelAbi() throws Exception {
        int abi = Requires.landlockAbi(1);
        assertTrue(abi >= 1 && abi <= 64, "ABI " + abi);
    }

    @Test
    void grantedDirectoryIsWritableAndEverythingElseIsNot(@TempDir Path dir) throws Exception {
        int abi = Requires.landlockAbi(1);
        var granted = Files.createDirectory(dir.resolve("granted"));
        var outside = Files.createDirectory(dir.resolve("outside"));
        // Load what the restricted thread will use while it can still read the class path.
        Files.deleteIfExists(Files.writeString(dir.resolve("warm-up"), "x"));

        var outcome = ThrowawayThread.run("test-landlock-fs", TIMEOUT, () -> {
            Prctl.setNoNewPrivs();
            try (var ruleset = Landlock.createRuleset(abi, LandlockAbi.fsAccess(abi), 0, 0)) {
                ruleset.allowPath(granted, LandlockAbi.fsAccess(abi));
                ruleset.restrictSelf(0);
            }
            Files.writeString(granted.resolve("inside.txt"), "written under Landlock");
            try {
                Files.writeString(outside.resolve("escaped.txt"), "must not exist");
                return "outside write succeeded";
            } catch (AccessDeniedException expected) {
                return "denied";
            }
        });

        assertEquals("denied", outcome);
        assertEquals("written under Landlock", Files.readString(granted.resolve("inside.txt")));
        assertFalse(Files.exists(outside.resolve("escaped.txt")));
        // The test thread was never restricted.
        Files.writeString(outside.resolve("from-test-thread.txt"), "ok");
    }

    @Test
    void readOnlyGrantAllowsReadingButNotWriting(@TempDir Path dir) throws Exception {
        int abi = Requires.landlockAbi(1);
        var file = Files.writeString(dir.resolve("data.txt"), "original");
        long read = LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_READ_DIR() | LANDLOCK_ACCESS_FS_EXECUTE();

        var outcome = ThrowawayThread.run("test-landlock-ro", TIMEOUT, () -> {
            Prctl.setNoNewPrivs();
            try (var ruleset = Landlock.createRuleset(abi, LandlockAbi.fsAccess(abi), 0, 0)) {
                ruleset.allowPath(dir, read);
                ruleset.restrictSelf(0);
            }
            var content = Files.readString(file);
            try {
                Files.writeString(file, "overwritten");
                return content + "/written";
            } catch (IOException expected) {
                return content + "/denied";
            }
        });

        assertEquals("original/denied", outcome);
        assertEquals("original", Files.readString(file));
    }

    @Test
    void allowPathOnAMissingPathNamesIt(@TempDir Path dir) throws Exception {
        int abi = Requires.landlockAbi(1);
        try (var ruleset = Landlock.createRuleset(abi, LandlockAbi.fsAccess(abi), 0, 0)) {
            var missing = dir.resolve("absent");
            var e = assertThrows(ErrnoException.class, () -> ruleset.allowPath(missing, LANDLOCK_ACCESS_FS_READ_FILE()));
            assertEquals(dev.halt.ffm.linux.Errno.ENOENT, e.errno());
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        }
    }

    @Test
    void askingForRightsTheRulesetDoesNotHandleIsRefused(@TempDir Path dir) throws Exception {
        int abi = Requires.landlockAbi(1);
        try (var ruleset = Landlock.createRuleset(abi, LANDLOCK_ACCESS_FS_READ_FILE(), 0, 0)) {
            var e = assertThrows(ErrnoException.class, () -> ruleset.allowPath(dir, LANDLOCK_ACCESS_FS_WRITE_FILE()));
            assertEquals(dev.halt.ffm.linux.Errno.EINVAL, e.errno());
        }
    }

    @Test
    void tcpConnectIsLimitedToAllowedPorts() throws Exception {
        int abi = Requires.landlockAbi(4);
        try (var allowed = ServerSocketChannel.open(); var refused = ServerSocketChannel.open()) {
            allowed.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            refused.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int allowedPort = ((InetSocketAddress) allowed.getLocalAddress()).getPort();
            int refusedPort = ((InetSocketAddress) refused.getLocalAddress()).getPort();
            // Initialise the socket classes before the thread loses file access.
            try (var warm = SocketChannel.open(allowed.getLocalAddress())) {
                allowed.accept().close();
            }

            var outcome = ThrowawayThread.run("test-landlock-tcp", TIMEOUT, () -> {
                Prctl.setNoNewPrivs();
                try (var ruleset = Landlock.createRuleset(abi, 0, LANDLOCK_ACCESS_NET_CONNECT_TCP(), 0)) {
                    ruleset.allowPort(allowedPort, LANDLOCK_ACCESS_NET_CONNECT_TCP());
                    ruleset.restrictSelf(0);
                }
                var result = new StringBuilder();
                try (var ok = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), allowedPort))) {
                    result.append("allowed-connected");
                }
                try (var no = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), refusedPort))) {
                    result.append(",refused-connected");
                } catch (IOException expected) {
                    result.append(",refused-denied");
                }
                return result.toString();
            });
            assertEquals("allowed-connected,refused-denied", outcome);
        }
    }
}
