package dev.halt.core.linux.landlock;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.ffm.linux.LandlockAbi;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.landlock_net_port_attr;
import dev.halt.ffm.linux.landlock_path_beneath_attr;
import dev.halt.ffm.linux.landlock_ruleset_attr;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.halt.ffm.linux.landlock_h.*;

/**
 * Landlock, the unprivileged Linux security module that halt restricts the child's filesystem
 * and TCP access with: the ruleset a policy becomes on a kernel of a given ABI ({@link Plan}: which
 * rights are handled, one rule per existing grant, with every symbolic link on the way examined,
 * and what this ABI cannot enforce), and the system calls that build a ruleset and enforce it on
 * the calling thread only; every process that thread starts inherits it.
 */
public final class Landlock {
    private Landlock() {}

    /**
     * The Landlock ruleset a policy becomes on a kernel of a given ABI: which rights are handled,
     * one rule per existing grant (with every symbolic link on the way examined), and what this ABI
     * cannot enforce.
     *
     * @param abi        the kernel's Landlock ABI
     * @param handledFs  every filesystem right this ABI knows: all of them are denied unless a rule grants them
     * @param net        the TCP rights handled and the ports allowed (rootless network isolation)
     * @param scoped     the scopes (signals, abstract unix sockets) from ABI 6
     * @param rules      one per grant that exists
     * @param notices    links followed and other things {@code -v} reports
     * @param warnings   grants skipped because their path does not exist
     * @param unenforced what was asked but this ABI cannot enforce ({@code --best-effort} runs anyway)
     */
    public record Plan(int abi, long handledFs, TcpRules net, long scoped, List<Rule> rules,
                       List<String> notices, List<String> warnings, List<String> unenforced) {
        /** The resolved paths of the read-write rules, in the rules' order. */
        public List<Path> writablePaths() {
            return rules.stream().filter(r -> r.grant().access() == PathAccess.READ_WRITE).map(Rule::path).toList();
        }
    }

    /**
     * One {@code landlock_add_rule}.
     *
     * @param path      the resolved path (no symbolic links left)
     * @param access    the rights granted beneath it
     * @param grant     the grant it comes from
     */
    public record Rule(Path path, long access, PathGrant grant) {}

    /**
     * Landlock's TCP rules (ABI 4): the rights handled, and per port what is allowed anyway.
     * Landlock cannot tell addresses apart: an allowed port is allowed on every address.
     *
     * @param handled {@code LANDLOCK_ACCESS_NET_*} bits denied unless a port rule allows them
     * @param ports   port to allowed bits
     */
    public record TcpRules(long handled, java.util.Map<Integer, Long> ports) {
        /** No TCP restriction. */
        public static final TcpRules NONE = new TcpRules(0, java.util.Map.of());

        public TcpRules {
            ports = java.util.Map.copyOf(new java.util.TreeMap<>(ports));
        }
    }

    /** Rights that apply to a file; Landlock refuses directory rights on a file (EINVAL). */
    public static final long FILE_RIGHTS = LANDLOCK_ACCESS_FS_EXECUTE() | LANDLOCK_ACCESS_FS_WRITE_FILE()
        | LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_TRUNCATE() | LANDLOCK_ACCESS_FS_IOCTL_DEV();

    private static final int MAX_LINK_HOPS = 40;

    /** The rights each access level grants on a directory, limited to what {@code abi} handles. */
    public static long rights(PathAccess access, int abi) {
        long all = LandlockAbi.fsAccess(abi);
        return all & switch (access) {
            case TRAVERSE -> LANDLOCK_ACCESS_FS_READ_DIR();
            case READ -> LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_READ_DIR() | LANDLOCK_ACCESS_FS_EXECUTE();
            case READ_WRITE -> all;
        };
    }

    /**
     * Plans the ruleset for {@code policy} plus {@code extraReadGrants} (what halt itself needs
     * the child side to read, such as the JDK's {@code jspawnhelper}).
     *
     * @param childUid the uid the child runs as: a link it owns could have been planted by it
     * @throws PlannedLinkException when a grant passes through a link the sandboxed side could have planted
     */
    public static Plan plan(SandboxPolicy policy, List<PathGrant> extraReadGrants, int abi, int childUid,
                            TcpRules net) throws PlannedLinkException {
        var notices = new ArrayList<String>();
        var warnings = new ArrayList<String>();
        var unenforced = new ArrayList<String>();
        if (abi < 3) unenforced.add("truncating read-only files (needs Landlock ABI 3, Linux 6.2; this kernel has " + abi + ")");
        if (abi < 2) unenforced.add("renaming or linking files across directories is refused outright (ABI 1 cannot allow it)");

        var grants = new ArrayList<>(policy.grants());
        grants.addAll(extraReadGrants);
        var writable = grants.stream().filter(g -> g.access() == PathAccess.READ_WRITE).map(PathGrant::path).toList();

        var rules = new ArrayList<Rule>();
        var plantedDefaults = new java.util.LinkedHashMap<PathGrant, PlannedLinkException>();
        for (var grant : grants) {
            Path resolved;
            try {
                resolved = resolve(grant.path(), childUid, writable, notices, 0);
            } catch (PlannedLinkException e) {
                // A default is not the user's request: leave it out rather than refuse the run.
                if (!(grant.source() instanceof dev.halt.core.policy.ValueSource.Default)) throw e;
                plantedDefaults.put(grant, e);
                continue;
            } catch (IOException e) {
                warnings.add("skipping " + grant.access().configKey() + " grant " + grant.path() + " (" + grant.source()
                    + "): cannot read it: " + e.getMessage());
                continue;
            }
            if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
                warnings.add("skipping " + grant.access().configKey() + " grant " + grant.path() + " (" + grant.source()
                    + "): it does not exist");
                continue;
            }
            long access = rights(grant.access(), abi);
            if (!Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS)) access &= FILE_RIGHTS;
            if (access == 0) {
                notices.add(grant.access().configKey() + " grant " + grant.path() + " is a file: listing it grants nothing");
                continue;
            }
            rules.add(new Rule(resolved, access, grant));
        }
        plantedDefaults.forEach((grant, e) -> {
            var target = realPath(grant.path());
            if (target != null && rules.stream().anyMatch(r -> target.startsWith(r.path()))) return;
            warnings.add("not granting " + grant.path() + " (" + grant.source().describe() + "): it passes through the symbolic"
                + " link " + e.link + " -> " + e.target + ", which the sandboxed side could have planted (" + e.why + ")"
                + (target == null ? "" : "; if you trust it: --" + (grant.access() == PathAccess.READ_WRITE ? "write " : "read ")
                + target));
        });
        return new Plan(abi, LandlockAbi.fsAccess(abi), net, LandlockAbi.scopes(abi), List.copyOf(rules),
            List.copyOf(notices), List.copyOf(warnings), List.copyOf(unenforced));
    }

    /**
     * Resolves {@code path} component by component. A link is followed when it cannot have been
     * planted by the sandboxed side; a link the child's user owns, or one inside a writable grant,
     * is refused: an earlier run could have left {@code ws/p -> /} to widen a later {@code --write ws/p}.
     */
    static Path resolve(Path path, int childUid, List<Path> writable, List<String> notices, int hops)
            throws IOException, PlannedLinkException {
        var current = path.getRoot();
        for (var name : path) {
            var next = current.resolve(name);
            if (Files.isSymbolicLink(next)) {
                if (hops >= MAX_LINK_HOPS) throw new IOException("too many levels of symbolic links at " + next);
                var target = Files.readSymbolicLink(next);
                int owner = (Integer) Files.getAttribute(next, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                var insideWritable = writable.stream().filter(w -> next.getParent().startsWith(w)).findFirst();
                if ((childUid != 0 && owner == childUid) || insideWritable.isPresent()) {
                    var why = insideWritable.map(w -> "it lies inside the writable grant " + w)
                        .orElse("it is owned by uid " + owner + ", the user the child runs as");
                    throw new PlannedLinkException(path, next, target, why);
                }
                var resolvedTarget = resolve(current.resolve(target).normalize(), childUid, writable, notices, hops + 1);
                notices.add("following " + next + " -> " + target + ": granting " + resolvedTarget);
                current = resolvedTarget;
            } else {
                current = next;
            }
        }
        return current;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** A grant that passes through a symbolic link the sandboxed side could have planted. */
    public static final class PlannedLinkException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Path link;
        private final transient Path target;
        private final String why;

        PlannedLinkException(Path grant, Path link, Path target, String why) {
            super("refusing the grant " + grant + ": it passes through the symbolic link " + link + " -> " + target
                + ", which the sandboxed side could have planted (" + why + "). If you trust the link, grant its target directly.");
            this.link = link;
            this.target = target;
            this.why = why;
        }
    }

    /**
     * The Landlock ABI version of the running kernel.
     *
     * @throws ErrnoException ENOSYS when the kernel lacks Landlock, EOPNOTSUPP when it is built in
     *                        but not enabled at boot ({@code lsm=} without {@code landlock})
     */
    public static int abiVersion() throws ErrnoException {
        return (int) Syscall.call("landlock_create_ruleset", Syscall.TABLE.landlockCreateRuleset(),
            0, 0, LANDLOCK_CREATE_RULESET_VERSION(), 0, 0, 0);
    }

    /**
     * Creates a ruleset handling the given rights. Bits the ABI does not know must already be
     * masked off (see {@link LandlockAbi}); the attribute is passed at the size {@code abi} reads.
     */
    public static Ruleset createRuleset(int abi, long handledFs, long handledNet, long scoped) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var attr = landlock_ruleset_attr.allocate(arena);
            landlock_ruleset_attr.handled_access_fs(attr, handledFs);
            landlock_ruleset_attr.handled_access_net(attr, handledNet);
            landlock_ruleset_attr.scoped(attr, scoped);
            int fd = (int) Syscall.call("landlock_create_ruleset", Syscall.TABLE.landlockCreateRuleset(),
                attr.address(), LandlockAbi.rulesetAttrSize(abi), 0, 0, 0, 0);
            return new Ruleset(fd);
        }
    }

    /** An open Landlock ruleset: add rules, then restrict the calling thread with it. */
    public static final class Ruleset implements AutoCloseable {
        private int fd;

        private Ruleset(int fd) {
            this.fd = fd;
        }

        /** Allows {@code access} beneath {@code path} (a file gets only file rights). */
        public void allowPath(Path path, long access) throws ErrnoException {
            int pathFd = Syscall.open(path.toString(), SyscallNumbers.O_PATH | SyscallNumbers.O_CLOEXEC);
            try (var arena = Arena.ofConfined()) {
                var attr = landlock_path_beneath_attr.allocate(arena);
                landlock_path_beneath_attr.allowed_access(attr, access);
                landlock_path_beneath_attr.parent_fd(attr, pathFd);
                Syscall.call("landlock_add_rule " + path, Syscall.TABLE.landlockAddRule(),
                    fd, LANDLOCK_RULE_PATH_BENEATH(), attr.address(), 0, 0, 0);
            } finally {
                Syscall.close(pathFd);
            }
        }

        /** Allows {@code access} (TCP bind and/or connect) on {@code port}; ABI 4 and later. */
        public void allowPort(int port, long access) throws ErrnoException {
            try (var arena = Arena.ofConfined()) {
                var attr = landlock_net_port_attr.allocate(arena);
                landlock_net_port_attr.allowed_access(attr, access);
                landlock_net_port_attr.port(attr, port);
                Syscall.call("landlock_add_rule port " + port, Syscall.TABLE.landlockAddRule(),
                    fd, LANDLOCK_RULE_NET_PORT(), attr.address(), 0, 0, 0);
            }
        }

        /**
         * Enforces the ruleset on the calling thread, for good. The thread needs
         * {@code no_new_privs} (or CAP_SYS_ADMIN) first.
         */
        public void restrictSelf(int flags) throws ErrnoException {
            Syscall.call("landlock_restrict_self", Syscall.TABLE.landlockRestrictSelf(), fd, flags, 0, 0, 0, 0);
        }

        @Override
        public void close() {
            if (fd >= 0) {
                Syscall.close(fd);
                fd = -1;
            }
        }
    }
}
