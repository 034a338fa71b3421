package dev.halt.cli;

import org.junit.jupiter.api.Tag;
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
        return sh(env, ". \"$1\"; if j=$(halt_find_jdk); then echo \"$j\"; else halt_no_jdk; exit 125; fi");
    }

    /** bin/halt's way: the answer remembered in {@code cache}. */
    private static Run findJdkCached(Map<String, String> env, Path cache) throws Exception {
        return sh(env, ". \"$1\"; halt_find_jdk_cached \"$2\"", cache.toString());
    }

    private static Run sh(Map<String, String> env, String script, String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("/bin/sh", "-c", script, "sh", JDK_SH.toString()));
        command.addAll(java.util.List.of(args));
        var pb = new ProcessBuilder(command);
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
    void theChoiceIsRememberedUntilWhatDecidesItChanges(@TempDir Path dir) throws Exception {
        var jvm = dir.resolve("jvm");
        var jdk22 = fakeJdk(jvm, "jdk-22", "22");
        var cache = Files.createDirectories(dir.resolve("target")).resolve("jdk-choice");
        var env = new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "HALT_JDK_DIRS", jvm + "/*", "HOME", dir.toString()));
        assertEquals(jdk22.toString(), findJdkCached(env, cache).out());
        assertTrue(Files.readString(cache).contains(jdk22.toString()), "the answer is written next to the jar");

        // A hit is the remembered answer, not a new search: point the file at another JDK.
        var elsewhere = fakeJdk(dir, "jdk-24", "24");
        Files.writeString(cache, Files.readString(cache).replace(jdk22.toString(), elsewhere.toString()));
        Files.setLastModifiedTime(jvm, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertEquals(elsewhere.toString(), findJdkCached(env, cache).out());

        // Another JAVA_HOME is another question.
        var jdk23 = fakeJdk(dir, "jdk-23", "23");
        env.put("JAVA_HOME", jdk23.toString());
        assertEquals(jdk23.toString(), findJdkCached(env, cache).out());
        env.remove("JAVA_HOME");

        // A JDK installed since (the directory changed after the file was written) is seen.
        Files.writeString(cache, Files.readString(cache));
        Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        var jdk25 = fakeJdk(jvm, "jdk-25", "25.0.3");
        assertEquals(jdk25.toString(), findJdkCached(env, cache).out());

        // The remembered JDK removed: searched again.
        Files.writeString(cache, Files.readString(cache).replace(jdk25.toString(), dir.resolve("gone").toString()));
        Files.setLastModifiedTime(jvm, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertEquals(jdk25.toString(), findJdkCached(env, cache).out());
    }

    @Test
    void noJdkSaysWhatToInstall(@TempDir Path dir) throws Exception {
        var jdk17 = fakeJdk(dir, "jdk-17", "17.0.15");
        var r = findJdk(Map.of("JAVA_HOME", jdk17.toString(), "PATH", "/usr/bin:/bin", "HALT_JDK_DIRS", dir.resolve("none") + "/*"));
        assertEquals(125, r.status());
        assertTrue(r.err().contains("no JDK >= 22"), r.err());
        assertTrue(r.err().contains("apt-get install"), r.err());
    }

    /**
     * bin/halt's start-up cache is only as good as its training run: a run refused with 125 (its
     * config home once lay inside its working directory) trained argument parsing and nothing else.
     */
    @Test
    @Tag("linux")
    void theStartUpCachesTrainingRunRunsAndSendsItsRequestThroughTheProxy(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(HaltProcess.landlockAbi() >= 4, "[landlock-abi-4] needs Landlock ABI >= 4 for proxy mode");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "[tool-curl] needs /usr/bin/curl");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var r = sh(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", dir.resolve("home").toString()),
            ". \"$1\"; halt_train \"$2\" \"$3\" --enable-native-access=ALL-UNNAMED -cp \"$4\" dev.halt.cli.Main",
            dir.resolve("training").toString(), java, System.getProperty("java.class.path"));
        assertEquals(0, r.status(), r.err());
        // localhost:9 refuses, or something there answers: either way the request reached the proxy.
        assertTrue(r.err().contains("halt network: connections 0 allowed, 0 refused, 1 failed")
            || r.err().contains("halt network: connections 1 allowed, 0 refused, 0 failed"), r.err());
    }
}
