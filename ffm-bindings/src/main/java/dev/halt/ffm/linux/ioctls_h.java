// Generated in jextract's layout from <asm-generic/ioctls.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Terminal ioctl requests: the two seccomp refuses (terminal input injection), and the few halt and its tests use.
 */
public final class ioctls_h {

    private ioctls_h() {}

    private static final int TIOCSTI = 0x5412;
    /** {@snippet lang=c : #define TIOCSTI 0x5412 } */
    public static int TIOCSTI() { return TIOCSTI; }
    private static final int TIOCLINUX = 0x541C;
    /** {@snippet lang=c : #define TIOCLINUX 0x541C } */
    public static int TIOCLINUX() { return TIOCLINUX; }
    private static final int TIOCGPGRP = 0x540F;
    /** {@snippet lang=c : #define TIOCGPGRP 0x540F } The terminal's foreground process group (tcgetpgrp). */
    public static int TIOCGPGRP() { return TIOCGPGRP; }
    private static final int FIONREAD = 0x541B;
    /** {@snippet lang=c : #define FIONREAD 0x541B } Bytes waiting to be read. */
    public static int FIONREAD() { return FIONREAD; }
    private static final int TIOCSPTLCK = 0x40045431;
    /** {@snippet lang=c : #define TIOCSPTLCK _IOW('T', 0x31, int) } Lock or unlock a pseudo-terminal. */
    public static int TIOCSPTLCK() { return TIOCSPTLCK; }
    private static final int TIOCGPTPEER = 0x5441;
    /** {@snippet lang=c : #define TIOCGPTPEER _IO('T', 0x41) } Open the peer (slave) of a pseudo-terminal master. */
    public static int TIOCGPTPEER() { return TIOCGPTPEER; }

}
