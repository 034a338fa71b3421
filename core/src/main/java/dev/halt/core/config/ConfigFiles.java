package dev.halt.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files halt configures itself from (the global, project and {@code --config} files,
 * the trust store): only a regular file, and at most {@link #MAX_BYTES}. Opening a FIFO blocks
 * until someone writes to it and a device such as {@code /dev/zero} never ends, so either would
 * hang halt before it prints anything.
 *
 * <p>The type is checked before the open, so a file swapped for a FIFO in between can still
 * block the open; only a process that can write where the file lives (not the sandboxed agent,
 * for the global files) can do that, and it cannot widen anything by it.
 */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /** The largest config file halt reads: 1 MiB, far beyond any real one. */
    public static final int MAX_BYTES = 1 << 20;

    /** A file halt will not read; the message says why, without the path. */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason);
        }
    }

    /**
     * The content of {@code file}.
     *
     * @param options {@link LinkOption#NOFOLLOW_LINKS} to refuse a link in the last component
     * @throws Unusable when it is missing, not a regular file, larger than {@link #MAX_BYTES} or
     *                  cannot be read
     */
    public static byte[] read(Path file, LinkOption... options) throws Unusable {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, options);
        } catch (IOException e) {
            throw new Unusable(TrustStore.describe(e));
        }
        if (!attributes.isRegularFile()) {
            throw new Unusable("it is " + kind(file, attributes, options) + ", not a regular file; halt reads config only from regular files");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new Unusable(tooLarge(attributes.size()));
        }
        var openOptions = new OpenOption[options.length + 1];
        openOptions[0] = StandardOpenOption.READ;
        System.arraycopy(options, 0, openOptions, 1, options.length);
        try (var in = Files.newInputStream(file, openOptions)) {
            // One byte more than allowed: a file that grew since the check is caught here.
            var content = in.readNBytes(MAX_BYTES + 1);
            if (content.length > MAX_BYTES) {
                throw new Unusable(tooLarge(Math.max(content.length, sizeOf(file))));
            }
            return content;
        } catch (IOException e) {
            throw new Unusable(TrustStore.describe(e));
        }
    }

    private static String tooLarge(long size) {
        return "it is " + size + " bytes, more than the " + MAX_BYTES + " (1 MiB) halt reads from a config file";
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String kind(Path file, BasicFileAttributes attributes, LinkOption... options) {
        if (attributes.isDirectory()) return "a directory";
        if (attributes.isSymbolicLink()) return "a symbolic link";
        try {
            // S_IFMT of st_mode; "unix:mode" exists on Linux and macOS
            int type = (Integer) Files.getAttribute(file, "unix:mode", options) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }
}
