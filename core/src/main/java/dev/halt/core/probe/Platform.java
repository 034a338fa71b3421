package dev.halt.core.probe;

/**
 * The machine and JVM halt runs on.
 *
 * @param os       {@code linux}, {@code macos} or the JDK's own name ({@link dev.halt.core.SandboxBackend#os()})
 * @param arch     the JDK's {@code os.arch}
 * @param kernel   kernel release ({@code uname -r} on Linux)
 * @param jdkVersion  {@code Runtime.version()}
 * @param jdkVendor   {@code java.vendor}
 * @param javaHome    {@code java.home}
 */
public record Platform(String os, String arch, String kernel, String jdkVersion, String jdkVendor, String javaHome) {

    /** This JVM's platform. */
    public static Platform current() {
        return new Platform(dev.halt.core.SandboxBackend.current().os(), System.getProperty("os.arch"), System.getProperty("os.version"),
            Runtime.version().toString(), System.getProperty("java.vendor"), System.getProperty("java.home"));
    }
}
