package dev.halt.core.linux.sys;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static dev.halt.ffm.linux.capability_h.CAP_NET_ADMIN;
import static dev.halt.ffm.linux.capability_h.CAP_SYS_ADMIN;

/**
 * Who halt runs as: effective uid, effective capabilities, and the user that ran sudo.
 *
 * @param euid          effective user id
 * @param effectiveCaps the CapEff bit set of this process
 * @param sudoUid       SUDO_UID when halt was started by sudo
 * @param sudoGid       SUDO_GID when halt was started by sudo
 */
public record Credentials(int euid, long effectiveCaps, OptionalInt sudoUid, OptionalInt sudoGid) {

    /** Reads this process's credentials. */
    public static Credentials current(Map<String, String> env) {
        return new Credentials(Syscall.geteuid(), readCapEff(Path.of("/proc/self/status")),
            parseId(env.get("SUDO_UID")), parseId(env.get("SUDO_GID")));
    }

    /**
     * This process's effective uid and capabilities from {@code /proc/self} alone, before any
     * native call is linked (no sudo variables); {@code euid} -1 when {@code /proc} cannot tell.
     */
    public static Credentials fromProc() {
        int euid;
        try {
            euid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            euid = -1;
        }
        return new Credentials(euid, readCapEff(Path.of("/proc/self/status")), OptionalInt.empty(), OptionalInt.empty());
    }

    public boolean hasCapability(int cap) {
        return (effectiveCaps & (1L << cap)) != 0;
    }

    public boolean capSysAdmin() { return hasCapability(CAP_SYS_ADMIN()); }

    public boolean capNetAdmin() { return hasCapability(CAP_NET_ADMIN()); }

    /**
     * Whether halt can give a run its own mount namespace: root, or CAP_SYS_ADMIN. (Root without
     * CAP_SYS_ADMIN, in a container, is refused at the launch.)
     */
    public boolean mayMount() {
        return euid == 0 || capSysAdmin();
    }

    /** The effective group id of this process (the group of its {@code /proc/self}). */
    public int egid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        } catch (IOException | UnsupportedOperationException e) {
            return euid;
        }
    }

    /** Whether halt can make and configure network namespaces: root, or both admin capabilities. */
    public boolean mayManageNetworkNamespaces() {
        return euid == 0 || (capSysAdmin() && capNetAdmin());
    }

    /**
     * Switches the calling thread, and only it, to {@code uid}/{@code gid} with {@code gid} as its
     * only group. Raw system calls: glibc's wrappers would change every thread of the JVM.
     */
    public static void switchThreadTo(int uid, int gid) throws ErrnoException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var groups = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_INT, gid);
            Syscall.call("setgroups", Syscall.TABLE.setgroups(), 1, groups.address(), 0, 0, 0, 0);
        }
        Syscall.call("setresgid", Syscall.TABLE.setresgid(), gid, gid, gid, 0, 0, 0);
        Syscall.call("setresuid", Syscall.TABLE.setresuid(), uid, uid, uid, 0, 0, 0);
    }

    /**
     * The home directory and name of {@code uid} from {@code passwd} (a path, for tests), or
     * empty when it has no entry.
     */
    public static java.util.Optional<Account> account(int uid, Path passwd) {
        try {
            for (var line : Files.readAllLines(passwd)) {
                var fields = line.split(":", -1);
                if (fields.length >= 7 && fields[2].equals(Integer.toString(uid))) {
                    return java.util.Optional.of(new Account(fields[0], Path.of(fields[5]), fields[6]));
                }
            }
        } catch (IOException | java.nio.file.InvalidPathException e) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.empty();
    }

    /**
     * A user account.
     *
     * @param name  login name
     * @param home  home directory
     * @param shell login shell
     */
    public record Account(String name, Path home, String shell) {}

    /** The CapEff line of a {@code /proc/PID/status} file; 0 when absent. */
    static long readCapEff(Path status) {
        try {
            for (var line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static OptionalInt parseId(String value) {
        if (value == null || value.isBlank()) return OptionalInt.empty();
        try {
            return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
