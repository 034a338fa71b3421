package dev.halt.core.linux.net;

import dev.halt.core.linux.Requires;
import dev.halt.core.linux.sys.ThrowawayThread;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

@Tag("linux")
@Tag("root")
class NetworkNamespaceTest {

    private static String threadNetns() throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void unshareMovesOnlyTheCallingThread() throws Exception {
        Requires.networkAdmin();
        var before = threadNetns();
        var inside = ThrowawayThread.run("test-netns", Duration.ofSeconds(10), () -> {
            NetworkNamespace.unshareCallingThread();
            return threadNetns();
        });
        assertNotEquals(before, inside, "the throwaway thread got a new network namespace");
        assertEquals(before, threadNetns(), "the test thread kept its namespace");
    }
}
