package dev.halt.core.linux.sys;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.*;

@Tag("linux")
class CredentialsTest {

    @Test
    void readsCapEffFromAStatusFile(@TempDir Path dir) throws Exception {
        var status = Files.writeString(dir.resolve("status"), "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t0000000000201000\n");
        long caps = Credentials.readCapEff(status);
        var c = new Credentials(1000, caps, OptionalInt.empty(), OptionalInt.empty());
        assertTrue(c.capSysAdmin(), "bit 21");
        assertTrue(c.capNetAdmin(), "bit 12");
        assertTrue(c.mayManageNetworkNamespaces());
    }

    @Test
    void oneAdminCapabilityIsNotEnough() {
        var c = new Credentials(1000, 1L << 21, OptionalInt.empty(), OptionalInt.empty());
        assertFalse(c.mayManageNetworkNamespaces());
        assertTrue(new Credentials(0, 0, OptionalInt.empty(), OptionalInt.empty()).mayManageNetworkNamespaces());
    }

    @Test
    void mountsNeedRootOrSysAdminAloneAndProcAgreesWithTheSystemCall() {
        assertTrue(new Credentials(1000, 1L << 21, OptionalInt.empty(), OptionalInt.empty()).mayMount());
        assertFalse(new Credentials(1000, 1L << 12, OptionalInt.empty(), OptionalInt.empty()).mayMount());
        var current = Credentials.current(Map.of());
        var fromProc = Credentials.fromProc();
        assertEquals(current.euid(), fromProc.euid());
        assertEquals(current.effectiveCaps(), fromProc.effectiveCaps());
    }

    @Test
    void sudoIdsComeFromTheEnvironment() {
        var c = Credentials.current(Map.of("SUDO_UID", "1234", "SUDO_GID", "55"));
        assertEquals(OptionalInt.of(1234), c.sudoUid());
        assertEquals(OptionalInt.of(55), c.sudoGid());
        assertEquals(OptionalInt.empty(), Credentials.current(Map.of("SUDO_UID", "x")).sudoUid());
    }

    @Test
    void accountsComeFromPasswd(@TempDir Path dir) throws Exception {
        var passwd = Files.writeString(dir.resolve("passwd"),
            "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/zsh\nbroken:line\n");
        assertEquals(new Credentials.Account("alice", Path.of("/home/alice"), "/bin/zsh"), Credentials.account(1000, passwd).orElseThrow());
        assertTrue(Credentials.account(4242, passwd).isEmpty());
        assertTrue(Credentials.account(1000, dir.resolve("absent")).isEmpty());
    }

    @Test
    void effectiveUidIsTheKernels() throws Exception {
        var uid = Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[2];
        assertEquals(Integer.parseInt(uid), Credentials.current(Map.of()).euid());
    }
}
