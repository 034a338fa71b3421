package dev.halt.core.macos;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A policy's grants as Seatbelt matches them: each resolved through its links (Seatbelt checks
 * the path the kernel resolved), a grant that does not exist left out, as on Linux. A link the
 * sandboxed side could have planted (one its user owns, or one inside a write grant: an earlier
 * run could have left {@code ws/p -> /} to widen a later {@code --write ws/p}) is not followed: a
 * grant of the user's through one is refused, a default one left out with a warning.
 *
 * @param policy the policy with its grants resolved
 * @param files  the granted paths that are not directories (a file is granted itself, not a tree)
 */
record MacGrants(SandboxPolicy policy, Set<Path> files) {

    private static final System.Logger LOG = System.getLogger("halt");
    private static final int MAX_LINK_HOPS = 40;

    /**
     * Resolves the grants of {@code policy}.
     *
     * @param childUid the uid the command runs as
     */
    static MacGrants resolve(SandboxPolicy policy, int childUid) throws LaunchException {
        var writable = policy.grants(PathAccess.READ_WRITE).stream().map(PathGrant::path).toList();
        var resolved = new ArrayList<PathGrant>();
        var files = new LinkedHashSet<Path>();
        for (var grant : policy.grants()) {
            Path real;
            try {
                real = follow(grant.path(), childUid, writable, 0);
            } catch (PlantedLink e) {
                if (!(grant.source() instanceof ValueSource.Default)) {
                    throw new LaunchException(ExitStatus.HALT_FAILED, "refusing the grant " + grant.path() + ": " + e.getMessage()
                        + ". If you trust the link, grant its target directly. Nothing was run.");
                }
                LOG.log(Level.WARNING, "not granting " + grant.path() + " (" + grant.source().describe() + "): " + e.getMessage());
                continue;
            } catch (IOException e) {
                LOG.log(Level.WARNING, "skipping " + grant.access().configKey() + " grant " + grant.path() + ": " + e.getMessage());
                continue;
            }
            if (!Files.exists(real, LinkOption.NOFOLLOW_LINKS)) {
                LOG.log(Level.DEBUG, "skipping " + grant.access().configKey() + " grant " + grant.path() + ": it does not exist");
                continue;
            }
            if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) files.add(real);
            resolved.add(new PathGrant(real, grant.access(), grant.source()));
        }
        return new MacGrants(policy.withGrants(resolved), Set.copyOf(files));
    }

    /** Whether the profile lets the command execute {@code real} (a resolved path): read or write granted on it. */
    boolean executes(Path real) {
        var canonical = SbplProfile.canonical(real);
        return policy.grants().stream().anyMatch(g -> g.access().includes(PathAccess.READ)
            && canonical.startsWith(SbplProfile.canonical(g.path())));
    }

    /** The write grants: where protected paths are looked for. */
    List<Path> writeRoots() {
        return policy.grants(PathAccess.READ_WRITE).stream().map(PathGrant::path).filter(p -> !files.contains(p)).toList();
    }

    /** {@code path} with its links followed, each one checked. */
    private static Path follow(Path path, int childUid, List<Path> writable, int hops) throws IOException, PlantedLink {
        var current = path.getRoot();
        for (var name : path) {
            var next = current.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (hops >= MAX_LINK_HOPS) throw new IOException("too many levels of symbolic links at " + next);
            var target = Files.readSymbolicLink(next);
            int owner = (Integer) Files.getAttribute(next, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            var inside = writable.stream().filter(w -> next.getParent().startsWith(w)).findFirst();
            if ((childUid != 0 && owner == childUid) || inside.isPresent()) {
                throw new PlantedLink("it passes through the symbolic link " + next + " -> " + target + ", which the sandboxed"
                    + " side could have planted (" + inside.map(w -> "it lies inside the write grant " + w)
                    .orElse("it is owned by uid " + owner + ", the user the command runs as") + ")");
            }
            current = follow(current.resolve(target).normalize(), childUid, writable, hops + 1);
        }
        return current;
    }

    private static final class PlantedLink extends Exception {
        private static final long serialVersionUID = 1L;

        PlantedLink(String message) {
            super(message, null, false, false);
        }
    }
}
