// Generated in jextract's layout from <sys/stat.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The mode bits the seccomp filter refuses in every {@code mode} argument: a file the child makes
 * setuid or setgid runs as its owner, or its group, for whoever runs it after the sandbox.
 */
public final class stat_h {

    private stat_h() {}

    private static final int S_ISUID = 04000;
    /** {@snippet lang=c : #define S_ISUID 04000 } Set user id on execution. */
    public static int S_ISUID() { return S_ISUID; }
    private static final int S_ISGID = 02000;
    /** {@snippet lang=c : #define S_ISGID 02000 } Set group id on execution; on a directory, new entries take its group. */
    public static int S_ISGID() { return S_ISGID; }

}
