package dev.halt.core.config;

import dev.halt.core.policy.NetworkMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigActionsTest extends WithFixture {
    @Test
    void initWritesACommentedStarterThatChangesNothing() throws Exception {
        var created = assertInstanceOf(ConfigActions.InitResult.Created.class,
                ConfigActions.init(f.locations(), ConfigScope.PROJECT, false));
        assertEquals(f.locations().projectFile(), created.file());
        assertTrue(created.trusted(), "halt wrote it, so it is trusted");
        assertInstanceOf(ConfigActions.InitResult.Created.class, ConfigActions.init(f.locations(), ConfigScope.GLOBAL, false));
        assertTrue(Files.readString(f.locations().globalFile()).contains("# network = { mode = \"proxy_only\" }"));
        var withStarters = f.loaded(CommandLineOptions.NONE);
        var without = f.loaded(CommandLineOptions.NONE.withNoConfig(true));
        assertEquals(without.policy(), withStarters.policy());
        assertEquals(List.of(ConfigScope.DEFAULT, ConfigScope.GLOBAL, ConfigScope.PROJECT, ConfigScope.COMMAND_LINE),
                withStarters.config().layers().stream().map(EffectiveConfig.LayerInfo::scope).toList());
    }

    @Test
    void starterExamplesAreValidWhenUncommented() {
        for (var scope : List.of(ConfigScope.GLOBAL, ConfigScope.PROJECT)) {
            var uncommented = new StringBuilder();
            for (var line : ConfigActions.starterText(scope).split("\n")) {
                // "# key = value" lines are examples; prose comments contain no " = " right after a key
                uncommented.append(line.matches("# [a-z_]+ = .*") ? line.substring(2) : line).append('\n');
            }
            var file = f.write(tmp.resolve(scope + ".toml"), uncommented.toString());
            var errors = ConfigLoader.validate(file, scope, f.locations());
            assertEquals(List.of(), errors.stream().map(ConfigError::message).toList());
            assertTrue(uncommented.toString().contains("\nnetwork = { mode = \"proxy_only\" }"), "the examples were uncommented");
        }
    }

    @Test
    void initRefusesToOverwriteWithoutForce() throws Exception {
        var file = f.global("[proxy]\ndns_ttl_seconds = 5\n");
        var exists = assertInstanceOf(ConfigActions.InitResult.AlreadyExists.class,
                ConfigActions.init(f.locations(), ConfigScope.GLOBAL, false));
        assertTrue(exists.message().contains("--force"));
        assertEquals("[proxy]\ndns_ttl_seconds = 5\n", Files.readString(file));
        assertInstanceOf(ConfigActions.InitResult.Created.class, ConfigActions.init(f.locations(), ConfigScope.GLOBAL, true));
        assertEquals(ConfigActions.starterText(ConfigScope.GLOBAL), Files.readString(file));
    }

    @Test
    void editorIsVisualThenEditorThenVi() {
        assertEquals(List.of("code", "--wait"), ConfigActions.editorCommand(Map.of("VISUAL", " code --wait ", "EDITOR", "nano")));
        assertEquals(List.of("nano"), ConfigActions.editorCommand(Map.of("VISUAL", "  ", "EDITOR", "nano")));
        assertEquals(List.of("vi"), ConfigActions.editorCommand(Map.of()));
    }

    @Test
    void editValidatesWhatWasSavedAndTrustsAValidProjectFile() {
        f.env.put("EDITOR", "my-editor -x");
        var commands = new ArrayList<List<String>>();
        ConfigActions.EditorLauncher saveBlocked = command -> {
            commands.add(command);
            Files.writeString(Path.of(command.getLast()), "[sandbox]\nnetwork = { mode = \"blocked\" }\n");
            return 0;
        };
        var valid = assertInstanceOf(ConfigActions.EditResult.Valid.class,
                ConfigActions.edit(f.locations(), ConfigScope.PROJECT, f.env, saveBlocked));
        assertTrue(valid.trusted());
        assertEquals(List.of(List.of("my-editor", "-x", f.locations().projectFile().toString())), commands);
        assertEquals(NetworkMode.BLOCKED, f.loaded(CommandLineOptions.NONE).policy().networkMode());
    }

    @Test
    void editReportsWhatIsWrongAndDoesNotTrustIt() {
        f.project("[proxy]\n");
        ConfigActions.EditorLauncher saveBad = command -> {
            Files.writeString(Path.of(command.getLast()), "[proxy]\nmax_connections = 0\nnope = 1\n");
            return 0;
        };
        var invalid = assertInstanceOf(ConfigActions.EditResult.Invalid.class,
                ConfigActions.edit(f.locations(), ConfigScope.PROJECT, f.env, saveBad));
        assertEquals(2, invalid.errors().size());
        assertTrue(invalid.errors().get(0).message().contains(":2:"), invalid.errors().get(0).message());
        assertInstanceOf(ConfigError.Untrusted.class, f.errors(CommandLineOptions.NONE).getFirst());
    }

    @Test
    void editorFailureIsReported() {
        var failed = assertInstanceOf(ConfigActions.EditResult.Failed.class,
                ConfigActions.edit(f.locations(), ConfigScope.GLOBAL, f.env, command -> 3));
        assertTrue(failed.reason().contains("status 3"), failed.reason());
        assertTrue(Files.exists(f.locations().globalFile()), "the starter was written before the editor ran");
        f.env.put("VISUAL", tmp.resolve("no-such-editor").toString());
        var missing = assertInstanceOf(ConfigActions.EditResult.Failed.class,
                ConfigActions.edit(f.locations(), ConfigScope.GLOBAL, f.env, ConfigActions::runEditor));
        assertTrue(missing.reason().contains("$VISUAL or $EDITOR"), missing.reason());
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void editRunsARealEditorProcess() throws Exception {
        var editor = f.write(tmp.resolve("editor.sh"), "#!/bin/sh\nprintf '[proxy]\\ndns_ttl_seconds = 42\\n' > \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        f.env.put("VISUAL", editor.toString());
        var valid = assertInstanceOf(ConfigActions.EditResult.Valid.class,
                ConfigActions.edit(f.locations(), ConfigScope.GLOBAL, f.env, ConfigActions::runEditor));
        assertFalse(valid.trusted(), "the global file needs no trust");
        assertEquals(42, f.loaded(CommandLineOptions.NONE).policy().proxy().dnsTtl().toSeconds());
    }

    @Test
    void showFailsWithTheLoadErrors() {
        f.untrustedProject("[proxy]\n");
        var failed = assertInstanceOf(ConfigActions.ShowResult.Failed.class,
                ConfigActions.show(f.locations(), CommandLineOptions.NONE, f.env, ConfigRenderer.Format.TOML));
        assertInstanceOf(ConfigError.Untrusted.class, failed.errors().getFirst());
    }
}
