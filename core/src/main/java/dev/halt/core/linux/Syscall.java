package dev.halt.core.linux;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.Syscalls;
import dev.halt.ffm.linux.unistd_h;

import java.lang.foreign.Arena;

/** Makes raw system calls with all six argument registers set and errno read from this call alone. */
final class Syscall {
    private Syscall() {}

    static final Syscalls TABLE = Syscalls.current();

    static long call(String name, int number, long a1, long a2, long a3, long a4, long a5, long a6)
            throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var errno = Errno.allocate(arena);
            long result = unistd_h.syscall(errno, number, a1, a2, a3, a4, a5, a6);
            if (result == -1) throw new ErrnoException(name, Errno.get(errno));
            return result;
        }
    }

    static void close(int fd) {
        try (var arena = Arena.ofConfined()) {
            unistd_h.close(Errno.allocate(arena), fd);
        }
    }
}
