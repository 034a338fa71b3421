// Hand-written in jextract's layout from <linux/stat.h>, checked by HeaderProbeTest: jextract's class for a
// struct with an array field (__spare0[1], __spare3[12]) builds a VarHandle for it in its static initialiser,
// which spins some 25 method-handle classes at halt's start (~10 ms); this class reads by offset. jextract.sh
// leaves it alone. Only the fields the supervisor reads are named; the rest (timestamps, newer fields) are padding.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;

/**
 * {@snippet lang=c :
 * struct statx {
 *     __u32 stx_mask; __u32 stx_blksize; __u64 stx_attributes; __u32 stx_nlink; __u32 stx_uid; __u32 stx_gid;
 *     __u16 stx_mode; __u16 __spare0[1]; __u64 stx_ino; __u64 stx_size; __u64 stx_blocks; __u64 stx_attributes_mask;
 *     struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
 *     __u32 stx_rdev_major; __u32 stx_rdev_minor; __u32 stx_dev_major; __u32 stx_dev_minor; __u64 stx_mnt_id; ...
 * }
 * }
 * <p>256 bytes, the same on every architecture (unlike {@code struct stat}): what {@code statx(2)} fills. The
 * supervisor identifies a file by its device ({@code stx_dev_major}, {@code stx_dev_minor}) and inode, and the
 * mount it was reached through by {@code stx_mnt_id} (Linux 5.8).
 */
public final class statx {

    private statx() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("stx_mask"),
        JAVA_INT.withName("stx_blksize"),
        JAVA_LONG.withName("stx_attributes"),
        JAVA_INT.withName("stx_nlink"),
        JAVA_INT.withName("stx_uid"),
        JAVA_INT.withName("stx_gid"),
        JAVA_SHORT.withName("stx_mode"),
        MemoryLayout.paddingLayout(2),
        JAVA_LONG.withName("stx_ino"),
        JAVA_LONG.withName("stx_size"),
        JAVA_LONG.withName("stx_blocks"),
        JAVA_LONG.withName("stx_attributes_mask"),
        MemoryLayout.paddingLayout(64),
        JAVA_INT.withName("stx_rdev_major"),
        JAVA_INT.withName("stx_rdev_minor"),
        JAVA_INT.withName("stx_dev_major"),
        JAVA_INT.withName("stx_dev_minor"),
        JAVA_LONG.withName("stx_mnt_id"),
        MemoryLayout.paddingLayout(104)
    ).withName("statx");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long stx_mask$OFFSET = 0;
    /** Offset of field {@code stx_mask}. */
    public static long stx_mask$offset() { return stx_mask$OFFSET; }
    /** Getter for field {@code stx_mask}: which fields the kernel filled. */
    public static int stx_mask(MemorySegment struct) { return struct.get(JAVA_INT, stx_mask$OFFSET); }

    private static final long stx_nlink$OFFSET = 16;
    /** Offset of field {@code stx_nlink}. */
    public static long stx_nlink$offset() { return stx_nlink$OFFSET; }
    /** Getter for field {@code stx_nlink}. */
    public static int stx_nlink(MemorySegment struct) { return struct.get(JAVA_INT, stx_nlink$OFFSET); }

    private static final long stx_mode$OFFSET = 28;
    /** Offset of field {@code stx_mode}. */
    public static long stx_mode$offset() { return stx_mode$OFFSET; }
    /** Getter for field {@code stx_mode}. */
    public static short stx_mode(MemorySegment struct) { return struct.get(JAVA_SHORT, stx_mode$OFFSET); }

    private static final long stx_ino$OFFSET = 32;
    /** Offset of field {@code stx_ino}. */
    public static long stx_ino$offset() { return stx_ino$OFFSET; }
    /** Getter for field {@code stx_ino}. */
    public static long stx_ino(MemorySegment struct) { return struct.get(JAVA_LONG, stx_ino$OFFSET); }

    private static final long stx_dev_major$OFFSET = 136;
    /** Offset of field {@code stx_dev_major}. */
    public static long stx_dev_major$offset() { return stx_dev_major$OFFSET; }
    /** Getter for field {@code stx_dev_major}. */
    public static int stx_dev_major(MemorySegment struct) { return struct.get(JAVA_INT, stx_dev_major$OFFSET); }

    private static final long stx_dev_minor$OFFSET = 140;
    /** Offset of field {@code stx_dev_minor}. */
    public static long stx_dev_minor$offset() { return stx_dev_minor$OFFSET; }
    /** Getter for field {@code stx_dev_minor}. */
    public static int stx_dev_minor(MemorySegment struct) { return struct.get(JAVA_INT, stx_dev_minor$OFFSET); }

    private static final long stx_mnt_id$OFFSET = 144;
    /** Offset of field {@code stx_mnt_id}. */
    public static long stx_mnt_id$offset() { return stx_mnt_id$OFFSET; }
    /** Getter for field {@code stx_mnt_id}. */
    public static long stx_mnt_id(MemorySegment struct) { return struct.get(JAVA_LONG, stx_mnt_id$OFFSET); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
