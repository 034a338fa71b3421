// Hand-written in jextract's layout: <spawn.h> (macOS). jextract cannot read macOS headers on
// Linux. Every function here is called through LibSystem.REGISTER_CALL (see there why).
package dev.halt.ffm.macos;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code posix_spawn} with Apple's extensions: {@link #POSIX_SPAWN_SETEXEC} makes it an
 * {@code execve} of the calling process, {@link #POSIX_SPAWN_CLOEXEC_DEFAULT} closes every
 * descriptor not named by {@link #posix_spawn_file_actions_addinherit_np} (0-2 included), and
 * the signal attributes reset the mask and the dispositions. The functions return an error
 * number (0 on success) rather than setting errno.
 */
public final class spawn_h {
    private spawn_h() {}

    /** {@code posix_spawnattr_t}: on macOS an opaque pointer that {@link #posix_spawnattr_init} fills. */
    public static final ValueLayout POSIX_SPAWNATTR_T = ValueLayout.ADDRESS;
    /** {@code posix_spawn_file_actions_t}: an opaque pointer, as {@link #POSIX_SPAWNATTR_T}. */
    public static final ValueLayout POSIX_SPAWN_FILE_ACTIONS_T = ValueLayout.ADDRESS;
    /** {@code sigset_t}: a 32-bit mask on Darwin, bit {@code N-1} for signal N. */
    public static final MemoryLayout SIGSET_T = ValueLayout.JAVA_INT;

    public static short POSIX_SPAWN_RESETIDS() { return 0x0001; }
    public static short POSIX_SPAWN_SETPGROUP() { return 0x0002; }
    public static short POSIX_SPAWN_SETSIGDEF() { return 0x0004; }
    public static short POSIX_SPAWN_SETSIGMASK() { return 0x0008; }
    public static short POSIX_SPAWN_SETEXEC() { return 0x0040; }
    public static short POSIX_SPAWN_START_SUSPENDED() { return 0x0080; }
    public static short POSIX_SPAWN_SETSID() { return 0x0400; }
    public static short POSIX_SPAWN_CLOEXEC_DEFAULT() { return 0x4000; }

    private static final class posix_spawn$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("posix_spawn");
    }

    /**
     * {@snippet lang=c :
     * int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *file_actions,
     *                 const posix_spawnattr_t *attrp, char *const argv[], char *const envp[])
     * }
     * With {@link #POSIX_SPAWN_SETEXEC} it returns only on failure.
     */
    public static int posix_spawn(MemorySegment errno, MemorySegment pid, MemorySegment path, MemorySegment fileActions,
                                  MemorySegment attr, MemorySegment argv, MemorySegment envp) {
        return LibSystem.call(posix_spawn$.HANDLE, errno, pid.address(), path.address(), fileActions.address(),
            attr.address(), argv.address(), envp.address());
    }

    /** Links {@link #posix_spawn} now, so that calling it later loads and links nothing. */
    public static MethodHandle posix_spawn$handle() {
        return posix_spawn$.HANDLE;
    }

    private static final class attr$ {
        static final MethodHandle INIT = LibSystem.registerCall("posix_spawnattr_init");
        static final MethodHandle DESTROY = LibSystem.registerCall("posix_spawnattr_destroy");
        static final MethodHandle SETFLAGS = LibSystem.registerCall("posix_spawnattr_setflags");
        static final MethodHandle SETSIGMASK = LibSystem.registerCall("posix_spawnattr_setsigmask");
        static final MethodHandle SETSIGDEFAULT = LibSystem.registerCall("posix_spawnattr_setsigdefault");
    }

    /** {@snippet lang=c : int posix_spawnattr_init(posix_spawnattr_t *attr) } */
    public static int posix_spawnattr_init(MemorySegment errno, MemorySegment attr) {
        return LibSystem.call(attr$.INIT, errno, attr.address(), 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int posix_spawnattr_destroy(posix_spawnattr_t *attr) } */
    public static int posix_spawnattr_destroy(MemorySegment errno, MemorySegment attr) {
        return LibSystem.call(attr$.DESTROY, errno, attr.address(), 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int posix_spawnattr_setflags(posix_spawnattr_t *attr, short flags) } */
    public static int posix_spawnattr_setflags(MemorySegment errno, MemorySegment attr, short flags) {
        return LibSystem.call(attr$.SETFLAGS, errno, attr.address(), flags, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int posix_spawnattr_setsigmask(posix_spawnattr_t *attr, const sigset_t *sigmask) } */
    public static int posix_spawnattr_setsigmask(MemorySegment errno, MemorySegment attr, MemorySegment sigmask) {
        return LibSystem.call(attr$.SETSIGMASK, errno, attr.address(), sigmask.address(), 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int posix_spawnattr_setsigdefault(posix_spawnattr_t *attr, const sigset_t *sigdefault) } */
    public static int posix_spawnattr_setsigdefault(MemorySegment errno, MemorySegment attr, MemorySegment sigdefault) {
        return LibSystem.call(attr$.SETSIGDEFAULT, errno, attr.address(), sigdefault.address(), 0, 0, 0, 0);
    }

    private static final class file_actions$ {
        static final MethodHandle INIT = LibSystem.registerCall("posix_spawn_file_actions_init");
        static final MethodHandle DESTROY = LibSystem.registerCall("posix_spawn_file_actions_destroy");
        static final MethodHandle ADDINHERIT_NP = LibSystem.registerCall("posix_spawn_file_actions_addinherit_np");
    }

    /** {@snippet lang=c : int posix_spawn_file_actions_init(posix_spawn_file_actions_t *file_actions) } */
    public static int posix_spawn_file_actions_init(MemorySegment errno, MemorySegment fileActions) {
        return LibSystem.call(file_actions$.INIT, errno, fileActions.address(), 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *file_actions) } */
    public static int posix_spawn_file_actions_destroy(MemorySegment errno, MemorySegment fileActions) {
        return LibSystem.call(file_actions$.DESTROY, errno, fileActions.address(), 0, 0, 0, 0, 0);
    }

    /**
     * {@snippet lang=c : int posix_spawn_file_actions_addinherit_np(posix_spawn_file_actions_t *file_actions, int filedes) }
     * Keeps {@code filedes} open across the spawn under {@link #POSIX_SPAWN_CLOEXEC_DEFAULT}.
     */
    public static int posix_spawn_file_actions_addinherit_np(MemorySegment errno, MemorySegment fileActions, int fd) {
        return LibSystem.call(file_actions$.ADDINHERIT_NP, errno, fileActions.address(), fd, 0, 0, 0, 0);
    }
}
