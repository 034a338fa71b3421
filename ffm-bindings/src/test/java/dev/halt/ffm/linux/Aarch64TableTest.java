package dev.halt.ffm.linux;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The aarch64 table, checked on any machine: aarch64 numbers its calls by the generic table,
 * {@code <asm-generic/unistd.h>}, which every architecture's kernel headers ship. HeaderProbeTest
 * compares only the running architecture's table, so without this a wrong aarch64 number would
 * pass on x86_64. Calls newer than the installed headers are numbered alike on every
 * architecture since Linux 5.1 (from 424 on), so there the two tables must agree.
 */
@Tag("linux")
class Aarch64TableTest {

    private static final Path GENERIC = Path.of("/usr/include/asm-generic/unistd.h");
    /** Components that are not call numbers. */
    private static final Set<String> NOT_CALLS = Set.of("arch", "auditArch", "oDirectory", "oNofollow", "highestKnown");
    /** The first number shared by every architecture (pidfd_send_signal, Linux 5.1). */
    private static final int UNIFIED_FROM = 424;

    @Test
    void everyAarch64NumberIsTheGenericTablesOne() throws Exception {
        assumeTrue(Files.isRegularFile(GENERIC), "[kernel-headers] needs the kernel headers (" + GENERIC + ", Debian linux-libc-dev)");
        var generic = new HashMap<String, Integer>();
        var define = Pattern.compile("#define __NR(?:3264)?_(\\w+)\\s+(\\d+)");
        for (var line : Files.readAllLines(GENERIC)) {
            var m = define.matcher(line.strip());
            if (m.matches()) generic.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        var problems = new ArrayList<String>();
        int checked = 0;
        for (var component : SyscallNumbers.class.getRecordComponents()) {
            if (NOT_CALLS.contains(component.getName())) continue;
            int aarch64 = (int) component.getAccessor().invoke(SyscallNumbers.AARCH64);
            int x86 = (int) component.getAccessor().invoke(SyscallNumbers.X86_64);
            var name = component.getName().replaceAll("([A-Z])", "_$1").toLowerCase();
            Integer expected = generic.get(name);
            checked++;
            if (expected != null) {
                if (aarch64 != expected) problems.add(name + ": " + aarch64 + ", the generic table says " + expected);
            } else if (x86 >= UNIFIED_FROM) {
                if (aarch64 != x86) problems.add(name + ": " + aarch64 + ", but calls from " + UNIFIED_FROM + " on share x86_64's " + x86);
            } else if (aarch64 != SyscallNumbers.NONE) {
                problems.add(name + ": " + aarch64 + ", but aarch64 has no such call (NONE)");
            }
        }
        assertTrue(checked > 50, "checked " + checked);
        assertEquals(java.util.List.of(), problems);
    }

    @Test
    void theHighestKnownNumberIsTheSameOnBoth() {
        assertEquals(SyscallNumbers.X86_64.highestKnown(), SyscallNumbers.AARCH64.highestKnown());
    }
}
