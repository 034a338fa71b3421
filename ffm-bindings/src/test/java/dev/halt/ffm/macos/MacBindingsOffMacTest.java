package dev.halt.ffm.macos;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS bindings on Linux: every class loads and initialises without looking anything up,
 * the macOS-only entry points fail as a {@link LinkageError} only when called, and the shared
 * downcall shape ({@code LibSystem.REGISTER_CALL}) calls real functions correctly on this
 * machine's calling convention (x86-64 System V is macOS Intel's; aarch64 is the base of Apple's).
 */
@Tag("linux")
class MacBindingsOffMacTest {

    @Test
    void everyClassLoadsAndNothingIsLookedUpUntilCalled() throws Exception {
        var loader = getClass().getClassLoader();
        for (var name : java.util.List.of("LibSystem", "errno_h", "sandbox_h", "spawn_h", "unistd_h")) {
            var loaded = Class.forName("dev.halt.ffm.macos." + name, true, loader);
            assertNotNull(loaded);
        }
        assertEquals(0x4000, spawn_h.POSIX_SPAWN_CLOEXEC_DEFAULT());
        assertEquals(4, spawn_h.SIGSET_T.byteSize());
        assertFalse(sandbox_h.available(), "no Seatbelt on Linux");
    }

    @Test
    void aMacOnlyEntryPointFailsWhenCalledNotWhenLoaded() {
        try (var arena = Arena.ofConfined()) {
            var errno = errno_h.allocate(arena);
            var failure = assertThrows(LinkageError.class, () -> sandbox_h.sandbox_init_with_parameters(errno,
                arena.allocateFrom("(version 1)"), 0, arena.allocate(8), arena.allocate(8)));
            assertTrue(String.valueOf(failure.getMessage()).contains("sandbox_init_with_parameters"), failure.toString());
            // The same for the calls with their own descriptors: a LinkageError, never wrapped.
            assertThrows(LinkageError.class, () -> sandbox_h.sandbox_check(1, java.lang.foreign.MemorySegment.NULL, 0));
            assertThrows(LinkageError.class, () -> sandbox_h.sandbox_free_error(java.lang.foreign.MemorySegment.NULL));
        }
    }

    @Test
    void theSharedShapeCallsRealFunctions(@TempDir Path dir) throws Exception {
        try (var arena = Arena.ofConfined()) {
            var errno = errno_h.allocate(arena);
            // Pointer plus 16-bit mode: mkfifo makes a FIFO with exactly that mode (umask 0 bits aside).
            var fifo = dir.resolve("status");
            assertEquals(0, unistd_h.mkfifo(errno, arena.allocateFrom(fifo.toString()), (short) 0600));
            int mode = (Integer) Files.getAttribute(fifo, "unix:mode");
            assertEquals(0010000, mode & 0170000, "S_IFIFO");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
            // An int result and errno: a second mkfifo of the same name fails with EEXIST (17 on both systems).
            assertEquals(-1, unistd_h.mkfifo(errno, arena.allocateFrom(fifo.toString()), (short) 0600));
            assertEquals(errno_h.EEXIST(), errno_h.get(errno));
            // No argument at all: geteuid as the kernel reports it.
            int euid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            assertEquals(euid, unistd_h.geteuid(errno));
            // The variadic open, then write (int, pointer, size) and close through the shared shape.
            var file = dir.resolve("written");
            Files.writeString(file, "");
            int linuxCloexec = 0x80000;
            int fd = unistd_h.open(errno, arena.allocateFrom(file.toString()), unistd_h.O_WRONLY() | linuxCloexec);
            assertTrue(fd > 2, "open: errno " + errno_h.get(errno));
            var bytes = arena.allocateFrom("written through REGISTER_CALL");
            assertEquals(bytes.byteSize() - 1, unistd_h.write(errno, fd, bytes, bytes.byteSize() - 1));
            assertEquals(0, unistd_h.close(errno, fd));
            assertEquals("written through REGISTER_CALL", Files.readString(file));
            // Two int arguments and a failure: no process has pid 2^31-1.
            assertEquals(-1, unistd_h.kill(errno, Integer.MAX_VALUE, 0));
            assertEquals(errno_h.ESRCH(), errno_h.get(errno));
            // A pointer and a length: the terminal of a descriptor, or ENOTTY (25 on both systems) for a file.
            var name = arena.allocate(1024);
            int fileFd = unistd_h.open(errno, arena.allocateFrom(file.toString()), 0);
            assertEquals(25, unistd_h.ttyname_r(errno, fileFd, name, name.byteSize()));
            assertEquals(0, unistd_h.close(errno, fileFd));
            // A negative int argument.
            assertEquals(-1, unistd_h.close(errno, -1));
            assertEquals(errno_h.EBADF(), errno_h.get(errno));
        }
    }
}
