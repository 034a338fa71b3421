package dev.halt.core.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory of halt's state that only this user may enter (run records, the macOS second stage's
 * status FIFOs): what it holds decides what a later halt repairs or reports.
 */
public final class PrivateDirectory {
    private PrivateDirectory() {}

    /**
     * Makes {@code dir} (mode 0700) if needed, narrows its mode to 0700, and throws when it belongs
     * to another user than {@code euid}.
     */
    public static void prepare(Path dir, int euid) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        var attributes = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        int owner = (Integer) attributes.get("uid");
        if (owner != euid) throw new IOException(dir + " belongs to uid " + owner + ", not to this user (" + euid + ")");
        if (((Integer) attributes.get("mode") & 077) != 0) Files.setAttribute(dir, "unix:mode", 0700, LinkOption.NOFOLLOW_LINKS);
    }
}
