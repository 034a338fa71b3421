package dev.halt.core.linux.sys;

import dev.halt.core.linux.fs.RunRecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process known by its PID and start time (field 22 of {@code /proc/PID/stat}), so a reused PID
 * is not taken for it: whose run record ({@link RunRecord}) or control socket a file is.
 *
 * @param pid        the process id
 * @param startTicks its start time, in clock ticks since boot
 */
public record ProcessIdentity(long pid, long startTicks) {

    /** This process. */
    public static ProcessIdentity self() {
        long pid = ProcessHandle.current().pid();
        return new ProcessIdentity(pid, startTicks(pid).orElse(0L));
    }

    /** Whether the process still runs (a zombie does not). */
    public boolean isRunning() {
        return startTicks(pid).map(t -> t == startTicks).orElse(false);
    }

    /** The start time of process {@code pid}, or empty when it does not run. */
    public static Optional<Long> startTicks(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[0].equals("Z") ? Optional.empty() : Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
