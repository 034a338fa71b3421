package dev.halt.core.linux;

import dev.halt.ffm.linux.unistd_h;

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
        return new Credentials(unistd_h.geteuid(), readCapEff(Path.of("/proc/self/status")),
            parseId(env.get("SUDO_UID")), parseId(env.get("SUDO_GID")));
    }

    public boolean hasCapability(int cap) {
        return (effectiveCaps & (1L << cap)) != 0;
    }

    public boolean capSysAdmin() { return hasCapability(CAP_SYS_ADMIN()); }

    public boolean capNetAdmin() { return hasCapability(CAP_NET_ADMIN()); }

    /** Whether halt can make and configure network namespaces: root, or both admin capabilities. */
    public boolean mayManageNetworkNamespaces() {
        return euid == 0 || (capSysAdmin() && capNetAdmin());
    }

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
