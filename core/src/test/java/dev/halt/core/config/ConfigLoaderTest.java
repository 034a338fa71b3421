package dev.halt.core.config;

import dev.halt.core.policy.EnvEntry;
import dev.halt.core.policy.ExposedPort;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.ValueSource;
import dev.halt.proxy.DomainPattern;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest extends WithFixture {
    private static List<Path> paths(List<PathGrant> grants) {
        return grants.stream().map(PathGrant::path).toList();
    }

    @Test
    void withoutFilesTheDefaultsApply() {
        var loaded = f.loaded(CommandLineOptions.NONE);
        var policy = loaded.policy();
        assertEquals(NetworkMode.LOCALHOST_ONLY, policy.networkMode());
        assertTrue(paths(policy.grants(PathAccess.READ_WRITE)).contains(f.work), "working directory is writable");
        assertTrue(paths(policy.grants(PathAccess.READ)).contains(Path.of("/usr")));
        assertTrue(policy.grants().stream().noneMatch(g -> g.path().startsWith(f.home)), "home stays closed");
        assertEquals(Duration.ofSeconds(300), policy.proxy().dnsTtl());
        assertInstanceOf(ValueSource.Default.class, loaded.config().value(ConfigSchema.NETWORK_MODE).source());
    }

    @Test
    void layersMergeInOrderListsExtendAndDeduplicate() {
        var a = f.dir("a");
        var b = f.dir("b");
        var c = f.dir("c");
        var d = f.dir("d");
        f.global("""
                [sandbox.paths]
                read = ["%s", "%s"]
                [proxy]
                domain_allowlist = ["example.com", "global.example"]
                """.formatted(a, b));
        f.project("""
                [sandbox.paths]
                read = ["%s", "%s"]
                [proxy]
                domain_allowlist = ["EXAMPLE.com.", "project.example"]
                """.formatted(b, c));
        var extra = f.write(tmp.resolve("extra.toml"), """
                [sandbox.paths]
                read = ["%s"]
                """.formatted(d));
        var loaded = f.loaded(CommandLineOptions.NONE.withConfigFile(extra).withRead(a.toString()));
        var reads = loaded.config().values(ConfigSchema.READ).stream().map(Sourced::value)
                .filter(p -> p.startsWith(tmp)).toList();
        assertEquals(List.of(a, b, c, d), reads, "order of first appearance, each path once");
        // the later source wins for a duplicate: b is last named by the project file, a by --read
        var sources = loaded.config().values(ConfigSchema.READ).stream().filter(s -> s.value().startsWith(tmp))
                .map(s -> s.source()).toList();
        assertEquals(new ValueSource.CommandLine("--read"), sources.get(0));
        assertEquals(f.locations().projectFile(), ((ValueSource.ConfigFile) sources.get(1)).file());
        assertEquals(extra, ((ValueSource.ConfigFile) sources.get(3)).file());
        assertEquals(List.of("example.com", "global.example", "project.example"), names(loaded.policy().proxy().allowlist()));
    }

    @Test
    void laterScalarWins() {
        f.global("""
                [sandbox]
                network = { mode = "blocked" }
                [proxy]
                dns_ttl_seconds = 10
                tcp_idle_timeout_secs = 20
                """);
        f.project("""
                [proxy]
                dns_ttl_seconds = 11
                """);
        var extra = f.write(tmp.resolve("x.toml"), """
                [sandbox.network]
                mode = "proxy_only"
                [proxy]
                dns_ttl_seconds = 12
                """);
        var withExtra = f.loaded(CommandLineOptions.NONE.withConfigFile(extra)).policy();
        assertEquals(NetworkMode.PROXY_ONLY, withExtra.networkMode());
        assertEquals(Duration.ofSeconds(12), withExtra.proxy().dnsTtl());
        assertEquals(Duration.ofSeconds(20), withExtra.proxy().idleTimeout(), "unset keys keep the earlier value");
        var without = f.loaded(CommandLineOptions.NONE).policy();
        assertEquals(NetworkMode.BLOCKED, without.networkMode());
        assertEquals(Duration.ofSeconds(11), without.proxy().dnsTtl());
    }

    @Test
    void noConfigSkipsGlobalAndProjectButKeepsConfigFiles() {
        f.global("[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        f.untrustedProject("[sandbox]\nnetwork = { mode = \"unrestricted\" }\n"); // not even trusted: must not matter
        var extra = f.write(tmp.resolve("strict.toml"), "[proxy]\ndomain_allowlist = [\"api.example.com\"]\n");
        var loaded = f.loaded(CommandLineOptions.NONE.withNoConfig(true).withConfigFile(extra));
        assertEquals(NetworkMode.LOCALHOST_ONLY, loaded.policy().networkMode());
        assertEquals(List.of("api.example.com"), names(loaded.policy().proxy().allowlist()));
        assertEquals(List.of(ConfigScope.DEFAULT, ConfigScope.EXTRA, ConfigScope.COMMAND_LINE),
                loaded.config().layers().stream().map(EffectiveConfig.LayerInfo::scope).toList());
    }

    @Test
    void commandLineNetworkOverridesEveryConfig() {
        f.global("[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        var extra = f.write(tmp.resolve("x.toml"), "[sandbox]\nnetwork = { mode = \"proxy_only\" }\n");
        var loaded = f.loaded(CommandLineOptions.NONE.withConfigFile(extra).withNetwork("unrestricted"));
        assertEquals(NetworkMode.UNRESTRICTED, loaded.policy().networkMode());
        assertEquals(new ValueSource.CommandLine("--network"), loaded.config().value(ConfigSchema.NETWORK_MODE).source());
        assertEquals(NetworkMode.LOCALHOST_ONLY, f.loaded(CommandLineOptions.NONE.withNoConfig(true).withNetwork("localhost")).policy().networkMode());
    }

    @Test
    void allowImpliesProxyModeAndConflictsWithAnotherMode() {
        var loaded = f.loaded(CommandLineOptions.NONE.withAllow("pypi.org"));
        assertEquals(NetworkMode.PROXY_ONLY, loaded.policy().networkMode());
        assertEquals(List.of("pypi.org"), names(loaded.policy().proxy().allowlist()));
        var errors = f.errors(CommandLineOptions.NONE.withAllow("pypi.org").withNetwork("blocked"));
        assertEquals(1, errors.size());
        assertTrue(errors.getFirst().message().contains("--allow"), errors.getFirst().message());
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        var file = f.global("""
                [sandbox]
                network = { mode = "blocked" }

                [proxy]
                dns_ttl_secs = 5
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        assertEquals(1, errors.size());
        var unknown = assertInstanceOf(ConfigError.UnknownKey.class, errors.getFirst());
        assertEquals(file, unknown.file());
        assertEquals(5, unknown.line());
        assertEquals("proxy.dns_ttl_secs", unknown.key());
        assertEquals("proxy.dns_ttl_seconds", unknown.suggestion().orElseThrow());
        var message = unknown.message();
        assertTrue(message.startsWith(file + ":5:"), message);
        assertTrue(message.contains("dns_ttl_seconds"), message);
    }

    @Test
    void unknownTableAndKeyInTheWrongTable() {
        f.global("""
                [sandbx]
                x = 1
                [sandbox]
                domain_allowlist = ["example.com"]
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        assertEquals(2, errors.size());
        var first = assertInstanceOf(ConfigError.UnknownKey.class, errors.get(0));
        assertEquals("sandbx", first.key());
        assertEquals("sandbox", first.suggestion().orElseThrow());
        var second = assertInstanceOf(ConfigError.UnknownKey.class, errors.get(1));
        assertEquals(4, second.line());
        assertEquals("proxy.domain_allowlist", second.suggestion().orElseThrow());
    }

    @Test
    void everyProblemOfAFileIsReportedWithItsLine() {
        var file = f.global("""
                [sandbox]
                network = { mode = "sometimes" }
                allow_unix_sockets = "yes"
                env = ["GOOD", "1BAD"]
                localhost_ports = [80, 70000]

                [sandbox.paths]
                read = "/usr"
                read_write = ["~bob/x", ""]

                [proxy]
                dns_ttl_seconds = 0
                tcp_connect_timeout_secs = 2.5
                max_connections = 99999999999
                domain_allowlist = ["ok.example.com", "*.com", "*"]
                upstream_dns = ["dns.google", "8.8.8.8:53"]
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        var byLine = errors.stream().map(e -> {
            var v = assertInstanceOf(ConfigError.InvalidValue.class, e, e.message());
            assertEquals(file, ((ValueSource.ConfigFile) v.where()).file());
            return ((ValueSource.ConfigFile) v.where()).line() + " " + v.key();
        }).toList();
        assertEquals(List.of(
                "2 sandbox.network.mode",
                "3 sandbox.allow_unix_sockets",
                "4 sandbox.env[1]",
                "5 sandbox.localhost_ports[1]",
                "8 sandbox.paths.read",
                "9 sandbox.paths.read_write[0]",
                "9 sandbox.paths.read_write[1]",
                "12 proxy.dns_ttl_seconds",
                "13 proxy.tcp_connect_timeout_secs",
                "14 proxy.max_connections",
                "15 proxy.domain_allowlist[1]",
                "15 proxy.domain_allowlist[2]",
                "16 proxy.upstream_dns[0]"), byLine);
        var text = errors.stream().map(ConfigError::message).toList();
        assertTrue(text.get(0).contains("\"sometimes\"") && text.get(0).contains("proxy_only"), text.get(0));
        assertTrue(text.get(1).contains("expected true or false, got a string"), text.get(1));
        assertTrue(text.get(7).contains("out of range"), text.get(7));
        assertTrue(text.get(8).contains("expected an integer"), text.get(8));
        assertTrue(text.get(10).contains("*.com"), text.get(10));
    }

    @Test
    void elementsOfMultiLineListsGetTheirOwnLine() {
        f.global("""
                [proxy]
                domain_allowlist = [
                  "good.example.com", # a comment, with, commas
                  "bad..example.com",
                    # spacer
                  "also good.com",

                "*.org"]
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        var positions = errors.stream().map(e -> (ValueSource.ConfigFile) ((ConfigError.InvalidValue) e).where())
                .map(w -> w.line() + ":" + w.column()).toList();
        assertEquals(List.of("4:3", "6:3", "8:1"), positions);
    }

    @Test
    void wrongTypeForNetworkTableSaysHowToWriteIt() {
        f.global("[sandbox]\nnetwork = \"blocked\"\n");
        var error = assertInstanceOf(ConfigError.InvalidValue.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals("sandbox.network", error.key());
        assertTrue(error.message().contains("network = { mode ="), error.message());
    }

    @Test
    void syntaxErrorNamesTheLine() {
        var file = f.global("[sandbox]\nnetwork = { mode = \n");
        var error = assertInstanceOf(ConfigError.Syntax.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals(file, error.file());
        assertEquals(2, error.line());
    }

    @Test
    void badDomainFromTheCommandLineNamesTheFlag() {
        var errors = f.errors(CommandLineOptions.NONE.withAllow("good.example", "bad..example").withNetwork("proxy"));
        assertEquals(1, errors.size());
        var error = assertInstanceOf(ConfigError.InvalidValue.class, errors.getFirst());
        assertEquals(new ValueSource.CommandLine("--allow"), error.where());
        assertTrue(error.message().contains("bad..example"), error.message());
    }

    /** One reader for both: the reason is the same, the location names the flag or the file, line and key. */
    @Test
    void aBadPatternGetsTheSameReasonFromTheFlagAndFromAFile() {
        var file = f.write(tmp.resolve("bad.toml"), "[proxy]\n\ndomain_allowlist = [\"ok.example\", \" *.com\"]\n");
        var fromFile = assertInstanceOf(ConfigError.InvalidValue.class,
                f.errors(CommandLineOptions.NONE.withNoConfig(true).withConfigFile(file)).getFirst());
        var fromFlag = assertInstanceOf(ConfigError.InvalidValue.class,
                f.errors(CommandLineOptions.NONE.withNoConfig(true).withAllow("ok.example", " *.com")).getFirst());
        assertEquals(fromFile.reason(), fromFlag.reason());
        assertTrue(fromFlag.reason().startsWith("bad domain pattern: \"*.com\": a wildcard must cover"), fromFlag.reason());
        assertEquals(new ValueSource.CommandLine("--allow"), fromFlag.where());
        assertTrue(fromFlag.message().startsWith("command line --allow: bad domain pattern"), fromFlag.message());
        var where = assertInstanceOf(ValueSource.ConfigFile.class, fromFile.where());
        assertEquals(file, where.file());
        assertEquals(3, where.line());
        assertEquals("proxy.domain_allowlist[1]", fromFile.key());
        assertTrue(fromFile.message().contains(file + ":3") && fromFile.message().contains("proxy.domain_allowlist[1]: bad domain pattern"),
                fromFile.message());
    }

    @Test
    void badCommandLineValuesAreErrors() {
        var errors = f.errors(CommandLineOptions.NONE.withNetwork("wifi").withEnv("A-B=1").withWrite("~root"));
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("--network"), errors.get(0).message());
    }

    @Test
    void missingConfigFileIsAnError() {
        var errors = f.errors(CommandLineOptions.NONE.withConfigFile(Path.of("nope.toml")));
        var error = assertInstanceOf(ConfigError.Unreadable.class, errors.getFirst());
        assertEquals(f.work.resolve("nope.toml"), error.file(), "relative --config is resolved against the working directory");
    }

    @Test
    void tildeIsHomeAndRelativePathsUseTheWorkingDirectory() {
        var cache = f.dir("home/.cache/pip");
        var docs = f.dir("work/docs");
        f.global("""
                [sandbox.paths]
                read_write = ["~/.cache/pip"]
                read = ["docs", "~"]
                """);
        var policy = f.loaded(CommandLineOptions.NONE.withTraverse("../home/.cache")).policy();
        assertTrue(paths(policy.grants(PathAccess.READ_WRITE)).contains(cache));
        assertTrue(paths(policy.grants(PathAccess.READ)).contains(docs));
        assertTrue(paths(policy.grants(PathAccess.READ)).contains(f.home));
        assertTrue(paths(policy.grants(PathAccess.TRAVERSE)).contains(f.home.resolve(".cache")));
    }

    @Test
    void missingGrantIsAWarningAndSkipped() {
        var file = f.global("""
                [sandbox.paths]
                read = ["~/does-not-exist"]
                """);
        var loaded = f.loaded(CommandLineOptions.NONE.withWrite("also-missing"));
        // (the temp directory holding this test's home is a default writable grant, hence other warnings)
        var missing = loaded.warnings().stream().filter(w -> w instanceof ConfigWarning.MissingPath)
                .map(ConfigWarning.MissingPath.class::cast).toList();
        assertEquals(List.of(f.home.resolve("does-not-exist"), f.work.resolve("also-missing")),
                missing.stream().map(ConfigWarning.MissingPath::path).toList());
        assertTrue(missing.getFirst().message().contains(file + ":2"), missing.getFirst().message());
        assertTrue(missing.getFirst().message().contains("does-not-exist"));
        assertFalse(paths(loaded.policy().grants()).contains(f.home.resolve("does-not-exist")));
    }

    @Test
    void envEntriesFromConfigAndCommandLine() {
        f.global("""
                [sandbox]
                env = ["API_KEY", "MODE=config", "GONE"]
                """);
        f.env.put("API_KEY", "secret-1");
        f.env.put("OTHER_SECRET", "nope");
        f.env.put("LC_ALL", "C.UTF-8");
        var policy = f.loaded(CommandLineOptions.NONE.withEnv("MODE=cli", "EMPTY=")).policy();
        assertEquals(List.of(new EnvEntry.Pass("API_KEY"), new EnvEntry.Set("MODE", "cli"), new EnvEntry.Pass("GONE"),
                new EnvEntry.Set("EMPTY", "")), policy.env().entries());
        var child = policy.env().resolve(f.env);
        assertEquals("secret-1", child.variables().get("API_KEY"));
        assertEquals("cli", child.variables().get("MODE"));
        assertEquals("", child.variables().get("EMPTY"));
        assertEquals("C.UTF-8", child.variables().get("LC_ALL"));
        assertEquals("/usr/bin:/bin", child.variables().get("PATH"));
        assertFalse(child.variables().containsKey("OTHER_SECRET"));
        assertEquals(List.of("GONE"), child.absent());
    }

    /** A profile names a directory of whoever uses it: {@code ~/} at the start of a value is that home. */
    @Test
    void envValuesStartingWithTildeAreTheHome() {
        f.global("""
                [sandbox]
                env = ["CLAUDE_CONFIG_DIR=~/.claude", "ROOT=~", "LITERAL=a~/b", "OTHER=~user/x"]
                """);
        var policy = f.loaded(CommandLineOptions.NONE).policy();
        assertEquals(List.of(new EnvEntry.Set("CLAUDE_CONFIG_DIR", f.home.resolve(".claude").toString()),
                new EnvEntry.Set("ROOT", f.home.toString()), new EnvEntry.Set("LITERAL", "a~/b"),
                new EnvEntry.Set("OTHER", "~user/x")), policy.env().entries());
    }

    @Test
    void proxyAndSandboxKeysReachThePolicy() {
        f.global("""
                [sandbox]
                allow_local_binding = true
                allow_unix_sockets = true
                localhost_ports = [8080, 3000, 8080]
                [proxy]
                domain_allowlist = ["github.com:22", "*.npmjs.org"]
                domain_denylist = ["evil.npmjs.org"]
                upstream_dns = ["1.1.1.1", "[2606:4700:4700::1111]:5353"]
                tcp_connect_timeout_secs = 5
                tcp_idle_timeout_secs = 600
                allow_local_destinations = true
                max_connections = 64
                """);
        var policy = f.loaded(CommandLineOptions.NONE).policy();
        assertTrue(policy.allowLocalBinding());
        assertTrue(policy.allowUnixSockets());
        assertEquals(List.of(3000, 8080), policy.localhostPorts());
        var proxy = policy.proxy();
        assertEquals(List.of("github.com:22", "*.npmjs.org"), names(proxy.allowlist()));
        assertEquals(List.of("evil.npmjs.org"), names(proxy.denylist()));
        assertEquals(2, proxy.upstreamDns().size());
        assertEquals(53, proxy.upstreamDns().get(0).getPort());
        assertEquals(new InetSocketAddress(java.net.InetAddress.ofLiteral("2606:4700:4700::1111"), 5353), proxy.upstreamDns().get(1));
        assertEquals(Duration.ofSeconds(5), proxy.connectTimeout());
        assertEquals(Duration.ofSeconds(600), proxy.idleTimeout());
        assertTrue(proxy.allowLocalDestinations());
        assertEquals(64, proxy.maxConnections());
    }

    @Test
    void hostPortsAreAPortOrAPairAndOneEntryPerSandboxPort() {
        f.global("""
                [sandbox]
                host_ports = [5432, "11434:8080", "6000:5432"]
                """);
        var policy = f.loaded(CommandLineOptions.NONE).policy();
        assertEquals(List.of(new ExposedPort(6000, 5432), new ExposedPort(11434, 8080)), policy.hostPorts(),
                "the later entry for sandbox port 5432 wins");
        f.global("""
                [sandbox]
                host_ports = [0, "5432:", "x", 5432.5]
                """);
        var errors = f.errors(CommandLineOptions.NONE);
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(1).message().contains("PORT:SANDBOX_PORT"), errors.get(1).message());
        assertEquals(ExposedPort.of(80), ExposedPort.parse("80"));
        assertThrows(IllegalArgumentException.class, () -> ExposedPort.parse("1:2:3"));
    }

    @Test
    void xdgConfigHomeMovesTheGlobalFile() {
        var xdg = f.dir("xdg");
        f.env.put("XDG_CONFIG_HOME", xdg.toString());
        assertEquals(xdg.resolve("halt/halt.toml"), f.locations().globalFile());
        f.write(xdg.resolve("halt/halt.toml"), "[sandbox]\nnetwork = { mode = \"blocked\" }\n");
        assertEquals(NetworkMode.BLOCKED, f.loaded(CommandLineOptions.NONE).policy().networkMode());
        f.env.put("XDG_CONFIG_HOME", "relative/dir");
        assertEquals(f.home.resolve(".config/halt/halt.toml"), f.locations().globalFile(), "a relative XDG_CONFIG_HOME is ignored");
    }

    @Test
    void errorsOfSeveralFilesAreAllReported() {
        f.global("[proxy]\ndns_ttl_seconds = -1\n");
        var extra = f.write(tmp.resolve("x.toml"), "[proxy]\nwhat = 1\n");
        var errors = f.errors(CommandLineOptions.NONE.withConfigFile(extra));
        assertEquals(2, errors.size());
        assertEquals(f.locations().globalFile(), errors.get(0).inFile().orElseThrow());
        assertEquals(extra, errors.get(1).inFile().orElseThrow());
    }

    @Test
    void dottedKeysAndTableHeadersAreTheSameSchema() {
        f.global("""
                sandbox.network.mode = "blocked"
                proxy.dns_ttl_seconds = 5
                [sandbox.paths]
                read = ["/usr"]
                """);
        var policy = f.loaded(CommandLineOptions.NONE).policy();
        assertEquals(NetworkMode.BLOCKED, policy.networkMode());
        assertEquals(5, policy.proxy().dnsTtl().toSeconds());
        f.global("""
                [sandbox.network]
                mode = "proxy"
                other = 1
                """);
        var error = assertInstanceOf(ConfigError.UnknownKey.class, f.errors(CommandLineOptions.NONE).getFirst());
        assertEquals("sandbox.network.other", error.key());
        assertEquals(3, error.line());
    }

    @Test
    void tildeOnTheCommandLineToo() {
        var ssh = f.dir("home/.ssh");
        var cache = f.dir("home/.cache");
        var policy = f.loaded(CommandLineOptions.NONE.withTraverse("~/.ssh").withWrite("~/.cache")).policy();
        assertTrue(paths(policy.grants(PathAccess.TRAVERSE)).contains(ssh));
        assertTrue(paths(policy.grants(PathAccess.READ_WRITE)).contains(cache));
    }

    /** The patterns' canonical text: case, a trailing dot and Unicode versus punycode folded. */
    private static List<String> names(List<DomainPattern> patterns) {
        return patterns.stream().map(DomainPattern::toString).toList();
    }
}
