package dev.halt.core.linux;

import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.landlock.Landlock;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips a test, with the reason, when this machine lacks a privilege or kernel feature it needs.
 * bin/test fails the build when anything skipped under CI=true (CI is root on a full kernel).
 */
public final class Requires {
    private Requires() {}

    /** Landlock at {@code abi} or newer. */
    public static int landlockAbi(int abi) {
        int found;
        try {
            found = Landlock.abiVersion();
        } catch (ErrnoException e) {
            found = 0;
        }
        assumeTrue(found >= abi, "[landlock-abi-" + abi + "] needs Landlock ABI >= " + abi + ", this kernel has " + found);
        return found;
    }

    /** Root, or CAP_SYS_ADMIN and CAP_NET_ADMIN. */
    public static void networkAdmin() {
        assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(),
            "[net-admin] needs root, or CAP_SYS_ADMIN and CAP_NET_ADMIN (run as root, as CI does)");
    }

    /** Root, or CAP_SYS_ADMIN: a run gets a mount namespace of its own. */
    public static void mountAdmin() {
        assumeTrue(Credentials.current(System.getenv()).mayMount(),
            "[mount-admin] needs root, or CAP_SYS_ADMIN, for the run's own mount namespace (run as root, as CI does)");
    }
}
