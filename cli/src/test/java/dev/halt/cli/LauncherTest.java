package dev.halt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** bin/jdk.sh's JDK discovery, run by /bin/sh against fake JDK homes. */
class LauncherTest {

    private static final Path JDK_SH = Path.of("..", "bin", "jdk.sh").toAbsolutePath().normalize();

    private static Path fakeJdk(Path root, String name, String version) throws IOException {
        var home = Files.createDirectories(root.resolve(name));
        var bin = Files.createDirectories(home.resolve("bin"));
        for (var tool : new String[] {"java", "javac"}) {
            var exe = Files.writeString(bin.resolve(tool), "#!/bin/sh\necho 'openjdk version \"" + version + "\"' >&2\n");
            Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private record Run(int status, String out, String err) {}

    private static Run findJdk(Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder("/bin/sh", "-c", ". \"$1\"; if j=$(halt_find_jdk); then echo \"$j\"; else halt_no_jdk; exit 125; fi", "sh", JDK_SH.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        var p = pb.start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }

    @Test
    void javaHomeOf22OrNewerWins(@TempDir Path dir) throws Exception {
        var jdk23 = fakeJdk(dir, "jdk-23", "23.0.1");
        fakeJdk(dir.resolve("jvm"), "jdk-25", "25.0.3");
        var r = findJdk(Map.of("JAVA_HOME", jdk23.toString(), "PATH", "/usr/bin:/bin", "HALT_JDK_DIRS", dir.resolve("jvm") + "/*"));
        assertEquals(jdk23.toString(), r.out());
    }

    @Test
    void oldJavaHomeAndPathAreSkippedForTheNewestInstalledJdk(@TempDir Path dir) throws Exception {
        var jdk17 = fakeJdk(dir, "jdk-17", "17.0.15");
        var jvm = dir.resolve("jvm");
        fakeJdk(jvm, "jdk-21", "21.0.2");
        fakeJdk(jvm, "jdk-22", "22");
        var jdk25 = fakeJdk(jvm, "jdk-25", "25.0.3");
        var r = findJdk(Map.of("JAVA_HOME", jdk17.toString(), "PATH", jdk17.resolve("bin") + ":/usr/bin:/bin",
            "HALT_JDK_DIRS", jvm + "/*"));
        assertEquals(jdk25.toString(), r.out(), r.err());
    }

    @Test
    void javaOnPathIsFoundThroughItsHome(@TempDir Path dir) throws Exception {
        var jdk24 = fakeJdk(dir, "jdk-24", "24");
        var r = findJdk(Map.of("PATH", jdk24.resolve("bin") + ":/usr/bin:/bin", "HALT_JDK_DIRS", dir.resolve("none") + "/*"));
        assertEquals(jdk24.toString(), r.out(), r.err());
    }

    @Test
    void noJdkSaysWhatToInstall(@TempDir Path dir) throws Exception {
        var jdk17 = fakeJdk(dir, "jdk-17", "17.0.15");
        var r = findJdk(Map.of("JAVA_HOME", jdk17.toString(), "PATH", "/usr/bin:/bin", "HALT_JDK_DIRS", dir.resolve("none") + "/*"));
        assertEquals(125, r.status());
        assertTrue(r.err().contains("no JDK >= 22"), r.err());
        assertTrue(r.err().contains("apt-get install"), r.err());
    }
}
