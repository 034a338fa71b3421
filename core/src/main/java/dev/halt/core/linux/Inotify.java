package dev.halt.core.linux;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.inotify_event;
import dev.halt.ffm.linux.pollfd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.inotify_h.*;
import static dev.halt.ffm.linux.poll_h.EFD_CLOEXEC;
import static dev.halt.ffm.linux.poll_h.EFD_NONBLOCK;
import static dev.halt.ffm.linux.poll_h.POLLIN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An inotify instance and an eventfd that wakes its reader, through raw system calls (the one
 * downcall handle of {@link Syscall}: no new native signature to link).
 *
 * <p>One thread owns it and blocks in {@link #await()}; any thread may add watches before and
 * {@link #wake()} it. The
 * owner then returns from native code at once: a thread left blocked in a system call would hold
 * up the JVM's exit by up to 300 ms (HotSpot waits for threads in native code).
 */
final class Inotify implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** One event: the watch, its {@code IN_*} bits, and the name of the entry in a watched directory ("" for the directory itself). */
    record Event(int watch, int mask, String name) {}

    private final int inotifyFd;
    private final int wakeFd;
    /**
     * The owner's buffers, made at its first {@link #await()}: a confined arena, since closing a
     * shared one stops every thread of the JVM for a moment. The watches may be added before, by
     * another thread.
     */
    private Arena arena;
    private MemorySegment buffer;
    private MemorySegment fds;
    /** Guarded by {@code this}: a woken owner may close the descriptors, and a closed number must never be written to. */
    private boolean closed;

    private Inotify(int inotifyFd, int wakeFd) {
        this.inotifyFd = inotifyFd;
        this.wakeFd = wakeFd;
    }

    static Inotify open() throws ErrnoException {
        int in = (int) Syscall.call("inotify_init1", Syscall.TABLE.inotifyInit1(), IN_NONBLOCK() | IN_CLOEXEC(), 0, 0, 0, 0, 0);
        try {
            int wake = (int) Syscall.call("eventfd2", Syscall.TABLE.eventfd2(), 0, EFD_NONBLOCK() | EFD_CLOEXEC(), 0, 0, 0, 0);
            return new Inotify(in, wake);
        } catch (ErrnoException e) {
            Syscall.close(in);
            throw e;
        }
    }

    /** Watches the directory {@code dir} (not through a link); the same directory twice gives the same watch. */
    int watchDirectory(Path dir, int mask) throws ErrnoException {
        try (var a = Arena.ofConfined()) {
            return (int) Syscall.call("inotify_add_watch " + dir, Syscall.TABLE.inotifyAddWatch(), inotifyFd,
                a.allocateFrom(dir.toString()).address(), mask | IN_ONLYDIR() | IN_DONT_FOLLOW(), 0, 0, 0);
        }
    }

    /**
     * Blocks until events arrive or {@link #wake()} is called; returns every pending event, or
     * null when woken.
     */
    List<Event> await() throws ErrnoException {
        if (arena == null) {
            arena = Arena.ofConfined();
            buffer = arena.allocate(BUFFER_BYTES, 8);
            fds = pollfd.allocateArray(2, arena);
            pollfd.fd(pollfd.asSlice(fds, 0), inotifyFd);
            pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN());
            pollfd.fd(pollfd.asSlice(fds, 1), wakeFd);
            pollfd.events(pollfd.asSlice(fds, 1), (short) POLLIN());
        }
        while (true) {
            long ready;
            try {
                ready = Syscall.call("ppoll", Syscall.TABLE.ppoll(), fds.address(), 2, 0, 0, 8, 0);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EINTR) continue;
                throw e;
            }
            if (ready <= 0) continue;
            if (pollfd.revents(pollfd.asSlice(fds, 1)) != 0) return null;
            var events = drain();
            if (!events.isEmpty()) return events;
        }
    }

    private List<Event> drain() throws ErrnoException {
        var events = new ArrayList<Event>();
        while (true) {
            long n;
            try {
                n = Syscall.call("read inotify", Syscall.TABLE.read(), inotifyFd, buffer.address(), BUFFER_BYTES, 0, 0, 0);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) return events;
                if (e.errno() == Errno.EINTR) continue;
                throw e;
            }
            if (n <= 0) return events;
            long offset = 0;
            while (offset + inotify_event.sizeof() <= n) {
                var event = buffer.asSlice(offset);
                int length = inotify_event.len(event);
                var name = "";
                if (length > 0) {
                    var bytes = buffer.asSlice(offset + inotify_event.sizeof(), length).toArray(JAVA_BYTE);
                    int end = 0;
                    while (end < bytes.length && bytes[end] != 0) end++;
                    name = new String(bytes, 0, end, StandardCharsets.UTF_8);
                }
                events.add(new Event(inotify_event.wd(event), inotify_event.mask(event), name));
                offset += inotify_event.sizeof() + length;
            }
        }
    }

    /** Makes the owner's {@link #await()} return null; harmless once closed. */
    synchronized void wake() {
        if (closed) return;
        try (var a = Arena.ofConfined()) {
            var one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            Syscall.call("write eventfd", Syscall.TABLE.write(), wakeFd, one.address(), 8, 0, 0, 0);
        } catch (ErrnoException e) {
            // EAGAIN: the counter is already set, so the owner wakes anyway.
        }
    }

    /** By the owner, or by the thread that opened it when no owner ever waited on it. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Syscall.close(inotifyFd);
        Syscall.close(wakeFd);
        if (arena != null) arena.close();
    }
}
