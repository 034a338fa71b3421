package dev.halt.core.config;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads the project config without following symbolic links in {@code .halt} or
 * {@code halt.toml}. Trust is keyed by the file's canonical path, so a link planted by the
 * sandboxed program ({@code .halt -> ~/other-project/.halt}) would otherwise make halt use
 * another project's trusted, perhaps wider, config here.
 */
final class ProjectFile {
    private ProjectFile() {
    }

    /** The outcome of reading the project file. */
    sealed interface Read {
        /** There is no project file. */
        record Absent() implements Read {
        }

        /** The file's bytes. */
        record Content(byte[] bytes) implements Read {
        }

        /** The file cannot be used; the error says why. */
        record Refused(ConfigError error) implements Read {
        }
    }

    static Read read(ConfigLocations locations) {
        var file = locations.projectFile();
        var directory = file.getParent();
        for (var p : new Path[] {directory, file}) {
            if (Files.isSymbolicLink(p)) {
                return new Read.Refused(new ConfigError.Unreadable(p, "it is a symbolic link. halt reads the project config"
                        + " only from a regular file in a real .halt directory, since the sandboxed program could point a link"
                        + " at another trusted config; replace the link with a copy, or run with --no-config"));
            }
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return new Read.Absent();
        }
        try {
            return new Read.Content(ConfigFiles.read(file, LinkOption.NOFOLLOW_LINKS));
        } catch (ConfigFiles.Unusable e) {
            return new Read.Refused(new ConfigError.Unreadable(file, e.getMessage()));
        }
    }

    /** The problem, if reading it would be refused, as an optional error. */
    static Optional<ConfigError> refusal(ConfigLocations locations) {
        return read(locations) instanceof Read.Refused r ? Optional.of(r.error()) : Optional.empty();
    }
}
