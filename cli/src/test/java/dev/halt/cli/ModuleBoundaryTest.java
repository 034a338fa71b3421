package dev.halt.cli;

import dev.halt.core.Sandbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cli reaches core only through core's API, and the compiler is what holds it to that: core's
 * module-info exports {@code dev.halt.core}, {@code config}, {@code policy} and {@code probe} (and
 * {@code control}, {@code explain} and {@code json} to the cli alone), and javac refuses the cli's
 * import of any other package of core's ("package ... is not visible"), so a build in which the
 * cli imports a backend's package does not get as far as the tests. This test checks both
 * halves: the descriptor core is built with, and javac refusing, for every package core does not
 * export to the cli, a class of it named from a module compiled with the cli's own module-info.
 */
class ModuleBoundaryTest {

    /** What core exports to everyone: its API. */
    private static final Set<String> API = Set.of("dev.halt.core", "dev.halt.core.config", "dev.halt.core.policy",
            "dev.halt.core.probe");

    /** What core exports to the cli alone (module-info's qualified exports). */
    private static final Set<String> CLI_ONLY = Set.of("dev.halt.core.control", "dev.halt.core.explain", "dev.halt.core.json");

    private static Path location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a class the cli does not read comes from (ffm, proxy, tomlj: core's modules). */
    private static Path location(String className) {
        try {
            return location(Class.forName(className, false, ModuleBoundaryTest.class.getClassLoader()));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is on the tests' class path", e);
        }
    }

    private static ModuleDescriptor core() {
        var found = ModuleFinder.of(location(Sandbox.class)).find("dev.halt.core");
        assertTrue(found.isPresent(), "core's classes at " + location(Sandbox.class) + " are the module dev.halt.core");
        return found.get().descriptor();
    }

    @Test
    void coreExportsItsApiAndTheCliOnlyWhatItAloneNeeds() {
        var exports = core().exports();
        var everyone = exports.stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(API), everyone);
        var qualified = exports.stream().filter(ModuleDescriptor.Exports::isQualified)
                .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(CLI_ONLY.stream().collect(Collectors.toMap(p -> p, p -> Set.of("dev.halt.cli"))), qualified);
        assertTrue(core().packages().stream().anyMatch(p -> p.startsWith("dev.halt.core.linux.")),
                "core holds the Linux backend's packages: " + core().packages());
    }

    /** A public top-level class of each of core's packages (the module's own, compiled classes). */
    private static Map<String, String> onePublicClassPerPackage() throws IOException {
        var root = location(Sandbox.class);
        var byPackage = new TreeMap<String, String>();
        try (var jar = Files.isDirectory(root) ? null : FileSystems.newFileSystem(root)) {
            var base = jar == null ? root : jar.getPath("/");
            try (var walk = Files.walk(base)) {
                for (var file : walk.filter(p -> p.toString().endsWith(".class")).toList()) {
                    var relative = base.relativize(file).toString();
                    if (relative.contains("$") || relative.contains("-info") || relative.startsWith("META-INF")) continue;
                    var name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                    var type = loadWithoutInitializing(name);
                    if (type.isPresent() && Modifier.isPublic(type.get().getModifiers())) {
                        byPackage.putIfAbsent(type.get().getPackageName(), name);
                    }
                }
            }
        }
        return byPackage;
    }

    private static Optional<Class<?>> loadWithoutInitializing(String name) {
        try {
            return Optional.of(Class.forName(name, false, ModuleBoundaryTest.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Test
    void javacRefusesTheCliEveryPackageCoreKeepsInside(@TempDir Path work) throws IOException {
        var classes = onePublicClassPerPackage();
        assertEquals(new TreeSet<>(core().packages()), new TreeSet<>(classes.keySet()),
                "every package of core has a public class to name");
        assertTrue(classes.keySet().containsAll(API), "found: " + classes.keySet());

        // A stand-in of the cli: its real module-info, and one class per core package that names a
        // public class of it.
        var sources = work.resolve("src");
        Files.createDirectories(sources.resolve("dev/halt/cli"));
        Files.copy(Path.of("src/main/java/module-info.java"), sources.resolve("module-info.java"));
        var probeOf = new TreeMap<String, String>();
        int n = 0;
        for (var entry : classes.entrySet()) {
            var probe = "Probe" + n++;
            probeOf.put(probe, entry.getKey());
            Files.writeString(sources.resolve("dev/halt/cli/" + probe + ".java"),
                    "package dev.halt.cli;\nclass " + probe + " { Class<?> type = " + entry.getValue() + ".class; }\n");
        }

        var javac = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.MODULE_PATH, List.of(location(Sandbox.class),
                    location("dev.halt.ffm.linux.SyscallNumbers"), location("dev.halt.proxy.ProxyPolicy"), location("org.tomlj.Toml"),
                    location(CommandLine.class)));
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(Files.createDirectories(work.resolve("out"))));
            List<Path> inputs;
            try (var walk = Files.walk(sources)) {
                inputs = walk.filter(p -> p.toString().endsWith(".java")).toList();
            }
            var log = new StringWriter();
            javac.getTask(log, files, diagnostics, List.of("-proc:none", "-Xlint:-module,-requires-automatic"), null,
                    files.getJavaFileObjectsFromPaths(inputs)).call();

            var refused = new TreeSet<String>();
            for (var d : diagnostics.getDiagnostics()) {
                if (d.getKind() != javax.tools.Diagnostic.Kind.ERROR) continue;
                assertNotNull(d.getSource(), "an error of no file: " + d);
                var file = Path.of(d.getSource().toUri()).getFileName().toString();
                var pkg = probeOf.get(file.substring(0, file.length() - ".java".length()));
                assertNotNull(pkg, "an error outside the probes: " + d);
                assertTrue(d.getMessage(null).contains("is not visible"), "refused as not visible: " + d);
                refused.add(pkg);
            }
            var inside = new TreeSet<>(classes.keySet());
            inside.removeAll(API);
            inside.removeAll(CLI_ONLY);
            assertFalse(inside.isEmpty());
            assertEquals(inside, refused, "javac refuses exactly the packages core does not export to the cli\n" + log);
        }
    }
}
