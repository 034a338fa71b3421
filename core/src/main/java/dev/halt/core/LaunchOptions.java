package dev.halt.core;

import java.lang.ProcessBuilder.Redirect;
import java.util.Map;
import java.util.Objects;

/**
 * How to launch, beyond the policy.
 *
 * @param hostEnvironment halt's environment, which the child's is scrubbed from
 * @param bestEffort      run even when a layer cannot be enforced, saying so (WARN) instead of failing
 * @param stdin           the child's standard input ({@link Redirect#INHERIT} for halt's own, terminal included)
 * @param stdout          the child's standard output
 * @param stderr          the child's standard error
 * @param decisionLog     where the proxy writes one JSON line per decision, or null for none
 */
public record LaunchOptions(Map<String, String> hostEnvironment, boolean bestEffort,
                            Redirect stdin, Redirect stdout, Redirect stderr, java.nio.file.Path decisionLog) {

    public LaunchOptions {
        hostEnvironment = Map.copyOf(Objects.requireNonNull(hostEnvironment, "hostEnvironment"));
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    /** The child shares halt's standard streams and terminal. */
    public LaunchOptions(Map<String, String> hostEnvironment, boolean bestEffort) {
        this(hostEnvironment, bestEffort, Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT, null);
    }

    /** This process's environment and streams, strict enforcement. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(System.getenv(), false);
    }

    /** These options with the child's output and error sent to files. */
    public LaunchOptions withOutput(Redirect out, Redirect err) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, out, err, decisionLog);
    }

    /** These options with the proxy's decisions also written, one JSON object a line, to {@code file}. */
    public LaunchOptions withDecisionLog(java.nio.file.Path file) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, stdout, stderr, file);
    }
}
