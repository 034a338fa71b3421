package dev.halt.core.linux.sys;

import static dev.halt.ffm.linux.prctl_h.*;

/** The {@code prctl(2)} operations halt needs; each acts on the calling thread. */
public final class Prctl {
    private Prctl() {}

    /** Sets {@code no_new_privs}: from now on no exec can gain privileges (setuid, file caps). */
    public static void setNoNewPrivs() throws ErrnoException {
        prctl("prctl(PR_SET_NO_NEW_PRIVS)", PR_SET_NO_NEW_PRIVS(), 1);
    }

    /** Whether the calling thread has {@code no_new_privs}. */
    public static boolean noNewPrivs() throws ErrnoException {
        return prctl("prctl(PR_GET_NO_NEW_PRIVS)", PR_GET_NO_NEW_PRIVS(), 0) == 1;
    }

    /**
     * Makes this process not dumpable: no process without CAP_SYS_PTRACE may ptrace any of its threads
     * or read their {@code /proc/TID/mem}, {@code environ} and the like, whatever the thread's Landlock
     * domain. Unlike the other calls here it acts on the whole process (the memory all threads share).
     */
    public static void setNotDumpable() throws ErrnoException {
        prctl("prctl(PR_SET_DUMPABLE)", PR_SET_DUMPABLE(), 0);
    }

    /** Makes this process the subreaper of its descendants: orphans are re-parented to it. */
    public static void setChildSubreaper() throws ErrnoException {
        prctl("prctl(PR_SET_CHILD_SUBREAPER)", PR_SET_CHILD_SUBREAPER(), 1);
    }

    /** Whether this process is a child subreaper. */
    public static boolean isChildSubreaper() throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var flag = arena.allocate(java.lang.foreign.ValueLayout.JAVA_INT);
            prctl("prctl(PR_GET_CHILD_SUBREAPER)", PR_GET_CHILD_SUBREAPER(), flag.address());
            return flag.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) != 0;
        }
    }

    /** The calling thread's seccomp mode: 0 disabled, 1 strict, 2 filter. */
    public static int seccompMode() throws ErrnoException {
        return (int) prctl("prctl(PR_GET_SECCOMP)", PR_GET_SECCOMP(), 0);
    }

    private static long prctl(String name, int option, long arg2) throws ErrnoException {
        return Syscall.call(name, Syscall.TABLE.prctl(), option, arg2, 0, 0, 0, 0);
    }
}
