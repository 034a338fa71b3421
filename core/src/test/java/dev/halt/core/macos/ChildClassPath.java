package dev.halt.core.macos;

import java.io.File;

/**
 * The class path of a JVM a test starts to run core's classes (the second stage): core's tests
 * run patched into the module dev.halt.core, so core's classes and the modules it reads are on
 * {@code jdk.module.path}, and only the tests' own classes and libraries on {@code java.class.path}.
 * The child runs on the class path, as halt.jar does.
 */
final class ChildClassPath {
    private ChildClassPath() {}

    static String of() {
        var modules = System.getProperty("jdk.module.path", "");
        var classes = System.getProperty("java.class.path", "");
        return modules.isEmpty() ? classes : modules + File.pathSeparator + classes;
    }
}
