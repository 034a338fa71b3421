package dev.halt.core.config;

import java.nio.file.Path;

/**
 * What reading a value needs to know.
 *
 * @param home             for {@code ~} expansion
 * @param workingDirectory relative paths are resolved against it, whatever source they come
 *                         from: a project file's {@code read = ["docs"]} means the working
 *                         directory's {@code docs}, not {@code .halt/docs}, and a global
 *                         {@code read_write = ["."]} means "wherever halt runs"
 */
public record ReadContext(Path home, Path workingDirectory) {
    /** The context of {@code locations}. */
    public static ReadContext of(ConfigLocations locations) {
        return new ReadContext(locations.home(), locations.workingDirectory());
    }
}
