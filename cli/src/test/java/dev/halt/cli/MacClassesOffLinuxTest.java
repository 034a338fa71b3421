package dev.halt.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS backend costs Linux nothing: in a Linux {@code halt run -- true} and {@code halt check}
 * not one class of {@code dev.halt.core.macos} or {@code dev.halt.ffm.macos} is loaded, by the
 * JVM's own class-loading log.
 */
@Tag("linux")
class MacClassesOffLinuxTest {

    private static final List<String> MACOS_PACKAGES = List.of("dev.halt.core.macos.", "dev.halt.ffm.macos.");

    @Test
    void aLinuxRunAndCheckLoadNoMacosClass(@TempDir Path temp) throws Exception {
        var work = Files.createDirectories(temp.resolve("work"));
        var env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", temp.resolve("home").toString(),
            "XDG_CONFIG_HOME", temp.resolve("config").toString(), "XDG_STATE_HOME", temp.resolve("state").toString());
        for (var args : List.of(List.of("run", "--no-config", "--network", "unrestricted", "--", "true"), List.of("check"))) {
            var log = temp.resolve(args.getFirst() + "-classes.log");
            var r = HaltProcess.run(HaltProcess.command(System.getProperty("java.class.path"), false,
                List.of("-Xlog:class+load=info:file=" + log), args.toArray(String[]::new)), work, env);
            var loaded = Files.readAllLines(log);
            assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.halt.cli.Main ")), "the log names halt's classes: " + r.err());
            var macos = loaded.stream().filter(l -> MACOS_PACKAGES.stream().anyMatch(l::contains)).toList();
            assertEquals(List.of(), macos, "halt " + args.getFirst() + " loaded macOS classes on Linux");
            if (args.getFirst().equals("run")) assertEquals(0, r.status(), r.err());
        }
    }
}
