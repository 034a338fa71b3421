package dev.halt.core.macos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@link SbplProfile#generate} needs besides the policy: facts about the machine and the
 * run that the macOS backend finds out before the launch (the generator itself touches no file).
 * Paths are absolute; the generator puts them in the spelling Seatbelt matches.
 *
 * @param macosVersion the product version, such as {@code 15.3.1} ({@code os.version}): constructs
 *                     that older versions do not compile are left out there
 * @param javaHome     the JDK that runs halt's second stage until it becomes the command (read)
 * @param tmpDir       the child's {@code TMPDIR} (read-write)
 * @param userCacheDir {@code DARWIN_USER_CACHE_DIR} (read-write)
 * @param terminals    the terminal devices of halt's standard streams (read-write), so that a
 *                     program reopening its terminal by name can; other terminals stay closed
 *                     unless {@code allow_new_ptys}
 * @param files        granted paths that are not directories: a file is granted itself
 *                     ({@code literal}), a directory everything beneath it ({@code subpath})
 * @param readOnly     paths inside the write grants the child must not change, existing or not
 *                     (the protected paths: {@code ProtectedPaths.readOnly()} and {@code absent()})
 * @param pinned       directories inside the write grants that must not be renamed or removed,
 *                     though their contents may change ({@code ProtectedPaths.pinned()}, the
 *                     {@code .git} directories); the directories between a write grant and each
 *                     protected or pinned path are pinned too
 * @param proxyPort    the loopback port of halt's proxy, required in {@code proxy_only}
 * @param runId        tags this run's denials in the unified log ({@code halt:RUNID}); letters,
 *                     digits, {@code . _ -}
 */
public record MacEnvironment(String macosVersion, Path javaHome, Optional<Path> tmpDir, Optional<Path> userCacheDir,
                             List<Path> terminals, Set<Path> files, List<Path> readOnly, List<Path> pinned,
                             OptionalInt proxyPort, String runId) {

    private static final Pattern VERSION = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,4}){0,3}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** @throws IllegalArgumentException naming every invalid value */
    public MacEnvironment {
        Objects.requireNonNull(macosVersion, "macosVersion");
        Objects.requireNonNull(javaHome, "javaHome");
        Objects.requireNonNull(tmpDir, "tmpDir");
        Objects.requireNonNull(userCacheDir, "userCacheDir");
        Objects.requireNonNull(proxyPort, "proxyPort");
        Objects.requireNonNull(runId, "runId");
        terminals = List.copyOf(terminals);
        files = Set.copyOf(files);
        readOnly = List.copyOf(readOnly);
        pinned = List.copyOf(pinned);
        var problems = new ArrayList<String>();
        if (!VERSION.matcher(macosVersion).matches()) problems.add("macOS version \"" + macosVersion + "\" is not like 15.3.1");
        if (!RUN_ID.matcher(runId).matches()) problems.add("run id \"" + runId + "\" is not 1 to 64 letters, digits, . _ -");
        proxyPort.ifPresent(p -> {
            if (p < 1 || p > 65_535) problems.add("proxy port " + p + " is not a TCP port (1-65535)");
        });
        var paths = new ArrayList<Path>(List.of(javaHome));
        tmpDir.ifPresent(paths::add);
        userCacheDir.ifPresent(paths::add);
        paths.addAll(terminals);
        paths.addAll(files);
        paths.addAll(readOnly);
        paths.addAll(pinned);
        for (var p : paths) {
            if (!p.isAbsolute()) problems.add("\"" + p + "\" is not an absolute path");
        }
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    }

    /** The major macOS version: 15 for {@code 15.3.1}. */
    public int majorVersion() {
        var dot = macosVersion.indexOf('.');
        return Integer.parseInt(dot < 0 ? macosVersion : macosVersion.substring(0, dot));
    }

    /** A builder with nothing but the version and the JDK: no temporary directories, no proxy, run id {@code run}. */
    public static Builder builder(String macosVersion, Path javaHome) {
        return new Builder(macosVersion, javaHome);
    }

    /** A builder holding this environment's values. */
    public Builder toBuilder() {
        var b = new Builder(macosVersion, javaHome);
        b.tmpDir = tmpDir;
        b.userCacheDir = userCacheDir;
        b.terminals.addAll(terminals);
        b.files.addAll(files);
        b.readOnly.addAll(readOnly);
        b.pinned.addAll(pinned);
        b.proxyPort = proxyPort;
        b.runId = runId;
        return b;
    }

    /** Mutable builder for {@link MacEnvironment}; {@link #build()} validates. */
    public static final class Builder {
        private final String macosVersion;
        private final Path javaHome;
        private Optional<Path> tmpDir = Optional.empty();
        private Optional<Path> userCacheDir = Optional.empty();
        private final List<Path> terminals = new ArrayList<>();
        private final Set<Path> files = new LinkedHashSet<>();
        private final List<Path> readOnly = new ArrayList<>();
        private final List<Path> pinned = new ArrayList<>();
        private OptionalInt proxyPort = OptionalInt.empty();
        private String runId = "run";

        private Builder(String macosVersion, Path javaHome) {
            this.macosVersion = macosVersion;
            this.javaHome = javaHome;
        }

        public Builder tmpDir(Path value) {
            tmpDir = Optional.of(value);
            return this;
        }

        public Builder userCacheDir(Path value) {
            userCacheDir = Optional.of(value);
            return this;
        }

        public Builder terminal(Path value) {
            terminals.add(value);
            return this;
        }

        /** Marks granted paths as files (not directories). */
        public Builder files(java.util.Collection<Path> values) {
            files.addAll(values);
            return this;
        }

        public Builder readOnly(java.util.Collection<Path> values) {
            readOnly.addAll(values);
            return this;
        }

        public Builder pinned(java.util.Collection<Path> values) {
            pinned.addAll(values);
            return this;
        }

        public Builder proxyPort(int value) {
            proxyPort = OptionalInt.of(value);
            return this;
        }

        public Builder runId(String value) {
            runId = value;
            return this;
        }

        /** @throws IllegalArgumentException naming every invalid value */
        public MacEnvironment build() {
            return new MacEnvironment(macosVersion, javaHome, tmpDir, userCacheDir, terminals, files, readOnly, pinned,
                proxyPort, runId);
        }
    }
}
