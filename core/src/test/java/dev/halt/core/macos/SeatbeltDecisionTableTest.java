package dev.halt.core.macos;


import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decision table ({@code sbpl/decisions.csv}) under Seatbelt itself, on a Mac: for each row,
 * the case's profile is applied by {@code /usr/bin/sandbox-exec} (the system's own way to apply a
 * profile, an oracle independent of halt's second stage) to {@link SbplProbe}, which tries the
 * row's operation on a real fixture. This checks what the model of {@link SbplDecisionTableTest}
 * assumes, and that every profile compiles on this macOS version (the open questions of the
 * README's macOS section). Listeners are the test's own, on 127.0.0.1 and in its directory.
 *
 * <p>Every mismatch is collected and reported together, with the probe's own words, so that one
 * CI run answers every row.
 */
@Tag("macos")
@EnabledOnOs(OS.MAC)
class SeatbeltDecisionTableTest {
    private static final Path SANDBOX_EXEC = Path.of("/usr/bin/sandbox-exec");

    @Test
    void everyRowUnderSeatbelt() throws Exception {
        assertTrue(Files.isExecutable(SANDBOX_EXEC), SANDBOX_EXEC + " is part of macOS");
        var mismatches = new ArrayList<String>();
        int ran = 0;
        // Under /private/tmp, not the user's /var/folders/...: a unix socket's path must stay under 104 bytes.
        var tmp = Files.createTempDirectory(Path.of("/private/tmp"), "halt-sbpl-");
        try (var proxy = SbplCases.loopbackListener(); var portA = SbplCases.loopbackListener(); var portB = SbplCases.loopbackListener()) {
            var rows = SbplCases.decisions();
            for (int c = 0; c < SbplCases.NAMES.size(); c++) {
                var name = SbplCases.NAMES.get(c);
                var fixture = SbplCases.realFixture(tmp.resolve("c" + c), proxy.getLocalPort(), portA.getLocalPort(), portB.getLocalPort());
                try (var sock = SbplCases.unixListener(fixture.path("OUT").resolve("sock"))) {
                    var profile = SbplProfile.generate(SbplCases.policy(name, fixture), SbplCases.environment(name, fixture));
                    for (var row : rows) {
                        if (!row.caseName().equals(name) || !row.real()) continue;
                        ran++;
                        check(row, fixture, profile).ifPresent(mismatches::add);
                    }
                }
            }
        } finally {
            try (var all = Files.walk(tmp)) {
                for (var f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
            }
        }
        assertTrue(ran > 50, "rows run: " + ran);
        assertEquals(List.of(), mismatches, "rows where Seatbelt decided otherwise than the table");
    }

    /**
     * halt folds grants spelled through {@code /System/Volumes/Data} back by its own list of
     * firmlinks; this version's list ({@code /usr/share/firmlinks}, a path and a name per line) must
     * hold nothing halt does not know.
     */
    @Test
    void firmlinksAreHaltsList() throws IOException {
        var unknown = new ArrayList<String>();
        for (var line : Files.readAllLines(Path.of("/usr/share/firmlinks"))) {
            var path = line.strip().split("\t")[0];
            if (!path.isEmpty() && !SbplProfile.FIRMLINKS.contains(Path.of(path))) unknown.add(path);
        }
        assertEquals(List.of(), unknown, "firmlinks of this macOS missing from SbplProfile.FIRMLINKS");
    }

    /** Runs one row; a message when Seatbelt decided otherwise, or the probe could not tell. */
    private static Optional<String> check(SbplCases.Decision row, SbplCases.Fixture fixture, SbplProfile profile)
            throws IOException, InterruptedException {
        var target = fixture.expand(row.target());
        var command = new ArrayList<>(List.of(SANDBOX_EXEC.toString(), "-p", profile.text()));
        for (var p : profile.parameters()) command.addAll(List.of("-D", p.getKey() + "=" + p.getValue()));
        command.addAll(List.of(fixture.javaHome().resolve("bin/java").toString(), "-XX:-UsePerfData", "-Xshare:auto",
            "-Djava.net.preferIPv4Stack=true", "--enable-native-access=ALL-UNNAMED", "-cp", fixture.extraReads().getFirst().toString(),
            SbplProbe.class.getName(), row.probe(), target));
        var builder = new ProcessBuilder(command).directory(fixture.path("WS").toFile()).redirectErrorStream(true);
        var env = builder.environment();
        env.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS"));
        env.put("TMPDIR", fixture.path("TMP").toString());
        var child = builder.start();
        var output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            return Optional.of(row + ": no answer in 60 s; " + output);
        }
        int status = child.exitValue();
        if (status != SbplProbe.ALLOWED && status != SbplProbe.DENIED) {
            return Optional.of(row + ": the probe could not tell (exit " + status + "): " + output);
        }
        if ((status == SbplProbe.ALLOWED) != row.allowed()) {
            return Optional.of(row + ": Seatbelt " + (status == SbplProbe.ALLOWED ? "allowed" : "denied") + " it: " + output);
        }
        if (!row.allowed() && List.of("create", "link", "clone", "rename").contains(row.probe())) {
            var made = Path.of(target.contains(">") ? SbplProbe.destination(target) : target);
            if (Files.exists(made)) return Optional.of(row + ": denied, yet " + made + " exists");
        }
        return Optional.empty();
    }
}
