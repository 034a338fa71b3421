// Generated in jextract's layout from <fcntl.h> (AT_*), <linux/openat2.h> (RESOLVE_*) and <linux/fs.h> (RENAME_*); regenerate with
// jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The {@code *at} flags and {@code openat2(2)}'s resolve flags that the supervisor's metadata calls
 * read from the child's registers and use on its own descriptors, and those of halt's repairs in the
 * write grants ({@code unlinkat}, {@code renameat2}). The calls themselves go through
 * {@code syscall(2)} ({@link Syscalls}).
 */
public final class fcntl_h {

    private fcntl_h() {}

    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@snippet lang=c : #define AT_SYMLINK_NOFOLLOW 0x100 } The call acts on a symbolic link itself, not on what it names. */
    public static int AT_SYMLINK_NOFOLLOW() { return AT_SYMLINK_NOFOLLOW; }
    private static final int AT_EMPTY_PATH = 0x1000;
    /** {@snippet lang=c : #define AT_EMPTY_PATH 0x1000 } An empty path names the directory descriptor's own file. */
    public static int AT_EMPTY_PATH() { return AT_EMPTY_PATH; }
    private static final long RESOLVE_NO_MAGICLINKS = 0x02L;
    /** {@snippet lang=c : #define RESOLVE_NO_MAGICLINKS 0x02 } openat2: no procfs "magic link" on the way (ELOOP). */
    public static long RESOLVE_NO_MAGICLINKS() { return RESOLVE_NO_MAGICLINKS; }
    private static final long RESOLVE_NO_SYMLINKS = 0x04L;
    /** {@snippet lang=c : #define RESOLVE_NO_SYMLINKS 0x04 } openat2: no symbolic link anywhere on the way (ELOOP). */
    public static long RESOLVE_NO_SYMLINKS() { return RESOLVE_NO_SYMLINKS; }
    private static final long RESOLVE_BENEATH = 0x08L;
    /** {@snippet lang=c : #define RESOLVE_BENEATH 0x08 } openat2: the path may not leave the directory it starts from (EXDEV). */
    public static long RESOLVE_BENEATH() { return RESOLVE_BENEATH; }
    private static final int AT_REMOVEDIR = 0x200;
    /** {@snippet lang=c : #define AT_REMOVEDIR 0x200 } unlinkat: remove a directory, as rmdir does. */
    public static int AT_REMOVEDIR() { return AT_REMOVEDIR; }
    private static final int RENAME_NOREPLACE = 1;
    /** {@snippet lang=c : #define RENAME_NOREPLACE (1 << 0) } renameat2: fail with EEXIST rather than replace the target. */
    public static int RENAME_NOREPLACE() { return RENAME_NOREPLACE; }

}
