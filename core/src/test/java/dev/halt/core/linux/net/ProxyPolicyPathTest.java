package dev.halt.core.linux.net;

import dev.halt.core.config.CommandLineOptions;
import dev.halt.core.config.ConfigLoader;
import dev.halt.core.config.ConfigLocations;
import dev.halt.core.config.ConfigSchema;
import dev.halt.core.config.LoadResult;
import dev.halt.core.config.Sourced;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import dev.halt.proxy.DomainMatcher;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.ProxyConfig;
import dev.halt.proxy.ProxyPolicy;
import dev.halt.proxy.ProxyServer;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain policy from the config file and {@code --allow} to the running proxy's matcher: each
 * entry is parsed once, when the config is read, and that very {@link DomainPattern} is what the
 * matcher decides with; the proxy's defaults are the same whichever way a policy is built.
 */
class ProxyPolicyPathTest {
    private static final Map<String, String> ENV = Map.of("PATH", "/usr/bin:/bin");

    @Test
    void eachPatternIsParsedOnceAndThatInstanceReachesTheMatcher(@TempDir Path root) throws Exception {
        var home = Files.createDirectories(root.resolve("home"));
        var work = Files.createDirectories(root.resolve("work"));
        // Upstream DNS on loopback's discard port: this test asks no name, it only reads the matcher.
        var file = Files.writeString(root.resolve("proxy.toml"), """
            [proxy]
            domain_allowlist = ["*.files.test:8443"]
            domain_denylist = ["no.files.test"]
            upstream_dns = ["127.0.0.1:9"]
            """);
        var options = CommandLineOptions.NONE.withNoConfig(true).withConfigFile(file).withAllow(" Pypi.ORG. ");
        var loaded = assertInstanceOf(LoadResult.Loaded.class, ConfigLoader.load(ConfigLocations.of(home, work, ENV), options, ENV));

        var read = loaded.config().values(ConfigSchema.DOMAIN_ALLOWLIST);
        var fromFile = read.stream().filter(s -> s.source() instanceof ValueSource.ConfigFile).map(Sourced::value).findFirst().orElseThrow();
        var fromFlag = read.stream().filter(s -> s.source().equals(new ValueSource.CommandLine("--allow")))
            .map(Sourced::value).findFirst().orElseThrow();
        var denied = loaded.config().values(ConfigSchema.DOMAIN_DENYLIST).getFirst().value();
        assertEquals(DomainPattern.parse("pypi.org"), fromFlag);

        var proxyPolicy = loaded.policy().proxy();
        assertSame(fromFile, proxyPolicy.allowlist().get(0));
        assertSame(fromFlag, proxyPolicy.allowlist().get(1));
        assertSame(denied, proxyPolicy.denylist().get(0));
        assertEquals(List.of(80, 443, 8443), List.copyOf(NetworkSetup.transparentPorts(proxyPolicy)));

        var quiet = new ProxyConfig.LogOptions(null, new PrintStream(OutputStream.nullOutputStream()), 0, false, null);
        var config = NetworkSetup.proxyConfig(proxyPolicy, null).hostsFile(null).log(quiet).build();
        try (var proxy = ProxyServer.startOnLoopback(config)) {
            assertSame(fromFlag, allowedBy(proxy.matcher().check("pypi.org", 443)));
            assertSame(fromFile, allowedBy(proxy.matcher().check("a.files.test", 8443)));
            assertSame(denied, assertInstanceOf(DomainMatcher.Verdict.Denied.class, proxy.matcher().check("no.files.test", 8443)).by());
        }
    }

    @Test
    void theProxyDefaultsAreTheSameWhicheverWayAPolicyIsBuilt(@TempDir Path root) throws Exception {
        var home = Files.createDirectories(root.resolve("home"));
        var work = Files.createDirectories(root.resolve("work"));
        var options = CommandLineOptions.NONE.withNoConfig(true);
        var loaded = assertInstanceOf(LoadResult.Loaded.class, ConfigLoader.load(ConfigLocations.of(home, work, ENV), options, ENV));
        assertEquals(ProxyPolicy.DEFAULTS, loaded.policy().proxy(), "from the config's built-in layer");
        assertEquals(ProxyPolicy.DEFAULTS, SandboxPolicy.builder(work).build().proxy(), "from the API");
        assertEquals(ProxyPolicy.DEFAULTS, NetworkSetup.proxyConfig(loaded.policy().proxy(), null).build().policy(), "handed to the proxy");
        assertEquals(ProxyPolicy.DEFAULTS, ProxyConfig.builder().build().policy(), "the proxy's own builder");
        assertEquals(ProxyPolicy.DEFAULTS.maxConnections(), loaded.config().value(ConfigSchema.MAX_CONNECTIONS).value(),
            "what halt config show prints");
        assertTrue(loaded.config().value(ConfigSchema.MAX_CONNECTIONS).source() instanceof ValueSource.Default);
    }

    private static DomainPattern allowedBy(DomainMatcher.Verdict verdict) {
        return assertInstanceOf(DomainMatcher.Verdict.Allowed.class, verdict).by();
    }
}
