package dev.halt.ffm.macos;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The macOS twin of the Linux {@code HeaderProbeTest}, run on the macOS runner: compiles a C probe
 * with the Xcode command line tools' {@code cc} against the SDK's headers and compares every
 * constant and layout of {@code dev.halt.ffm.macos} with them. The probe also assigns each public
 * function halt binds to a pointer of the prototype the binding assumes, with mismatches made
 * errors: the shared downcall shape ({@code LibSystem.REGISTER_CALL}) is sound only for those
 * prototypes. The private entry points (no header declares them) must resolve from the JDK's
 * default lookup and from {@code dlsym}.
 */
@Tag("macos")
class MacHeaderProbeTest {

    private static final List<Class<?>> CONSTANT_HOLDERS = List.of(errno_h.class, spawn_h.class, unistd_h.class, sandbox_h.class);

    /** Constants no public header has, with their source. */
    private static final Map<String, Long> NOT_IN_HEADERS = Map.of(
        // enum sandbox_filter_type, declared by hand in Chromium's sandbox/mac/seatbelt.cc
        "SANDBOX_FILTER_NONE", 0L);

    /** Each bound public function and the prototype its binding assumes (a pointer declarator named p). */
    private static final Map<String, String> PROTOTYPES = new LinkedHashMap<>();
    static {
        PROTOTYPES.put("sandbox_init", "int (*p)(const char *, uint64_t, char **)");
        PROTOTYPES.put("sandbox_free_error", "void (*p)(char *)");
        PROTOTYPES.put("posix_spawn", "int (*p)(pid_t *, const char *, const posix_spawn_file_actions_t *,"
            + " const posix_spawnattr_t *, char *const [], char *const [])");
        PROTOTYPES.put("posix_spawnattr_init", "int (*p)(posix_spawnattr_t *)");
        PROTOTYPES.put("posix_spawnattr_destroy", "int (*p)(posix_spawnattr_t *)");
        PROTOTYPES.put("posix_spawnattr_setflags", "int (*p)(posix_spawnattr_t *, short)");
        PROTOTYPES.put("posix_spawnattr_setsigmask", "int (*p)(posix_spawnattr_t *, const sigset_t *)");
        PROTOTYPES.put("posix_spawnattr_setsigdefault", "int (*p)(posix_spawnattr_t *, const sigset_t *)");
        PROTOTYPES.put("posix_spawn_file_actions_init", "int (*p)(posix_spawn_file_actions_t *)");
        PROTOTYPES.put("posix_spawn_file_actions_destroy", "int (*p)(posix_spawn_file_actions_t *)");
        PROTOTYPES.put("posix_spawn_file_actions_addinherit_np", "int (*p)(posix_spawn_file_actions_t *, int)");
        PROTOTYPES.put("setuid", "int (*p)(uid_t)");
        PROTOTYPES.put("setgid", "int (*p)(gid_t)");
        PROTOTYPES.put("setgroups", "int (*p)(int, const gid_t *)");
        PROTOTYPES.put("geteuid", "uid_t (*p)(void)");
        PROTOTYPES.put("mkfifo", "int (*p)(const char *, mode_t)");
        PROTOTYPES.put("open", "int (*p)(const char *, int, ...)");
        PROTOTYPES.put("write", "ssize_t (*p)(int, const void *, size_t)");
        PROTOTYPES.put("close", "int (*p)(int)");
        PROTOTYPES.put("kill", "int (*p)(pid_t, int)");
        PROTOTYPES.put("getpgid", "pid_t (*p)(pid_t)");
        PROTOTYPES.put("tcgetpgrp", "pid_t (*p)(int)");
        PROTOTYPES.put("_exit", "void (*p)(int)");
        PROTOTYPES.put("ttyname_r", "int (*p)(int, char *, size_t)");
    }

    /** Bound, but declared by no public header (Chromium, WebKit and Nix declare them by hand). */
    private static final List<String> PRIVATE_SYMBOLS = List.of("sandbox_init_with_parameters", "sandbox_check");

    private static Map<String, Long> probed;

    @BeforeAll
    static void runProbe(@TempDir Path dir) throws Exception {
        var source = new StringBuilder("""
            #include <stdio.h>
            #include <stdint.h>
            #include <dlfcn.h>
            #include <errno.h>
            #include <fcntl.h>
            #include <grp.h>
            #include <signal.h>
            #include <spawn.h>
            #include <unistd.h>
            #include <sandbox.h>
            #include <sys/stat.h>
            #define P(name, expr) printf("%s %lld\\n", name, (long long) (expr));
            """);
        int n = 0;
        for (var entry : PROTOTYPES.entrySet()) {
            source.append(entry.getValue().replace("(*p)", "(*p" + n++ + ")")).append(" = ").append(entry.getKey()).append(";\n");
        }
        source.append("int main(void) {\n");
        for (var name : javaConstants().keySet()) {
            if (!NOT_IN_HEADERS.containsKey(name)) source.append("    P(\"").append(name).append("\", ").append(name).append(")\n");
        }
        source.append("""
                P("sizeof:posix_spawnattr_t", sizeof(posix_spawnattr_t))
                P("sizeof:posix_spawn_file_actions_t", sizeof(posix_spawn_file_actions_t))
                P("sizeof:sigset_t", sizeof(sigset_t))
                P("sizeof:mode_t", sizeof(mode_t))
                P("sizeof:uid_t", sizeof(uid_t))
                P("sizeof:gid_t", sizeof(gid_t))
                P("sizeof:pid_t", sizeof(pid_t))
            """);
        for (var symbol : PRIVATE_SYMBOLS) {
            source.append("    P(\"dlsym:").append(symbol).append("\", dlsym(RTLD_DEFAULT, \"").append(symbol).append("\") != NULL)\n");
        }
        source.append("    return 0;\n}\n");
        var c = dir.resolve("probe.c");
        var exe = dir.resolve("probe");
        Files.writeString(c, source);
        // Every warning an error (a pointer of another prototype is one), but sandbox.h's deprecation.
        var compile = new ProcessBuilder("cc", "-Werror", "-Wno-deprecated-declarations", "-o", exe.toString(), c.toString())
            .redirectErrorStream(true).start();
        var errors = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(compile.waitFor(120, TimeUnit.SECONDS), "cc did not finish in 120 s");
        assertEquals(0, compile.exitValue(), "the C probe did not compile (a prototype or a constant differs):\n" + errors
            + "\n" + source);
        var run = new ProcessBuilder(exe.toString()).redirectErrorStream(true).start();
        var out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "the probe did not finish");
        assertEquals(0, run.exitValue(), out);
        probed = new LinkedHashMap<>();
        out.lines().forEach(line -> {
            int space = line.lastIndexOf(' ');
            probed.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        });
    }

    @Test
    void constantsMatchTheHeaders() {
        var mismatches = new ArrayList<String>();
        javaConstants().forEach((name, value) -> {
            Long expected = probed.containsKey(name) ? probed.get(name) : NOT_IN_HEADERS.get(name);
            if (expected == null) mismatches.add(name + ": not probed");
            else if (expected != value.longValue()) mismatches.add(name + ": java " + value + ", headers " + expected);
        });
        assertEquals(List.of(), mismatches);
    }

    @Test
    void layoutsMatchTheHeaders() {
        assertEquals(probed.get("sizeof:posix_spawnattr_t"), spawn_h.POSIX_SPAWNATTR_T.byteSize());
        assertEquals(probed.get("sizeof:posix_spawn_file_actions_t"), spawn_h.POSIX_SPAWN_FILE_ACTIONS_T.byteSize());
        assertEquals(probed.get("sizeof:sigset_t"), spawn_h.SIGSET_T.byteSize());
        assertEquals(2L, probed.get("sizeof:mode_t"), "mkfifo passes mode_t as 16 bits");
        assertEquals(4L, probed.get("sizeof:uid_t"));
        assertEquals(4L, probed.get("sizeof:gid_t"));
        assertEquals(4L, probed.get("sizeof:pid_t"));
    }

    @Test
    void everyBoundFunctionHasACheckedPrototypeOrIsAKnownPrivateSymbol() {
        var bound = new TreeSet<String>();
        for (var holder : List.of(sandbox_h.class, spawn_h.class, unistd_h.class)) {
            for (Method m : holder.getDeclaredMethods()) {
                if (!Modifier.isPublic(m.getModifiers()) || m.getParameterCount() == 0 || m.getName().contains("$")) continue;
                if (m.getName().equals(m.getName().toUpperCase())) continue;
                bound.add(m.getName());
            }
        }
        var unchecked = new TreeSet<>(bound);
        unchecked.removeAll(PROTOTYPES.keySet());
        unchecked.removeAll(PRIVATE_SYMBOLS);
        assertEquals(java.util.Set.of(), unchecked, "bound functions whose prototype the probe does not check");
    }

    @Test
    void privateEntryPointsResolve() {
        for (var symbol : PRIVATE_SYMBOLS) {
            assertEquals(1L, probed.get("dlsym:" + symbol), symbol + " is not exported by libSystem");
            assertTrue(LibSystem.exists(symbol), symbol + " is not in the JDK's default lookup");
        }
        assertTrue(sandbox_h.available());
    }

    @Test
    void everyBoundSymbolResolvesFromTheDefaultLookup() {
        for (var symbol : PROTOTYPES.keySet()) assertTrue(LibSystem.exists(symbol), symbol);
    }

    /** Every public static no-argument method of the holders whose name is a C constant's. */
    private static Map<String, Long> javaConstants() {
        var constants = new LinkedHashMap<String, Long>();
        var constantName = Pattern.compile("_*[A-Z][A-Z0-9_]*");
        for (var holder : CONSTANT_HOLDERS) {
            for (Method m : holder.getMethods()) {
                if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || !constantName.matcher(m.getName()).matches()) {
                    continue;
                }
                try {
                    constants.put(m.getName(), ((Number) m.invoke(null)).longValue());
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return constants;
    }
}
