// Hand-written in jextract's layout from <linux/fs.h> of Linux 6.17, newer than the installed headers (Linux 6.1);
// checked by HeaderProbeTest against the headers where they have it, else its NEWER_THAN_HEADERS. jextract.sh
// leaves it alone.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct file_attr { __u64 fa_xflags; __u32 fa_extsize; __u32 fa_nextents; __u32 fa_projid; __u32 fa_cowextsize; }
 * }
 * <p>The argument of {@code file_setattr(2)} (Linux 6.17): the inode flags and project id that
 * {@code FS_IOC_FSSETXATTR} sets. Its size is the first published one ({@code FILE_ATTR_SIZE_VER0}); a
 * caller may pass a larger struct whose extra bytes are zero. The supervisor copies it whole and
 * passes it on unread.
 */
public final class file_attr {

    private file_attr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("fa_xflags"),
        JAVA_INT.withName("fa_extsize"),
        JAVA_INT.withName("fa_nextents"),
        JAVA_INT.withName("fa_projid"),
        JAVA_INT.withName("fa_cowextsize")
    ).withName("file_attr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
