package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.inotify_event;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.inotify_h.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * An inotify instance and an eventfd that wakes its reader, through raw system calls (the one
 * downcall handle of {@link Syscall}: no new native signature to link).
 *
 * <p>One thread owns it and blocks in {@link #await()}; any thread may add watches before and
 * {@link #wake()} it. The
 * owner then returns from native code at once: a thread left blocked in a system call would hold
 * up the JVM's exit by up to 300 ms (HotSpot waits for threads in native code).
 */
public final class Inotify implements AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;

    /** One event: the watch, its {@code IN_*} bits, and the name of the entry in a watched directory ("" for the directory itself). */
    public record Event(int watch, int mask, String name) {}

    /** The inotify descriptor and the eventfd that wakes its owner. */
    private final WakeableFd inotify;

    private Inotify(WakeableFd inotify) {
        this.inotify = inotify;
    }

    public static Inotify open() throws ErrnoException {
        int in = (int) Syscall.call("inotify_init1", Syscall.TABLE.inotifyInit1(), IN_NONBLOCK() | IN_CLOEXEC(), 0, 0, 0, 0, 0);
        return new Inotify(WakeableFd.of(in, BUFFER_BYTES));
    }

    /** Watches the directory {@code dir} (not through a link); the same directory twice gives the same watch. */
    public int watchDirectory(Path dir, int mask) throws ErrnoException {
        try (var a = Arena.ofConfined()) {
            return (int) Syscall.call("inotify_add_watch " + dir, Syscall.TABLE.inotifyAddWatch(), inotify.fd(),
                a.allocateFrom(dir.toString()).address(), mask | IN_ONLYDIR() | IN_DONT_FOLLOW(), 0, 0, 0);
        }
    }

    /**
     * Blocks until events arrive or {@link #wake()} is called; returns every pending event, or
     * null when woken.
     */
    public List<Event> await() throws ErrnoException {
        while (true) {
            if (inotify.await(null) == WakeableFd.Ready.WOKEN) return null;
            var events = drain();
            if (!events.isEmpty()) return events;
        }
    }

    private List<Event> drain() throws ErrnoException {
        var buffer = inotify.buffer();
        var events = new ArrayList<Event>();
        while (true) {
            long n;
            try {
                n = Syscall.call("read inotify", Syscall.TABLE.read(), inotify.fd(), buffer.address(), BUFFER_BYTES, 0, 0, 0);
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
    public void wake() {
        inotify.wake();
    }

    /** By the owner, or by the thread that opened it when no owner ever waited on it. */
    @Override
    public void close() {
        inotify.close();
    }
}
