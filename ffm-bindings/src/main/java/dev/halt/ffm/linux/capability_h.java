// Generated in jextract's layout from <linux/capability.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Capability numbers and the capget/capset header version.
 */
public final class capability_h {

    private capability_h() {}

    private static final int _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    /** {@snippet lang=c : #define _LINUX_CAPABILITY_VERSION_3 0x20080522 } */
    public static int _LINUX_CAPABILITY_VERSION_3() { return _LINUX_CAPABILITY_VERSION_3; }
    private static final int _LINUX_CAPABILITY_U32S_3 = 2;
    /** {@snippet lang=c : #define _LINUX_CAPABILITY_U32S_3 2 } */
    public static int _LINUX_CAPABILITY_U32S_3() { return _LINUX_CAPABILITY_U32S_3; }
    private static final int CAP_CHOWN = 0;
    /** {@snippet lang=c : #define CAP_CHOWN 0 } */
    public static int CAP_CHOWN() { return CAP_CHOWN; }
    private static final int CAP_DAC_OVERRIDE = 1;
    /** {@snippet lang=c : #define CAP_DAC_OVERRIDE 1 } */
    public static int CAP_DAC_OVERRIDE() { return CAP_DAC_OVERRIDE; }
    private static final int CAP_DAC_READ_SEARCH = 2;
    /** {@snippet lang=c : #define CAP_DAC_READ_SEARCH 2 } */
    public static int CAP_DAC_READ_SEARCH() { return CAP_DAC_READ_SEARCH; }
    private static final int CAP_FOWNER = 3;
    /** {@snippet lang=c : #define CAP_FOWNER 3 } */
    public static int CAP_FOWNER() { return CAP_FOWNER; }
    private static final int CAP_KILL = 5;
    /** {@snippet lang=c : #define CAP_KILL 5 } */
    public static int CAP_KILL() { return CAP_KILL; }
    private static final int CAP_SETGID = 6;
    /** {@snippet lang=c : #define CAP_SETGID 6 } */
    public static int CAP_SETGID() { return CAP_SETGID; }
    private static final int CAP_SETUID = 7;
    /** {@snippet lang=c : #define CAP_SETUID 7 } */
    public static int CAP_SETUID() { return CAP_SETUID; }
    private static final int CAP_SETPCAP = 8;
    /** {@snippet lang=c : #define CAP_SETPCAP 8 } */
    public static int CAP_SETPCAP() { return CAP_SETPCAP; }
    private static final int CAP_NET_BIND_SERVICE = 10;
    /** {@snippet lang=c : #define CAP_NET_BIND_SERVICE 10 } */
    public static int CAP_NET_BIND_SERVICE() { return CAP_NET_BIND_SERVICE; }
    private static final int CAP_NET_ADMIN = 12;
    /** {@snippet lang=c : #define CAP_NET_ADMIN 12 } */
    public static int CAP_NET_ADMIN() { return CAP_NET_ADMIN; }
    private static final int CAP_NET_RAW = 13;
    /** {@snippet lang=c : #define CAP_NET_RAW 13 } */
    public static int CAP_NET_RAW() { return CAP_NET_RAW; }
    private static final int CAP_SYS_CHROOT = 18;
    /** {@snippet lang=c : #define CAP_SYS_CHROOT 18 } */
    public static int CAP_SYS_CHROOT() { return CAP_SYS_CHROOT; }
    private static final int CAP_SYS_PTRACE = 19;
    /** {@snippet lang=c : #define CAP_SYS_PTRACE 19 } */
    public static int CAP_SYS_PTRACE() { return CAP_SYS_PTRACE; }
    private static final int CAP_SYS_ADMIN = 21;
    /** {@snippet lang=c : #define CAP_SYS_ADMIN 21 } */
    public static int CAP_SYS_ADMIN() { return CAP_SYS_ADMIN; }
    private static final int CAP_MKNOD = 27;
    /** {@snippet lang=c : #define CAP_MKNOD 27 } */
    public static int CAP_MKNOD() { return CAP_MKNOD; }
    private static final int CAP_CHECKPOINT_RESTORE = 40;
    /** {@snippet lang=c : #define CAP_CHECKPOINT_RESTORE 40 } The highest capability known when this was written (Linux 5.9); read /proc/sys/kernel/cap_last_cap for the running kernel's. */
    public static int CAP_CHECKPOINT_RESTORE() { return CAP_CHECKPOINT_RESTORE; }

}
