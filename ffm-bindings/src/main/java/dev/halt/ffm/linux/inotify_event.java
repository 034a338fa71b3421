// Generated in jextract's layout from <sys/inotify.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

import java.lang.foreign.*;

import static java.lang.foreign.ValueLayout.*;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@snippet lang=c :
 * struct inotify_event { int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[]; }
 * }
 * <p>The fixed part (16 bytes); {@code len} bytes of NUL-padded name follow it in the buffer.
 */
public final class inotify_event {

    private inotify_event() {}

    private static final GroupLayout $LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("wd"),
        JAVA_INT.withName("mask"),
        JAVA_INT.withName("cookie"),
        JAVA_INT.withName("len")
    ).withName("inotify_event");

    /** The layout of this struct. */
    public static GroupLayout layout() { return $LAYOUT; }

    private static final long wd$OFFSET = 0;
    /** Offset of field {@code wd}. */
    public static long wd$offset() { return wd$OFFSET; }
    private static final OfInt wd$LAYOUT = (OfInt) $LAYOUT.select(groupElement("wd"));
    /** Getter for field {@code wd}: the watch descriptor. */
    public static int wd(MemorySegment struct) { return struct.get(wd$LAYOUT, wd$OFFSET); }

    private static final long mask$OFFSET = 4;
    /** Offset of field {@code mask}. */
    public static long mask$offset() { return mask$OFFSET; }
    private static final OfInt mask$LAYOUT = (OfInt) $LAYOUT.select(groupElement("mask"));
    /** Getter for field {@code mask}: {@code IN_*} bits. */
    public static int mask(MemorySegment struct) { return struct.get(mask$LAYOUT, mask$OFFSET); }

    private static final long cookie$OFFSET = 8;
    /** Offset of field {@code cookie}. */
    public static long cookie$offset() { return cookie$OFFSET; }
    private static final OfInt cookie$LAYOUT = (OfInt) $LAYOUT.select(groupElement("cookie"));
    /** Getter for field {@code cookie}: pairs IN_MOVED_FROM with IN_MOVED_TO. */
    public static int cookie(MemorySegment struct) { return struct.get(cookie$LAYOUT, cookie$OFFSET); }

    private static final long len$OFFSET = 12;
    /** Offset of field {@code len}. */
    public static long len$offset() { return len$OFFSET; }
    private static final OfInt len$LAYOUT = (OfInt) $LAYOUT.select(groupElement("len"));
    /** Getter for field {@code len}: bytes of name after the fixed part. */
    public static int len(MemorySegment struct) { return struct.get(len$LAYOUT, len$OFFSET); }

    /** Size of the fixed part in bytes. */
    public static long sizeof() { return $LAYOUT.byteSize(); }
}
