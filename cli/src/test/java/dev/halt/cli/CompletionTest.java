package dev.halt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code halt completion bash|zsh|fish}: each shell parses its script, and bash and fish (whose
 * completion can be driven from a script) complete halt's commands, options, option values and
 * the command after {@code run}. The shells are installed by {@code .ci/run}.
 */
class CompletionTest {

    @TempDir
    Path temp;

    private static String script(String shell) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.execute(new String[] {"completion", shell}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        return out.toString();
    }

    /** Runs a shell command in {@code directory}, with a home and config directories of its own there. */
    private static HaltProcess.Result run(Path directory, String... command) throws Exception {
        return HaltProcess.run(List.of(command), directory, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin",
            "HOME", directory.toString(), "XDG_CONFIG_HOME", directory.resolve("config").toString(),
            "XDG_DATA_HOME", directory.resolve("data").toString()));
    }

    private static void assumeShell(String path) {
        assumeTrue(Files.isExecutable(Path.of(path)), "[tool-" + Path.of(path).getFileName() + "] needs " + path + " (.ci/run installs it)");
    }

    /** What a user typing each line (the last word being completed) is offered, by the shell's own completion. */
    private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();
    static {
        EXPECTED.put("halt ", List.of("allow", "check", "completion", "config", "deny", "explain", "help", "ps", "run", "stop", "watch"));
        EXPECTED.put("halt r", List.of("run"));
        EXPECTED.put("halt run --net", List.of("--network"));
        EXPECTED.put("halt run --network ", List.of("blocked", "localhost_only", "proxy_only", "unrestricted"));
        EXPECTED.put("halt -v run --network p", List.of("proxy_only"));
        EXPECTED.put("halt config ", List.of("edit", "init", "show", "trust"));
        EXPECTED.put("halt config show --format ", List.of("json", "toml"));
        EXPECTED.put("halt completion ", List.of("bash", "fish", "zsh"));
        EXPECTED.put("halt run --env HALT_COMPLETION_TES", List.of("HALT_COMPLETION_TEST"));
    }

    @Test
    void bashParsesItsScriptAndCompletesCommandsOptionsValuesPathsAndTheCommandAfterRun() throws Exception {
        assumeShell("/bin/bash");
        var file = Files.writeString(temp.resolve("halt.bash"), script("bash"));
        assertEquals(0, run(temp, "bash", "-n", file.toString()).status(), "bash -n parses it");
        Files.createDirectories(temp.resolve("dir-one"));
        var test = new StringBuilder("export HALT_COMPLETION_TEST=1\nsource \"$1\"\n")
            .append("comp() { COMP_LINE=$1; read -r -a COMP_WORDS <<< \"$1\"; [[ $1 == *' ' ]] && COMP_WORDS+=('');")
            .append(" COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _halt;")
            .append(" printf '%s\\n' \"$1\" \"$(printf '%s\\n' \"${COMPREPLY[@]}\" | sort -u | tr '\\n' ' ')\"; }\n");
        var lines = new ArrayList<>(EXPECTED.keySet());
        lines.addAll(List.of("halt run --write dir-o", "halt run -- tru", "halt run --network blocked tru", "halt run -- ls --"));
        for (var line : lines) test.append("comp '").append(line).append("'\n");
        var r = run(temp, "bash", "-c", test.toString(), "test", file.toString());
        assertEquals(0, r.status(), r.err());
        var got = answers(r.out());
        EXPECTED.forEach((line, words) -> assertEquals(words, got.get(line), line));
        assertEquals(List.of("dir-one"), got.get("halt run --write dir-o"), "paths for --write");
        assertTrue(got.get("halt run -- tru").contains("true"), "commands after --: " + got.get("halt run -- tru"));
        assertTrue(got.get("halt run --network blocked tru").contains("true"), "commands after the options");
        assertFalse(got.get("halt run -- ls --").contains("--network"), "the command's words are not halt's options");
    }

    @Test
    void zshParsesItsScript() throws Exception {
        assumeShell("/usr/bin/zsh");
        var file = Files.writeString(temp.resolve("_halt"), script("zsh"));
        var r = run(temp, "zsh", "-n", file.toString());
        assertEquals(0, r.status(), "zsh -n parses it: " + r.err());
        assertTrue(Files.readString(file).startsWith("#compdef halt\n"), "loadable from $fpath");
    }

    @Test
    void fishParsesItsScriptAndCompletesCommandsOptionsValuesPathsAndTheCommandAfterRun() throws Exception {
        assumeShell("/usr/bin/fish");
        var file = Files.writeString(temp.resolve("halt.fish"), script("fish"));
        var parse = run(temp, "fish", "--no-execute", file.toString());
        assertEquals(0, parse.status(), "fish parses it: " + parse.err());
        Files.createDirectories(temp.resolve("dir-one"));
        var test = new StringBuilder("set -gx HALT_COMPLETION_TEST 1\nsource $argv[1]\n");
        var lines = new ArrayList<>(EXPECTED.keySet());
        lines.addAll(List.of("halt run --write dir-o", "halt run -- tru", "halt run --network blocked tru"));
        for (var line : lines) {
            test.append("echo '").append(line).append("'\n")
                .append("complete -C '").append(line).append("' | string replace -r '\\t.*' '' | sort -u | string join ' '\n");
        }
        var r = run(temp, "fish", "--no-config", "-c", test + "", file.toString());
        assertEquals(0, r.status(), r.err());
        var got = answers(r.out());
        EXPECTED.forEach((line, words) -> assertEquals(words, got.get(line), line));
        assertEquals(List.of("dir-one/"), got.get("halt run --write dir-o"), "paths for --write");
        assertTrue(got.get("halt run -- tru").contains("true"), "commands after --: " + got.get("halt run -- tru"));
        assertTrue(got.get("halt run --network blocked tru").contains("true"), "commands after the options");
    }

    @Test
    void anUnknownShellIsAHaltFailure() {
        var err = new StringWriter();
        assertEquals(125, Main.execute(new String[] {"completion", "tcsh"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("use bash, zsh or fish"), err.toString());
    }

    /** Pairs of lines, a typed line then what was offered (words separated by spaces). */
    private static Map<String, List<String>> answers(String out) {
        var lines = out.lines().toList();
        var result = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            var offered = lines.get(i + 1).strip();
            result.put(lines.get(i), offered.isEmpty() ? List.of() : List.of(offered.split(" +")));
        }
        return result;
    }
}
