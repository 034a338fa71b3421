package dev.halt.core.probe;

/**
 * The machine and JVM halt runs on.
 *
 * @param os       {@code linux}, {@code macos} or the JDK's own name
 * @param arch     the JDK's {@code os.arch}
 * @param kernel   kernel release ({@code uname -r} on Linux)
 * @param jdkVersion  {@code Runtime.version()}
 * @param jdkVendor   {@code java.vendor}
 * @param javaHome    {@code java.home}
 */
public record Platform(String os, String arch, String kernel, String jdkVersion, String jdkVendor, String javaHome) {

    /** This JVM's platform. */
    public static Platform current() {
        var name = System.getProperty("os.name", "");
        var os = name.startsWith("Linux") ? "linux" : name.startsWith("Mac") ? "macos" : name.toLowerCase();
        return new Platform(os, System.getProperty("os.arch"), System.getProperty("os.version"),
            Runtime.version().toString(), System.getProperty("java.vendor"), System.getProperty("java.home"));
    }
}
