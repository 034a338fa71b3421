// Generated in jextract's layout from <poll.h>, <sys/eventfd.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * The events of {@code ppoll(2)} and the flags of {@code eventfd2(2)} (the supervisor's wake-up); the calls go through
 * {@code syscall(2)}, the struct is {@link pollfd}.
 */
public final class poll_h {

    private poll_h() {}

    private static final int POLLIN = 0x1;
    /** {@snippet lang=c : #define POLLIN 0x001 } */
    public static int POLLIN() { return POLLIN; }
    private static final int POLLERR = 0x8;
    /** {@snippet lang=c : #define POLLERR 0x008 } */
    public static int POLLERR() { return POLLERR; }
    private static final int POLLHUP = 0x10;
    /** {@snippet lang=c : #define POLLHUP 0x010 } A seccomp listener reports it when no filtered task is left. */
    public static int POLLHUP() { return POLLHUP; }
    private static final int POLLNVAL = 0x20;
    /** {@snippet lang=c : #define POLLNVAL 0x020 } */
    public static int POLLNVAL() { return POLLNVAL; }
    private static final int EFD_CLOEXEC = 0x80000;
    /** {@snippet lang=c : EFD_CLOEXEC = 02000000 } */
    public static int EFD_CLOEXEC() { return EFD_CLOEXEC; }
    private static final int EFD_NONBLOCK = 0x800;
    /** {@snippet lang=c : EFD_NONBLOCK = 00004000 } */
    public static int EFD_NONBLOCK() { return EFD_NONBLOCK; }

}
