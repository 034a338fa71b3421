// Generated in jextract's layout from <linux/sched.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Namespace flags for unshare(2) and setns(2).
 */
public final class sched_h {

    private sched_h() {}

    private static final int CLONE_FS = 0x00000200;
    /** {@snippet lang=c : #define CLONE_FS 0x00000200 } */
    public static int CLONE_FS() { return CLONE_FS; }
    private static final int CLONE_FILES = 0x00000400;
    /** {@snippet lang=c : #define CLONE_FILES 0x00000400 } */
    public static int CLONE_FILES() { return CLONE_FILES; }
    private static final int CLONE_NEWNS = 0x00020000;
    /** {@snippet lang=c : #define CLONE_NEWNS 0x00020000 } */
    public static int CLONE_NEWNS() { return CLONE_NEWNS; }
    private static final int CLONE_NEWCGROUP = 0x02000000;
    /** {@snippet lang=c : #define CLONE_NEWCGROUP 0x02000000 } */
    public static int CLONE_NEWCGROUP() { return CLONE_NEWCGROUP; }
    private static final int CLONE_NEWUTS = 0x04000000;
    /** {@snippet lang=c : #define CLONE_NEWUTS 0x04000000 } */
    public static int CLONE_NEWUTS() { return CLONE_NEWUTS; }
    private static final int CLONE_NEWIPC = 0x08000000;
    /** {@snippet lang=c : #define CLONE_NEWIPC 0x08000000 } */
    public static int CLONE_NEWIPC() { return CLONE_NEWIPC; }
    private static final int CLONE_NEWUSER = 0x10000000;
    /** {@snippet lang=c : #define CLONE_NEWUSER 0x10000000 } */
    public static int CLONE_NEWUSER() { return CLONE_NEWUSER; }
    private static final int CLONE_NEWPID = 0x20000000;
    /** {@snippet lang=c : #define CLONE_NEWPID 0x20000000 } */
    public static int CLONE_NEWPID() { return CLONE_NEWPID; }
    private static final int CLONE_NEWNET = 0x40000000;
    /** {@snippet lang=c : #define CLONE_NEWNET 0x40000000 } */
    public static int CLONE_NEWNET() { return CLONE_NEWNET; }

}
