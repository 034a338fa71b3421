package dev.halt.core.linux.control;

import dev.halt.core.control.ControlConnection;
import dev.halt.core.control.ControlListener;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.ProcFiles;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.sockaddr_un;
import dev.halt.ffm.linux.socket_h;
import dev.halt.ffm.linux.ucred;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A run's control socket: an {@code AF_UNIX} stream socket made with raw system calls, since the
 * JDK's unix channels do not say who connected. Each accepted peer is named by the kernel:
 * {@code SO_PEERCRED} gives its user, {@code SO_PEERPIDFD} (Linux 6.5) a pidfd, from which its PID
 * is read and which is checked again after the PID was examined, so that a PID reused meanwhile is
 * not examined in its place. Where the kernel has no {@code SO_PEERPIDFD}, the PID of
 * {@code SO_PEERCRED} is used as it is.
 */
public final class UnixControlSocket implements ControlListener {

    private final int fd;
    /** Set once the run's command is known ({@link #run}); until then no peer is accepted. */
    private volatile RunProcesses run;
    private final AtomicBoolean shut = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private UnixControlSocket(int fd) {
        this.fd = fd;
    }

    /** Binds and listens on {@code path} (a new file, mode 0600); accept from it once {@link #run} names the command. */
    public static UnixControlSocket listen(Path path) throws IOException {
        var bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= sockaddr_un.sun_path$layout().byteSize()) {
            throw new IOException(path + " is too long for a unix socket (" + bytes.length + " bytes, at most "
                + (sockaddr_un.sun_path$layout().byteSize() - 1) + "): set XDG_RUNTIME_DIR to a shorter directory");
        }
        int fd;
        try {
            fd = (int) Syscall.call("socket", Syscall.TABLE.socket(), socket_h.AF_UNIX(),
                socket_h.SOCK_STREAM() | socket_h.SOCK_CLOEXEC(), 0, 0, 0, 0);
        } catch (ErrnoException e) {
            throw new IOException("cannot make the control socket: " + e.getMessage(), e);
        }
        try (var arena = Arena.ofConfined()) {
            var address = sockaddr_un.allocate(arena);
            sockaddr_un.sun_family(address, (short) socket_h.AF_UNIX());
            MemorySegment.copy(bytes, 0, sockaddr_un.sun_path(address), ValueLayout.JAVA_BYTE, 0, bytes.length);
            Syscall.call("bind " + path, Syscall.TABLE.bind(), fd, address.address(), sockaddr_un.sizeof(), 0, 0, 0);
            Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Syscall.call("listen", Syscall.TABLE.listen(), fd, 32, 0, 0, 0, 0);
        } catch (ErrnoException | IOException e) {
            Syscall.close(fd);
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        return new UnixControlSocket(fd);
    }

    @Override
    public void run(long childPid) {
        run = RunProcesses.of(childPid);
    }

    @Override
    public ControlConnection accept() throws IOException {
        while (true) {
            if (shut.get()) throw new AsynchronousCloseException();
            long result = Syscall.callRaw(Syscall.TABLE.accept4(), fd, 0, 0, socket_h.SOCK_CLOEXEC(), 0, 0);
            if (result >= 0) return connection((int) result);
            int errno = (int) -result;
            if (shut.get()) throw new AsynchronousCloseException();
            if (errno == Errno.EINTR || errno == Errno.ECONNABORTED) continue;
            throw new IOException("accept on the control socket: " + new ErrnoException("accept4", errno).getMessage());
        }
    }

    /** The accepted descriptor {@code cfd} with its peer, named before anything is read from it. */
    private Connection connection(int cfd) {
        var run = this.run;
        if (run == null) return new Connection(cfd, new ControlConnection.Peer(-1, -1, "the run has not started yet"));
        try (var arena = Arena.ofConfined()) {
            var cred = ucred.allocate(arena);
            var length = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, (int) ucred.sizeof());
            Syscall.call("getsockopt SO_PEERCRED", Syscall.TABLE.getsockopt(), cfd, socket_h.SOL_SOCKET(), socket_h.SO_PEERCRED(),
                cred.address(), length.address(), 0);
            int uid = ucred.uid(cred);
            long pid = ucred.pid(cred);
            var pidfdOut = arena.allocate(ValueLayout.JAVA_INT);
            length.set(ValueLayout.JAVA_INT, 0, 4);
            long got = Syscall.callRaw(Syscall.TABLE.getsockopt(), cfd, socket_h.SOL_SOCKET(), socket_h.SO_PEERPIDFD(),
                pidfdOut.address(), length.address(), 0);
            if (got < 0) return new Connection(cfd, new ControlConnection.Peer(uid, pid, run.whyOfRun(pid)));
            int pidfd = pidfdOut.get(ValueLayout.JAVA_INT, 0);
            try {
                long fromPidfd = pidOf(pidfd);
                if (fromPidfd <= 0) return new Connection(cfd, new ControlConnection.Peer(uid, pid, "a process that has exited"));
                var ofRun = run.whyOfRun(fromPidfd);
                // Still the same process: its PID was not reused while halt looked at it. (EPERM, for a
                // process of another user, answers that it still runs all the same.)
                long alive = Syscall.callRaw(Syscall.TABLE.pidfdSendSignal(), pidfd, 0, 0, 0, 0, 0);
                if (alive == -Errno.ESRCH && ofRun == null) ofRun = "a process that exited while halt examined it";
                return new Connection(cfd, new ControlConnection.Peer(uid, fromPidfd, ofRun));
            } finally {
                Syscall.close(pidfd);
            }
        } catch (ErrnoException e) {
            // Nobody can be named: nobody is served.
            return new Connection(cfd, new ControlConnection.Peer(-1, -1, "a peer the kernel cannot name (" + e.getMessage() + ")"));
        }
    }

    /** The PID a pidfd refers to, from {@code /proc/self/fdinfo}: -1 once the process has exited. */
    private static long pidOf(int pidfd) {
        return ProcFiles.number(Path.of("/proc/self/fdinfo", Integer.toString(pidfd)), "Pid:");
    }

    @Override
    public void shutdown() {
        if (shut.compareAndSet(false, true)) {
            // Wakes a thread blocked in accept4 (EINVAL): closing the descriptor would not.
            Syscall.callRaw(Syscall.TABLE.shutdown(), fd, socket_h.SHUT_RDWR(), 0, 0, 0, 0);
        }
    }

    @Override
    public void close() {
        shutdown();
        if (closed.compareAndSet(false, true)) Syscall.close(fd);
    }

    /** One accepted peer. */
    private static final class Connection implements ControlConnection {
        private final int fd;
        private final Peer peer;
        private final AtomicBoolean shut = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();

        Connection(int fd, Peer peer) {
            this.fd = fd;
            this.peer = peer;
        }

        @Override
        public Peer peer() {
            return peer;
        }

        @Override
        public int read(byte[] buffer) throws IOException {
            if (closed.get()) return -1;
            try (var arena = Arena.ofConfined()) {
                var segment = arena.allocate(buffer.length);
                while (true) {
                    long n = Syscall.callRaw(Syscall.TABLE.read(), fd, segment.address(), buffer.length, 0, 0, 0);
                    if (n == -Errno.EINTR) continue;
                    if (n < 0) {
                        if (shut.get()) return -1;
                        throw new IOException(new ErrnoException("read", (int) -n).getMessage());
                    }
                    if (n == 0) return -1;
                    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, 0, buffer, 0, (int) n);
                    return (int) n;
                }
            }
        }

        @Override
        public void write(byte[] bytes) throws IOException {
            if (shut.get()) throw new AsynchronousCloseException();
            try (var arena = Arena.ofConfined()) {
                var segment = arena.allocate(Math.max(1, bytes.length));
                MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
                long done = 0;
                while (done < bytes.length) {
                    // MSG_NOSIGNAL: a peer gone is an error here, not a SIGPIPE for halt.
                    long n = Syscall.callRaw(Syscall.TABLE.sendto(), fd, segment.address() + done, bytes.length - done,
                        socket_h.MSG_NOSIGNAL(), 0, 0);
                    if (n == -Errno.EINTR) continue;
                    if (n < 0) throw new IOException(new ErrnoException("send", (int) -n).getMessage());
                    done += n;
                }
            }
        }

        @Override
        public void shutdown() {
            if (shut.compareAndSet(false, true)) Syscall.callRaw(Syscall.TABLE.shutdown(), fd, socket_h.SHUT_RDWR(), 0, 0, 0, 0);
        }

        @Override
        public void close() {
            shutdown();
            if (closed.compareAndSet(false, true)) Syscall.close(fd);
        }
    }
}
