package dev.halt.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code halt run} enforces each network mode with the mechanism {@code halt check} names for it,
 * as this test's user (root in CI: network namespaces) and as user 65534 (rootless: Landlock,
 * seccomp and the supervisor).
 */
class EnforcementPlanCliTest {

    @TempDir
    static Path temp;
    static String classPath;
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(HaltProcess.landlockAbi() >= 4, "needs Landlock ABI >= 4, where every mode has a mechanism rootless too");
        classPath = HaltProcess.prepareForHaltsUser(temp);
        work = Files.createDirectories(temp.resolve("work"));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private static HaltProcess.Result halt(boolean asNobody, String... args) throws Exception {
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        return HaltProcess.run(HaltProcess.command(classPath, asNobody, args), work, env);
    }

    /** The mechanism a run names at -v: {@code halt: network MODE: ID (the enforcement plan's ...}. */
    private static final Pattern RUN_MECHANISM = Pattern.compile("halt: network (\\S+): (\\S+) \\(the enforcement plan's");

    @Test
    void everyModeRunsWithTheMechanismCheckNames() throws Exception {
        for (boolean asNobody : HaltProcess.asNobody() ? List.of(false, true) : List.of(false)) {
            var check = halt(asNobody, "check", "--json");
            @SuppressWarnings("unchecked")
            var modes = (Map<String, Map<String, Object>>) ((Map<String, Object>) Json.parse(check.out())).get("network_modes");
            for (var mode : List.of("unrestricted", "localhost_only", "proxy_only", "blocked")) {
                var named = (String) modes.get(mode).get("mechanism");
                var r = halt(asNobody, "-v", "run", "--no-config", "--network", mode, "--", "true");
                var who = (asNobody ? "as 65534, " : "") + mode;
                assertEquals(0, r.status(), who + ": " + r.err());
                var used = RUN_MECHANISM.matcher(r.err());
                assertTrue(used.find(), who + ": " + r.err());
                assertEquals(mode, used.group(1));
                assertEquals(named, used.group(2), who + ": check names " + named + ", run used " + used.group(2));
            }
        }
    }
}
