package dev.halt.cli;

import java.util.List;
import java.util.Map;

/**
 * A real agent CLI from npm, as the agent tests run it under its profile in {@code configs/}.
 *
 * @param name         the profile's name: {@code configs/NAME.toml}
 * @param npmPackage   the npm package, installed at {@code version}
 * @param version      the pinned version; {@code --version} must print it
 * @param command      the executable the package installs in {@code node_modules/.bin}
 * @param stateDirs    what the profile's comment says to create under the home before the first run
 * @param homeFiles    files written under the home before a run (settings the agent needs for a
 *                     headless prompt), by path relative to the home; {@code %BASE%} in a
 *                     content is the stand-in's base URL
 * @param prompt       the arguments of one headless prompt
 * @param promptEnv    the variables of that prompt: a fake key and the agent's base-URL setting
 *                     ({@code %BASE%} as above); passed to halt, which passes them on by the profile
 * @param apiPath      what the path (and query) of the agent's model request at the stand-in contains
 * @param baseUrlSetting the setting that points the agent at the stand-in, as its documentation names it
 * @param expectedDenials regular expressions of paths ({@code ~/} the home) that the agent tries and
 *                     is denied, harmlessly (it goes on without them); anything else denied fails the
 *                     test, except the directories above its workspace, home and installation
 */
record AgentCli(String name, String npmPackage, String version, String command, List<String> stateDirs,
                Map<String, String> homeFiles, List<String> prompt, Map<String, String> promptEnv, String apiPath,
                String baseUrlSetting, List<String> expectedDenials) {

    /** The name the stand-in API is reached by: the test's fake DNS maps it to 127.0.0.1, and nothing else. */
    static final String API_HOST = "api.agent-stand-in.test";

    /** The six agents of configs/, at the versions the tests pin. */
    static List<AgentCli> all() {
        return List.of(
            new AgentCli("claude", "@anthropic-ai/claude-code", "2.1.332", "claude", List.of(".claude"), Map.of(),
                List.of("-p", "Answer with one word."),
                Map.of("ANTHROPIC_API_KEY", "sk-ant-fake-key-for-the-stand-in", "ANTHROPIC_BASE_URL", "%BASE%"),
                "/v1/messages?beta=true", "ANTHROPIC_BASE_URL", List.of()),
            new AgentCli("codex", "@openai/codex", "0.171.0", "codex", List.of(".codex"), Map.of(),
                // Codex 0.171 reads no base-URL variable for its model API; a model provider of
                // config.toml (given here with -c) is its documented way to another endpoint.
                List.of("exec", "--skip-git-repo-check",
                    "-c", "model_providers.stand-in.name=\"stand-in\"",
                    "-c", "model_providers.stand-in.base_url=\"%BASE%/v1\"",
                    "-c", "model_providers.stand-in.env_key=\"OPENAI_API_KEY\"",
                    "-c", "model_providers.stand-in.wire_api=\"responses\"",
                    "-c", "model_provider=\"stand-in\"", "Answer with one word."),
                Map.of("OPENAI_API_KEY", "sk-fake-key-for-the-stand-in"),
                "/v1/responses", "model_providers.NAME.base_url", List.of()),
            new AgentCli("gemini", "@google/gemini-cli", "0.61.0", "gemini", List.of(".gemini"),
                Map.of(".gemini/settings.json", "{\"security\": {\"auth\": {\"selectedType\": \"gemini-api-key\"}}}"),
                List.of("--skip-trust", "-p", "Answer with one word."),
                Map.of("GEMINI_API_KEY", "fake-key-for-the-stand-in", "GOOGLE_GEMINI_BASE_URL", "%BASE%"),
                ":streamGenerateContent?alt=sse", "GOOGLE_GEMINI_BASE_URL", List.of()),
            new AgentCli("opencode", "opencode-ai", "1.18.33", "opencode",
                List.of(".config/opencode", ".local/share/opencode", ".local/state/opencode", ".cache/opencode"),
                Map.of(".config/opencode/opencode.json", """
                    {"provider": {"anthropic": {"options": {"baseURL": "%BASE%/v1"}}}, "model": "anthropic/claude-sonnet-4-5"}"""),
                List.of("run", "Answer with one word."),
                Map.of("ANTHROPIC_API_KEY", "sk-ant-fake-key-for-the-stand-in"),
                "/v1/messages", "provider.anthropic.options.baseURL in opencode.json", List.of()),
            new AgentCli("copilot", "@github/copilot", "1.0.102", "copilot", List.of(".copilot", ".cache/copilot"), Map.of(),
                List.of("-p", "Answer with one word.", "--allow-all-tools", "--no-auto-update"),
                Map.of("COPILOT_PROVIDER_BASE_URL", "%BASE%/v1", "COPILOT_PROVIDER_API_KEY", "fake-key-for-the-stand-in",
                    "COPILOT_MODEL", "gpt-4.1"),
                "/v1/chat/completions", "COPILOT_PROVIDER_BASE_URL",
                // A device id of Microsoft's telemetry libraries; Copilot goes on without it.
                List.of("~/\\.cache/Microsoft")),
            new AgentCli("qwen", "@qwen-code/qwen-code", "0.24.4", "qwen", List.of(".qwen"),
                Map.of(".qwen/settings.json", "{\"privacy\": {\"usageStatisticsEnabled\": false}}"),
                List.of("-p", "Answer with one word."),
                Map.of("OPENAI_API_KEY", "sk-fake-key-for-the-stand-in", "OPENAI_BASE_URL", "%BASE%/v1",
                    "OPENAI_MODEL", "qwen3-coder-plus"),
                "/v1/chat/completions", "OPENAI_BASE_URL",
                // Its bundled ripgrep, which npm installs without the execute bit (Qwen falls back
                // to its own grep); and, rootless, the environment of every process of the host,
                // which it reads (the run's own /proc shows only its sandbox with privileges).
                List.of(".*/vendor/ripgrep/x64-linux/rg", "/proc/\\d+/environ")));
    }

    /** {@code text} with {@code %BASE%} replaced by the stand-in's base URL on {@code port}. */
    static String withBase(String text, int port) {
        return text.replace("%BASE%", "http://" + API_HOST + ":" + port);
    }

    /** The prompt's arguments for a stand-in on {@code port}. */
    List<String> promptArguments(int port) {
        return prompt.stream().map(a -> withBase(a, port)).toList();
    }

    /** The prompt's variables for a stand-in on {@code port}. */
    Map<String, String> promptVariables(int port) {
        var result = new java.util.TreeMap<String, String>();
        promptEnv.forEach((k, v) -> result.put(k, withBase(v, port)));
        return result;
    }

    @Override
    public String toString() {
        return name;
    }
}
