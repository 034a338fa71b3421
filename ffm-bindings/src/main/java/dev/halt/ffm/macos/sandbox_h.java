// Hand-written in jextract's layout: <sandbox.h> (macOS). Compiled everywhere; the symbols are
// looked up only when a method is first called, which halt does only on macOS.
package dev.halt.ffm.macos;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/** {@code sandbox_init} and {@code sandbox_free_error} from libsystem_sandbox (part of libSystem). */
public final class sandbox_h {
    private sandbox_h() {}

    /** {@snippet lang=c : #define SANDBOX_NAMED 0x0001 } */
    public static long SANDBOX_NAMED() { return 1L; }

    private static final class sandbox_init$ {
        // flags = 0: the profile argument is SBPL source text.
        static final MethodHandle HANDLE = downcall("sandbox_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
    }

    /** {@snippet lang=c : int sandbox_init(const char *profile, uint64_t flags, char **errorbuf) } */
    public static int sandbox_init(MemorySegment profile, long flags, MemorySegment errorbuf) {
        try {
            return (int) sandbox_init$.HANDLE.invokeExact(profile, flags, errorbuf);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class sandbox_free_error$ {
        static final MethodHandle HANDLE = downcall("sandbox_free_error", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** {@snippet lang=c : void sandbox_free_error(char *errorbuf) } */
    public static void sandbox_free_error(MemorySegment errorbuf) {
        try {
            sandbox_free_error$.HANDLE.invokeExact(errorbuf);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        var linker = Linker.nativeLinker();
        var symbol = linker.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError(name + " not found: sandbox_init exists only on macOS"));
        return linker.downcallHandle(symbol, descriptor);
    }
}
