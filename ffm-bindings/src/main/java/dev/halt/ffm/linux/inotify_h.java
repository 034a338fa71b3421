// Generated in jextract's layout from <sys/inotify.h>; regenerate with
// jextract.sh at the repository root. The calls themselves go through syscall(2) (Syscalls).
package dev.halt.ffm.linux;

/**
 * The constants of inotify (file change events): what halt's watcher of protected paths uses.
 * Its wake-up (eventfd) and wait ({@code ppoll}) constants are in {@link poll_h}.
 */
public final class inotify_h {

    private inotify_h() {}

    private static final int IN_MODIFY = 0x2;
    /** {@snippet lang=c : #define IN_MODIFY 0x00000002 } */
    public static int IN_MODIFY() { return IN_MODIFY; }
    private static final int IN_ATTRIB = 0x4;
    /** {@snippet lang=c : #define IN_ATTRIB 0x00000004 } */
    public static int IN_ATTRIB() { return IN_ATTRIB; }
    private static final int IN_CLOSE_WRITE = 0x8;
    /** {@snippet lang=c : #define IN_CLOSE_WRITE 0x00000008 } */
    public static int IN_CLOSE_WRITE() { return IN_CLOSE_WRITE; }
    private static final int IN_MOVED_FROM = 0x40;
    /** {@snippet lang=c : #define IN_MOVED_FROM 0x00000040 } */
    public static int IN_MOVED_FROM() { return IN_MOVED_FROM; }
    private static final int IN_MOVED_TO = 0x80;
    /** {@snippet lang=c : #define IN_MOVED_TO 0x00000080 } */
    public static int IN_MOVED_TO() { return IN_MOVED_TO; }
    private static final int IN_CREATE = 0x100;
    /** {@snippet lang=c : #define IN_CREATE 0x00000100 } */
    public static int IN_CREATE() { return IN_CREATE; }
    private static final int IN_DELETE = 0x200;
    /** {@snippet lang=c : #define IN_DELETE 0x00000200 } */
    public static int IN_DELETE() { return IN_DELETE; }
    private static final int IN_DELETE_SELF = 0x400;
    /** {@snippet lang=c : #define IN_DELETE_SELF 0x00000400 } */
    public static int IN_DELETE_SELF() { return IN_DELETE_SELF; }
    private static final int IN_MOVE_SELF = 0x800;
    /** {@snippet lang=c : #define IN_MOVE_SELF 0x00000800 } */
    public static int IN_MOVE_SELF() { return IN_MOVE_SELF; }
    private static final int IN_Q_OVERFLOW = 0x4000;
    /** {@snippet lang=c : #define IN_Q_OVERFLOW 0x00004000 } Events were lost. */
    public static int IN_Q_OVERFLOW() { return IN_Q_OVERFLOW; }
    private static final int IN_IGNORED = 0x8000;
    /** {@snippet lang=c : #define IN_IGNORED 0x00008000 } The watch was removed (its directory is gone). */
    public static int IN_IGNORED() { return IN_IGNORED; }
    private static final int IN_ONLYDIR = 0x1000000;
    /** {@snippet lang=c : #define IN_ONLYDIR 0x01000000 } */
    public static int IN_ONLYDIR() { return IN_ONLYDIR; }
    private static final int IN_DONT_FOLLOW = 0x2000000;
    /** {@snippet lang=c : #define IN_DONT_FOLLOW 0x02000000 } */
    public static int IN_DONT_FOLLOW() { return IN_DONT_FOLLOW; }
    private static final int IN_CLOEXEC = 0x80000;
    /** {@snippet lang=c : IN_CLOEXEC = 02000000 } */
    public static int IN_CLOEXEC() { return IN_CLOEXEC; }
    private static final int IN_NONBLOCK = 0x800;
    /** {@snippet lang=c : IN_NONBLOCK = 00004000 } */
    public static int IN_NONBLOCK() { return IN_NONBLOCK; }
}
