package dev.halt.core.linux.supervisor;

import dev.halt.ffm.linux.statx;

import java.lang.foreign.MemorySegment;

import static dev.halt.ffm.linux.stat_h.*;

/**
 * A file as the kernel tells files apart: its device and inode number, with the mount it was reached
 * through, its type and its count of links, read with {@code statx(2)} (the same struct on every
 * architecture).
 *
 * @param device the device, major in the upper 32 bits and minor in the lower
 * @param number the inode number
 * @param mount  the mount id ({@code STATX_MNT_ID}, Linux 5.8), 0 where the kernel does not give it
 * @param type   the file type bits of the mode ({@code S_IFMT})
 * @param links  the count of hard links: 0 for a file no path reaches any more (unlinked, a memfd)
 */
record Inode(long device, long number, long mount, int type, int links) {

    /** The fields {@link #of} reads. */
    static final int MASK = STATX_TYPE() | STATX_NLINK() | STATX_INO() | STATX_MNT_ID();

    /** The inode {@code buffer}, a {@code struct statx} filled by the kernel, describes. */
    static Inode of(MemorySegment buffer) {
        long device = (long) statx.stx_dev_major(buffer) << 32 | Integer.toUnsignedLong(statx.stx_dev_minor(buffer));
        long mount = (statx.stx_mask(buffer) & STATX_MNT_ID()) != 0 ? statx.stx_mnt_id(buffer) : 0;
        return new Inode(device, statx.stx_ino(buffer), mount, statx.stx_mode(buffer) & S_IFMT(), statx.stx_nlink(buffer));
    }

    /** The same file: device and inode number (the mount aside: a bind mount shows the same file twice). */
    boolean sameFile(Inode other) {
        return device == other.device && number == other.number;
    }

    /** Whether it is a directory. */
    boolean isDirectory() {
        return type == S_IFDIR();
    }

    /** Whether it is a symbolic link. */
    boolean isSymlink() {
        return type == S_IFLNK();
    }

    /** Its device and inode number, as a key. */
    Key key() {
        return new Key(device, number);
    }

    /** A file by device and inode number. */
    record Key(long device, long number) {}
}
