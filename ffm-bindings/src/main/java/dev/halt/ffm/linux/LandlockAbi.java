// Hand-written: the ABI that introduced each right, from Documentation/userspace-api/landlock.rst.
package dev.halt.ffm.linux;

import static dev.halt.ffm.linux.landlock_h.*;

/**
 * What each Landlock ABI version can handle: filesystem rights, network rights, scopes and
 * {@code landlock_restrict_self} flags. A ruleset must not ask for bits its kernel's ABI lacks
 * (EINVAL), so callers mask with these.
 */
public final class LandlockAbi {
    private LandlockAbi() {}

    /** The highest ABI these bindings know. */
    public static final int LATEST = 7;

    private static final long FS_V1 = LANDLOCK_ACCESS_FS_EXECUTE() | LANDLOCK_ACCESS_FS_WRITE_FILE()
        | LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_READ_DIR() | LANDLOCK_ACCESS_FS_REMOVE_DIR()
        | LANDLOCK_ACCESS_FS_REMOVE_FILE() | LANDLOCK_ACCESS_FS_MAKE_CHAR() | LANDLOCK_ACCESS_FS_MAKE_DIR()
        | LANDLOCK_ACCESS_FS_MAKE_REG() | LANDLOCK_ACCESS_FS_MAKE_SOCK() | LANDLOCK_ACCESS_FS_MAKE_FIFO()
        | LANDLOCK_ACCESS_FS_MAKE_BLOCK() | LANDLOCK_ACCESS_FS_MAKE_SYM();

    /** Every filesystem right that ABI {@code abi} handles. */
    public static long fsAccess(int abi) {
        if (abi < 1) return 0;
        long access = FS_V1;
        if (abi >= 2) access |= LANDLOCK_ACCESS_FS_REFER();
        if (abi >= 3) access |= LANDLOCK_ACCESS_FS_TRUNCATE();
        if (abi >= 5) access |= LANDLOCK_ACCESS_FS_IOCTL_DEV();
        return access;
    }

    /** Every network right that ABI {@code abi} handles (TCP bind and connect from ABI 4). */
    public static long netAccess(int abi) {
        return abi >= 4 ? LANDLOCK_ACCESS_NET_BIND_TCP() | LANDLOCK_ACCESS_NET_CONNECT_TCP() : 0;
    }

    /** Every scope that ABI {@code abi} knows (abstract unix sockets and signals from ABI 6). */
    public static long scopes(int abi) {
        return abi >= 6 ? LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET() | LANDLOCK_SCOPE_SIGNAL() : 0;
    }

    /** Every {@code landlock_restrict_self} flag that ABI {@code abi} accepts (logging from ABI 7). */
    public static int restrictSelfFlags(int abi) {
        return abi >= 7 ? LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF() | LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON()
            | LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF() : 0;
    }

    /**
     * The bytes of {@code struct landlock_ruleset_attr} that ABI {@code abi} reads: the kernel
     * copies the size it is given and refuses (E2BIG) non-zero bytes past what it knows.
     */
    public static long rulesetAttrSize(int abi) {
        if (abi >= 6) return 24;
        if (abi >= 4) return 16;
        return 8;
    }
}
