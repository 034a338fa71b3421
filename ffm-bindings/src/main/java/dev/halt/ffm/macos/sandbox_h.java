// Hand-written in jextract's layout: <sandbox.h> (macOS; deprecated but present and working) and
// the private declarations Chromium, WebKit and Nix make by hand for sandbox_init_with_parameters
// and sandbox_check. jextract cannot read macOS headers on Linux. Compiled everywhere; a symbol is
// looked up only when its function is first called, which halt does only on macOS.
package dev.halt.ffm.macos;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * Seatbelt's entry points in libsystem_sandbox (re-exported by libSystem): apply an SBPL profile
 * to the calling process, free its error text, ask whether a process is sandboxed. A profile
 * applies to the whole process and everything it starts, and cannot be lifted.
 */
public final class sandbox_h {
    private sandbox_h() {}

    /** {@snippet lang=c : #define SANDBOX_NAMED 0x0001 } The profile argument names a built-in profile. */
    public static long SANDBOX_NAMED() { return 1L; }

    /**
     * {@code SANDBOX_FILTER_NONE} of the private {@code enum sandbox_filter_type} (Chromium's
     * {@code sandbox/mac/seatbelt.cc}): {@link #sandbox_check} asks whether the process is
     * sandboxed at all, and takes no variadic argument.
     */
    public static int SANDBOX_FILTER_NONE() { return 0; }

    private static final class sandbox_init$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("sandbox_init");
    }

    /**
     * {@snippet lang=c : int sandbox_init(const char *profile, uint64_t flags, char **errorbuf) }
     * With {@code flags} 0 the profile is SBPL source text. 0 on success; -1 with a malloc'd
     * message in {@code *errorbuf} (free it with {@link #sandbox_free_error}).
     */
    public static int sandbox_init(MemorySegment errno, MemorySegment profile, long flags, MemorySegment errorbuf) {
        return LibSystem.call(sandbox_init$.HANDLE, errno, profile.address(), flags, errorbuf.address(), 0, 0, 0);
    }

    private static final class sandbox_init_with_parameters$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("sandbox_init_with_parameters");
    }

    /**
     * {@snippet lang=c :
     * int sandbox_init_with_parameters(const char *profile, uint64_t flags,
     *                                  const char *const parameters[], char **errorbuf)
     * }
     * Private but exported. {@code parameters} is {@code {"KEY", "value", ..., NULL}}, read in
     * the profile as {@code (param "KEY")}; values are not parsed as SBPL. No parameters is a
     * pointer to a single NULL. Returns as {@link #sandbox_init}.
     */
    public static int sandbox_init_with_parameters(MemorySegment errno, MemorySegment profile, long flags,
                                                   MemorySegment parameters, MemorySegment errorbuf) {
        return LibSystem.call(sandbox_init_with_parameters$.HANDLE, errno, profile.address(), flags,
            parameters.address(), errorbuf.address(), 0, 0);
    }

    /** Links {@link #sandbox_init_with_parameters} now, so that calling it later loads and links nothing. */
    public static MethodHandle sandbox_init_with_parameters$handle() {
        return sandbox_init_with_parameters$.HANDLE;
    }

    private static final class sandbox_free_error$ {
        // void, so not REGISTER_CALL's int; called only after a failure, where a shape's cost does not matter.
        static final MethodHandle HANDLE = LibSystem.downcallNoErrno("sandbox_free_error", FunctionDescriptor.ofVoid(ADDRESS));
    }

    /** {@snippet lang=c : void sandbox_free_error(char *errorbuf) } Accepts NULL. */
    public static void sandbox_free_error(MemorySegment errorbuf) {
        // Outside the try: a symbol missing off macOS is a LinkageError, not "should not reach here".
        var handle = sandbox_free_error$.HANDLE;
        try {
            handle.invokeExact(errorbuf);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    private static final class sandbox_check$ {
        // Variadic after the filter type: Apple arm64 passes variadic arguments on the stack, so
        // the descriptor says where they start even though halt passes none.
        static final MethodHandle HANDLE = LibSystem.downcallNoErrno("sandbox_check",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(3));
    }

    /**
     * {@snippet lang=c : int sandbox_check(pid_t pid, const char *operation, enum sandbox_filter_type type, ...) }
     * Private but exported. With a NULL operation and {@link #SANDBOX_FILTER_NONE}: 1 when
     * {@code pid} runs in a sandbox, else 0.
     */
    public static int sandbox_check(int pid, MemorySegment operation, int type) {
        var handle = sandbox_check$.HANDLE;
        try {
            return (int) handle.invokeExact(pid, operation, type);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    /** Whether this process can see the entry points: true on macOS, false elsewhere. Looks up, links nothing. */
    public static boolean available() {
        return LibSystem.exists("sandbox_init_with_parameters");
    }
}
