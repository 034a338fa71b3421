package dev.halt.core.macos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment of stage 2, which is the child's environment with the variables a JVM would act
 * on renamed out of its way: stage 2 is itself a JVM, and {@code JAVA_TOOL_OPTIONS} (which halt
 * sets in proxy mode), {@code _JAVA_OPTIONS} and {@code JDK_JAVA_OPTIONS} would change it and make
 * it print "Picked up ..." on the command's stderr; {@code DYLD_*} would change what its
 * {@code java} loads. Stage 2 renames them back and hands the command exactly the environment
 * stage 1 chose. Secrets passed with {@code --env} thus travel only as the environment, never in
 * argv or a file.
 */
public final class SeatbeltExecEnvironment {
    private SeatbeltExecEnvironment() {}

    /** The prefix of a renamed variable. A child variable that already has it is renamed too, so every name round-trips. */
    static final String PREFIX = "HALT_STAGE2_";

    /** The child's environment as stage 2's process gets it. */
    public static Map<String, String> forStageTwo(Map<String, String> child) {
        var result = new LinkedHashMap<String, String>();
        for (var entry : child.entrySet()) {
            var name = entry.getKey();
            result.put(renamed(name) ? PREFIX + name : name, entry.getValue());
        }
        return result;
    }

    /**
     * The child's environment from stage 2's: renamed variables get their names back, and the
     * variables the macOS {@code java} launcher sets in its own environment ({@code JAVA_MAIN_CLASS_<pid>},
     * {@code JAVA_STARTED_ON_FIRST_THREAD_<pid>}, {@code JAVA_ARCH_<pid>} with stage 2's own pid)
     * go. As {@code NAME=value} entries, the form {@code envp} takes.
     */
    public static String[] forCommand(Map<String, String> stageTwo, long stageTwoPid) {
        var launcherSuffix = "_" + stageTwoPid;
        var result = new String[stageTwo.size()];
        int n = 0;
        for (var entry : stageTwo.entrySet()) {
            var name = entry.getKey();
            if (name.endsWith(launcherSuffix) && launcherVariable(name.substring(0, name.length() - launcherSuffix.length()))) continue;
            if (name.startsWith(PREFIX)) name = name.substring(PREFIX.length());
            result[n++] = name + "=" + entry.getValue();
        }
        return java.util.Arrays.copyOf(result, n);
    }

    private static boolean renamed(String name) {
        return name.equals("JAVA_TOOL_OPTIONS") || name.equals("_JAVA_OPTIONS") || name.equals("JDK_JAVA_OPTIONS")
            || name.startsWith("DYLD_") || name.startsWith(PREFIX);
    }

    private static boolean launcherVariable(String stem) {
        return stem.equals("JAVA_MAIN_CLASS") || stem.equals("JAVA_STARTED_ON_FIRST_THREAD") || stem.equals("JAVA_ARCH");
    }
}
