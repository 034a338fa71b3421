package dev.halt.core.probe;

import dev.halt.core.json.JsonWriter;

import java.util.OptionalInt;

/**
 * What {@code halt check} reports about the platform's own sandbox, beyond the probes: one record
 * per backend. Each writes its keys of {@code check --json}; the keys of Linux ({@code privileges},
 * {@code landlock_abi}) are written on every platform, with "none" values elsewhere, as the
 * README documents them.
 */
@SuppressWarnings("exports") // writeJson is CheckReport's: only core can name a JsonWriter (dev.halt.core.json is not exported).
public sealed interface PlatformFacts {

    /** The probe whose pass means the filesystem layer is enforced ({@code filesystem_enforced}). */
    String filesystemProbe();

    /** Writes this record's members into the report's object. */
    void writeJson(JsonWriter json);

    /**
     * Linux.
     *
     * @param euid        effective user id
     * @param sudoUid     SUDO_UID, when halt runs under sudo
     * @param capSysAdmin CAP_SYS_ADMIN in CapEff
     * @param capNetAdmin CAP_NET_ADMIN in CapEff
     * @param landlockAbi the Landlock ABI, 0 when there is none
     */
    record Linux(int euid, OptionalInt sudoUid, boolean capSysAdmin, boolean capNetAdmin, int landlockAbi)
            implements PlatformFacts {
        @Override
        public String filesystemProbe() { return "landlock.enforcement"; }

        @Override
        public void writeJson(JsonWriter json) {
            writePrivileges(json, euid, sudoUid, capSysAdmin, capNetAdmin);
            json.name("landlock_abi").value(landlockAbi);
        }
    }

    /**
     * macOS (Seatbelt): no capabilities and no Landlock ({@code landlock_abi} 0).
     *
     * @param euid         effective user id
     * @param sudoUid      SUDO_UID, when halt runs under sudo
     * @param macosVersion the product version ({@code os.version}), also {@code platform.macos_version}
     */
    record Mac(int euid, OptionalInt sudoUid, String macosVersion) implements PlatformFacts {
        @Override
        public String filesystemProbe() { return "seatbelt"; }

        @Override
        public void writeJson(JsonWriter json) {
            writePrivileges(json, euid, sudoUid, false, false);
            json.name("landlock_abi").value(0);
        }
    }

    /**
     * A platform halt has no backend for.
     *
     * @param why what {@code halt run} says when it refuses here
     */
    record Unsupported(String why) implements PlatformFacts {
        @Override
        public String filesystemProbe() { return "sandbox"; }

        @Override
        public void writeJson(JsonWriter json) {
            writePrivileges(json, -1, OptionalInt.empty(), false, false);
            json.name("landlock_abi").value(0);
        }
    }

    private static void writePrivileges(JsonWriter json, int euid, OptionalInt sudoUid, boolean capSysAdmin, boolean capNetAdmin) {
        json.name("privileges").beginObject().name("euid").value(euid);
        json.name("sudo_uid");
        if (sudoUid.isPresent()) json.value(sudoUid.getAsInt()); else json.nullValue();
        json.name("cap_sys_admin").value(capSysAdmin).name("cap_net_admin").value(capNetAdmin).endObject();
    }
}
