// Generated in jextract's layout from <linux/prctl.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * prctl(2) options halt uses.
 */
public final class prctl_h {

    private prctl_h() {}

    private static final int PR_SET_PDEATHSIG = 1;
    /** {@snippet lang=c : #define PR_SET_PDEATHSIG 1 } */
    public static int PR_SET_PDEATHSIG() { return PR_SET_PDEATHSIG; }
    private static final int PR_GET_DUMPABLE = 3;
    /** {@snippet lang=c : #define PR_GET_DUMPABLE 3 } */
    public static int PR_GET_DUMPABLE() { return PR_GET_DUMPABLE; }
    private static final int PR_SET_DUMPABLE = 4;
    /** {@snippet lang=c : #define PR_SET_DUMPABLE 4 } */
    public static int PR_SET_DUMPABLE() { return PR_SET_DUMPABLE; }
    private static final int PR_GET_SECCOMP = 21;
    /** {@snippet lang=c : #define PR_GET_SECCOMP 21 } */
    public static int PR_GET_SECCOMP() { return PR_GET_SECCOMP; }
    private static final int PR_SET_SECCOMP = 22;
    /** {@snippet lang=c : #define PR_SET_SECCOMP 22 } */
    public static int PR_SET_SECCOMP() { return PR_SET_SECCOMP; }
    private static final int PR_CAPBSET_READ = 23;
    /** {@snippet lang=c : #define PR_CAPBSET_READ 23 } */
    public static int PR_CAPBSET_READ() { return PR_CAPBSET_READ; }
    private static final int PR_CAPBSET_DROP = 24;
    /** {@snippet lang=c : #define PR_CAPBSET_DROP 24 } */
    public static int PR_CAPBSET_DROP() { return PR_CAPBSET_DROP; }
    private static final int PR_GET_SECUREBITS = 27;
    /** {@snippet lang=c : #define PR_GET_SECUREBITS 27 } */
    public static int PR_GET_SECUREBITS() { return PR_GET_SECUREBITS; }
    private static final int PR_SET_SECUREBITS = 28;
    /** {@snippet lang=c : #define PR_SET_SECUREBITS 28 } */
    public static int PR_SET_SECUREBITS() { return PR_SET_SECUREBITS; }
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    /** {@snippet lang=c : #define PR_SET_CHILD_SUBREAPER 36 } */
    public static int PR_SET_CHILD_SUBREAPER() { return PR_SET_CHILD_SUBREAPER; }
    private static final int PR_GET_CHILD_SUBREAPER = 37;
    /** {@snippet lang=c : #define PR_GET_CHILD_SUBREAPER 37 } */
    public static int PR_GET_CHILD_SUBREAPER() { return PR_GET_CHILD_SUBREAPER; }
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    /** {@snippet lang=c : #define PR_SET_NO_NEW_PRIVS 38 } */
    public static int PR_SET_NO_NEW_PRIVS() { return PR_SET_NO_NEW_PRIVS; }
    private static final int PR_GET_NO_NEW_PRIVS = 39;
    /** {@snippet lang=c : #define PR_GET_NO_NEW_PRIVS 39 } */
    public static int PR_GET_NO_NEW_PRIVS() { return PR_GET_NO_NEW_PRIVS; }
    private static final int PR_CAP_AMBIENT = 47;
    /** {@snippet lang=c : #define PR_CAP_AMBIENT 47 } */
    public static int PR_CAP_AMBIENT() { return PR_CAP_AMBIENT; }
    private static final int PR_CAP_AMBIENT_IS_SET = 1;
    /** {@snippet lang=c : #define PR_CAP_AMBIENT_IS_SET 1 } */
    public static int PR_CAP_AMBIENT_IS_SET() { return PR_CAP_AMBIENT_IS_SET; }
    private static final int PR_CAP_AMBIENT_RAISE = 2;
    /** {@snippet lang=c : #define PR_CAP_AMBIENT_RAISE 2 } */
    public static int PR_CAP_AMBIENT_RAISE() { return PR_CAP_AMBIENT_RAISE; }
    private static final int PR_CAP_AMBIENT_LOWER = 3;
    /** {@snippet lang=c : #define PR_CAP_AMBIENT_LOWER 3 } */
    public static int PR_CAP_AMBIENT_LOWER() { return PR_CAP_AMBIENT_LOWER; }
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    /** {@snippet lang=c : #define PR_CAP_AMBIENT_CLEAR_ALL 4 } */
    public static int PR_CAP_AMBIENT_CLEAR_ALL() { return PR_CAP_AMBIENT_CLEAR_ALL; }

}
