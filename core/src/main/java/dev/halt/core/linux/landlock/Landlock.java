package dev.halt.core.linux.landlock;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.LandlockAbi;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.landlock_net_port_attr;
import dev.halt.ffm.linux.landlock_path_beneath_attr;
import dev.halt.ffm.linux.landlock_ruleset_attr;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import static dev.halt.ffm.linux.landlock_h.*;

/**
 * Landlock, the unprivileged Linux security module that halt restricts the child's filesystem
 * and TCP access with. A ruleset is built, then enforced on the calling thread only; every process
 * that thread starts inherits it.
 */
public final class Landlock {
    private Landlock() {}

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
