// Hand-written: jextract cannot read macOS headers on Linux, and it gives every function a
// descriptor of its own; halt shares one where the calling convention allows it (see below).
package dev.halt.ffm.macos;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Finds libSystem symbols and makes their downcall handles, lazily: nothing here is looked up
 * until a binding is first called, which halt does only on macOS, so every class of this package
 * loads on Linux.
 *
 * <p><b>One shape for the common calls.</b> The JDK builds and caches a downcall stub per
 * {@link FunctionDescriptor} and option set, and each distinct one costs ~3-5 ms of a fresh JVM
 * even with an AOT cache (measured for halt's second stage, which runs once per {@code halt run}).
 * Every binding here that returns {@code int} (or a result that fits its low 32 bits, as a short
 * {@code write}'s) and takes at most six integer-class arguments (integers up to 64 bits,
 * pointers) is therefore called through {@link #REGISTER_CALL}: six
 * 64-bit integer arguments, the unused ones zero. On both macOS calling conventions (x86-64
 * System V and Apple arm64) such arguments travel in general-purpose registers, a callee reads
 * only those its prototype names, and reads an {@code int} from the low 32 bits; a {@code short}
 * is passed sign-extended to 32 bits, as Apple arm64 requires of the caller. The C probe of
 * {@code MacHeaderProbeTest} (run on the macOS runner) checks each prototype this relies on.
 * Variadic functions never share it: Apple arm64 passes variadic arguments on the stack, so they
 * get their own descriptor with {@link Linker.Option#firstVariadicArg}.
 */
final class LibSystem {
    private LibSystem() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** {@code int f(a0, a1, a2, a3, a4, a5)} with 64-bit integer arguments. */
    static final FunctionDescriptor REGISTER_CALL = FunctionDescriptor.of(JAVA_INT,
        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** A {@link #REGISTER_CALL} handle for {@code name}; its first parameter is the errno segment ({@link errno_h#allocate}). */
    static MethodHandle registerCall(String name) {
        return LINKER.downcallHandle(symbol(name), REGISTER_CALL, CAPTURE_ERRNO);
    }

    /** A handle with its own descriptor, errno captured into its first parameter. */
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        var all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(symbol(name), descriptor, all);
    }

    /** A handle with its own descriptor, for a function that sets no errno. */
    static MethodHandle downcallNoErrno(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol(name), descriptor, options);
    }

    /** Calls a {@link #REGISTER_CALL} handle. */
    static int call(MethodHandle handle, MemorySegment errno, long a0, long a1, long a2, long a3, long a4, long a5) {
        try {
            return (int) handle.invokeExact(errno, a0, a1, a2, a3, a4, a5);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    /** Whether {@code name} is exported by the libraries the JDK's default lookup sees. */
    static boolean exists(String name) {
        return LINKER.defaultLookup().find(name).isPresent();
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError(name + " not found: it is a macOS (libSystem) function,"
                + " and halt calls it only on macOS"));
    }
}
