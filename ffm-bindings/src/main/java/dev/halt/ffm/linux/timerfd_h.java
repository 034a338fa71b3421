// Hand-written in jextract's layout from <sys/timerfd.h> and <time.h>, checked by HeaderProbeTest (jextract.sh
// leaves it alone). The calls go through syscall(2): SyscallNumbers#timerfdCreate and #timerfdSettime.
package dev.halt.ffm.linux;

/**
 * The flags of {@code timerfd_create(2)} and the clock halt's timers count on; the expiry goes in an
 * {@link itimerspec}.
 */
public final class timerfd_h {

    private timerfd_h() {}

    private static final int CLOCK_MONOTONIC = 1;
    /** {@snippet lang=c : #define CLOCK_MONOTONIC 1 } The clock of {@code System.nanoTime()}. */
    public static int CLOCK_MONOTONIC() { return CLOCK_MONOTONIC; }
    private static final int TFD_CLOEXEC = 0x80000;
    /** {@snippet lang=c : TFD_CLOEXEC = 02000000 } */
    public static int TFD_CLOEXEC() { return TFD_CLOEXEC; }
    private static final int TFD_NONBLOCK = 0x800;
    /** {@snippet lang=c : TFD_NONBLOCK = 00004000 } A read of a timer that has not expired fails with EAGAIN. */
    public static int TFD_NONBLOCK() { return TFD_NONBLOCK; }
}
