// Generated in jextract's layout from <sys/pidfd.h> (<linux/pidfd.h>); regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * The flags of {@code pidfd_open(2)}. The call itself goes through {@code syscall(2)} ({@link Syscalls#pidfdOpen()}).
 */
public final class pidfd_h {

    private pidfd_h() {}

    private static final int PIDFD_NONBLOCK = 0x800;
    /** {@snippet lang=c : #define PIDFD_NONBLOCK O_NONBLOCK } */
    public static int PIDFD_NONBLOCK() { return PIDFD_NONBLOCK; }
    private static final int PIDFD_THREAD = 0x80;
    /** {@snippet lang=c : #define PIDFD_THREAD O_EXCL } By hand (Linux 6.9, newer than some headers): a pidfd of one thread, not of its thread group. */
    public static int PIDFD_THREAD() { return PIDFD_THREAD; }

}
