// Generated in jextract's layout from <linux/seccomp.h>, <linux/audit.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * seccomp(2) operations, filter flags and return actions, the user-notification ioctls and response flag, and the audit architecture tokens a filter compares {@code seccomp_data.arch} with.
 */
public final class seccomp_h {

    private seccomp_h() {}

    private static final int SECCOMP_SET_MODE_STRICT = 0;
    /** {@snippet lang=c : #define SECCOMP_SET_MODE_STRICT 0 } */
    public static int SECCOMP_SET_MODE_STRICT() { return SECCOMP_SET_MODE_STRICT; }
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    /** {@snippet lang=c : #define SECCOMP_SET_MODE_FILTER 1 } */
    public static int SECCOMP_SET_MODE_FILTER() { return SECCOMP_SET_MODE_FILTER; }
    private static final int SECCOMP_GET_ACTION_AVAIL = 2;
    /** {@snippet lang=c : #define SECCOMP_GET_ACTION_AVAIL 2 } */
    public static int SECCOMP_GET_ACTION_AVAIL() { return SECCOMP_GET_ACTION_AVAIL; }
    private static final int SECCOMP_GET_NOTIF_SIZES = 3;
    /** {@snippet lang=c : #define SECCOMP_GET_NOTIF_SIZES 3 } */
    public static int SECCOMP_GET_NOTIF_SIZES() { return SECCOMP_GET_NOTIF_SIZES; }
    private static final int SECCOMP_MODE_DISABLED = 0;
    /** {@snippet lang=c : #define SECCOMP_MODE_DISABLED 0 } */
    public static int SECCOMP_MODE_DISABLED() { return SECCOMP_MODE_DISABLED; }
    private static final int SECCOMP_MODE_STRICT = 1;
    /** {@snippet lang=c : #define SECCOMP_MODE_STRICT 1 } */
    public static int SECCOMP_MODE_STRICT() { return SECCOMP_MODE_STRICT; }
    private static final int SECCOMP_MODE_FILTER = 2;
    /** {@snippet lang=c : #define SECCOMP_MODE_FILTER 2 } */
    public static int SECCOMP_MODE_FILTER() { return SECCOMP_MODE_FILTER; }
    private static final int SECCOMP_FILTER_FLAG_TSYNC = 1;
    /** {@snippet lang=c : #define SECCOMP_FILTER_FLAG_TSYNC 1 } */
    public static int SECCOMP_FILTER_FLAG_TSYNC() { return SECCOMP_FILTER_FLAG_TSYNC; }
    private static final int SECCOMP_FILTER_FLAG_LOG = 2;
    /** {@snippet lang=c : #define SECCOMP_FILTER_FLAG_LOG 2 } */
    public static int SECCOMP_FILTER_FLAG_LOG() { return SECCOMP_FILTER_FLAG_LOG; }
    private static final int SECCOMP_FILTER_FLAG_SPEC_ALLOW = 4;
    /** {@snippet lang=c : #define SECCOMP_FILTER_FLAG_SPEC_ALLOW 4 } */
    public static int SECCOMP_FILTER_FLAG_SPEC_ALLOW() { return SECCOMP_FILTER_FLAG_SPEC_ALLOW; }
    private static final int SECCOMP_FILTER_FLAG_NEW_LISTENER = 8;
    /** {@snippet lang=c : #define SECCOMP_FILTER_FLAG_NEW_LISTENER 8 } */
    public static int SECCOMP_FILTER_FLAG_NEW_LISTENER() { return SECCOMP_FILTER_FLAG_NEW_LISTENER; }
    private static final int SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 32;
    /**
     * {@snippet lang=c : #define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5) } Linux 5.19: once the supervisor
     * has received a notification, only a fatal signal interrupts the waiting call (no restart after a
     * connect halt already made).
     */
    public static int SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV() { return SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV; }
    private static final int SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
    /** {@snippet lang=c : #define SECCOMP_USER_NOTIF_FLAG_CONTINUE (1UL << 0) } The kernel runs the call as asked. */
    public static int SECCOMP_USER_NOTIF_FLAG_CONTINUE() { return SECCOMP_USER_NOTIF_FLAG_CONTINUE; }
    private static final int SECCOMP_IOCTL_NOTIF_RECV = 0xc0502100;
    /** {@snippet lang=c : #define SECCOMP_IOCTL_NOTIF_RECV SECCOMP_IOWR(0, struct seccomp_notif) } */
    public static int SECCOMP_IOCTL_NOTIF_RECV() { return SECCOMP_IOCTL_NOTIF_RECV; }
    private static final int SECCOMP_IOCTL_NOTIF_SEND = 0xc0182101;
    /** {@snippet lang=c : #define SECCOMP_IOCTL_NOTIF_SEND SECCOMP_IOWR(1, struct seccomp_notif_resp) } */
    public static int SECCOMP_IOCTL_NOTIF_SEND() { return SECCOMP_IOCTL_NOTIF_SEND; }
    private static final int SECCOMP_IOCTL_NOTIF_ID_VALID = 0x40082102;
    /** {@snippet lang=c : #define SECCOMP_IOCTL_NOTIF_ID_VALID SECCOMP_IOW(2, __u64) } */
    public static int SECCOMP_IOCTL_NOTIF_ID_VALID() { return SECCOMP_IOCTL_NOTIF_ID_VALID; }
    private static final int SECCOMP_RET_KILL_PROCESS = 0x80000000;
    /** {@snippet lang=c : #define SECCOMP_RET_KILL_PROCESS 0x80000000 } */
    public static int SECCOMP_RET_KILL_PROCESS() { return SECCOMP_RET_KILL_PROCESS; }
    private static final int SECCOMP_RET_KILL_THREAD = 0;
    /** {@snippet lang=c : #define SECCOMP_RET_KILL_THREAD 0 } */
    public static int SECCOMP_RET_KILL_THREAD() { return SECCOMP_RET_KILL_THREAD; }
    private static final int SECCOMP_RET_TRAP = 0x00030000;
    /** {@snippet lang=c : #define SECCOMP_RET_TRAP 0x00030000 } */
    public static int SECCOMP_RET_TRAP() { return SECCOMP_RET_TRAP; }
    private static final int SECCOMP_RET_ERRNO = 0x00050000;
    /** {@snippet lang=c : #define SECCOMP_RET_ERRNO 0x00050000 } */
    public static int SECCOMP_RET_ERRNO() { return SECCOMP_RET_ERRNO; }
    private static final int SECCOMP_RET_USER_NOTIF = 0x7fc00000;
    /** {@snippet lang=c : #define SECCOMP_RET_USER_NOTIF 0x7fc00000 } */
    public static int SECCOMP_RET_USER_NOTIF() { return SECCOMP_RET_USER_NOTIF; }
    private static final int SECCOMP_RET_TRACE = 0x7ff00000;
    /** {@snippet lang=c : #define SECCOMP_RET_TRACE 0x7ff00000 } */
    public static int SECCOMP_RET_TRACE() { return SECCOMP_RET_TRACE; }
    private static final int SECCOMP_RET_LOG = 0x7ffc0000;
    /** {@snippet lang=c : #define SECCOMP_RET_LOG 0x7ffc0000 } */
    public static int SECCOMP_RET_LOG() { return SECCOMP_RET_LOG; }
    private static final int SECCOMP_RET_ALLOW = 0x7fff0000;
    /** {@snippet lang=c : #define SECCOMP_RET_ALLOW 0x7fff0000 } */
    public static int SECCOMP_RET_ALLOW() { return SECCOMP_RET_ALLOW; }
    private static final int SECCOMP_RET_ACTION_FULL = 0xffff0000;
    /** {@snippet lang=c : #define SECCOMP_RET_ACTION_FULL 0xffff0000 } */
    public static int SECCOMP_RET_ACTION_FULL() { return SECCOMP_RET_ACTION_FULL; }
    private static final int SECCOMP_RET_DATA = 0x0000ffff;
    /** {@snippet lang=c : #define SECCOMP_RET_DATA 0x0000ffff } */
    public static int SECCOMP_RET_DATA() { return SECCOMP_RET_DATA; }
    // <linux/audit.h>
    private static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    /** {@snippet lang=c : #define AUDIT_ARCH_X86_64 0xc000003e } */
    public static int AUDIT_ARCH_X86_64() { return AUDIT_ARCH_X86_64; }
    private static final int AUDIT_ARCH_I386 = 0x40000003;
    /** {@snippet lang=c : #define AUDIT_ARCH_I386 0x40000003 } */
    public static int AUDIT_ARCH_I386() { return AUDIT_ARCH_I386; }
    private static final int AUDIT_ARCH_AARCH64 = 0xc00000b7;
    /** {@snippet lang=c : #define AUDIT_ARCH_AARCH64 0xc00000b7 } */
    public static int AUDIT_ARCH_AARCH64() { return AUDIT_ARCH_AARCH64; }
    private static final int AUDIT_ARCH_ARM = 0x40000028;
    /** {@snippet lang=c : #define AUDIT_ARCH_ARM 0x40000028 } */
    public static int AUDIT_ARCH_ARM() { return AUDIT_ARCH_ARM; }
    private static final int __AUDIT_ARCH_64BIT = 0x80000000;
    /** {@snippet lang=c : #define __AUDIT_ARCH_64BIT 0x80000000 } */
    public static int __AUDIT_ARCH_64BIT() { return __AUDIT_ARCH_64BIT; }
    private static final int __AUDIT_ARCH_LE = 0x40000000;
    /** {@snippet lang=c : #define __AUDIT_ARCH_LE 0x40000000 } Set in the token of a little-endian architecture. */
    public static int __AUDIT_ARCH_LE() { return __AUDIT_ARCH_LE; }
    // <asm/unistd_64.h> on x86_64: x32 system calls have this bit set in their number
    private static final int __X32_SYSCALL_BIT = 0x40000000;
    /** {@snippet lang=c : #define __X32_SYSCALL_BIT 0x40000000 } */
    public static int __X32_SYSCALL_BIT() { return __X32_SYSCALL_BIT; }

}
