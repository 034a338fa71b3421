package dev.halt.core.control;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@code halt ps} shows of a run besides its counts.
 *
 * @param haltPid          halt's process, the run's id
 * @param childPid         the command's process
 * @param command          the command and its arguments
 * @param workingDirectory where it runs (its project: {@code --save} edits {@code .halt/halt.toml} there)
 * @param started          when it started
 */
public record RunDescription(long haltPid, long childPid, List<String> command, Path workingDirectory, Instant started) {
    public RunDescription {
        command = List.copyOf(command);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(started, "started");
    }
}
