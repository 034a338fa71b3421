// Generated in jextract's layout from <sys/stat.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The mode bits the seccomp filter refuses in every {@code mode} argument (a file the child makes
 * setuid or setgid runs as its owner, or its group, for whoever runs it after the sandbox); the file
 * types and the {@code statx(2)} mask bits the supervisor reads.
 */
public final class stat_h {

    private stat_h() {}

    private static final int S_ISUID = 04000;
    /** {@snippet lang=c : #define S_ISUID 04000 } Set user id on execution. */
    public static int S_ISUID() { return S_ISUID; }
    private static final int S_ISGID = 02000;
    /** {@snippet lang=c : #define S_ISGID 02000 } Set group id on execution; on a directory, new entries take its group. */
    public static int S_ISGID() { return S_ISGID; }
    private static final int S_IFMT = 0170000;
    /** {@snippet lang=c : #define S_IFMT 0170000 } The file type bits of a mode. */
    public static int S_IFMT() { return S_IFMT; }
    private static final int S_IFDIR = 0040000;
    /** {@snippet lang=c : #define S_IFDIR 0040000 } */
    public static int S_IFDIR() { return S_IFDIR; }
    private static final int S_IFLNK = 0120000;
    /** {@snippet lang=c : #define S_IFLNK 0120000 } */
    public static int S_IFLNK() { return S_IFLNK; }
    private static final int S_IFCHR = 0020000;
    /** {@snippet lang=c : #define S_IFCHR 0020000 } A character device (a terminal, {@code /dev/null}). */
    public static int S_IFCHR() { return S_IFCHR; }
    private static final int S_IFBLK = 0060000;
    /** {@snippet lang=c : #define S_IFBLK 0060000 } A block device. */
    public static int S_IFBLK() { return S_IFBLK; }
    private static final int STATX_TYPE = 0x1;
    /** {@snippet lang=c : #define STATX_TYPE 0x00000001U } */
    public static int STATX_TYPE() { return STATX_TYPE; }
    private static final int STATX_NLINK = 0x4;
    /** {@snippet lang=c : #define STATX_NLINK 0x00000004U } */
    public static int STATX_NLINK() { return STATX_NLINK; }
    private static final int STATX_INO = 0x100;
    /** {@snippet lang=c : #define STATX_INO 0x00000100U } */
    public static int STATX_INO() { return STATX_INO; }
    private static final int STATX_MNT_ID = 0x1000;
    /** {@snippet lang=c : #define STATX_MNT_ID 0x00001000U } Linux 5.8. */
    public static int STATX_MNT_ID() { return STATX_MNT_ID; }

}
