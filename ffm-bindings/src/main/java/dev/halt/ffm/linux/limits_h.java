// Generated in jextract's layout from <linux/limits.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The kernel's bounds on what the supervisor copies from a child: a path, an extended attribute's
 * name and its value.
 */
public final class limits_h {

    private limits_h() {}

    private static final int PATH_MAX = 4096;
    /** {@snippet lang=c : #define PATH_MAX 4096 } A path with its terminating NUL. */
    public static int PATH_MAX() { return PATH_MAX; }
    private static final int XATTR_NAME_MAX = 255;
    /** {@snippet lang=c : #define XATTR_NAME_MAX 255 } An extended attribute's name, without its NUL. */
    public static int XATTR_NAME_MAX() { return XATTR_NAME_MAX; }
    private static final int XATTR_SIZE_MAX = 65536;
    /** {@snippet lang=c : #define XATTR_SIZE_MAX 65536 } An extended attribute's value. */
    public static int XATTR_SIZE_MAX() { return XATTR_SIZE_MAX; }

}
