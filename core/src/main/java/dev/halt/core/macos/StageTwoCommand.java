package dev.halt.core.macos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts stage 2: this JVM's {@code java}, flags that make a short JVM
 * start fast and say nothing on the command's streams, stage 2's own start-up cache when
 * {@code bin/halt} made one, halt's class path and {@link SeatbeltExec}.
 *
 * @param javaHome  the JDK to run ({@code java.home} of halt's JVM)
 * @param classPath halt's class path ({@code java.class.path}: the jar)
 * @param cache     stage 2's AOT cache (JDK 25+) or CDS archive (22-24), or null
 * @param mainClass the main class: {@link SeatbeltExec}; tests name a fake
 */
public record StageTwoCommand(Path javaHome, String classPath, Path cache, String mainClass) {

    /** The system property {@code bin/halt} sets to the path of stage 2's start-up cache. */
    public static final String CACHE_PROPERTY = "halt.stage2.cache";

    /** Stage 2 as this JVM would start it: same JDK, same class path, the cache when it exists. */
    public static StageTwoCommand ofThisJvm() {
        var cache = System.getProperty(CACHE_PROPERTY);
        var cachePath = cache == null || cache.isEmpty() ? null : Path.of(cache);
        return new StageTwoCommand(Path.of(System.getProperty("java.home")), System.getProperty("java.class.path"),
            cachePath != null && Files.isRegularFile(cachePath) ? cachePath : null, SeatbeltExec.class.getName());
    }

    /** The whole command line, {@code arguments} after the main class. */
    public List<String> build(List<String> arguments) {
        var command = new ArrayList<String>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        // Unified logging writes its warnings to stdout, which is the command's: nothing at all.
        command.add("-Xlog:disable");
        command.add("--enable-native-access=ALL-UNNAMED");
        // As bin/halt starts halt: C1 only, no perf data file, the smallest collector.
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:-UsePerfData");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:+DisableAttachMechanism");
        if (cache != null) {
            command.add(Runtime.version().feature() >= 25 ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache);
        }
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
