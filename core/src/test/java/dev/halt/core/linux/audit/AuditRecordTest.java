package dev.halt.core.linux.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.*;

/** The text of audit records as Linux 6.18 sends them (copied from this machine's multicast group). */
class AuditRecordTest {

    @Test
    void aLandlockAccessRecordGivesItsStampDomainBlockersAndPath() {
        var r = AuditRecord.parse(1423, "audit(1796535776.365:6): domain=19c7c412c blockers=fs.read_file path=\"/root/.bashrc\""
            + " dev=\"vda\" ino=4006");
        assertEquals(Instant.ofEpochSecond(1796535776L, 365_000_000L), r.time());
        assertEquals(6, r.serial());
        assertEquals("19c7c412c", r.field("domain"));
        assertEquals("fs.read_file", r.field("blockers"));
        assertEquals("/root/.bashrc", r.field("path"));
        assertEquals("4006", r.field("ino"));
    }

    @Test
    void aPathWithASpaceOrQuoteComesAsHexAndIsDecoded() {
        // audit_log_untrustedstring: "/tmp/a b" and a name with a double quote are written in upper-case hex.
        var r = AuditRecord.parse(1423, "audit(1.002:3): domain=1 blockers=fs.make_reg,fs.refer path=2F746D702F612062 dev=\"x\"");
        assertEquals("/tmp/a b", r.field("path"));
        assertEquals("fs.make_reg,fs.refer", r.field("blockers"));
        assertEquals("\"", AuditRecord.unhex("22"), "a quote decodes");
        assertEquals("dead", AuditRecord.unhex("dead"), "lower case is not the kernel's hex: kept as written");
    }

    @Test
    void aDomainRecordNamesTheProcessAndThreadThatMadeIt() {
        var r = AuditRecord.parse(1424, "audit(1796535776.365:6): domain=19c7c412c status=allocated mode=enforcing pid=22639"
            + " uid=0 exe=\"/usr/lib/jvm/temurin-25-jdk-amd64/bin/java\" comm=\"halt-jailer-1\"");
        assertEquals("allocated", r.field("status"));
        assertEquals("22639", r.field("pid"));
        assertEquals("halt-jailer-1", r.field("comm"));
    }

    @Test
    void textWithoutAStampIsNoRecord() {
        assertNull(AuditRecord.parse(1423, "ENOBUFS"));
        assertNull(AuditRecord.parse(1423, "audit(x): a=b"));
    }
}
