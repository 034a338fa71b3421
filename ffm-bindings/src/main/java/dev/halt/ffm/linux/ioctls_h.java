// Generated in jextract's layout from <asm-generic/ioctls.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Terminal ioctl requests that seccomp refuses (terminal input injection).
 */
public final class ioctls_h {

    private ioctls_h() {}

    private static final int TIOCSTI = 0x5412;
    /** {@snippet lang=c : #define TIOCSTI 0x5412 } */
    public static int TIOCSTI() { return TIOCSTI; }
    private static final int TIOCLINUX = 0x541C;
    /** {@snippet lang=c : #define TIOCLINUX 0x541C } */
    public static int TIOCLINUX() { return TIOCLINUX; }

}
