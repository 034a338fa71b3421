package dev.halt.core.linux.seccomp;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.seccomp_data;
import dev.halt.ffm.linux.sock_filter;
import dev.halt.ffm.linux.sock_fprog;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.filter_h.BPF_MAXINSNS;
import static dev.halt.ffm.linux.seccomp_h.*;

/**
 * seccomp filters, built in Java as classic BPF and installed on the calling thread only (no
 * TSYNC: the sandbox is one thread and what it starts).
 */
public final class Seccomp {
    private Seccomp() {}

    /**
     * Installs {@code policy}'s program, compiled for this architecture, on the calling thread.
     * Needs {@code no_new_privs} or CAP_SYS_ADMIN; call it on the jailer (a platform thread).
     */
    public static void install(SeccompPolicy policy) throws ErrnoException {
        install(policy.compile());
    }

    /** Installs {@code program} on the calling thread. Needs {@code no_new_privs} or CAP_SYS_ADMIN. */
    public static void install(List<BpfInstruction> program) throws ErrnoException {
        install(program, 0);
    }

    /**
     * Installs {@code program} on the calling thread with a user-notification listener
     * ({@code SECCOMP_FILTER_FLAG_NEW_LISTENER}, Linux 5.0, with {@code WAIT_KILLABLE_RECV}, 5.19):
     * the calls it answers {@code SECCOMP_RET_USER_NOTIF} wait for whoever holds the returned
     * descriptor (O_CLOEXEC). EBUSY when a filter of this thread already has a listener; EINVAL on
     * a kernel without the flags.
     */
    public static int installWithListener(List<BpfInstruction> program) throws ErrnoException {
        return (int) install(program, SECCOMP_FILTER_FLAG_NEW_LISTENER() | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV());
    }

    private static long install(List<BpfInstruction> program, long flags) throws ErrnoException {
        if (program.isEmpty() || program.size() > BPF_MAXINSNS()) {
            throw new IllegalArgumentException("a seccomp program has 1.." + BPF_MAXINSNS() + " instructions, got " + program.size());
        }
        try (var arena = Arena.ofConfined()) {
            var filters = arena.allocate(sock_filter.layout(), program.size());
            for (int i = 0; i < program.size(); i++) {
                var insn = program.get(i);
                var slot = filters.asSlice(i * sock_filter.sizeof(), sock_filter.sizeof());
                sock_filter.code(slot, insn.code());
                sock_filter.jt(slot, insn.jt());
                sock_filter.jf(slot, insn.jf());
                sock_filter.k(slot, insn.k());
            }
            var fprog = sock_fprog.allocate(arena);
            sock_fprog.len(fprog, (short) program.size());
            sock_fprog.filter(fprog, filters);
            return Syscall.call("seccomp(SECCOMP_SET_MODE_FILTER)", Syscall.TABLE.seccomp(),
                SECCOMP_SET_MODE_FILTER(), flags, fprog.address(), 0, 0, 0);
        }
    }
}
