package dev.halt.core.macos;

import dev.halt.core.policy.MacSystemDefaults;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.SandboxPolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Seatbelt profile for {@code sandbox_init_with_parameters}: the SBPL text and its parameters,
 * in order. Every path travels as a parameter, read in the text as {@code (param "KEY")}, so no
 * path is ever spliced into the text and none needs escaping there.
 *
 * <p>{@link #generate} builds halt's profile from a policy. Its shape:
 * <ol>
 *   <li>{@code (allow default)}, then what an allow-default profile must close on macOS: Launch
 *       Services and Apple events (programs started or driven that way run outside the sandbox),
 *       the keychain daemons (unless {@code allow_keychain}), trustd (unless {@code allow_trustd}),
 *       the name-lookup and download daemons in the isolated network modes, preference writes
 *       through cfprefsd, the {@code kern.procargs2} sysctl (other processes' argv and environment,
 *       halt's own included), signals to processes outside the sandbox, and {@code TIOCSTI} where
 *       the rule compiles;</li>
 *   <li>files, with the meaning of halt's Landlock rules on Linux: reading contents, every write
 *       (metadata changes included), hard links, clones and exec are denied, then re-allowed per
 *       grant with <em>the same operation name</em>, because Seatbelt ranks a specific operation
 *       above a wildcard whatever the order, and among rules of one operation the last match
 *       wins. Reading metadata and extended attributes stays allowed, as under Landlock. Then the
 *       masked and protected paths are closed again, and last the {@code /System/Volumes/Data}
 *       spelling of every firmlinked path ({@code /Users}, {@code /private}, ...);</li>
 *   <li>the network of the mode: {@code unrestricted} closes unix sockets but the one where names
 *       are resolved ({@code /private/var/run/mDNSResponder}) unless {@code allow_unix_sockets};
 *       the isolated modes deny all network, then open TCP to {@code localhost} on
 *       {@code localhost_ports} ({@code localhost_only}) or on the proxy's port ({@code proxy_only}),
 *       TCP binds on {@code localhost} with {@code allow_local_binding}, and unix sockets (but name
 *       lookups) with {@code allow_unix_sockets}.</li>
 * </ol>
 * Every deny carries {@code (with message "halt:RUNID")}, so that a run's denials can be found in
 * the unified log ({@code log show --predicate 'eventMessage CONTAINS "halt:RUNID"'}).
 *
 * @param text       the SBPL source
 * @param parameters the parameters the text reads, in the order of first use, keys unique
 */
public record SbplProfile(String text, List<Map.Entry<String, String>> parameters) {

    /**
     * Most path and port filters a profile holds. Seatbelt's interpreter has limits of its own
     * (Nix splits its lists at 16 KiB of text, nono saw {@code sandbox_init} crash above ~17,700
     * rules); halt's defaults take about 40.
     */
    public static final int MAX_FILTERS = 1000;

    /** The data volume: every firmlinked path is also reachable under it. */
    public static final Path DATA_VOLUME = Path.of("/System/Volumes/Data");

    /**
     * The firmlinks of macOS 15 ({@code /usr/share/firmlinks}): the paths of the system volume
     * that are the data volume's directory of the same name. A grant spelled through
     * {@link #DATA_VOLUME} is folded back to these.
     */
    public static final List<Path> FIRMLINKS = List.of(
        "/AppleInternal", "/Applications", "/Library", "/System/Library/Caches", "/System/Library/Assets",
        "/System/Library/PreinstalledAssets", "/System/Library/AssetsV2", "/System/Library/PreinstalledAssetsV2",
        "/System/Library/CoreServices/CoreTypes.bundle/Contents/Library", "/System/Library/Speech", "/Users", "/Volumes",
        "/cores", "/opt", "/private", "/usr/local", "/usr/libexec/cups", "/usr/share/snmp").stream().map(Path::of).toList();

    /** The socket of mDNSResponder, where macOS resolves every name ({@code getaddrinfo} included). */
    public static final Path NAME_LOOKUP_SOCKET = Path.of("/private/var/run/mDNSResponder");

    /** The keychain daemons, closed unless {@code allow_keychain}. */
    public static final List<String> KEYCHAIN_SERVICES = List.of("com.apple.SecurityServer", "com.apple.securityd",
        "com.apple.security.keychaind", "com.apple.secd", "com.apple.security.agent");

    /** Certificate-chain verification, closed unless {@code allow_trustd}. */
    public static final List<String> TRUSTD_SERVICES = List.of("com.apple.trustd", "com.apple.trustd.agent");

    /** Daemons that look up names or transfer data for the caller, closed in the isolated network modes. */
    public static final List<String> NETWORK_SERVICES = List.of("com.apple.mDNSResponder", "com.apple.mDNSResponderHelper",
        "com.apple.nsurlsessiond");

    /** The first macOS version on which halt emits the {@code TIOCSTI} rule (14.2 does not compile it). */
    public static final int TIOCSTI_SINCE = 15;

    /** @throws IllegalArgumentException when a key repeats */
    public SbplProfile {
        Objects.requireNonNull(text, "text");
        parameters = List.copyOf(parameters.stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList());
        var keys = new LinkedHashSet<String>();
        for (var e : parameters) {
            if (!keys.add(e.getKey())) throw new IllegalArgumentException("parameter " + e.getKey() + " twice");
        }
    }

    /** The parameters as {@code sandbox_init_with_parameters} takes them: key, value, key, value, ... */
    public List<String> flatParameters() {
        var flat = new ArrayList<String>(parameters.size() * 2);
        parameters.forEach(e -> {
            flat.add(e.getKey());
            flat.add(e.getValue());
        });
        return List.copyOf(flat);
    }

    /**
     * A policy halt cannot express as a profile: a path with a control character, a path on the
     * data volume with no other name, more than {@link #MAX_FILTERS} filters, {@code proxy_only}
     * without a proxy port.
     */
    public static final class Refused extends IllegalArgumentException {
        private final String subject;

        Refused(String subject, String message) {
            super(message);
            this.subject = subject;
        }

        /** The offending path (or key, for a missing value), as given. */
        public String subject() {
            return subject;
        }
    }

    /**
     * halt's profile for {@code policy} in {@code environment}. Pure: it reads no file and asks the
     * system nothing. Grants should be resolved already ({@code toRealPath}, links checked), as the
     * backend resolves them for Landlock on Linux; here {@code /tmp}, {@code /var} and {@code /etc}
     * are put in their {@code /private} spelling and {@code /System/Volumes/Data/...} folded back.
     *
     * @throws Refused naming the path (or value) that cannot be expressed
     */
    public static SbplProfile generate(SandboxPolicy policy, MacEnvironment environment) {
        return new Generator(policy, environment).profile();
    }

    /**
     * {@code value} as an SBPL string literal: {@code \} and {@code "} escaped, in double quotes.
     * Only halt's own constants are spliced into the text (service names, {@code localhost:PORT},
     * the message tag); paths never are.
     *
     * @throws Refused for a control character or an unpaired surrogate, which no profile needs
     */
    public static String quoted(String value) {
        checkCharacters(value);
        var sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    /**
     * The spelling Seatbelt matches: {@code /tmp}, {@code /var} and {@code /etc} under
     * {@code /private}, a path under {@link #DATA_VOLUME} in its firmlinked form.
     *
     * @throws Refused for a control character, the data volume itself, or a path on it that no
     *                 firmlink reaches
     */
    public static Path canonical(Path path) {
        checkCharacters(path.toString());
        var normal = MacSystemDefaults.privateForm(path);
        if (!normal.startsWith(DATA_VOLUME)) return normal;
        var rest = DATA_VOLUME.relativize(normal);
        var folded = Path.of("/").resolve(rest);
        if (rest.toString().isEmpty() || FIRMLINKS.stream().noneMatch(folded::startsWith)) {
            throw new Refused(path.toString(), path + " is on the data volume and has no other name; Seatbelt rules for "
                + DATA_VOLUME + " are denied (that spelling reaches every home directory): grant the paths under their"
                + " usual names (/Users/..., /private/..., /Applications/...)");
        }
        return MacSystemDefaults.privateForm(folded);
    }

    private static void checkCharacters(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String problem = null;
            if (Character.isISOControl(c)) {
                problem = String.format("a control character (U+%04X)", (int) c);
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                problem = String.format("an unpaired surrogate (U+%04X)", (int) c);
            }
            if (problem != null) {
                throw new Refused(value, "\"" + printable(value) + "\" holds " + problem + " at index " + i
                    + "; halt puts no such path in a macOS sandbox profile");
            }
        }
    }

    /** {@code value} with control characters as {@code \\uXXXX}, for a message on one line. */
    private static String printable(String value) {
        var sb = new StringBuilder();
        value.chars().forEach(c -> {
            if (Character.isISOControl(c) || Character.isSurrogate((char) c)) sb.append(String.format("\\u%04X", c));
            else sb.append((char) c);
        });
        return sb.toString();
    }

    /** One generation: the text, the parameters, the filter count. */
    private static final class Generator {
        private final SandboxPolicy policy;
        private final MacEnvironment environment;
        private final String tag;
        private final StringBuilder text = new StringBuilder();
        private final Map<String, String> parameters = new LinkedHashMap<>();
        private final Map<String, Integer> counters = new LinkedHashMap<>();
        private int filters;

        Generator(SandboxPolicy policy, MacEnvironment environment) {
            this.policy = Objects.requireNonNull(policy, "policy");
            this.environment = Objects.requireNonNull(environment, "environment");
            this.tag = "(with message " + quoted("halt:" + environment.runId()) + ")";
        }

        SbplProfile profile() {
            line("(version 1)");
            line(";; halt: everything is allowed, then closed below; each grant re-opens what it needs");
            line(";; with the operation name that closed it (a specific operation outranks a wildcard,");
            line(";; and among rules of one operation the last match wins).");
            line("(allow default)");
            hardening();
            files();
            network();
            return new SbplProfile(text.toString(), new ArrayList<>(parameters.entrySet()));
        }

        private void hardening() {
            line("");
            line(";; Programs opened through Launch Services or driven by Apple events run outside the sandbox.");
            deny("lsopen");
            deny("appleevent-send");
            deny("mach-lookup", globalNames(List.of("com.apple.coreservices.appleevents")));
            line(";; Daemons that act for the caller where file and network rules do not reach.");
            if (!policy.macos().allowKeychain()) deny("mach-lookup", globalNames(KEYCHAIN_SERVICES));
            if (!policy.macos().trustdAllowed(policy.networkMode())) deny("mach-lookup", globalNames(TRUSTD_SERVICES));
            if (policy.networkMode() != NetworkMode.UNRESTRICTED) deny("mach-lookup", globalNames(NETWORK_SERVICES));
            deny("user-preference-write");
            line(";; Other processes' arguments and environment.");
            deny("sysctl-read", List.of("(sysctl-name " + quoted("kern.procargs") + ")", "(sysctl-name " + quoted("kern.procargs2") + ")"));
            line(";; Signals reach only this sandbox.");
            deny("signal");
            allow("signal", List.of("(target same-sandbox)"));
            if (environment.majorVersion() >= TIOCSTI_SINCE) {
                line(";; No typing into the terminal's input queue.");
                deny("file-ioctl", List.of("(ioctl-command TIOCSTI)"));
            }
        }

        private void files() {
            var access = new LinkedHashMap<Path, PathAccess>();
            for (var grant : policy.grants()) strongest(access, grant.path(), grant.access());
            strongest(access, environment.javaHome(), PathAccess.READ);
            environment.tmpDir().ifPresent(p -> strongest(access, p, PathAccess.READ_WRITE));
            environment.userCacheDir().ifPresent(p -> strongest(access, p, PathAccess.READ_WRITE));
            var files = new LinkedHashSet<Path>();
            for (var p : environment.files()) files.add(canonical(p));
            for (var p : environment.terminals()) {
                files.add(canonical(p));
                strongest(access, p, PathAccess.READ_WRITE);
            }

            line("");
            line(";; Files: contents, writes (metadata included), links, clones and exec closed, then opened per grant.");
            for (var op : List.of("file-read-data", "file-write*", "file-link", "file-clone", "process-exec*")) deny(op);
            allow("file-read-data", List.of("(literal " + param("ROOT", Path.of("/")) + ")"));
            var traverse = new ArrayList<String>();
            for (var e : access.entrySet()) {
                if (e.getValue() == PathAccess.TRAVERSE) {
                    traverse.add("(require-all (vnode-type DIRECTORY) (subpath " + param("TRAVERSE", e.getKey()) + "))");
                }
            }
            allow("file-read-data", traverse);
            allow("file-read-data process-exec*", grantFilters(access, files, PathAccess.READ, "READ"));
            allow("file-read-data file-write* file-link file-clone process-exec*", grantFilters(access, files, PathAccess.READ_WRITE, "WRITE"));
            if (policy.isolation().allowNewPtys()) {
                line(";; allow_new_ptys: every terminal, new ones included.");
                allow("file-read-data file-write*", List.of("(regex #\"^/dev/ttys[0-9]+$\")"));
            }
            var masked = policy.isolation().mask().stream().map(p -> "(subpath " + param("MASK", canonical(p)) + ")").toList();
            if (!masked.isEmpty()) line(";; Masked: neither read nor written.");
            deny("file-read-data file-write* file-link file-clone process-exec*", masked);
            var protectedPaths = uniqueCanonical(environment.readOnly());
            var kept = protectedPaths.stream().map(p -> "(subpath " + param("PROTECT", p) + ")").toList();
            var pinned = pinned(access, files, protectedPaths).stream().map(p -> "(literal " + param("PIN", p) + ")").toList();
            if (!kept.isEmpty() || !pinned.isEmpty()) line(";; Protected inside the write grants: kept as they are, and where they are.");
            deny("file-write* file-link file-clone", kept);
            deny("file-write-unlink", pinned);
            line(";; The data volume's spelling of every firmlinked path (/Users, /private, ...): last, over every grant.");
            deny("file-read-data file-write* file-link file-clone process-exec*", List.of("(subpath " + param("DATA_VOLUME", DATA_VOLUME) + ")"));
        }

        private void network() {
            var mode = policy.networkMode();
            line("");
            if (mode == NetworkMode.UNRESTRICTED) {
                if (policy.allowUnixSockets()) {
                    line(";; Network: unrestricted, unix sockets included (allow_unix_sockets).");
                    return;
                }
                line(";; Network: unrestricted. Unix sockets closed (docker.sock and the like are ways out), but");
                line(";; for the one where names are resolved.");
                deny("network-outbound", List.of("(remote unix-socket)"));
                deny("network-bind", List.of("(local unix-socket)"));
                allow("network-outbound", List.of(mdnsSocket()));
                return;
            }
            line(";; Network: " + mode + ". Nothing leaves but what is opened below.");
            deny("network*");
            switch (mode) {
                case LOCALHOST_ONLY -> {
                    var ports = policy.localhostPorts();
                    if (filters + ports.size() > MAX_FILTERS) throw tooMany("localhost_ports " + ports.get(MAX_FILTERS - filters));
                    filters += ports.size();
                    allow("network-outbound", ports.stream().map(p -> "(remote tcp " + quoted("localhost:" + p) + ")").toList());
                }
                case PROXY_ONLY -> {
                    var port = environment.proxyPort().orElseThrow(() -> new Refused("proxyPort",
                        "proxy_only needs the proxy's port; halt starts the proxy before it writes the profile"));
                    allow("network-outbound", List.of("(remote tcp " + quoted("localhost:" + port) + ")"));
                }
                case BLOCKED -> { }
                case UNRESTRICTED -> throw new AssertionError(mode);
            }
            if (policy.allowLocalBinding()) {
                line(";; allow_local_binding: TCP servers on localhost.");
                allow("network-bind", List.of("(local tcp " + quoted("localhost:*") + ")"));
                allow("network-inbound", List.of("(local tcp " + quoted("localhost:*") + ")"));
            }
            if (policy.allowUnixSockets()) {
                line(";; allow_unix_sockets: unix sockets, but not name lookups.");
                allow("network-outbound", List.of("(remote unix-socket)"));
                allow("network-bind", List.of("(local unix-socket)"));
                deny("network-outbound", List.of(mdnsSocket()));
            }
        }

        private String mdnsSocket() {
            return "(remote unix-socket (path-literal " + param("MDNS_SOCKET", NAME_LOOKUP_SOCKET) + "))";
        }

        private void strongest(Map<Path, PathAccess> access, Path path, PathAccess level) {
            access.merge(canonical(path), level, (a, b) -> a.includes(b) ? a : b);
        }

        /**
         * The pinned directories, and every directory between a write grant and a protected or
         * pinned path inside it: the rules name paths, so a repository whose directory could be
         * renamed ({@code mv ws/sub ws/x}) could be changed under its new name and moved back.
         */
        private List<Path> pinned(Map<Path, PathAccess> access, Set<Path> files, List<Path> protectedPaths) {
            var roots = access.entrySet().stream().filter(e -> e.getValue() == PathAccess.READ_WRITE && !files.contains(e.getKey()))
                .map(Map.Entry::getKey).toList();
            var pinned = new LinkedHashSet<>(uniqueCanonical(environment.pinned()));
            var inside = new ArrayList<>(pinned);
            inside.addAll(protectedPaths);
            for (var path : inside) {
                var root = roots.stream().filter(r -> path.startsWith(r) && !path.equals(r))
                    .min(java.util.Comparator.comparingInt(Path::getNameCount));
                if (root.isEmpty()) continue;
                for (var dir = path.getParent(); dir != null && !dir.equals(root.get()); dir = dir.getParent()) pinned.add(dir);
            }
            return List.copyOf(pinned);
        }

        private List<Path> uniqueCanonical(List<Path> paths) {
            var unique = new LinkedHashSet<Path>();
            for (var p : paths) unique.add(canonical(p));
            return List.copyOf(unique);
        }

        /** A directory's grant covers what is beneath it, a file's only the file. */
        private List<String> grantFilters(Map<Path, PathAccess> access, Set<Path> files, PathAccess level, String prefix) {
            var filters = new ArrayList<String>();
            for (boolean file : new boolean[] {false, true}) {
                for (var e : access.entrySet()) {
                    if (e.getValue() != level || files.contains(e.getKey()) != file) continue;
                    filters.add(file ? "(literal " + param(prefix + "_FILE", e.getKey()) + ")" : "(subpath " + param(prefix, e.getKey()) + ")");
                }
            }
            return filters;
        }

        /** Registers {@code path} as the next parameter of {@code prefix} and returns its reference. */
        private String param(String prefix, Path path) {
            String key;
            if (prefix.equals("ROOT") || prefix.equals("DATA_VOLUME") || prefix.equals("MDNS_SOCKET")) {
                key = prefix;
            } else {
                int n = counters.merge(prefix, 1, Integer::sum) - 1;
                key = prefix + "_" + n;
                if (++filters > MAX_FILTERS) throw tooMany(path.toString());
            }
            parameters.putIfAbsent(key, path.toString());
            return "(param " + quoted(key) + ")";
        }

        private static Refused tooMany(String first) {
            return new Refused(first, "the profile would hold more than " + MAX_FILTERS + " path and port rules (from "
                + first + " on); Seatbelt's interpreter fails on very large profiles: grant common parent directories instead");
        }

        /** Allows {@code operations} where one of {@code ruleFilters} matches; nothing when there is none. */
        private void allow(String operations, List<String> ruleFilters) {
            rule("allow", operations, ruleFilters, true);
        }

        /** Denies {@code operations} everywhere. */
        private void deny(String operations) {
            rule("deny", operations, List.of(), false);
        }

        /** Denies {@code operations} where one of {@code ruleFilters} matches; nothing when there is none. */
        private void deny(String operations, List<String> ruleFilters) {
            rule("deny", operations, ruleFilters, true);
        }

        /**
         * One rule. A filtered rule without filters is left out: written without them it would
         * match everything.
         */
        private void rule(String action, String operations, List<String> ruleFilters, boolean filtered) {
            if (filtered && ruleFilters.isEmpty()) return;
            var parts = new ArrayList<>(ruleFilters);
            if (action.equals("deny")) parts.add(tag);
            var head = "(" + action + " " + operations;
            var oneLine = head + (parts.isEmpty() ? "" : " " + String.join(" ", parts)) + ")";
            if (oneLine.length() <= 100) {
                line(oneLine);
                return;
            }
            var sb = new StringBuilder(head);
            for (var p : parts) sb.append("\n  ").append(p);
            line(sb.append(')').toString());
        }

        private static List<String> globalNames(List<String> names) {
            return names.stream().map(n -> "(global-name " + quoted(n) + ")").toList();
        }

        private void line(String s) {
            text.append(s).append('\n');
        }
    }
}
