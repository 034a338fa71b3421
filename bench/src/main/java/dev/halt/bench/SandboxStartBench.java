package dev.halt.bench;

import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.Sandbox;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.proxy.ProxyPolicy;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sandbox start in a warm JVM: {@code Sandbox.launch} of {@code /usr/bin/true} to its exit
 * (jailer thread, capability drop as root, no_new_privs, seccomp, Landlock, spawn, wait).
 * {@code processBuilder} is the same spawn without any sandbox: the JDK's own floor.
 *
 * <p>Modes that need a network namespace use it when the JVM has the privileges (root); in
 * {@code proxy_only} every launch also starts and stops a proxy. Its upstream DNS is set to
 * 127.0.0.1 explicitly (the child, {@code true}, never asks), so nothing reads the host's
 * {@code /etc/resolv.conf} nameserver. Cold start (a fresh JVM) is measured by {@code compare.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SandboxStartBench {
    @Param({"unrestricted", "blocked", "localhost_only", "proxy_only"})
    public String network;

    private SandboxPolicy policy;
    private LaunchOptions options;
    private Path work;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // core logs each Landlock rule at INFO through System.Logger; under the JDK's default
        // java.util.logging setup that reaches stderr on every launch (~30 lines), which is
        // not what an embedder or halt's CLI pays. Keep warnings, drop the rest.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (var h : java.util.logging.Logger.getLogger("").getHandlers()) h.setLevel(java.util.logging.Level.WARNING);
        work = Files.createTempDirectory("halt-bench-work");
        var env = System.getenv();
        policy = SandboxPolicy.builder(work)
                .grants(SystemDefaults.grants(work, env))
                .networkMode(NetworkMode.valueOf(network.toUpperCase(Locale.ROOT)))
                .proxy(ProxyPolicy.builder()
                        .allow("sink.bench.test")
                        .upstreamDns(new InetSocketAddress(Loopback.LO, 53))
                        .build())
                .build();
        options = new LaunchOptions(env, false).withOutput(Redirect.DISCARD, Redirect.DISCARD);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(work);
    }

    @Benchmark
    public int launchTrue() throws LaunchException, InterruptedException {
        SandboxedProcess p = Sandbox.launch(policy, List.of("/usr/bin/true"), options);
        int status = p.waitFor();
        if (status != 0) throw new IllegalStateException("true exited " + status);
        return status;
    }

    @Benchmark
    public int processBuilder() throws IOException, InterruptedException {
        // Only meaningful once (it ignores the network parameter); JMH runs it per param value anyway.
        return new ProcessBuilder("/usr/bin/true").redirectOutput(Redirect.DISCARD)
                .redirectError(Redirect.DISCARD).start().waitFor();
    }
}
