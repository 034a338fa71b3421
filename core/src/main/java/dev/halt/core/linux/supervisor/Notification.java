package dev.halt.core.linux.supervisor;

import java.util.Arrays;

/**
 * One system call a filtered thread is waiting in, as {@code SECCOMP_IOCTL_NOTIF_RECV} reported
 * it: the registers only. Memory its pointer arguments name is the child's, and another of its
 * threads can change it at any time: read it through {@link ChildView#read}, once, and decide on
 * that copy.
 */
public final class Notification {
    private final long id;
    private final int pid;
    private final int nr;
    private final int arch;
    private final long[] args;

    /**
     * @param id   the kernel's id of this notification, for the ioctls
     * @param pid  the calling thread's id (not its process's), in halt's pid namespace
     * @param nr   the system call number
     * @param arch the {@code AUDIT_ARCH_*} of the call
     * @param args the six argument registers
     */
    public Notification(long id, int pid, int nr, int arch, long... args) {
        if (args.length != 6) throw new IllegalArgumentException("a system call has six argument registers, not " + args.length);
        this.id = id;
        this.pid = pid;
        this.nr = nr;
        this.arch = arch;
        this.args = args.clone();
    }

    /** The kernel's id of this notification. */
    public long id() { return id; }

    /** The calling thread's id. */
    public int pid() { return pid; }

    /** The system call number. */
    public int nr() { return nr; }

    /** The {@code AUDIT_ARCH_*} of the call. */
    public int arch() { return arch; }

    /** Argument register {@code index} (0 to 5), all 64 bits. */
    public long arg(int index) { return args[index]; }

    /** Argument register {@code index} as the kernel reads an {@code int} argument: its low 32 bits. */
    public int intArg(int index) { return (int) args[index]; }

    @Override
    public String toString() {
        return "notification " + Long.toUnsignedString(id) + " of thread " + pid + ": call " + nr + Arrays.toString(args);
    }
}
