package dev.halt.core.linux.seccomp;

import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.unistd_h;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Filters built in Java, installed on throwaway threads, checked by calling what they refuse. */
@Tag("linux")
class SeccompTest {

    private static final SyscallNumbers TABLE = SyscallNumbers.current();

    /** errno of the call, or 0 when it succeeded. */
    private static int errnoOf(long number, long a1) {
        try (var arena = Arena.ofConfined()) {
            var state = Errno.allocate(arena);
            long r = unistd_h.syscall(state, number, a1, 0, 0, 0, 0, 0);
            return r == -1 ? Errno.get(state) : 0;
        }
    }

    @Test
    void withoutTheFilterTheSameCallsAnswerTheKernelsOwnErrors() throws Exception {
        int[] outcome = ThrowawayThread.run("test-no-seccomp", Duration.ofSeconds(10), () -> new int[] {
            errnoOf(TABLE.ioUringSetup(), 0), errnoOf(TABLE.pidfdOpen(), -1)});
        assertNotEquals(Errno.EPERM, outcome[0]);
        assertNotEquals(Errno.EPERM, outcome[1]);
    }

    @Test
    void refusesEmptyAndOversizedPrograms() {
        assertThrows(IllegalArgumentException.class, () -> Seccomp.install(List.of()));
        var huge = java.util.Collections.nCopies(5000, BpfInstruction.ret(0));
        assertThrows(IllegalArgumentException.class, () -> Seccomp.install(huge));
    }
}
