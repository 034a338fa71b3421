package dev.halt.core.macos;

import dev.halt.core.macos.SbplReader.Form;
import dev.halt.core.macos.SbplReader.Regex;
import dev.halt.core.macos.SbplReader.Symbol;
import dev.halt.core.macos.SbplReader.Text;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generator: golden profiles, their structure read back by {@link SbplReader}, refusals, and
 * hostile and random paths (which travel only as parameters).
 */
class SbplProfileTest {
    /** {@code -Dhalt.updateGoldens=true} rewrites the golden files from the generator; review the diff. */
    private static final boolean UPDATE = Boolean.getBoolean("halt.updateGoldens");
    private static final Path GOLDENS = Path.of("src/test/resources/sbpl");

    /** Filters the generator may write, by head. */
    private static final Set<String> FILTERS = Set.of("literal", "subpath", "regex", "require-all", "vnode-type", "global-name",
        "sysctl-name", "target", "ioctl-command", "remote", "local", "with");

    /** The goldens: the decision table's cases, a macOS without the TIOCSTI rule, and hostile paths. */
    private static Map<String, SbplProfile> goldenCases() {
        var fixture = SbplCases.modelFixture();
        var cases = new LinkedHashMap<String, SbplProfile>();
        for (var name : SbplCases.NAMES) {
            cases.put(name, SbplProfile.generate(SbplCases.policy(name, fixture), SbplCases.environment(name, fixture)));
        }
        var older = new SbplCases.Fixture(fixture.places(), fixture.base(), fixture.javaHome(), fixture.files(), fixture.terminals(),
            fixture.extraReads(), "14.7");
        cases.put("macos14-proxy", SbplProfile.generate(SbplCases.policy("proxy", older), SbplCases.environment("proxy", older)));
        cases.put("hostile", SbplProfile.generate(hostilePolicy(), MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()));
        return cases;
    }

    private static final List<String> HOSTILE = List.of("/Users/u/a \"quoted\" dir", "/Users/u/back\\slash\\\"",
        "/Users/u/Project (copy)", "/Users/u/semi;colon #\"not a regex\"", "/Users/u/)(param \"ROOT\")(", "/Users/u/ünï cødé/日本",
        "/Users/u/emoji-\uD83D\uDE00");

    private static SandboxPolicy hostilePolicy() {
        var b = SandboxPolicy.builder(Path.of("/Users/u/ws")).networkMode(NetworkMode.BLOCKED);
        for (var p : HOSTILE) b.grant(PathGrant.of(Path.of(p), PathAccess.READ_WRITE));
        return b.build();
    }

    @Test
    void goldenProfiles() throws IOException {
        var mismatches = new ArrayList<String>();
        for (var e : goldenCases().entrySet()) {
            var profile = e.getValue();
            var params = new StringBuilder();
            profile.parameters().forEach(p -> params.append(p.getKey()).append('=').append(p.getValue()).append('\n'));
            var files = Map.of(GOLDENS.resolve(e.getKey() + ".sb"), profile.text(), GOLDENS.resolve(e.getKey() + ".params"), params.toString());
            for (var f : files.entrySet()) {
                if (UPDATE) {
                    Files.writeString(f.getKey(), f.getValue());
                } else if (!Files.exists(f.getKey()) || !Files.readString(f.getKey()).equals(f.getValue())) {
                    mismatches.add(f.getKey() + " differs from the generator (-Dhalt.updateGoldens=true rewrites it; review the diff)");
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void everyGoldenHasHaltsStructure() {
        for (var e : goldenCases().entrySet()) {
            checkStructure(e.getKey(), e.getValue());
        }
    }

    /**
     * What every profile must be: {@code (version 1)} then {@code (allow default)}; known operations
     * and filters; every parameter defined and used; no path in the text; each file deny re-opened
     * by a later allow of the same operation; the data-volume deny after every file allow.
     */
    static void checkStructure(String name, SbplProfile profile) {
        var forms = SbplReader.read(profile.text());
        assertEquals("(version 1)", forms.get(0).toString(), name);
        assertEquals("(allow default)", forms.get(1).toString(), name);
        var defined = new HashSet<String>();
        profile.parameters().forEach(p -> defined.add(p.getKey()));
        var used = new HashSet<String>();
        int lastFileAllow = -1;
        int dataDeny = -1;
        var globalDenies = new LinkedHashMap<String, Integer>();
        var reopened = new HashSet<String>();
        for (int i = 2; i < forms.size(); i++) {
            var form = forms.get(i);
            assertTrue(Set.of("allow", "deny").contains(form.head()), name + ": " + form);
            var operations = new ArrayList<String>();
            var filters = new ArrayList<Form>();
            for (var item : form.rest()) {
                if (item instanceof Symbol s) operations.add(s.name());
                else filters.add((Form) item);
            }
            assertFalse(operations.isEmpty(), name + ": no operation in " + form);
            assertTrue(SbplModel.OPERATIONS.containsAll(operations), name + ": unknown operation in " + form);
            for (var f : filters) {
                assertTrue(FILTERS.contains(f.head()), name + ": unknown filter " + f);
                if (f.head().equals("with")) assertEquals("deny", form.head(), name + ": message on " + form);
                collect(f, used, name);
            }
            var real = filters.stream().filter(f -> !f.head().equals("with")).toList();
            if (form.head().equals("deny") && real.isEmpty()) {
                for (var op : operations) globalDenies.put(op, i);
            }
            if (form.head().equals("allow")) {
                for (var op : operations) {
                    if (globalDenies.containsKey(op)) reopened.add(op);
                }
                if (operations.stream().anyMatch(op -> op.startsWith("file-") || op.startsWith("process-"))) lastFileAllow = i;
            }
            if (form.toString().contains("(subpath (param \"DATA_VOLUME\"))")) dataDeny = i;
        }
        assertEquals(defined, used, name + ": parameters defined and used");
        for (var op : List.of("file-read-data", "file-write*", "file-link", "file-clone", "process-exec*")) {
            assertTrue(globalDenies.containsKey(op), name + ": " + op + " is not closed");
            assertTrue(reopened.contains(op), name + ": " + op + " is never re-opened with its own name");
        }
        assertTrue(dataDeny > lastFileAllow, name + ": the data volume deny must follow every file allow");
    }

    /** Records the parameters {@code node} uses; fails on a string that looks like a path. */
    private static void collect(SbplReader.Node node, Set<String> used, String name) {
        switch (node) {
            case Form f when f.head().equals("param") -> used.add(((Text) f.rest().getFirst()).value());
            case Form f -> f.rest().forEach(n -> collect(n, used, name));
            case Text t -> assertFalse(t.value().startsWith("/"), name + ": a path spliced into the text: " + t);
            case Regex r -> assertEquals("^/dev/ttys[0-9]+$", r.pattern(), name + ": the only regex is halt's own");
            case Symbol s -> { }
        }
    }

    /** Whether {@code profile} has an {@code action} rule on {@code operation} with {@code filter} (as written, params unresolved). */
    private static boolean has(SbplProfile profile, String action, String operation, String filter) {
        for (var form : SbplReader.read(profile.text())) {
            if (!form.head().equals(action) || !form.rest().contains(new Symbol(operation))) continue;
            if (filter == null && form.rest().stream().noneMatch(n -> n instanceof Form f && !f.head().equals("with"))) return true;
            if (filter != null && form.rest().stream().anyMatch(n -> n.toString().equals(filter))) return true;
        }
        return false;
    }

    @Test
    void theRulesOfTheIssueAreThere() {
        var profiles = goldenCases();
        var unrestricted = profiles.get("unrestricted");
        assertTrue(has(unrestricted, "deny", "lsopen", null) && has(unrestricted, "deny", "appleevent-send", null));
        for (var keychain : SbplProfile.KEYCHAIN_SERVICES) {
            assertTrue(has(unrestricted, "deny", "mach-lookup", "(global-name \"" + keychain + "\")"), keychain);
            assertFalse(has(profiles.get("unrestricted-open"), "deny", "mach-lookup", "(global-name \"" + keychain + "\")"), "allow_keychain");
        }
        assertTrue(has(unrestricted, "deny", "sysctl-read", "(sysctl-name \"kern.procargs2\")"));
        assertTrue(has(unrestricted, "deny", "signal", null) && has(unrestricted, "allow", "signal", "(target same-sandbox)"));
        assertTrue(has(unrestricted, "deny", "network-outbound", "(remote unix-socket)"));
        assertTrue(has(unrestricted, "allow", "network-outbound", "(remote unix-socket (path-literal (param \"MDNS_SOCKET\")))"));
        assertTrue(has(unrestricted, "deny", "file-ioctl", "(ioctl-command TIOCSTI)"));
        assertFalse(has(profiles.get("macos14-proxy"), "deny", "file-ioctl", "(ioctl-command TIOCSTI)"), "14.2 does not compile it");
        assertFalse(unrestricted.text().contains("com.apple.trustd"), "trustd open in unrestricted");
        assertFalse(profiles.get("unrestricted-open").text().contains("unix-socket"), "allow_unix_sockets in unrestricted");

        var proxy = profiles.get("proxy");
        assertTrue(has(proxy, "deny", "network*", null) && has(proxy, "allow", "network-outbound", "(remote tcp \"localhost:3128\")"));
        for (var trustd : SbplProfile.TRUSTD_SERVICES) {
            assertTrue(has(proxy, "deny", "mach-lookup", "(global-name \"" + trustd + "\")"), trustd);
            assertFalse(profiles.get("proxy-trustd").text().contains(trustd), "allow_trustd = true");
        }
        assertFalse(proxy.text().contains("network-bind"), "no binding without allow_local_binding");
        var localhost = profiles.get("localhost");
        assertTrue(has(localhost, "allow", "network-outbound", "(remote tcp \"localhost:8080\")"));
        assertTrue(has(localhost, "allow", "network-bind", "(local tcp \"localhost:*\")"));
        assertTrue(has(localhost, "allow", "network-inbound", "(local tcp \"localhost:*\")"));
        var blocked = profiles.get("blocked");
        assertTrue(has(blocked, "deny", "network*", null) && !blocked.text().contains("(allow network"));
        var blockedUnix = profiles.get("blocked-unix");
        assertTrue(has(blockedUnix, "allow", "network-outbound", "(remote unix-socket)"));
        assertTrue(has(blockedUnix, "deny", "network-outbound", "(remote unix-socket (path-literal (param \"MDNS_SOCKET\")))"));
    }

    @Test
    void hostilePathsTravelAsParametersAndTheTextDoesNotChange() {
        var hostile = goldenCases().get("hostile");
        var values = hostile.parameters().stream().map(Map.Entry::getValue).toList();
        for (var p : HOSTILE) assertTrue(values.contains(p), p + " in " + values);
        var tame = SandboxPolicy.builder(Path.of("/Users/u/ws")).networkMode(NetworkMode.BLOCKED);
        for (int i = 0; i < HOSTILE.size(); i++) tame.grant(PathGrant.of(Path.of("/Users/u/p" + i), PathAccess.READ_WRITE));
        assertEquals(SbplProfile.generate(tame.build(), MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()).text(), hostile.text(),
            "the text is the same whatever the paths");
        for (var p : HOSTILE) {
            var literal = SbplProfile.quoted(p);
            assertEquals(p, SbplReader.readString(literal), "the escaper round-trips " + p);
        }
    }

    @Test
    void controlCharactersAreRefusedNamingThePath() {
        for (var bad : List.of("/Users/u/new\nline", "/Users/u/tab\there", "/Users/u/nul-ish\u007f", "/Users/u/c1\u0085")) {
            var policy = SandboxPolicy.builder(Path.of("/Users/u/ws")).read(Path.of(bad)).build();
            var refused = assertThrows(SbplProfile.Refused.class,
                () -> SbplProfile.generate(policy, MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()), bad);
            assertEquals(bad, refused.subject());
            assertFalse(refused.getMessage().chars().anyMatch(c -> c == '\n' || c == '\t'), "the message is one line: " + refused.getMessage());
            assertThrows(SbplProfile.Refused.class, () -> SbplProfile.quoted(bad));
        }
        // A lone surrogate cannot even be a Path (the JDK refuses to encode it); the escaper refuses it too.
        assertThrows(SbplProfile.Refused.class, () -> SbplProfile.quoted("lone-\uD800-surrogate"));
        var env = MacEnvironment.builder("15.0", Path.of("/opt/jdk")).readOnly(List.of(Path.of("/Users/u/ws/.git/x\ny"))).build();
        var refused = assertThrows(SbplProfile.Refused.class,
            () -> SbplProfile.generate(SandboxPolicy.builder(Path.of("/Users/u/ws")).build(), env));
        assertEquals("/Users/u/ws/.git/x\ny", refused.subject(), "environment paths are checked too");
    }

    @Test
    void tooManyRulesAreRefusedNamingTheFirstBeyondTheCap() {
        var b = SandboxPolicy.builder(Path.of("/Users/u/ws"));
        for (int i = 0; i < SbplProfile.MAX_FILTERS + 5; i++) b.read(Path.of("/Users/u/d" + i));
        var env = MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build();
        var refused = assertThrows(SbplProfile.Refused.class, () -> SbplProfile.generate(b.build(), env));
        assertEquals("/Users/u/d1000", refused.subject(), "the first path past the cap");
        assertTrue(refused.getMessage().contains(String.valueOf(SbplProfile.MAX_FILTERS)), refused.getMessage());
        var ports = SandboxPolicy.builder(Path.of("/Users/u/ws")).networkMode(NetworkMode.LOCALHOST_ONLY);
        for (int p = 1; p <= SbplProfile.MAX_FILTERS + 1; p++) ports.localhostPort(p);
        var portRefusal = assertThrows(SbplProfile.Refused.class, () -> SbplProfile.generate(ports.build(), env));
        assertTrue(portRefusal.subject().startsWith("localhost_ports "), portRefusal.subject());
        var justFits = SandboxPolicy.builder(Path.of("/Users/u/ws"));
        for (int i = 0; i < SbplProfile.MAX_FILTERS - 1; i++) justFits.read(Path.of("/Users/u/d" + i));
        SbplProfile.generate(justFits.build(), env); // java.home is the last one
    }

    @Test
    void proxyOnlyWithoutAPortIsRefused() {
        var policy = SandboxPolicy.builder(Path.of("/Users/u/ws")).networkMode(NetworkMode.PROXY_ONLY).build();
        var refused = assertThrows(SbplProfile.Refused.class,
            () -> SbplProfile.generate(policy, MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()));
        assertEquals("proxyPort", refused.subject());
    }

    @Test
    void pathsAreSpelledAsSeatbeltMatchesThem() {
        assertEquals(Path.of("/private/tmp/x"), SbplProfile.canonical(Path.of("/tmp/x")));
        assertEquals(Path.of("/private/var/folders/a/b/T"), SbplProfile.canonical(Path.of("/var/folders/a/b/T/")));
        assertEquals(Path.of("/private/etc/ssl"), SbplProfile.canonical(Path.of("/etc/ssl")));
        assertEquals(Path.of("/Users/u/src"), SbplProfile.canonical(Path.of("/System/Volumes/Data/Users/u/src")));
        assertEquals(Path.of("/private/tmp"), SbplProfile.canonical(Path.of("/System/Volumes/Data/private/tmp")));
        assertEquals(Path.of("/opt/homebrew"), SbplProfile.canonical(Path.of("/System/Volumes/Data/opt/homebrew")));
        assertEquals(Path.of("/usr/local/bin"), SbplProfile.canonical(Path.of("/System/Volumes/Data/usr/local/bin")));
        assertEquals(Path.of("/System/Volumes/Preboot/Cryptexes"), SbplProfile.canonical(Path.of("/System/Volumes/Preboot/Cryptexes")));
        for (var noOtherName : List.of("/System/Volumes/Data", "/System/Volumes/Data/", "/System/Volumes/Data/sw", "/System/Volumes/Data/usr/bin")) {
            var refused = assertThrows(SbplProfile.Refused.class, () -> SbplProfile.canonical(Path.of(noOtherName)), noOtherName);
            assertEquals(Path.of(noOtherName).toString(), refused.subject());
        }
        var policy = SandboxPolicy.builder(Path.of("/Users/u/ws")).readWrite(Path.of("/tmp")).readWrite(Path.of("/private/tmp"))
            .read(Path.of("/System/Volumes/Data/Users/u/ro")).build();
        var params = SbplProfile.generate(policy, MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()).parameters();
        assertEquals(1, params.stream().filter(p -> p.getValue().equals("/private/tmp")).count(), params.toString());
        assertTrue(params.stream().anyMatch(p -> p.getValue().equals("/Users/u/ro")), params.toString());
        assertTrue(params.stream().noneMatch(p -> p.getValue().startsWith("/tmp") || p.getValue().startsWith("/System/Volumes/Data/")),
            params.toString());
    }

    @Test
    void anEmptyListOfPathsWritesNoRule() {
        // A rule without filters matches everything: an empty mask list must not become (deny file-read-data ...).
        var policy = SandboxPolicy.builder(Path.of("/Users/u/ws")).isolation(Isolation.DEFAULTS).build();
        var text = SbplProfile.generate(policy, MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build()).text();
        for (var form : SbplReader.read(text)) {
            if (form.head().equals("deny") && form.rest().stream().noneMatch(n -> n instanceof Form f && !f.head().equals("with"))) {
                var operations = form.rest().stream().filter(n -> n instanceof Symbol).map(Object::toString).toList();
                assertEquals(1, operations.size(), "a global deny names one operation, which a grant re-opens: " + form);
            }
        }
    }

    /**
     * Random paths with every ASCII character and some Unicode: each either renders, travels
     * unchanged as a parameter, leaves the text as it is for a tame path, and round-trips through
     * the escaper; or is refused naming it, exactly when it holds a control character or an
     * unpaired surrogate.
     */
    @Test
    void randomPaths() {
        var random = new Random(0x5b91_2026L);
        var env = MacEnvironment.builder("15.0", Path.of("/opt/jdk")).build();
        var tameText = SbplProfile.generate(SandboxPolicy.builder(Path.of("/Users/u/ws")).read(Path.of("/Users/u/tame")).build(), env).text();
        var extra = List.of("é", "ü", "日本", "\u0301", "\uD83D\uDE00", "\u00a0", "\u2028", "\uD800");
        int refusals = 0;
        for (int round = 0; round < 2000; round++) {
            var sb = new StringBuilder("/Users/u/");
            int length = 1 + random.nextInt(24);
            for (int i = 0; i < length; i++) {
                int kind = random.nextInt(20);
                if (kind == 0) sb.append((char) random.nextInt(0x20));
                else if (kind == 1) sb.append(extra.get(random.nextInt(extra.size())));
                else sb.append((char) (0x21 + random.nextInt(0x7e - 0x21)));
            }
            var raw = sb.toString();
            Path path;
            try {
                path = Path.of(raw);
            } catch (java.nio.file.InvalidPathException e) {
                continue; // NUL: no path at all
            }
            var expected = path.normalize().toString();
            var policy = SandboxPolicy.builder(Path.of("/Users/u/ws")).read(path).build();
            boolean bad = expected.chars().anyMatch(c -> Character.isISOControl(c))
                || hasUnpairedSurrogate(expected);
            try {
                var profile = SbplProfile.generate(policy, env);
                if (bad) fail("accepted " + printable(expected));
                if (!expected.startsWith("/Users/u/") || expected.equals("/Users/u")) continue; // a .. climbed out: another shape
                assertTrue(profile.parameters().stream().anyMatch(p -> p.getValue().equals(expected)), printable(expected));
                assertEquals(tameText, profile.text(), "the text does not depend on " + printable(expected));
                assertEquals(expected, SbplReader.readString(SbplProfile.quoted(expected)));
            } catch (SbplProfile.Refused e) {
                if (!bad) fail("refused " + printable(expected) + ": " + e.getMessage());
                assertEquals(expected, e.subject());
                refusals++;
            }
        }
        assertTrue(refusals > 50, "the generator met control characters: " + refusals);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return true;
        }
        return false;
    }

    private static String printable(String s) {
        var sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.toString();
    }

    @Test
    void theReaderRefusesBrokenText() {
        for (var broken : List.of("(allow default", "(allow default))", "(allow file-read-data (literal \"/x))",
                "(allow file-read-data (literal \"a\\nb\"))", "(allow x (literal \"a\u0001\"))", "(deny x)\u0007",
                "(allow file-read-data (regex #\"^/a))", "bare")) {
            assertThrows(SbplReader.SyntaxError.class, () -> SbplReader.read(broken), broken);
        }
        var forms = SbplReader.read("""
            (version 1) ; a comment (with "quotes" and parens
            (allow file-read-data (regex #"^/dev/ttys[0-9]+$") (literal "a\\"b\\\\c"))
            """);
        assertEquals(2, forms.size());
        var literal = (Form) forms.get(1).rest().get(2);
        assertEquals("a\"b\\c", ((Text) literal.rest().getFirst()).value());
    }

    @Test
    void parametersFlattenInOrderForSandboxInit() {
        var profile = new SbplProfile("(version 1)", List.of(Map.entry("A", "/a"), Map.entry("B", "/b")));
        assertEquals(List.of("A", "/a", "B", "/b"), profile.flatParameters());
        assertThrows(IllegalArgumentException.class, () -> new SbplProfile("", List.of(Map.entry("A", "/a"), Map.entry("A", "/b"))));
    }

    @Test
    void goldenFilesAreUtf8WithoutControlCharacters() throws IOException {
        try (var files = Files.list(GOLDENS)) {
            for (var f : files.toList()) {
                var text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                assertTrue(text.chars().noneMatch(c -> Character.isISOControl(c) && c != '\n'), f.toString());
            }
        }
    }
}
