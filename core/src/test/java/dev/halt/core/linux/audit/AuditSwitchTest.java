package dev.halt.core.linux.audit;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two runs that switched audit on share it: the end of the first must not switch it off under the
 * second (its denials would go unreported). Changes the machine's audit setting and puts it back.
 */
@Tag("linux")
@Tag("root")
class AuditSwitchTest {

    @TempDir
    Path temp;
    int before = -1;

    @AfterEach
    void restore() throws Exception {
        if (before >= 0 && Audit.status().enabled() != before) {
            try (var control = Audit.Control.open()) {
                control.setEnabled(before);
            }
        }
    }

    @Test
    void theLastRunToFinishPutsAuditBack() throws Exception {
        assumeTrue(Syscall.geteuid() == 0, "[root] needs root (as CI runs): AUDIT_SET needs CAP_AUDIT_CONTROL");
        Audit.Status status;
        try {
            status = Audit.status();
        } catch (ErrnoException e) {
            assumeTrue(false, "[audit] needs the kernel's audit subsystem: " + e.getMessage());
            return;
        }
        assumeTrue(status.enabled() != 2, "[audit] audit is locked on until reboot");
        before = status.enabled();
        try (var control = Audit.Control.open()) {
            control.setEnabled(0);
        }
        var directory = temp.resolve("run-halt");

        var first = AuditSwitch.enable(directory);
        var second = AuditSwitch.enable(directory);
        assertEquals(1, Audit.status().enabled());
        assertEquals(2, Files.readAllLines(directory.resolve("audit-state")).stream().filter(l -> l.startsWith("holder ")).count());

        assertEquals(java.util.List.of(), first.release());
        assertEquals(1, Audit.status().enabled(), "the second run still reads its denials");
        assertEquals(java.util.List.of(), second.release());
        assertEquals(0, Audit.status().enabled(), "the last one put back what the first found");
        assertFalse(Files.exists(directory.resolve("audit-state")));
        assertEquals(java.util.List.of(), AuditSwitch.recoverAbandoned(directory), "nothing left to recover");
    }
}
