package dev.halt.core.launch;

import dev.halt.core.LaunchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

import static dev.halt.core.ExitStatus.NOT_EXECUTABLE;
import static dev.halt.core.ExitStatus.NOT_FOUND;

/**
 * The command's file, looked up as the child's shell would, before anything runs: a name not found
 * is exit status 127, a file that cannot be executed 126, each with a line naming it.
 */
public final class CommandPath {
    private CommandPath() {}

    /**
     * The executable {@code program} names: itself when it holds a {@code /} (relative to
     * {@code workingDirectory}), else the first executable regular file of that name in
     * {@code path} (the child's {@code PATH}; {@code /usr/bin:/bin} when unset).
     */
    public static Path resolve(String program, String path, Path workingDirectory) throws LaunchException {
        if (program.contains("/")) {
            var file = workingDirectory.resolve(program);
            if (!Files.exists(file)) throw new LaunchException(NOT_FOUND, program + ": no such file");
            if (Files.isDirectory(file) || !Files.isExecutable(file)) {
                throw new LaunchException(NOT_EXECUTABLE, program + ": not an executable file");
            }
            return file;
        }
        Path nonExecutable = null;
        for (var dir : (path == null ? "/usr/bin:/bin" : path).split(":", -1)) {
            var candidate = (dir.isEmpty() ? workingDirectory : workingDirectory.resolve(dir)).resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) return candidate;
                if (nonExecutable == null) nonExecutable = candidate;
            }
        }
        if (nonExecutable != null) throw new LaunchException(NOT_EXECUTABLE, nonExecutable + ": not executable");
        throw new LaunchException(NOT_FOUND, program + ": command not found (looked in the child's PATH)");
    }

    /**
     * Refuses, before anything runs, a command the sandbox would not let the child execute: the file
     * (through its links) or the interpreter its {@code #!} line names is not {@code granted}. Names
     * the path and the flag that grants it.
     *
     * @param granted whether the sandbox lets the child execute a real (links resolved) path
     */
    public static void requireExecutionGranted(Path executable, Predicate<Path> granted) throws LaunchException {
        var real = realPath(executable);
        if (real == null) return;
        if (!granted.test(real)) {
            throw new LaunchException(NOT_EXECUTABLE, executable + (real.equals(executable) ? "" : " (" + real + ")")
                + ": not granted to the sandbox for execution; --read " + real.getParent() + " grants it. Nothing was run.");
        }
        var interpreter = interpreter(real);
        if (interpreter == null) return;
        var realInterpreter = realPath(interpreter);
        if (realInterpreter != null && !granted.test(realInterpreter)) {
            throw new LaunchException(NOT_EXECUTABLE, executable + ": its interpreter " + interpreter + " (#! line) is not"
                + " granted to the sandbox for execution; --read " + realInterpreter.getParent() + " grants it. Nothing was run.");
        }
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** The absolute interpreter of a {@code #!} line, or null. */
    private static Path interpreter(Path file) {
        try (var in = Files.newInputStream(file)) {
            var head = new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            if (!head.startsWith("#!")) return null;
            var words = head.substring(2).lines().findFirst().orElse("").strip().split("\\s+");
            return words.length > 0 && words[0].startsWith("/") ? Path.of(words[0]) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
