package dev.halt.core.macos;

import dev.halt.ffm.macos.errno_h;
import dev.halt.ffm.macos.sandbox_h;
import dev.halt.ffm.macos.spawn_h;
import dev.halt.ffm.macos.unistd_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * {@link SeatbeltExec}'s native steps on macOS. Every segment lives in one arena that is never
 * closed: the process either becomes the command or exits.
 */
final class SeatbeltCalls implements SeatbeltExec.Steps {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errno = errno_h.allocate(arena);
    private MemorySegment path;
    private MemorySegment fileActions;
    private MemorySegment attributes;
    private MemorySegment argv;
    private MemorySegment envp;

    /**
     * The training run of the start-up cache ({@code bin/halt}): decodes sample arguments and
     * links every call a run makes, without opening, applying or executing anything.
     */
    static void train() {
        // Off macOS the same names may exist with other layouts (glibc's posix_spawnattr_t is 336 bytes): call nothing.
        if (!sandbox_h.available()) return;
        var calls = new SeatbeltCalls();
        var sample = new SeatbeltExecArguments("/nonexistent/status", new SeatbeltExecArguments.User(501, 20),
            "(version 1)(allow default)", List.of("K", "V"), "/usr/bin/true", List.of("true"));
        var decoded = SeatbeltExecArguments.decode(sample.encode().toArray(String[]::new));
        try {
            calls.prepareExec(decoded.executable(), decoded.argv(),
                SeatbeltExecEnvironment.forCommand(System.getenv(), ProcessHandle.current().pid()));
        } catch (SeatbeltExec.Failure e) {
            // The cache is then only less complete: a run links what it lacks.
        }
        SeatbeltExec.execFailure(decoded.executable(), errno_h.EACCES());
        SeatbeltExec.profileRefusal("", false);
        StatusFifo.failure(126, "");
        unistd_h.open$handle();
    }

    @Override
    public SeatbeltExec.Report openStatus(String fifo) throws SeatbeltExec.Failure {
        // Off macOS the same names may exist with other layouts and flag values: call nothing.
        if (!sandbox_h.available()) throw new SeatbeltExec.Failure(125, "stage 2 (SeatbeltExec) runs only on macOS");
        int fd = unistd_h.open(errno, arena.allocateFrom(fifo), unistd_h.O_WRONLY() | unistd_h.O_CLOEXEC());
        if (fd < 0) {
            throw new SeatbeltExec.Failure(125, "stage 2 cannot open its status FIFO " + fifo + " (error " + errno_h.get(errno) + ")");
        }
        var ready = arena.allocate(StatusFifo.READY.length);
        ready.copyFrom(MemorySegment.ofArray(StatusFifo.READY));
        if (unistd_h.write(errno, fd, ready, ready.byteSize()) != ready.byteSize()) {
            throw new SeatbeltExec.Failure(125, "stage 2 cannot write its status FIFO " + fifo + " (error " + errno_h.get(errno) + ")");
        }
        return (code, message) -> {
            var bytes = StatusFifo.failure(code, message);
            var segment = arena.allocate(bytes.length);
            segment.copyFrom(MemorySegment.ofArray(bytes));
            boolean written = unistd_h.write(errno, fd, segment, bytes.length) == bytes.length;
            unistd_h.close(errno, fd);
            return written;
        };
    }

    @Override
    public void prepareExec(String executable, List<String> arguments, String[] environment) throws SeatbeltExec.Failure {
        if (!sandbox_h.available()) throw new SeatbeltExec.Failure(125, "stage 2 (SeatbeltExec) runs only on macOS");
        try {
            path = arena.allocateFrom(executable);
            argv = strings(arguments.toArray(String[]::new));
            envp = strings(environment);
            attributes = arena.allocate(spawn_h.POSIX_SPAWNATTR_T);
            check("posix_spawnattr_init", spawn_h.posix_spawnattr_init(errno, attributes));
            short flags = (short) (spawn_h.POSIX_SPAWN_SETEXEC() | spawn_h.POSIX_SPAWN_CLOEXEC_DEFAULT()
                | spawn_h.POSIX_SPAWN_SETSIGDEF() | spawn_h.POSIX_SPAWN_SETSIGMASK());
            check("posix_spawnattr_setflags", spawn_h.posix_spawnattr_setflags(errno, attributes, flags));
            // A JVM thread blocks some signals, and exec keeps the mask: the command starts with none blocked.
            var mask = arena.allocate(spawn_h.SIGSET_T);
            mask.set(ValueLayout.JAVA_INT, 0, 0);
            check("posix_spawnattr_setsigmask", spawn_h.posix_spawnattr_setsigmask(errno, attributes, mask));
            var defaults = arena.allocate(spawn_h.SIGSET_T);
            defaults.set(ValueLayout.JAVA_INT, 0, everySignalButKillAndStop());
            check("posix_spawnattr_setsigdefault", spawn_h.posix_spawnattr_setsigdefault(errno, attributes, defaults));
            fileActions = arena.allocate(spawn_h.POSIX_SPAWN_FILE_ACTIONS_T);
            check("posix_spawn_file_actions_init", spawn_h.posix_spawn_file_actions_init(errno, fileActions));
            for (int fd = 0; fd <= 2; fd++) {
                check("posix_spawn_file_actions_addinherit_np", spawn_h.posix_spawn_file_actions_addinherit_np(errno, fileActions, fd));
            }
            // Link what is called after the profile applies, so nothing is looked up or loaded then.
            spawn_h.posix_spawn$handle();
            sandbox_h.sandbox_init_with_parameters$handle();
            unistd_h.write$handle();
        } catch (LinkageError e) {
            throw new SeatbeltExec.Failure(125, "stage 2 (SeatbeltExec) runs only on macOS: " + e.getMessage());
        }
    }

    /** Bit N-1 for every signal N but SIGKILL and SIGSTOP, whose dispositions cannot change. */
    static int everySignalButKillAndStop() {
        int set = 0;
        for (int signal = 1; signal < unistd_h.NSIG(); signal++) {
            if (signal != unistd_h.SIGKILL() && signal != unistd_h.SIGSTOP()) set |= 1 << (signal - 1);
        }
        return set;
    }

    private static void check(String call, int error) throws SeatbeltExec.Failure {
        if (error != 0) throw new SeatbeltExec.Failure(125, "stage 2 cannot prepare the command: " + call + " failed with error " + error);
    }

    /** A NULL-terminated array of C strings. */
    private MemorySegment strings(String[] values) {
        var array = arena.allocate(ValueLayout.ADDRESS, values.length + 1L);
        for (int i = 0; i < values.length; i++) array.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(values[i]));
        array.setAtIndex(ValueLayout.ADDRESS, values.length, MemorySegment.NULL);
        return array;
    }

    @Override
    public void switchUser(SeatbeltExecArguments.User user) throws SeatbeltExec.Failure {
        var groups = arena.allocateFrom(ValueLayout.JAVA_INT, user.gid());
        var who = " to become the user who ran sudo (uid " + Integer.toUnsignedString(user.uid()) + ", gid "
            + Integer.toUnsignedString(user.gid()) + ")";
        if (unistd_h.setgroups(errno, 1, groups) != 0) throw new SeatbeltExec.Failure(125, "setgroups failed" + who + ": error " + errno_h.get(errno));
        if (unistd_h.setgid(errno, user.gid()) != 0) throw new SeatbeltExec.Failure(125, "setgid failed" + who + ": error " + errno_h.get(errno));
        if (unistd_h.setuid(errno, user.uid()) != 0) throw new SeatbeltExec.Failure(125, "setuid failed" + who + ": error " + errno_h.get(errno));
    }

    @Override
    public String applyProfile(String profile, List<String> parameters) {
        var text = arena.allocateFrom(profile);
        var params = strings(parameters.toArray(String[]::new));
        var error = arena.allocate(ValueLayout.ADDRESS);
        error.set(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
        if (sandbox_h.sandbox_init_with_parameters(errno, text, 0, params, error) == 0) return null;
        var message = error.get(ValueLayout.ADDRESS, 0);
        if (message.equals(MemorySegment.NULL)) return "no message (error " + errno_h.get(errno) + ")";
        var result = message.reinterpret(Integer.MAX_VALUE).getString(0);
        sandbox_h.sandbox_free_error(message);
        return result;
    }

    @Override
    public boolean sandboxed() {
        try {
            return sandbox_h.sandbox_check((int) ProcessHandle.current().pid(), MemorySegment.NULL, sandbox_h.SANDBOX_FILTER_NONE()) == 1;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public int exec() {
        return spawn_h.posix_spawn(errno, MemorySegment.NULL, path, fileActions, attributes, argv, envp);
    }
}
