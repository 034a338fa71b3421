package dev.halt.core.config;

import dev.halt.core.policy.EnvEntry;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.proxy.DomainPattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The agent profiles in configs/ load, validate, and ask for what their agent needs. */
class AgentProfilesTest {

    private static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();

    @ParameterizedTest
    @CsvSource({
        "claude.toml, api.anthropic.com, ANTHROPIC_API_KEY, .claude",
        "codex.toml,  api.openai.com,    OPENAI_API_KEY,    .codex",
        "gemini.toml, generativelanguage.googleapis.com, GEMINI_API_KEY, .gemini",
        "opencode.toml, api.anthropic.com, ANTHROPIC_API_KEY, .local/share/opencode",
        "copilot.toml, api.githubcopilot.com, COPILOT_GITHUB_TOKEN, .copilot",
        "qwen.toml, dashscope.aliyuncs.com, OPENAI_API_KEY, .qwen"})
    void profileLoadsAndValidates(String file, String apiHost, String keyVariable, String stateDir, @TempDir Path home) throws Exception {
        var profile = CONFIGS.resolve(file);
        assertTrue(Files.isRegularFile(profile), profile.toString());
        Files.createDirectories(home.resolve(stateDir));
        var work = Files.createDirectories(home.resolve("work"));
        var locations = ConfigLocations.of(home, work, Map.of());
        assertEquals(java.util.List.of(), ConfigLoader.validate(profile, ConfigScope.EXTRA, locations), "no errors in " + file);

        var options = CommandLineOptions.NONE.withNoConfig(true).withConfigFile(profile);
        var loaded = assertInstanceOf(LoadResult.Loaded.class, ConfigLoader.load(locations, options, Map.of("PATH", "/usr/bin:/bin")));
        var policy = loaded.policy();
        assertEquals(NetworkMode.PROXY_ONLY, policy.networkMode());
        assertTrue(policy.proxy().allowlist().contains(DomainPattern.parse(apiHost)), policy.proxy().allowlist().toString());
        assertTrue(policy.env().entries().contains(new EnvEntry.Pass(keyVariable)), policy.env().toString());
        assertTrue(policy.grants(PathAccess.READ_WRITE).stream().anyMatch(g -> g.path().equals(home.resolve(stateDir))),
            "the agent's state directory is writable: " + policy.grants());
        assertTrue(policy.grants().stream().noneMatch(g -> g.path().equals(home)), "the home directory stays closed");
    }

    /**
     * Claude Code rewrites ~/.claude.json through a temporary file and a lock directory in ~, which
     * no grant short of ~ covers: the profile moves them into ~/.claude with Claude's own setting.
     */
    @org.junit.jupiter.api.Test
    void claudeKeepsItsConfigFileInsideItsGrantedDirectory(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve(".claude"));
        var work = Files.createDirectories(home.resolve("work"));
        var options = CommandLineOptions.NONE.withNoConfig(true).withConfigFile(CONFIGS.resolve("claude.toml"));
        var loaded = assertInstanceOf(LoadResult.Loaded.class,
            ConfigLoader.load(ConfigLocations.of(home, work, Map.of()), options, Map.of("PATH", "/usr/bin:/bin")));
        var policy = loaded.policy();
        assertTrue(policy.env().entries().contains(new EnvEntry.Set("CLAUDE_CONFIG_DIR", home.resolve(".claude").toString())),
            policy.env().toString());
        assertTrue(policy.proxy().allowlist().contains(DomainPattern.parse("platform.claude.com")), policy.proxy().allowlist().toString());
    }
}
