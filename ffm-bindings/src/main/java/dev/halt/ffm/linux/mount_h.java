// Generated in jextract's layout from <linux/mount.h>, <sys/mount.h> (MNT_DETACH) and <fcntl.h>
// (AT_RECURSIVE); regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * Flags of mount(2), umount2(2) and mount_setattr(2) (Linux 5.12) that halt's per-run mount
 * namespace uses.
 */
public final class mount_h {

    private mount_h() {}

    private static final long MS_RDONLY = 1L;
    /** {@snippet lang=c : #define MS_RDONLY 1 } */
    public static long MS_RDONLY() { return MS_RDONLY; }
    private static final long MS_NOSUID = 2L;
    /** {@snippet lang=c : #define MS_NOSUID 2 } */
    public static long MS_NOSUID() { return MS_NOSUID; }
    private static final long MS_NODEV = 4L;
    /** {@snippet lang=c : #define MS_NODEV 4 } */
    public static long MS_NODEV() { return MS_NODEV; }
    private static final long MS_NOEXEC = 8L;
    /** {@snippet lang=c : #define MS_NOEXEC 8 } */
    public static long MS_NOEXEC() { return MS_NOEXEC; }
    private static final long MS_BIND = 4096L;
    /** {@snippet lang=c : #define MS_BIND 4096 } */
    public static long MS_BIND() { return MS_BIND; }
    private static final long MS_REC = 16384L;
    /** {@snippet lang=c : #define MS_REC 16384 } */
    public static long MS_REC() { return MS_REC; }
    private static final long MS_PRIVATE = 1L << 18;
    /** {@snippet lang=c : #define MS_PRIVATE (1 << 18) } */
    public static long MS_PRIVATE() { return MS_PRIVATE; }

    private static final int MNT_DETACH = 2;
    /** {@snippet lang=c : #define MNT_DETACH 2 } (umount2 flag, from {@code <sys/mount.h>}) */
    public static int MNT_DETACH() { return MNT_DETACH; }

    private static final long MOUNT_ATTR_RDONLY = 0x1L;
    /** {@snippet lang=c : #define MOUNT_ATTR_RDONLY 0x00000001 } */
    public static long MOUNT_ATTR_RDONLY() { return MOUNT_ATTR_RDONLY; }
    private static final long MOUNT_ATTR_NOSUID = 0x2L;
    /** {@snippet lang=c : #define MOUNT_ATTR_NOSUID 0x00000002 } */
    public static long MOUNT_ATTR_NOSUID() { return MOUNT_ATTR_NOSUID; }
    private static final long MOUNT_ATTR_NODEV = 0x4L;
    /** {@snippet lang=c : #define MOUNT_ATTR_NODEV 0x00000004 } */
    public static long MOUNT_ATTR_NODEV() { return MOUNT_ATTR_NODEV; }
    private static final long MOUNT_ATTR_NOEXEC = 0x8L;
    /** {@snippet lang=c : #define MOUNT_ATTR_NOEXEC 0x00000008 } */
    public static long MOUNT_ATTR_NOEXEC() { return MOUNT_ATTR_NOEXEC; }
    private static final int MOUNT_ATTR_SIZE_VER0 = 32;
    /** {@snippet lang=c : #define MOUNT_ATTR_SIZE_VER0 32 } */
    public static int MOUNT_ATTR_SIZE_VER0() { return MOUNT_ATTR_SIZE_VER0; }

    private static final int AT_RECURSIVE = 0x8000;
    /** {@snippet lang=c : #define AT_RECURSIVE 0x8000 } (from {@code <fcntl.h>}: apply to the whole subtree) */
    public static int AT_RECURSIVE() { return AT_RECURSIVE; }
}
