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
 * @param decisionLog     where the proxy's decisions and the filesystem denials go, one JSON object a line, or null
 * @param explainDenials  with privileges and audit off: switch audit on for the run, to report the
 *                        filesystem accesses Landlock denies (and back off at exit)
 * @param askTimeout      with a proxy: hold a request for a name no allowlist entry matches up to this long,
 *                        and ask about it ({@link LiveNetwork#onQuestion}); null refuses it at once
 */
public record LaunchOptions(Map<String, String> hostEnvironment, boolean bestEffort,
                            Redirect stdin, Redirect stdout, Redirect stderr, java.nio.file.Path decisionLog,
                            boolean explainDenials, java.time.Duration askTimeout) {

    public LaunchOptions {
        hostEnvironment = Map.copyOf(Objects.requireNonNull(hostEnvironment, "hostEnvironment"));
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (askTimeout != null && (askTimeout.isNegative() || askTimeout.isZero())) {
            throw new IllegalArgumentException("askTimeout must be positive, got " + askTimeout);
        }
    }

    /** The child shares halt's standard streams and terminal. */
    public LaunchOptions(Map<String, String> hostEnvironment, boolean bestEffort) {
        this(hostEnvironment, bestEffort, Redirect.INHERIT, Redirect.INHERIT, Redirect.INHERIT, null, false, null);
    }

    /** This process's environment and streams, strict enforcement. */
    public static LaunchOptions defaults() {
        return new LaunchOptions(System.getenv(), false);
    }

    /** These options with the child's output and error sent to files. */
    public LaunchOptions withOutput(Redirect out, Redirect err) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, out, err, decisionLog, explainDenials, askTimeout);
    }

    /** These options with the proxy's decisions also written, one JSON object a line, to {@code file}. */
    public LaunchOptions withDecisionLog(java.nio.file.Path file) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, stdout, stderr, file, explainDenials, askTimeout);
    }

    /** These options with audit switched on for the run when it is off ({@code --explain-denials}). */
    public LaunchOptions withExplainDenials(boolean explain) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, stdout, stderr, decisionLog, explain, askTimeout);
    }

    /**
     * These options with requests for names no allowlist entry matches held up to {@code timeout} and
     * asked about ({@code halt run --ask}); null refuses them at once.
     */
    public LaunchOptions withAsk(java.time.Duration timeout) {
        return new LaunchOptions(hostEnvironment, bestEffort, stdin, stdout, stderr, decisionLog, explainDenials, timeout);
    }
}
