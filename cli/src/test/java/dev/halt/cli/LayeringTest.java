package dev.halt.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The platform seam holds in the sources: only core's backend holder looks at {@code os.name}.
 * That the CLI reaches a platform only through core's API ({@code Sandbox}) the compiler enforces:
 * core's module-info does not export a backend's package ({@link ModuleBoundaryTest}).
 */
class LayeringTest {

    /** This module's and core's main sources (Surefire runs in the module's directory). */
    private static final Path CLI = Path.of("src/main/java");
    private static final Path CORE = Path.of("../core/src/main/java");

    private static List<Path> javaFiles(Path root) throws IOException {
        assertTrue(Files.isDirectory(root), root.toAbsolutePath() + " is the sources' directory");
        try (var walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> filesMentioning(Path root, String text) throws IOException {
        var found = new java.util.ArrayList<String>();
        for (var file : javaFiles(root)) {
            if (Files.readString(file).contains(text)) found.add(root.relativize(file).toString());
        }
        return found;
    }

    @Test
    void onlyTheBackendHolderLooksAtTheOperatingSystem() throws IOException {
        assertEquals(List.of(), filesMentioning(CLI, "\"os.name\""));
        assertEquals(List.of("dev/halt/core/BackendHolder.java"), filesMentioning(CORE, "\"os.name\""));
    }
}
