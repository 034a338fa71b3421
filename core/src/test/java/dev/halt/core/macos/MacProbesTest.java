package dev.halt.core.macos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The probes' logic against a second stage that enforces nothing ({@link FakeSeatbeltExec}): each
 * probe must then report Seatbelt unavailable, saying what got through. (On the macOS runner
 * {@code SeatbeltExecMacTest} runs them against the real one.)
 */
class MacProbesTest {

    private static StageTwoCommand unconfined() {
        return new StageTwoCommand(Path.of(System.getProperty("java.home")), ChildClassPath.of(), null,
            FakeSeatbeltExec.class.getName());
    }

    @Test
    void theWriteProbeFailsWhenTheDeniedWriteHappens(@TempDir Path dir) {
        var result = MacProbes.seatbelt(unconfined(), dir.resolve("runs"), dir);
        assertFalse(result.isAvailable());
        assertTrue(result.explanation().contains("did not stop a write there"), result.explanation());
    }

    @Test
    void theNetworkProbeFailsWhenTheDeniedConnectArrives(@TempDir Path dir) {
        var result = MacProbes.network(unconfined(), dir.resolve("runs"), dir);
        assertFalse(result.isAvailable());
        assertTrue(result.explanation().contains("which the profile denies, reached the probe's listener"), result.explanation());
    }

    @Test
    void aSandboxedHaltIsNamed() {
        assertFalse(MacProbes.nested(1).isAvailable());
        assertTrue(MacProbes.nested(1).explanation().contains("halt itself runs inside a Seatbelt sandbox"));
        assertTrue(MacProbes.nested(0).isAvailable());
    }
}
