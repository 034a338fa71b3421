package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.__user_cap_data_struct;
import dev.halt.ffm.linux.__user_cap_header_struct;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.halt.ffm.linux.capability_h.*;
import static dev.halt.ffm.linux.prctl_h.*;

/** Capability sets of the calling thread. */
public final class Capabilities {
    private Capabilities() {}

    /**
     * Empties the bounding and ambient sets: no exec can gain a capability again. Needs
     * CAP_SETPCAP, so it comes before anything that gives up privileges.
     */
    public static void dropBoundingAndAmbient() throws ErrnoException {
        int last = lastCapability();
        for (int cap = 0; cap <= last; cap++) {
            Syscall.call("prctl(PR_CAPBSET_DROP, " + cap + ")", Syscall.TABLE.prctl(), PR_CAPBSET_DROP(), cap, 0, 0, 0, 0);
        }
        Syscall.call("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", Syscall.TABLE.prctl(), PR_CAP_AMBIENT(), PR_CAP_AMBIENT_CLEAR_ALL(), 0, 0, 0, 0);
    }

    /** Empties the effective, permitted and inheritable sets of the calling thread. */
    public static void clearThreadSets() throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var header = __user_cap_header_struct.allocate(arena);
            __user_cap_header_struct.version(header, _LINUX_CAPABILITY_VERSION_3());
            __user_cap_header_struct.pid(header, 0);
            // Two zeroed data structs: version 3 carries 64 capability bits in two halves.
            var data = arena.allocate(__user_cap_data_struct.layout(), _LINUX_CAPABILITY_U32S_3());
            Syscall.call("capset", Syscall.TABLE.capset(), header.address(), data.address(), 0, 0, 0, 0);
        }
    }

    /** The highest capability number the running kernel knows. */
    static int lastCapability() {
        // One read with room to spare: a sysctl file answers a second read at a non-zero
        // offset with EOF, so Files.readString (which first reads one byte) sees only "4" of "40".
        try (var in = Files.newInputStream(Path.of("/proc/sys/kernel/cap_last_cap"))) {
            return Integer.parseInt(new String(in.readNBytes(32), java.nio.charset.StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return CAP_CHECKPOINT_RESTORE();
        }
    }
}
