// Hand-written in jextract's layout: <string.h>.
package dev.halt.ffm.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/** {@code strerror} from {@code <string.h>}, to turn an errno into the system's own words. */
public final class string_h {
    private string_h() {}

    private static final class strerror$ {
        static final MethodHandle HANDLE = LibC.downcallNoErrno("strerror",
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /**
     * {@snippet lang=c : char *strerror(int errnum) }
     * The result is a zero-length segment: read it with {@code reinterpret(Long.MAX_VALUE).getString(0)}.
     */
    public static MemorySegment strerror(int errnum) {
        try {
            return (MemorySegment) strerror$.HANDLE.invokeExact(errnum);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
