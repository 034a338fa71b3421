package dev.halt.core.linux.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code Key: value} files of {@code /proc} ({@code /proc/PID/status}, {@code /proc/self/fdinfo/FD}). */
public final class ProcFiles {
    private ProcFiles() {}

    /**
     * The number on the line of {@code file} that starts with {@code key} (such as {@code "PPid:"}),
     * or -1 when the file, or such a line, cannot be read (the process exited).
     */
    public static long number(Path file, String key) {
        try {
            for (var line : Files.readAllLines(file)) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).strip());
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
