package dev.halt.core.config;

import dev.halt.proxy.DomainPattern;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

import org.tomlj.Toml;

/**
 * An edit of the project's {@code .halt/halt.toml} that adds entries to {@code [proxy]
 * domain_allowlist} or {@code domain_denylist}: what {@code halt allow --save} and an "always"
 * answer of {@code halt watch --ask} write. The edit is planned against the content the user last
 * trusted (a file changed since is refused: it is the sandbox's to write), shown as a diff, and
 * written and trusted only once the user agreed. The file is edited as text, so its comments stay:
 * the entries go first in the existing list, or in a new line under {@code [proxy]}, or in a new
 * {@code [proxy]} table at the end.
 *
 * @param file   the project file
 * @param before its trusted content (empty when it does not exist)
 * @param after  the content to write
 * @param added  the entries added, as written
 */
public record ProjectFileEdit(java.nio.file.Path file, byte[] before, byte[] after, List<String> added) {

    private static final Pattern PROXY_HEADER = Pattern.compile("\\s*\\[\\s*proxy\\s*]\\s*(#.*)?");

    /** What planning found. */
    public sealed interface Plan {
        /** The edit to show and, once agreed, {@link #write}. */
        record Edit(ProjectFileEdit edit) implements Plan {}

        /** Every entry is in the file already. */
        record Unchanged(String why) implements Plan {}

        /** The file cannot be edited safely; {@code why} says what to do instead. */
        record Refused(String why) implements Plan {}
    }

    /**
     * Plans adding {@code entries} to {@code domain_denylist} when {@code deny}, else to
     * {@code domain_allowlist}, of the project file of {@code locations}.
     */
    public static Plan plan(ConfigLocations locations, boolean deny, List<String> entries) {
        var key = deny ? ConfigSchema.DOMAIN_DENYLIST : ConfigSchema.DOMAIN_ALLOWLIST;
        var file = locations.projectFile();
        byte[] before;
        switch (ProjectFile.read(locations)) {
            case ProjectFile.Read.Absent absent -> before = new byte[0];
            case ProjectFile.Read.Refused refused -> {
                return new Plan.Refused(refused.error().message());
            }
            case ProjectFile.Read.Content(var bytes) -> before = bytes;
        }
        if (before.length > 0 && TrustStore.of(locations).check(file, before) != TrustStore.Status.TRUSTED) {
            return new Plan.Refused(file + " changed since you last trusted it (the sandboxed program may have written it):"
                + " review it and run 'halt config trust' first, then save again");
        }
        var text = new String(before, StandardCharsets.UTF_8);
        var present = new LinkedHashSet<String>();
        if (before.length > 0) {
            var parsed = Toml.parse(text);
            if (parsed.hasErrors()) return new Plan.Refused(file + " does not parse: " + parsed.errors().getFirst().getMessage());
            var list = parsed.getArray(ConfigSchema.keyPath(key).stream().reduce((a, b) -> a + "." + b).orElseThrow());
            if (list != null) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof String s) present.add(canonical(s));
                }
            }
        }
        var added = new ArrayList<String>();
        for (var entry : entries) {
            var canonical = canonical(entry);
            if (present.add(canonical)) added.add(canonical);
        }
        if (added.isEmpty()) return new Plan.Unchanged("already in " + key.dottedName() + " of " + file);
        String edited;
        try {
            edited = insert(text, key.name(), added);
        } catch (IllegalArgumentException e) {
            return new Plan.Refused(file + ": " + e.getMessage() + "; add " + added + " to " + key.dottedName() + " yourself");
        }
        var after = edited.getBytes(StandardCharsets.UTF_8);
        var errors = ConfigLoader.validate(file, after, ConfigScope.PROJECT, locations);
        if (!errors.isEmpty()) return new Plan.Refused(file + ": the edit would not load: " + errors.getFirst().message());
        return new Plan.Edit(new ProjectFileEdit(file, before, after, List.copyOf(added)));
    }

    /** The entry as the proxy writes it ({@code Example.COM.} is {@code example.com}); an invalid one as it is. */
    private static String canonical(String entry) {
        try {
            return DomainPattern.parse(entry.strip()).toString();
        } catch (IllegalArgumentException e) {
            return entry.strip();
        }
    }

    /** {@code text} with {@code added} first in the {@code [proxy]} list {@code name}. */
    static String insert(String text, String name, List<String> added) {
        var quoted = String.join(", ", added.stream().map(e -> "\"" + e + "\"").toList());
        var parsed = Toml.parse(text);
        var keyPosition = parsed.inputPositionOf("proxy." + name);
        var lines = new ArrayList<>(text.lines().toList());
        if (keyPosition != null) {
            int index = keyPosition.line() - 1;
            var line = lines.get(index);
            var m = Pattern.compile("(\\s*" + name + "\\s*=\\s*\\[)(.*)").matcher(line);
            if (!m.matches()) throw new IllegalArgumentException("its " + name + " is not written as a plain list on its own line");
            // A trailing comma is valid TOML: ["new", ] and ["new", "old"] alike.
            lines.set(index, m.group(1) + quoted + ", " + m.group(2));
            return String.join("\n", lines) + "\n";
        }
        var tablePosition = parsed.inputPositionOf("proxy");
        if (tablePosition != null) {
            int index = tablePosition.line() - 1;
            if (!PROXY_HEADER.matcher(lines.get(index)).matches()) {
                throw new IllegalArgumentException("its [proxy] settings are not written as a [proxy] table");
            }
            lines.add(index + 1, name + " = [" + quoted + "]");
            return String.join("\n", lines) + "\n";
        }
        var out = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) out.append('\n');
        if (!text.isEmpty()) out.append('\n');
        return out.append("[proxy]\n").append(name).append(" = [").append(quoted).append("]\n").toString();
    }

    /** The change as lines {@code -} removed and {@code +} added, with up to two lines of context. */
    public String diff() {
        var old = new String(before, StandardCharsets.UTF_8).lines().toList();
        var now = new String(after, StandardCharsets.UTF_8).lines().toList();
        int prefix = 0;
        while (prefix < old.size() && prefix < now.size() && old.get(prefix).equals(now.get(prefix))) prefix++;
        int suffix = 0;
        while (suffix < old.size() - prefix && suffix < now.size() - prefix
            && old.get(old.size() - 1 - suffix).equals(now.get(now.size() - 1 - suffix))) suffix++;
        var out = new StringBuilder("--- ").append(file).append(before.length == 0 ? " (absent)" : " (as you trusted it)")
            .append("\n+++ ").append(file).append('\n');
        for (int i = Math.max(0, prefix - 2); i < prefix; i++) out.append("  ").append(old.get(i)).append('\n');
        for (int i = prefix; i < old.size() - suffix; i++) out.append("- ").append(old.get(i)).append('\n');
        for (int i = prefix; i < now.size() - suffix; i++) out.append("+ ").append(now.get(i)).append('\n');
        for (int i = now.size() - suffix; i < Math.min(now.size(), now.size() - suffix + 2); i++) {
            out.append("  ").append(now.get(i)).append('\n');
        }
        return out.toString();
    }

    /**
     * Writes the new content (through a file beside it, moved in place; never through a link) and
     * trusts exactly it.
     *
     * @throws IOException naming what failed
     */
    public void write(ConfigLocations locations) throws IOException {
        var directory = file.getParent();
        if (Files.isSymbolicLink(directory) || Files.isSymbolicLink(file)) {
            throw new IOException(file + " or its directory became a symbolic link: not written");
        }
        Files.createDirectories(directory);
        var temp = directory.resolve(".halt.toml.saving-" + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        Files.write(temp, after, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (TrustStore.of(locations).trust(file, after) instanceof TrustStore.TrustResult.Failed f) {
            throw new IOException("written, but not trusted: " + f.reason());
        }
    }
}
