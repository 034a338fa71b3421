package dev.halt.core.linux.audit;

import dev.halt.core.linux.net.NetlinkMessage;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.WakeableFd;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.audit_status;
import dev.halt.ffm.linux.nlmsgerr;
import dev.halt.ffm.linux.nlmsghdr;
import dev.halt.ffm.linux.sockaddr_nl;
import dev.halt.ffm.linux.timeval;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.audit_h.*;
import static dev.halt.ffm.linux.rtnetlink_h.NLMSG_ERROR;
import static dev.halt.ffm.linux.socket_h.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The kernel's audit subsystem over {@code NETLINK_AUDIT}, through raw system calls: its status
 * ({@code AUDIT_GET}, which also says how many records wait in the kernel's queue), switching it
 * on and off ({@code AUDIT_SET}), and the multicast group every record is copied to, where halt
 * reads Landlock's denials (ABI 7).
 *
 * <p>Needs privileges: {@code AUDIT_GET} and {@code AUDIT_SET} need CAP_AUDIT_CONTROL, the
 * multicast group CAP_AUDIT_READ (EPERM without). The kernel sends a status reply from a thread of
 * its own, possibly after the acknowledgement, so a status request asks for no acknowledgement and
 * reads until the reply or an error.
 */
public final class Audit {
    private Audit() {}

    private static final int BUFFER_BYTES = 16 * 1024;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(2);
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_ACK = 4;

    /**
     * What {@code AUDIT_GET} reports.
     *
     * @param enabled   0 off, 1 on, 2 on and locked until reboot
     * @param daemonPid the audit daemon's pid, 0 when none runs (records then reach the kernel log)
     * @param lost      records the kernel dropped since boot
     * @param backlog   records queued and not yet sent out
     */
    public record Status(int enabled, int daemonPid, long lost, int backlog) {
        /** Whether the kernel emits records. */
        public boolean on() {
            return enabled != 0;
        }
    }

    /** A socket for status requests, closed after use. */
    public static final class Control implements AutoCloseable {
        private final int fd;
        private int sequence = (int) (System.nanoTime() & 0x3fff_ffff);

        private Control(int fd) {
            this.fd = fd;
        }

        /** Opens one; EPROTONOSUPPORT on a kernel without audit. */
        public static Control open() throws ErrnoException {
            int fd = openSocket(0);
            return new Control(fd);
        }

        /** {@code AUDIT_GET}: EPERM without CAP_AUDIT_CONTROL. */
        public Status status() throws ErrnoException {
            try (var arena = Arena.ofConfined()) {
                int seq = send(arena, AUDIT_GET(), NLM_F_REQUEST, MemorySegment.NULL);
                var buffer = arena.allocate(BUFFER_BYTES, 8);
                long deadline = System.nanoTime() + 2 * RECEIVE_TIMEOUT.toNanos();
                while (System.nanoTime() - deadline < 0) {
                    long n = receive(buffer, "AUDIT_GET");
                    for (var message : messages(buffer, n, "AUDIT_GET")) {
                        if (message.sequence() != seq) continue;
                        if (message.type() == NLMSG_ERROR()) {
                            int error = nlmsgerr.error(message.payload());
                            if (error < 0) throw new ErrnoException("AUDIT_GET", -error);
                            continue;
                        }
                        if (message.type() == AUDIT_GET()) return Audit.status(message.payload());
                    }
                }
                throw new ErrnoException("AUDIT_GET", Errno.ETIMEDOUT, "no status from the kernel");
            }
        }

        /** {@code AUDIT_SET} of {@code enabled} (0 or 1): EPERM without CAP_AUDIT_CONTROL, when audit is locked too. */
        public void setEnabled(int enabled) throws ErrnoException {
            try (var arena = Arena.ofConfined()) {
                var request = audit_status.allocate(arena);
                audit_status.mask(request, AUDIT_STATUS_ENABLED());
                audit_status.enabled(request, enabled);
                var what = "AUDIT_SET enabled=" + enabled;
                int seq = send(arena, AUDIT_SET(), NLM_F_REQUEST | NLM_F_ACK, request);
                var buffer = arena.allocate(BUFFER_BYTES, 8);
                long deadline = System.nanoTime() + 2 * RECEIVE_TIMEOUT.toNanos();
                while (System.nanoTime() - deadline < 0) {
                    long n = receive(buffer, what);
                    for (var message : messages(buffer, n, what)) {
                        if (message.sequence() != seq || message.type() != NLMSG_ERROR()) continue;
                        int error = nlmsgerr.error(message.payload());
                        if (error < 0) throw new ErrnoException(what, -error);
                        return;
                    }
                }
                throw new ErrnoException(what, Errno.ETIMEDOUT, "no acknowledgement from the kernel");
            }
        }

        private int send(Arena arena, int type, int flags, MemorySegment payload) throws ErrnoException {
            int seq = ++sequence;
            long length = nlmsghdr.sizeof() + (payload.equals(MemorySegment.NULL) ? 0 : payload.byteSize());
            var message = arena.allocate(length, 8);
            nlmsghdr.nlmsg_len(message, (int) length);
            nlmsghdr.nlmsg_type(message, (short) type);
            nlmsghdr.nlmsg_flags(message, (short) flags);
            nlmsghdr.nlmsg_seq(message, seq);
            if (!payload.equals(MemorySegment.NULL)) message.asSlice(nlmsghdr.sizeof()).copyFrom(payload);
            Syscall.call("send to NETLINK_AUDIT", Syscall.TABLE.sendto(), fd, message.address(), length, 0, 0, 0);
            return seq;
        }

        private long receive(MemorySegment buffer, String what) throws ErrnoException {
            while (true) {
                try {
                    return Syscall.call(what + " (receive)", Syscall.TABLE.recvfrom(), fd, buffer.address(),
                        buffer.byteSize(), 0, 0, 0);
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINTR) throw e;
                }
            }
        }

        @Override
        public void close() {
            Syscall.close(fd);
        }
    }

    /** {@link Control#status()} on a socket of its own. */
    public static Status status() throws ErrnoException {
        try (var control = Control.open()) {
            return control.status();
        }
    }

    private static Status status(MemorySegment payload) {
        // An older kernel sends a shorter struct: read what it holds.
        var full = MemorySegment.ofArray(new int[(int) audit_status.sizeof() / 4]);
        full.copyFrom(payload.asSlice(0, Math.min(payload.byteSize(), audit_status.sizeof())));
        return new Status(audit_status.enabled(full), audit_status.pid(full), Integer.toUnsignedLong(audit_status.lost(full)),
            audit_status.backlog(full));
    }

    /** One record as the kernel sent it: its type and its text ({@code audit(SECONDS.MS:SERIAL): key=value ...}). */
    public record Message(int type, String text) {}

    /**
     * A socket in the multicast group that carries every audit record, and an eventfd that wakes
     * its reader ({@link WakeableFd}): one platform thread owns it and blocks in {@link #await};
     * {@link #wake()} from another thread makes it return at once.
     */
    public static final class Subscription implements AutoCloseable {
        private final WakeableFd socket;

        private Subscription(WakeableFd socket) {
            this.socket = socket;
        }

        /** Joins the group; EPERM without CAP_AUDIT_READ. Records emitted from now on are delivered. */
        public static Subscription open() throws ErrnoException {
            return new Subscription(WakeableFd.of(openSocket(AUDIT_NLGRP_READLOG()), BUFFER_BYTES));
        }

        /**
         * Blocks until records arrive, {@link #wake()} was called or {@code timeout} (null: none)
         * passed, then returns every record waiting (none once woken: {@link #drain()} reads what is
         * left). ENOBUFS (the socket's buffer overflowed, records were dropped) comes as a record of
         * type 0.
         */
        public List<Message> await(Duration timeout) throws ErrnoException {
            return socket.await(timeout) == WakeableFd.Ready.READABLE ? drain() : List.of();
        }

        /** Every record waiting now, without blocking. */
        public List<Message> drain() throws ErrnoException {
            var buffer = socket.buffer();
            var out = new ArrayList<Message>();
            while (true) {
                long n;
                try {
                    n = Syscall.call("receive audit records", Syscall.TABLE.recvfrom(), socket.fd(), buffer.address(),
                        buffer.byteSize(), MSG_DONTWAIT, 0, 0);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN) return out;
                    if (e.errno() == Errno.EINTR) continue;
                    if (e.errno() == Errno.ENOBUFS) {
                        out.add(new Message(0, "ENOBUFS"));
                        continue;
                    }
                    throw e;
                }
                List<NetlinkMessage> messages;
                try {
                    messages = NetlinkMessage.parse(buffer.asSlice(0, Math.min(n, buffer.byteSize())));
                } catch (NetlinkMessage.MalformedException e) {
                    continue; // one datagram halt cannot read: the others still count
                }
                for (var message : messages) {
                    var payload = message.payload().toArray(JAVA_BYTE);
                    int end = payload.length;
                    while (end > 0 && payload[end - 1] == 0) end--;
                    out.add(new Message(message.type(), new String(payload, 0, end, StandardCharsets.UTF_8)));
                }
            }
        }

        /** Makes the owner's {@link #await} return; harmless once closed. */
        public void wake() {
            socket.wake();
        }

        /** By the owner once it stopped, or by the opener when no owner ever waited. */
        @Override
        public void close() {
            socket.close();
        }
    }

    /** {@code MSG_DONTWAIT}: this receive alone does not block. */
    private static final int MSG_DONTWAIT = 0x40;

    private static int openSocket(int groups) throws ErrnoException {
        int fd = (int) Syscall.call("socket(AF_NETLINK, NETLINK_AUDIT)", Syscall.TABLE.socket(),
            AF_NETLINK(), SOCK_RAW() | SOCK_CLOEXEC(), NETLINK_AUDIT(), 0, 0, 0);
        try (var arena = Arena.ofConfined()) {
            var timeout = timeval.allocate(arena);
            timeval.tv_sec(timeout, RECEIVE_TIMEOUT.toSeconds());
            timeval.tv_usec(timeout, 0);
            Syscall.call("setsockopt(SO_RCVTIMEO)", Syscall.TABLE.setsockopt(), fd, SOL_SOCKET(), SO_RCVTIMEO(),
                timeout.address(), timeval.sizeof(), 0);
            var address = sockaddr_nl.allocate(arena);
            sockaddr_nl.nl_family(address, (short) AF_NETLINK());
            sockaddr_nl.nl_groups(address, groups == 0 ? 0 : 1 << (groups - 1));
            Syscall.call(groups == 0 ? "bind(NETLINK_AUDIT)" : "bind(NETLINK_AUDIT, AUDIT_NLGRP_READLOG)",
                Syscall.TABLE.bind(), fd, address.address(), sockaddr_nl.sizeof(), 0, 0, 0);
            return fd;
        } catch (ErrnoException e) {
            Syscall.close(fd);
            throw e;
        }
    }

    private static List<NetlinkMessage> messages(MemorySegment buffer, long n, String what) throws ErrnoException {
        try {
            return NetlinkMessage.parse(buffer.asSlice(0, Math.min(n, buffer.byteSize())));
        } catch (NetlinkMessage.MalformedException e) {
            throw new ErrnoException(what, Errno.EPROTO, "malformed message: " + e.getMessage());
        }
    }
}
