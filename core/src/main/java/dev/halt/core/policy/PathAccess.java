package dev.halt.core.policy;

/**
 * What a {@link PathGrant} allows on a path and everything beneath it (for a directory), or on
 * the file itself (a file only ever gets file rights).
 *
 * <p>Each level includes the ones before it.
 */
public enum PathAccess {
    /** List directories and look up names; no reading of file contents, no writing. Config key {@code traversal}, flag {@code --traverse}. */
    TRAVERSE("traversal"),
    /** Read files, list directories, execute programs. Config key {@code read}, flag {@code --read}. */
    READ("read"),
    /** Every filesystem right: read, execute, create, write, remove, rename. Config key {@code read_write}, flag {@code --write}. */
    READ_WRITE("read_write");

    private final String configKey;

    PathAccess(String configKey) {
        this.configKey = configKey;
    }

    /** The key of this access level in the {@code [sandbox.paths]} table. */
    public String configKey() {
        return configKey;
    }

    /** Whether this level grants at least what {@code other} grants. */
    public boolean includes(PathAccess other) {
        return compareTo(other) >= 0;
    }
}
