package dev.halt.core.linux.launch;

import dev.halt.core.linux.supervisor.Refusals;
import dev.halt.proxy.DecisionLog;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary at the end of a run: the proxy's counts with the supervisor's refusals, and the files it refused. */
class RunSummaryTest {

    private static Refusals refusals(String... destinations) {
        var refusals = new Refusals(new PrintStream(OutputStream.nullOutputStream()));
        for (var d : destinations) refusals.refuse("connect", d, "not the proxy");
        return refusals;
    }

    @SafeVarargs
    private static DecisionLog.Summary proxy(long allowed, long refused, long failed, long lookups, Map.Entry<String, Long>... top) {
        return new DecisionLog.Summary(new DecisionLog.Counts(allowed, refused, failed), new DecisionLog.Counts(lookups, 0, 0), List.of(top));
    }

    @Test
    void nothingDecidedIsNoLine() {
        assertEquals("", RunSummary.format(null, null));
        assertEquals("", RunSummary.format(proxy(0, 0, 0, 0), refusals()));
        assertEquals("", RunSummary.format(null, refusals()));
    }

    @Test
    void theSupervisorsRefusalsJoinTheProxysConnectionsInOneSetOfCounts() {
        var text = RunSummary.format(proxy(2, 1, 1, 3, Map.entry("evil.test", 1L)), refusals("127.0.0.2:3128", "127.0.0.2:3128", "[::1]:3128"));
        assertEquals("""
            halt network: connections 2 allowed, 4 refused, 1 failed; DNS lookups 3 answered, 0 refused, 0 failed
            most refused:
              127.0.0.2:3128 (connect) (2)
              [::1]:3128 (connect) (1)
              evil.test (1)""", text);
    }

    @Test
    void withoutAProxyOnlyTheRefusalsAreCounted() {
        assertEquals("halt network: 1 connection refused\nmost refused:\n  127.0.0.1:22 (connect) (1)",
            RunSummary.format(null, refusals("127.0.0.1:22")));
        assertEquals("halt network: connections 1 allowed, 0 refused, 0 failed", RunSummary.format(proxy(1, 0, 0, 0), null));
    }

    @Test
    void refusedMetadataChangesAreAboutFilesNotConnections() {
        assertEquals("", RunSummary.files(null));
        var refusals = new Refusals(new PrintStream(OutputStream.nullOutputStream()));
        refusals.refuse("fchmodat", "/home/me/.ssh/id_rsa", "outside the write grants");
        refusals.refuse("fchmodat", "/home/me/.ssh/id_rsa", "outside the write grants");
        assertEquals("halt files: 2 metadata changes refused (outside the write grants)\nmost refused:\n"
            + "  /home/me/.ssh/id_rsa (fchmodat) (2)", RunSummary.files(refusals));
    }
}
