package dev.halt.core.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The macOS default grants, computed on any OS from a fake environment and a fake filesystem. */
class MacSystemDefaultsTest {
    private static final Path JAVA_HOME = Path.of("/Library/Java/JavaVirtualMachines/temurin-25.jdk/Contents/Home");
    private static final Optional<Path> USER_TEMP = Optional.of(Path.of("/var/folders/zz/abc123/T/"));

    private static List<String> rendered(List<PathGrant> grants) {
        return grants.stream().map(g -> g.access().configKey() + " " + g.path() + " (" + ((ValueSource.Default) g.source()).reason() + ")")
            .toList();
    }

    @Test
    void everyCandidateThatExistsInItsPrivateSpellingAndNoLinuxOnlyEntry() {
        var env = Map.of("PATH", "/opt/homebrew/bin:.:bin:/usr/bin:/usr/local/bin:/tmp/tools", "TMPDIR", "/var/folders/zz/abc123/T/");
        var grants = MacSystemDefaults.grants(Path.of("/Users/u/src/app"), env, JAVA_HOME, USER_TEMP, p -> true);
        assertEquals(List.of(
            "read /usr (system directory)", "read /bin (system directory)", "read /sbin (system directory)",
            "read /Library (system directory)", "read /System/Library (system directory)",
            "read /System/Cryptexes (system directory)", "read /System/Volumes/Preboot/Cryptexes (system directory)",
            "read /System/iOSSupport (system directory)", "read /private/etc (system directory)",
            "read /private/var/db/timezone (system directory)", "read /private/var/run/resolv.conf (system directory)",
            "read /opt/homebrew (developer tools)", "read /usr/local (developer tools)",
            "read /Library/Developer/CommandLineTools (developer tools)",
            "read /Applications/Xcode.app/Contents/Developer (developer tools)", "read /private/var/select (developer tools)",
            "read /Library/Apple/usr/libexec/oah (developer tools)",
            "read /opt/homebrew/bin (directory on PATH)", "read /usr/bin (directory on PATH)",
            "read /usr/local/bin (directory on PATH)", "read /private/tmp/tools (directory on PATH)",
            "read " + JAVA_HOME + " (the JDK of halt's second stage)",
            "read_write /dev/null (device)", "read_write /dev/zero (device)", "read_write /dev/random (device)",
            "read_write /dev/urandom (device)", "read_write /dev/tty (device)", "read_write /dev/ptmx (device)",
            "read_write /dev/fd (device)", "read_write /dev/dtracehelper (device)",
            "read_write /Users/u/src/app (working directory)",
            "read_write /private/tmp (temporary directory)", "read_write /private/var/tmp (temporary directory)",
            "read_write /private/var/folders/zz/abc123/T ($TMPDIR)",
            "read_write /private/var/folders/zz/abc123/C (DARWIN_USER_CACHE_DIR)"), rendered(grants));
        for (var g : grants) {
            for (var linux : MacSystemDefaults.LINUX_ONLY) {
                // /opt is Linux's whole directory; macOS grants Homebrew's prefix in it
                assertTrue(linux.equals("/opt") ? !g.path().equals(Path.of(linux)) : !g.path().startsWith(linux), g + " is Linux-only");
            }
            for (var link : List.of("/tmp", "/var", "/etc")) {
                assertTrue(!g.path().startsWith(link), g + " is not in the spelling Seatbelt matches");
            }
            assertTrue(!g.path().equals(Path.of("/System")) && !g.path().startsWith("/System/Volumes/Data"),
                g + " would open every home through the data volume");
        }
    }

    @Test
    void missingCandidatesAreLeftOut() {
        var grants = MacSystemDefaults.grants(Path.of("/Users/u/app"), Map.of(), JAVA_HOME, Optional.empty(),
            p -> !p.startsWith("/Applications") && !p.startsWith("/System/iOSSupport"));
        assertTrue(grants.stream().noneMatch(g -> g.path().startsWith("/Applications") || g.path().startsWith("/System/iOSSupport")));
        assertTrue(grants.stream().noneMatch(g -> g.path().startsWith("/private/var/folders")), "no TMPDIR known");
    }

    @Test
    void withoutTmpdirTheUserTempDirIsGrantedAndAnotherTmpdirKeepsTheCacheDir() {
        var unset = rendered(MacSystemDefaults.grants(Path.of("/Users/u/app"), Map.of(), JAVA_HOME, USER_TEMP, p -> true));
        assertTrue(unset.contains("read_write /private/var/folders/zz/abc123/T ($TMPDIR)"), unset.toString());
        var moved = rendered(MacSystemDefaults.grants(Path.of("/Users/u/app"), Map.of("TMPDIR", "/Users/u/tmp"), JAVA_HOME,
            USER_TEMP, p -> true));
        assertTrue(moved.contains("read_write /Users/u/tmp ($TMPDIR)"), moved.toString());
        assertTrue(moved.contains("read_write /private/var/folders/zz/abc123/C (DARWIN_USER_CACHE_DIR)"), moved.toString());
        assertTrue(moved.stream().noneMatch(g -> g.contains("/T ")), moved.toString());
    }

    @Test
    void theCacheDirIsFoundOnlyBesideAUserTempDir() {
        assertEquals(Optional.of(Path.of("/private/var/folders/zz/abc/C")), MacSystemDefaults.userCacheDir(Path.of("/var/folders/zz/abc/T")));
        assertEquals(Optional.of(Path.of("/private/var/folders/zz/abc/C")),
            MacSystemDefaults.userCacheDir(Path.of("/private/var/folders/zz/abc/T/")));
        for (var other : List.of("/tmp", "/var/folders/zz/T", "/var/folders/zz/abc/X", "/var/folders/zz/abc/T/sub", "/Users/u/T")) {
            assertEquals(Optional.empty(), MacSystemDefaults.userCacheDir(Path.of(other)), other);
        }
    }

    @Test
    void linksToPrivateAreReplacedWholeComponentsOnly() {
        assertEquals(Path.of("/private/tmp"), MacSystemDefaults.privateForm(Path.of("/tmp")));
        assertEquals(Path.of("/private/var/folders/a"), MacSystemDefaults.privateForm(Path.of("/var/./folders/a/")));
        assertEquals(Path.of("/private/etc/hosts"), MacSystemDefaults.privateForm(Path.of("/etc/hosts")));
        assertEquals(Path.of("/tmpfiles/x"), MacSystemDefaults.privateForm(Path.of("/tmpfiles/x")));
        assertEquals(Path.of("/private/tmp"), MacSystemDefaults.privateForm(Path.of("/private/tmp")));
        assertEquals(Path.of("/Users/u/tmp"), MacSystemDefaults.privateForm(Path.of("/Users/u/tmp")));
    }
}
