package dev.halt.core.linux.sys;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@Tag("linux")
class CapabilitiesTest {

    private static Map<String, String> capLines() throws Exception {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
            .filter(l -> l.startsWith("Cap"))
            .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')), l -> l.substring(l.indexOf(':') + 1).trim()));
    }

    @Test
    void lastCapabilityIsTheKernelsWholeNumber() throws Exception {
        var text = new String(Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap")).readNBytes(32)).trim();
        assertEquals(Integer.parseInt(text), Capabilities.lastCapability());
        assertTrue(Capabilities.lastCapability() >= 36, "Linux 5.8+ knows at least 37 capabilities");
    }

    @Test
    @Tag("root")
    void droppingEmptiesEverySetOfTheCallingThreadOnly() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).euid() == 0, "[root] needs root (as CI runs)");
        var before = capLines();
        var inside = ThrowawayThread.run("test-caps", Duration.ofSeconds(10), () -> {
            Capabilities.dropBoundingAndAmbient();
            Capabilities.clearThreadSets();
            return capLines();
        });
        for (var set : new String[] {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
            assertEquals(0L, Long.parseUnsignedLong(inside.get(set), 16), set + " after the drop: " + inside);
        }
        assertEquals(before, capLines(), "the test thread kept its capabilities");
    }
}
