package dev.halt.core.linux;

import static dev.halt.ffm.linux.sched_h.CLONE_NEWNET;

/** Linux namespaces. {@code unshare} acts on the calling thread alone. */
public final class Namespaces {
    private Namespaces() {}

    /**
     * Moves the calling thread into a new, empty network namespace (only a down {@code lo}).
     * Needs CAP_SYS_ADMIN; the namespace lives as long as a thread, process or socket uses it.
     */
    public static void unshareNetwork() throws ErrnoException {
        Syscall.call("unshare(CLONE_NEWNET)", Syscall.TABLE.unshare(), CLONE_NEWNET(), 0, 0, 0, 0, 0);
    }
}
