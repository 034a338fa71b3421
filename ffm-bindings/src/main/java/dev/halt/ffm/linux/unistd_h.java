// Hand-written in jextract's layout: <unistd.h>, <fcntl.h>. jextract cannot emit a variadic
// function with errno capture, so syscall(2) is fixed at the kernel's six argument registers.
package dev.halt.ffm.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/** {@code syscall}, {@code open}, {@code close} and the id getters, with errno captured per call. */
public final class unistd_h {
    private unistd_h() {}

    private static final class syscall$ {
        // Always all six: an argument left out would be whatever a register held, and the
        // kernel answers EINVAL to garbage in a reserved argument (landlock_add_rule, prctl).
        static final MethodHandle HANDLE = LibC.downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    }

    /**
     * {@snippet lang=c : long syscall(long number, ...) }
     * Pass unused arguments as zero; pointers as {@link MemorySegment#address()}.
     */
    public static long syscall(MemorySegment errno, long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) syscall$.HANDLE.invokeExact(errno, number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class open$ {
        static final MethodHandle HANDLE = LibC.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    /** {@snippet lang=c : int open(const char *pathname, int flags, ...) } */
    public static int open(MemorySegment errno, MemorySegment pathname, int flags, int mode) {
        try {
            return (int) open$.HANDLE.invokeExact(errno, pathname, flags, mode);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class close$ {
        static final MethodHandle HANDLE = LibC.downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** {@snippet lang=c : int close(int fd) } */
    public static int close(MemorySegment errno, int fd) {
        try {
            return (int) close$.HANDLE.invokeExact(errno, fd);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class ids$ {
        static final MethodHandle GETUID = LibC.downcallNoErrno("getuid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle GETEUID = LibC.downcallNoErrno("geteuid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle GETGID = LibC.downcallNoErrno("getgid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle GETEGID = LibC.downcallNoErrno("getegid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle GETPID = LibC.downcallNoErrno("getpid", FunctionDescriptor.of(JAVA_INT));
    }

    /** {@snippet lang=c : uid_t getuid(void) } */
    public static int getuid() { return invokeId(ids$.GETUID); }
    /** {@snippet lang=c : uid_t geteuid(void) } */
    public static int geteuid() { return invokeId(ids$.GETEUID); }
    /** {@snippet lang=c : gid_t getgid(void) } */
    public static int getgid() { return invokeId(ids$.GETGID); }
    /** {@snippet lang=c : gid_t getegid(void) } */
    public static int getegid() { return invokeId(ids$.GETEGID); }
    /** {@snippet lang=c : pid_t getpid(void) } */
    public static int getpid() { return invokeId(ids$.GETPID); }

    private static int invokeId(MethodHandle handle) {
        try {
            return (int) handle.invokeExact();
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }
}
