package dev.halt.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code halt config init | show | edit | trust} as library calls; the CLI's {@code ConfigCommand} parses flags, calls
 * one of these and prints the result.
 *
 * <pre>{@code
 * var here = ConfigLocations.ofCurrentProcess();
 * ConfigActions.init(here, ConfigScope.PROJECT, force);                 // -> InitResult
 * ConfigActions.show(here, options, System.getenv(), Format.TOML);     // -> ShowResult
 * ConfigActions.edit(here, ConfigScope.GLOBAL, System.getenv(), ConfigActions::runEditor);
 * ConfigActions.trust(here);                                          // -> TrustResult
 * }</pre>
 */
public final class ConfigActions {
    private ConfigActions() {
    }

    // ---- init ----

    /** The outcome of {@link #init}. */
    public sealed interface InitResult {
        /** Written; a project file is also trusted, since halt wrote its content. */
        record Created(Path file, boolean trusted) implements InitResult {
        }

        /** Not written: the file exists and {@code force} was not given. */
        record AlreadyExists(Path file) implements InitResult {
            /** What to tell the user. */
            public String message() {
                return file + " already exists; edit it with `halt config edit`, or pass --force to replace it";
            }
        }

        /** Not written, for {@code reason}. */
        record Failed(Path file, String reason) implements InitResult {
        }
    }

    /** The starter file of {@code scope} ({@code GLOBAL} or {@code PROJECT}), all commented out. */
    public static String starterText(ConfigScope scope) {
        return StarterConfig.text(scope);
    }

    /**
     * Writes the commented starter file for {@code scope} ({@link ConfigScope#GLOBAL} or
     * {@link ConfigScope#PROJECT}), creating its directory. Refuses to replace an existing file
     * unless {@code force}. A new project file is recorded as trusted: its content is halt's own.
     */
    public static InitResult init(ConfigLocations locations, ConfigScope scope, boolean force) {
        var file = locations.file(scope);
        var content = starterText(scope).getBytes(StandardCharsets.UTF_8);
        if (scope == ConfigScope.PROJECT) {
            var refusal = ProjectFile.refusal(locations);
            if (refusal.isPresent()) {
                return new InitResult.Failed(file, refusal.get().detail());
            }
        }
        try {
            // Under sudo the file is the invoking user's, and stays theirs.
            var user = dev.halt.core.policy.InvokingUser.current();
            user.createDirectories(file.getParent());
            boolean created = !Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (force) {
                Files.write(file, content);
            } else {
                Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            if (created) user.own(file);
        } catch (FileAlreadyExistsException e) {
            return new InitResult.AlreadyExists(file);
        } catch (IOException e) {
            return new InitResult.Failed(file, TrustStore.describe(e));
        }
        if (scope == ConfigScope.PROJECT) {
            return switch (TrustStore.of(locations).trust(file, content)) {
                case TrustStore.TrustResult.Trusted t -> new InitResult.Created(file, true);
                case TrustStore.TrustResult.Failed f -> new InitResult.Failed(file, "written, but " + f.reason());
            };
        }
        return new InitResult.Created(file, false);
    }

    // ---- show ----

    /** The outcome of {@link #show}. */
    public sealed interface ShowResult {
        /** The rendered configuration, and the warnings it carries. */
        record Shown(String text, List<ConfigWarning> warnings) implements ShowResult {
        }

        /** The configuration cannot be loaded; nothing to show but the errors. */
        record Failed(List<ConfigError> errors) implements ShowResult {
        }
    }

    /**
     * Renders the effective configuration that {@code halt run} with {@code options} would use
     * here: defaults and every layer, with the source of each value.
     */
    public static ShowResult show(ConfigLocations locations, CommandLineOptions options, Map<String, String> environment,
                                  ConfigRenderer.Format format) {
        return switch (ConfigLoader.load(locations, options, environment)) {
            case LoadResult.Loaded ok -> new ShowResult.Shown(ConfigRenderer.render(ok.config(), ok.warnings(), format), ok.warnings());
            case LoadResult.Failed bad -> new ShowResult.Failed(bad.errors());
        };
    }

    // ---- edit ----

    /** Runs an editor command (the file is its last argument) and returns its exit status. */
    @FunctionalInterface
    public interface EditorLauncher {
        int launch(List<String> command) throws IOException, InterruptedException;
    }

    /** The outcome of {@link #edit}. */
    public sealed interface EditResult {
        /** The saved file is valid; a project file was trusted as saved. */
        record Valid(Path file, boolean trusted) implements EditResult {
        }

        /** The saved file has problems (not trusted); the user should edit again. */
        record Invalid(Path file, List<ConfigError> errors) implements EditResult {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }

        /** The editor could not be run or failed; {@code reason} says how. */
        record Failed(Path file, String reason) implements EditResult {
        }
    }

    /**
     * The editor to run: {@code $VISUAL}, else {@code $EDITOR}, else {@code vi}. The variable
     * is split on blanks so {@code "code --wait"} works; quoting is not interpreted.
     */
    public static List<String> editorCommand(Map<String, String> environment) {
        for (var name : List.of("VISUAL", "EDITOR")) {
            var value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return List.of(value.strip().split("\\s+"));
            }
        }
        return List.of("vi");
    }

    /** Runs {@code command} in the foreground with halt's terminal and waits for it. */
    public static int runEditor(List<String> command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /**
     * Opens the config file of {@code scope} in the user's editor (writing the starter file
     * first when there is none), then validates what was saved.
     *
     * <p>A valid project file is trusted as saved: the user has just seen and written the whole
     * content, which is what {@code halt config trust} asks of them. The bytes validated are the
     * bytes trusted.
     */
    public static EditResult edit(ConfigLocations locations, ConfigScope scope, Map<String, String> environment,
                                  EditorLauncher launcher) {
        Objects.requireNonNull(launcher, "launcher");
        var file = locations.file(scope);
        if (scope == ConfigScope.PROJECT) {
            var refusal = ProjectFile.refusal(locations);
            if (refusal.isPresent()) {
                return new EditResult.Invalid(file, List.of(refusal.get()));
            }
        }
        if (!Files.exists(file)) {
            switch (init(locations, scope, false)) {
                case InitResult.Failed f -> {
                    return new EditResult.Failed(file, "cannot create it: " + f.reason());
                }
                case InitResult.Created c -> { }
                case InitResult.AlreadyExists a -> { }
            }
        }
        var command = new ArrayList<>(editorCommand(environment));
        command.add(file.toString());
        try {
            int status = launcher.launch(command);
            if (status != 0) {
                return new EditResult.Failed(file, "the editor (" + String.join(" ", command) + ") exited with status "
                        + status + "; the file is as it left it, run `halt config edit` again");
            }
        } catch (IOException e) {
            return new EditResult.Failed(file, "cannot run the editor " + command.getFirst() + " (" + TrustStore.describe(e)
                    + "); set $VISUAL or $EDITOR to your editor");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new EditResult.Failed(file, "interrupted while waiting for the editor");
        }
        byte[] content;
        if (scope == ConfigScope.PROJECT) {
            switch (ProjectFile.read(locations)) {
                case ProjectFile.Read.Content(var bytes) -> content = bytes;
                case ProjectFile.Read.Refused refused -> {
                    return new EditResult.Invalid(file, List.of(refused.error()));
                }
                case ProjectFile.Read.Absent absent -> {
                    return new EditResult.Failed(file, "the file is gone after the editor ran; run `halt config edit` again");
                }
            }
        } else {
            try {
                content = ConfigFiles.read(file);
            } catch (ConfigFiles.Unusable e) {
                return new EditResult.Failed(file, "cannot read it back: " + e.getMessage());
            }
        }
        var errors = ConfigLoader.validate(file, content, scope, locations);
        if (!errors.isEmpty()) {
            return new EditResult.Invalid(file, errors);
        }
        if (scope == ConfigScope.PROJECT) {
            return switch (TrustStore.of(locations).trust(file, content)) {
                case TrustStore.TrustResult.Trusted t -> new EditResult.Valid(file, true);
                case TrustStore.TrustResult.Failed f -> new EditResult.Failed(file, "valid, but not trusted: " + f.reason());
            };
        }
        return new EditResult.Valid(file, false);
    }

    // ---- trust ----

    /** The outcome of {@link #trust}. */
    public sealed interface TrustResult {
        /** The project file's current content (hash {@code sha256}) is trusted. */
        record Trusted(Path file, String sha256) implements TrustResult {
        }

        /** Not trusted: the file has problems; fix them, then trust again. */
        record Invalid(Path file, List<ConfigError> errors) implements TrustResult {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }

        /** Not trusted, for {@code reason}. */
        record Failed(Path file, String reason) implements TrustResult {
        }
    }

    /**
     * Trusts the current content of the project file, after checking it: content with errors is
     * not trusted (fixing it would change the hash anyway).
     */
    public static TrustResult trust(ConfigLocations locations) {
        var file = locations.projectFile();
        byte[] content;
        switch (ProjectFile.read(locations)) {
            case ProjectFile.Read.Absent absent -> {
                return new TrustResult.Failed(file, "there is no project config here; create one with `halt config init`");
            }
            case ProjectFile.Read.Refused refused -> {
                return new TrustResult.Failed(file, refused.error().message());
            }
            case ProjectFile.Read.Content(var bytes) -> content = bytes;
        }
        var errors = ConfigLoader.validate(file, content, ConfigScope.PROJECT, locations);
        if (!errors.isEmpty()) {
            return new TrustResult.Invalid(file, errors);
        }
        return switch (TrustStore.of(locations).trust(file, content)) {
            case TrustStore.TrustResult.Trusted t -> new TrustResult.Trusted(file, t.sha256());
            case TrustStore.TrustResult.Failed f -> new TrustResult.Failed(file, f.reason());
        };
    }
}
