// Generated in jextract's layout from <linux/netlink.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct nlmsgerr { ... }
 * }
 * <p>Size 20 bytes on LP64 (x86_64 and aarch64).
 */
public final class nlmsgerr {

    private nlmsgerr() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("error"),
        nlmsghdr.layout().withName("msg")
    ).withName("nlmsgerr");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long error$OFFSET = 0;
    /** Offset of field {@code error}. */
    public static long error$offset() { return error$OFFSET; }
    private static final OfInt error$LAYOUT = (OfInt) $LAYOUT.select(groupElement("error"));
    /** Layout of field {@code error}. */
    public static OfInt error$layout() { return error$LAYOUT; }
    /** Getter for field {@code error} (s32). */
    public static int error(MemorySegment struct) { return struct.get(error$LAYOUT, error$OFFSET); }
    /** Setter for field {@code error} (s32). */
    public static void error(MemorySegment struct, int fieldValue) { struct.set(error$LAYOUT, error$OFFSET, fieldValue); }

    private static final long msg$OFFSET = 4;
    /** Offset of field {@code msg}. */
    public static long msg$offset() { return msg$OFFSET; }
    /** Slice of nested struct field {@code msg} (nlmsghdr). */
    public static MemorySegment msg(MemorySegment struct) { return struct.asSlice(msg$OFFSET, nlmsghdr.layout().byteSize()); }

    /** Allocates one struct, zeroed when the allocator zeroes (an {@link Arena} does). */
    public static MemorySegment allocate(SegmentAllocator allocator) { return allocator.allocate($LAYOUT); }

    /** Size of the struct in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
