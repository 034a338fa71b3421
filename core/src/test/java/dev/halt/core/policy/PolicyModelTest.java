package dev.halt.core.policy;

import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.ProxyPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PolicyModelTest {

    @Test
    void networkModesParseByNameAndAlias() {
        assertEquals(NetworkMode.PROXY_ONLY, NetworkMode.parse("proxy_only").orElseThrow());
        assertEquals(NetworkMode.PROXY_ONLY, NetworkMode.parse("proxy").orElseThrow());
        assertEquals(NetworkMode.LOCALHOST_ONLY, NetworkMode.parse(" Localhost ").orElseThrow());
        assertEquals(NetworkMode.BLOCKED, NetworkMode.parse("blocked").orElseThrow());
        assertEquals(NetworkMode.UNRESTRICTED, NetworkMode.parse("unrestricted").orElseThrow());
        assertFalse(NetworkMode.parse("block").isPresent());
        assertFalse(NetworkMode.parse("").isPresent());
        assertEquals(NetworkMode.LOCALHOST_ONLY, NetworkMode.DEFAULT);
        assertTrue(NetworkMode.validNames().contains("\"localhost_only\" (or \"localhost\")"));
    }

    @Test
    void accessLevelsInclude() {
        assertTrue(PathAccess.READ_WRITE.includes(PathAccess.READ));
        assertTrue(PathAccess.READ.includes(PathAccess.TRAVERSE));
        assertFalse(PathAccess.TRAVERSE.includes(PathAccess.READ));
    }

    @Test
    void envIsScrubbedToTheAllowlistPlusEntries() {
        var host = Map.of("PATH", "/bin", "HOME", "/h", "LC_TIME", "C", "XDG_RUNTIME_DIR", "/run/u",
                "AWS_SECRET_ACCESS_KEY", "x", "ANTHROPIC_API_KEY", "k", "LD_PRELOAD", "/evil.so");
        var policy = new EnvPolicy(List.of(EnvEntry.parse("ANTHROPIC_API_KEY"), EnvEntry.parse("FOO=a=b"),
                EnvEntry.parse("MISSING"), EnvEntry.parse("HOME=/sandbox-home")));
        var child = policy.resolve(host);
        assertEquals(Map.of("PATH", "/bin", "HOME", "/sandbox-home", "LC_TIME", "C", "XDG_RUNTIME_DIR", "/run/u",
                "ANTHROPIC_API_KEY", "k", "FOO", "a=b"), child.variables());
        assertEquals(List.of("MISSING"), child.absent());
        assertEquals(Set.copyOf(List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "LANG", "LANGUAGE", "TZ",
                "TMPDIR", "EDITOR", "VISUAL", "PAGER", "COLORTERM", "TERM_PROGRAM")), Set.copyOf(EnvPolicy.ALWAYS_PASSED));
    }

    @Test
    void laterEnvEntryForANameWins() {
        var policy = new EnvPolicy(List.of(new EnvEntry.Set("A", "1"), new EnvEntry.Pass("B"), new EnvEntry.Pass("A")));
        assertEquals(List.of(new EnvEntry.Pass("A"), new EnvEntry.Pass("B")), policy.entries());
        assertEquals(Map.of("A", "from-host"), policy.resolve(Map.of("A", "from-host")).variables());
    }

    @Test
    void badEnvNamesAreRefused() {
        for (var bad : List.of("", "=x", "1A", "A-B", "A B=1")) {
            var e = assertThrows(IllegalArgumentException.class, () -> EnvEntry.parse(bad), bad);
            assertTrue(e.getMessage().contains("KEY=VALUE"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> EnvEntry.parse("A=nul\0"));
    }

    @Test
    void builderMakesAValidatedImmutablePolicy() {
        var work = Path.of("/work/repo");
        var grants = SystemDefaults.grants(work, Map.of("PATH", "/usr/bin"), p -> true);
        var policy = SandboxPolicy.builder(work)
                .grants(grants)
                .read(Path.of("/etc/ssl/certs"))
                .readWrite(Path.of("/work/repo/../out/./x"))
                .traverse(Path.of("/"))
                .read(Path.of("/etc/ssl/certs"))
                .networkMode(NetworkMode.PROXY_ONLY)
                .proxy(ProxyPolicy.builder().allow("api.example.com", "API.example.com.").deny("x.example.com").build())
                .env(new EnvEntry.Pass("EXAMPLE_API_KEY"))
                .localhostPort(8080).localhostPort(3000)
                .build();
        assertEquals(1, policy.grants().stream().filter(g -> g.path().equals(Path.of("/etc/ssl/certs"))).count());
        assertTrue(policy.grants(PathAccess.READ_WRITE).stream().anyMatch(g -> g.path().equals(Path.of("/work/out/x"))));
        assertEquals(List.of(DomainPattern.parse("api.example.com")), policy.proxy().allowlist(), "case and trailing dot deduplicate");
        assertEquals(List.of(3000, 8080), policy.localhostPorts());
        assertThrows(UnsupportedOperationException.class, () -> policy.grants().add(PathGrant.of(Path.of("/x"), PathAccess.READ)));
        assertEquals(policy, policy.toBuilder().build());
        assertEquals(NetworkMode.BLOCKED, policy.toBuilder().networkMode(NetworkMode.BLOCKED).build().networkMode());
    }

    @Test
    void invalidPoliciesAreRefusedWithEveryReason() {
        assertThrows(IllegalArgumentException.class, () -> PathGrant.of(Path.of("relative"), PathAccess.READ));
        var e = assertThrows(IllegalArgumentException.class, () -> SandboxPolicy.builder(Path.of("rel"))
                .localhostPort(0).localhostPort(70000).build());
        assertTrue(e.getMessage().contains("absolute") && e.getMessage().contains("70000") && e.getMessage().contains(" 0 "), e.getMessage());
        var proxy = assertThrows(IllegalArgumentException.class, () -> ProxyPolicy.builder()
                .dnsTtl(Duration.ZERO).maxConnections(0).idleTimeout(Duration.ofDays(8)).build());
        for (var part : List.of("dns_ttl_seconds", "max_connections", "tcp_idle_timeout_secs")) {
            assertTrue(proxy.getMessage().contains(part), part + " in " + proxy.getMessage());
        }
        var pattern = assertThrows(IllegalArgumentException.class, () -> ProxyPolicy.builder().allow("*.com"));
        assertTrue(pattern.getMessage().contains("\"*.com\""), pattern.getMessage());
    }

    @Test
    @Tag("linux")
    void defaultsOpenTheSystemAndWorkspaceAndKeepHomeClosed() {
        var work = Path.of("/home/u/project");
        var env = Map.of("PATH", "/home/u/.local/bin:.:relative/bin:/usr/bin:/usr/bin", "TMPDIR", "/var/tmp/u", "HOME", "/home/u");
        var grants = SystemDefaults.grants(work, env, p -> !p.equals(Path.of("/lib32")));
        var byPath = new java.util.HashMap<Path, PathAccess>();
        grants.forEach(g -> byPath.put(g.path(), g.access()));
        assertEquals(PathAccess.READ, byPath.get(Path.of("/usr")));
        assertEquals(PathAccess.READ, byPath.get(Path.of("/etc")));
        assertEquals(PathAccess.READ, byPath.get(Path.of("/proc")));
        assertEquals(PathAccess.READ, byPath.get(Path.of("/sys")));
        assertEquals(PathAccess.READ, byPath.get(Path.of("/home/u/.local/bin")), "PATH directories are readable");
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/dev/null")));
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/dev/shm")));
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/dev/pts")));
        assertEquals(PathAccess.READ_WRITE, byPath.get(work));
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/tmp")));
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/var/tmp")));
        assertEquals(PathAccess.READ_WRITE, byPath.get(Path.of("/var/tmp/u")));
        assertFalse(byPath.containsKey(Path.of("/lib32")), "missing candidates are left out");
        assertFalse(byPath.containsKey(Path.of("/home/u")), "home stays closed");
        assertTrue(grants.stream().noneMatch(g -> g.path().toString().contains("relative")), "relative PATH entries are skipped");
        assertEquals(1, grants.stream().filter(g -> g.path().equals(Path.of("/usr/bin"))).count());
        assertTrue(grants.stream().allMatch(g -> g.source() instanceof ValueSource.Default));
    }
}
