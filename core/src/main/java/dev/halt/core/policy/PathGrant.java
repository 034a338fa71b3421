package dev.halt.core.policy;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One filesystem grant: {@code access} on {@code path} (and beneath it, for a directory).
 *
 * <p>The path is absolute and lexically normalised ({@code a/./b/../c} becomes {@code a/c}) but
 * symbolic links are <em>not</em> resolved: the launcher examines every link on the way so it
 * can refuse one the sandboxed side could have planted.
 *
 * @param path   absolute path
 * @param access what is allowed
 * @param source where the grant came from
 */
public record PathGrant(Path path, PathAccess access, ValueSource source) {

    /** @throws IllegalArgumentException when {@code path} is not absolute */
    public PathGrant {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(source, "source");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("a grant needs an absolute path, got \"" + path + '"');
        }
        path = path.normalize();
    }

    /** A grant made by embedding code. */
    public static PathGrant of(Path path, PathAccess access) {
        return new PathGrant(path, access, ValueSource.Programmatic.API);
    }
}
