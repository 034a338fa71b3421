package dev.halt.core.macos;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Stage 2's command line and environment, as stage 1 writes them and stage 2 reads them back. */
class SeatbeltExecArgumentsTest {

    private static final String PROFILE = "(version 1)\n(allow default)\n(deny file-write* (subpath (param \"RW_0\")))\n";

    @Test
    void theCommandLineRoundTripsHostileValues() {
        var hostile = List.of("cat", "--", "--status", "a b", "\"q\"", "back\\slash", "(paren)", ";semi", "new\nline", "",
            "ünïcödé", "--param", "-");
        var written = new SeatbeltExecArguments("/Users/u/.local/state/halt/runs/1-ab.status", new SeatbeltExecArguments.User(501, 20),
            PROFILE, List.of("RW_0", "/Users/u/Project (copy)\"; (allow default)", "EMPTY", ""), "/bin/cat", hostile);
        var read = SeatbeltExecArguments.decode(written.encode().toArray(String[]::new));
        assertEquals(written, read);
        assertEquals(hostile, read.argv(), "everything after -- is the command's, options included");
    }

    @Test
    void withoutSudoThereIsNoUser() {
        var written = new SeatbeltExecArguments("/r/s", null, PROFILE, List.of(), "/usr/bin/true", List.of("true"));
        var encoded = written.encode();
        assertFalse(encoded.contains("--user"));
        assertNull(SeatbeltExecArguments.decode(encoded.toArray(String[]::new)).user());
    }

    @Test
    void aLargeUidSurvives() {
        var nobody = new SeatbeltExecArguments.User(-2, -2); // 4294967294, macOS's nobody
        var written = new SeatbeltExecArguments("/r/s", nobody, PROFILE, List.of(), "/usr/bin/true", List.of("true"));
        assertTrue(written.encode().contains("4294967294:4294967294"));
        assertEquals(nobody, SeatbeltExecArguments.decode(written.encode().toArray(String[]::new)).user());
    }

    @Test
    void malformedCommandLinesAreRefusedSayingWhy() {
        assertRefused("no -- before the command", "--status", "/r/s", "--profile", "p", "--exec", "/bin/true");
        assertRefused("no command after --", "--status", "/r/s", "--profile", "p", "--exec", "/bin/true", "--");
        assertRefused("no --status", "--profile", "p", "--exec", "/bin/true", "--", "true");
        assertRefused("--exec needs an absolute path", "--status", "/r/s", "--profile", "p", "--exec", "true", "--", "true");
        assertRefused("--param needs a value", "--status", "/r/s", "--profile", "p", "--exec", "/bin/true", "--param", "K");
        assertRefused("unknown option --verbose", "--verbose", "--", "true");
        assertRefused("--user 501: not UID:GID", "--user", "501", "--", "true");
        assertRefused("--user a:b: not UID:GID", "--user", "a:b", "--", "true");
        assertRefused("a profile parameter has an empty key", "--status", "/r/s", "--profile", "p", "--param", "", "v",
            "--exec", "/bin/true", "--", "true");
    }

    private static void assertRefused(String why, String... args) {
        var e = assertThrows(IllegalArgumentException.class, () -> SeatbeltExecArguments.decode(args));
        assertEquals(why, e.getMessage());
    }

    @Test
    void theJvmVariablesAreRenamedForStageTwoAndRestoredForTheCommand() {
        var child = new LinkedHashMap<String, String>();
        child.put("PATH", "/usr/bin:/bin");
        child.put("JAVA_TOOL_OPTIONS", "-Dhttp.proxyHost=127.0.0.1 -Djava.net.preferIPv4Stack=true");
        child.put("_JAVA_OPTIONS", "-Xmx1g");
        child.put("JDK_JAVA_OPTIONS", "--add-opens=x");
        child.put("DYLD_INSERT_LIBRARIES", "/tmp/evil.dylib");
        child.put("HALT_STAGE2_JAVA_TOOL_OPTIONS", "the child's own variable of that name");
        child.put("SECRET", "s3cr=t with spaces");
        child.put("EMPTY", "");
        var stageTwo = SeatbeltExecEnvironment.forStageTwo(child);
        for (var jvmVariable : List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "DYLD_INSERT_LIBRARIES")) {
            assertFalse(stageTwo.containsKey(jvmVariable), jvmVariable + " would act on stage 2's JVM");
        }
        assertEquals(child.size(), stageTwo.size());
        assertEquals(entries(child), List.of(SeatbeltExecEnvironment.forCommand(stageTwo, 4242)),
            "the command gets exactly the child's environment");
    }

    @Test
    void theLaunchersOwnVariablesOfThisPidAreDropped() {
        var stageTwo = new LinkedHashMap<String, String>();
        stageTwo.put("JAVA_MAIN_CLASS_4242", "dev.halt.core.macos.SeatbeltExec");
        stageTwo.put("JAVA_STARTED_ON_FIRST_THREAD_4242", "1");
        stageTwo.put("JAVA_MAIN_CLASS_17", "the child's, another pid");
        stageTwo.put("HOME", "/Users/u");
        assertEquals(List.of("JAVA_MAIN_CLASS_17=the child's, another pid", "HOME=/Users/u"),
            List.of(SeatbeltExecEnvironment.forCommand(stageTwo, 4242)));
    }

    private static List<String> entries(Map<String, String> env) {
        return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
