package dev.halt.core.config;

import dev.halt.core.policy.EnvEntry;
import dev.halt.core.policy.ExposedPort;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.Nameservers;
import dev.halt.proxy.ProxyPolicy;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * The config file schema: every key halt knows, in the order {@code halt config show} prints
 * them.
 *
 * <pre>{@code
 * [sandbox]
 * network = { mode = "proxy_only" }   # unrestricted | localhost_only | proxy_only | blocked
 *                                     # exact = true: refuse to run where addresses are enforced by port only
 * env = ["ANTHROPIC_API_KEY", "NODE_ENV=production", "CLAUDE_CONFIG_DIR=~/.claude"]
 * allow_local_binding = false         # rootless isolated modes: may the child bind TCP ports
 * allow_unix_sockets = false          # may the child create AF_UNIX sockets
 * localhost_ports = [8080]            # rootless localhost_only: TCP ports the child may use
 * host_ports = [5432, "11434:8080"]   # ports of the host's loopback the child may reach (HOST[:SANDBOX])
 * shared_tmp = false                  # the host's /tmp instead of the run's own
 * shared_shm = true                   # rootless: grant the host's /dev/shm
 * allow_new_ptys = false              # rootless: grant /dev/pts (new ptys; other terminals too)
 * mask = ["/etc/app/secret.key"]      # with privileges: hidden behind an empty read-only file
 * protect = [".envrc"]                # kept read-only inside the write grants, besides the defaults
 * unprotect = [".vscode"]             # defaults given up
 *
 * [sandbox.macos]                     # ignored on Linux
 * allow_keychain = false              # may the child reach the keychain daemons
 * allow_trustd = false                # may the child reach trustd (default: on in unrestricted only)
 *
 * [sandbox.paths]
 * traversal = ["/"]
 * read = ["~/.gitconfig", "/etc/ssl/certs"]
 * read_write = ["~/.cache/pip"]
 *
 * [proxy]
 * domain_allowlist = ["api.example.com", "*.example.org", "github.com:22"]
 * domain_denylist = ["uploads.example.com"]
 * upstream_dns = ["1.1.1.1:53"]
 * dns_ttl_seconds = 300
 * tcp_connect_timeout_secs = 30
 * tcp_idle_timeout_secs = 60
 * allow_local_destinations = false
 * max_connections = 1024
 * }</pre>
 */
@SuppressWarnings("exports") // The proxy keys hold the proxy's DomainPattern; a module that names it requires dev.halt.proxy itself.
public final class ConfigSchema {
    private ConfigSchema() {
    }

    private static final List<String> SANDBOX = List.of("sandbox");
    private static final List<String> NETWORK = List.of("sandbox", "network");
    private static final List<String> PATHS = List.of("sandbox", "paths");
    private static final List<String> MACOS = List.of("sandbox", "macos");
    private static final List<String> PROXY = List.of("proxy");

    /** {@code [sandbox] network = { mode = "..." }}. */
    public static final ConfigKey<NetworkMode> NETWORK_MODE = scalar(NETWORK, "mode", ConfigSchema::networkMode,
            NetworkMode::configName, "network mode: " + NetworkMode.validNames());
    /** {@code [sandbox] network = { exact = true }}: refuse a network mode halt can enforce here only by port. */
    public static final ConfigKey<Boolean> NETWORK_EXACT = scalar(NETWORK, "exact", ConfigSchema::bool, b -> b,
            "refuse to run (125) when the mode's addresses cannot be enforced exactly here (rootless without halt's supervisor)");
    /** {@code [sandbox] env}: {@code KEY} (passed from halt's environment) or {@code KEY=VALUE}; one entry per name, the later wins. */
    public static final ConfigKey<EnvEntry> ENV = new ConfigKey<>(SANDBOX, "env", ConfigKey.Kind.LIST,
            ConfigSchema::envEntry, EnvEntry::toConfigString, EnvEntry::name,
            "variables to pass (KEY) or set (KEY=VALUE) besides the built-in allowlist");
    public static final ConfigKey<Boolean> ALLOW_LOCAL_BINDING = scalar(SANDBOX, "allow_local_binding",
            ConfigSchema::bool, b -> b, "let the child bind TCP ports when its network is isolated without privileges");
    public static final ConfigKey<Boolean> ALLOW_UNIX_SOCKETS = scalar(SANDBOX, "allow_unix_sockets",
            ConfigSchema::bool, b -> b, "let the child create AF_UNIX sockets (docker.sock, D-Bus are ways out)");
    public static final ConfigKey<Integer> LOCALHOST_PORTS = list(SANDBOX, "localhost_ports",
            (raw, ctx) -> integer(raw, 1, 65_535, "a TCP port"), i -> (long) i,
            "TCP ports usable in localhost_only mode without privileges (addresses are not enforced there)");
    /** {@code [sandbox] host_ports}: one entry per sandbox port, the later wins. */
    public static final ConfigKey<ExposedPort> HOST_PORTS = new ConfigKey<>(SANDBOX, "host_ports", ConfigKey.Kind.LIST,
            ConfigSchema::exposedPort, p -> p.remapped() ? p.toString() : (Object) (long) p.hostPort(), ExposedPort::sandboxPort,
            "ports of the host's 127.0.0.1 the child may reach: PORT, or \"PORT:SANDBOX_PORT\" (with privileges only)");
    public static final ConfigKey<Boolean> SHARED_TMP = scalar(SANDBOX, "shared_tmp", ConfigSchema::bool, b -> b,
            "use the host's /tmp and /var/tmp (with privileges also /dev/shm) instead of the run's own");
    public static final ConfigKey<Boolean> SHARED_SHM = scalar(SANDBOX, "shared_shm", ConfigSchema::bool, b -> b,
            "without privileges, grant the host's /dev/shm (shared with your other programs; POSIX shared memory needs it)");
    public static final ConfigKey<Boolean> ALLOW_NEW_PTYS = scalar(SANDBOX, "allow_new_ptys", ConfigSchema::bool, b -> b,
            "without privileges, grant /dev/pts: new ptys work (script, tmux), and your other terminals become reachable");
    public static final ConfigKey<Path> MASK = list(SANDBOX, "mask", ConfigSchema::path, Path::toString,
            "with privileges, paths hidden behind an empty read-only file or directory");
    public static final ConfigKey<Path> PROTECT = list(SANDBOX, "protect", ConfigSchema::protectedPath, Path::toString,
            "paths kept read-only inside the write grants (relative: at the top of each grant and git work tree)");
    public static final ConfigKey<String> UNPROTECT = list(SANDBOX, "unprotect", ConfigSchema::unprotected, s -> s,
            "default protections given up: " + String.join(", ", Isolation.DEFAULT_PROTECTED));
    /** {@code [sandbox.macos] allow_keychain}: see {@link dev.halt.core.policy.MacOptions#allowKeychain()}. */
    public static final ConfigKey<Boolean> ALLOW_KEYCHAIN = scalar(MACOS, "allow_keychain", ConfigSchema::bool, b -> b,
            "macOS: let the child reach the keychain daemons (they give out passwords and tokens; Claude's login needs them)");
    /**
     * {@code [sandbox.macos] allow_trustd}: see {@link dev.halt.core.policy.MacOptions#allowTrustd()}. The
     * one key no layer needs to set: when none does, {@link EffectiveConfig} derives it from the network mode.
     */
    public static final ConfigKey<Boolean> ALLOW_TRUSTD = scalar(MACOS, "allow_trustd", ConfigSchema::bool, b -> b,
            "macOS: let the child reach trustd (Go's TLS needs it; it fetches what certificates name); default: on in unrestricted only");
    public static final ConfigKey<Path> TRAVERSAL = list(PATHS, PathAccess.TRAVERSE.configKey(), ConfigSchema::path,
            Path::toString, "paths the child may list and look up names in, not read");
    public static final ConfigKey<Path> READ = list(PATHS, PathAccess.READ.configKey(), ConfigSchema::path,
            Path::toString, "paths the child may read and execute");
    public static final ConfigKey<Path> READ_WRITE = list(PATHS, PathAccess.READ_WRITE.configKey(), ConfigSchema::path,
            Path::toString, "paths the child may read, execute, create, change and remove");
    /**
     * {@code [proxy] domain_allowlist}: read into {@link DomainPattern}s here, the one parse of an
     * entry (from a file or {@code --allow}); the same values reach the proxy's matcher. Two
     * spellings of one pattern ({@code Example.COM.}, {@code example.com}) are one entry.
     */
    public static final ConfigKey<DomainPattern> DOMAIN_ALLOWLIST = list(PROXY, "domain_allowlist", ConfigSchema::domain,
            DomainPattern::toString, "domains the child may reach in proxy_only mode (example.com, *.example.com, host:port)");
    public static final ConfigKey<DomainPattern> DOMAIN_DENYLIST = list(PROXY, "domain_denylist", ConfigSchema::domain,
            DomainPattern::toString, "domains refused even when the allowlist matches them");
    public static final ConfigKey<InetSocketAddress> UPSTREAM_DNS = list(PROXY, "upstream_dns",
            (raw, ctx) -> Nameservers.parse(string(raw)), Nameservers::format,
            "nameservers the proxy asks (IP[:PORT]); empty: those of /etc/resolv.conf");
    public static final ConfigKey<Integer> DNS_TTL_SECONDS = scalar(PROXY, "dns_ttl_seconds",
            (raw, ctx) -> integer(raw, 1, ProxyPolicy.MAX_DNS_TTL_SECONDS, "seconds"), i -> (long) i,
            "longest time a DNS answer is cached, in seconds");
    public static final ConfigKey<Integer> TCP_CONNECT_TIMEOUT_SECS = scalar(PROXY, "tcp_connect_timeout_secs",
            (raw, ctx) -> integer(raw, 1, ProxyPolicy.MAX_CONNECT_TIMEOUT_SECONDS, "seconds"), i -> (long) i,
            "seconds to wait for an upstream connection");
    public static final ConfigKey<Integer> TCP_IDLE_TIMEOUT_SECS = scalar(PROXY, "tcp_idle_timeout_secs",
            (raw, ctx) -> integer(raw, 1, ProxyPolicy.MAX_IDLE_TIMEOUT_SECONDS, "seconds"), i -> (long) i,
            "seconds without a byte either way before a tunnel is closed");
    public static final ConfigKey<Boolean> ALLOW_LOCAL_DESTINATIONS = scalar(PROXY, "allow_local_destinations",
            ConfigSchema::bool, b -> b, "let allowed names resolve to loopback, private or link-local addresses");
    public static final ConfigKey<Integer> MAX_CONNECTIONS = scalar(PROXY, "max_connections",
            (raw, ctx) -> integer(raw, 1, ProxyPolicy.MAX_CONNECTIONS_LIMIT, "connections"), i -> (long) i,
            "most concurrent connections through the proxy");

    /** Every key, in rendering order. */
    public static final List<ConfigKey<?>> KEYS = List.of(NETWORK_MODE, NETWORK_EXACT, ENV, ALLOW_LOCAL_BINDING, ALLOW_UNIX_SOCKETS,
            LOCALHOST_PORTS, HOST_PORTS, SHARED_TMP, SHARED_SHM, ALLOW_NEW_PTYS, MASK, PROTECT, UNPROTECT, ALLOW_KEYCHAIN, ALLOW_TRUSTD, TRAVERSAL, READ, READ_WRITE, DOMAIN_ALLOWLIST, DOMAIN_DENYLIST, UPSTREAM_DNS,
            DNS_TTL_SECONDS, TCP_CONNECT_TIMEOUT_SECS, TCP_IDLE_TIMEOUT_SECS, ALLOW_LOCAL_DESTINATIONS, MAX_CONNECTIONS);

    /** Every table, parents first. */
    public static final List<List<String>> TABLES = List.of(SANDBOX, NETWORK, MACOS, PATHS, PROXY);

    /** The key for each access level of {@code [sandbox.paths]}. */
    public static final Map<PathAccess, ConfigKey<Path>> PATH_KEYS = Map.of(
            PathAccess.TRAVERSE, TRAVERSAL, PathAccess.READ, READ, PathAccess.READ_WRITE, READ_WRITE);

    /** The key at {@code path}, if any. */
    public static Optional<ConfigKey<?>> key(List<String> path) {
        return KEYS.stream().filter(k -> keyPath(k).equals(path)).findFirst();
    }

    /** Whether {@code path} names a table of the schema. */
    public static boolean isTable(List<String> path) {
        return TABLES.contains(path);
    }

    /** The full path of a key: its table's path, then its name. */
    public static List<String> keyPath(ConfigKey<?> key) {
        var p = new java.util.ArrayList<>(key.table());
        p.add(key.name());
        return List.copyOf(p);
    }

    /** The keys and sub-tables directly inside {@code table}: what is known there. */
    public static List<String> namesIn(List<String> table) {
        var names = new java.util.ArrayList<String>();
        for (var t : TABLES) {
            if (t.size() == table.size() + 1 && t.subList(0, table.size()).equals(table)) {
                names.add(t.getLast());
            }
        }
        for (var k : KEYS) {
            if (k.table().equals(table)) {
                names.add(k.name());
            }
        }
        return names;
    }

    /** A user's name for the type of a raw TOML value. */
    public static String typeName(Object raw) {
        return switch (raw) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Double d -> "a float";
            case Boolean b -> "a boolean";
            case TomlArray a -> "a list";
            case TomlTable t -> "a table";
            case OffsetDateTime d -> "a date-time";
            case LocalDateTime d -> "a date-time";
            case LocalDate d -> "a date";
            case LocalTime t -> "a time";
            default -> raw.getClass().getSimpleName();
        };
    }

    private static <T> ConfigKey<T> scalar(List<String> table, String name, ConfigKey.Reader<T> reader,
                                           Function<T, Object> plain, String description) {
        return new ConfigKey<>(table, name, ConfigKey.Kind.SCALAR, reader, plain, v -> v, description);
    }

    private static <T> ConfigKey<T> list(List<String> table, String name, ConfigKey.Reader<T> reader,
                                         Function<T, Object> plain, String description) {
        return new ConfigKey<>(table, name, ConfigKey.Kind.LIST, reader, plain, v -> v, description);
    }

    static String string(Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("expected a string, got " + typeName(raw));
    }

    private static NetworkMode networkMode(Object raw, ReadContext ctx) {
        var text = string(raw);
        return NetworkMode.parse(text).orElseThrow(() -> new IllegalArgumentException(
                "unknown network mode \"" + text + "\"; use one of " + NetworkMode.validNames()));
    }

    /** {@code 5432} or {@code "11434:8080"}. */
    private static ExposedPort exposedPort(Object raw, ReadContext ctx) {
        if (raw instanceof Long l) {
            return ExposedPort.of(integer(raw, 1, 65_535, "a TCP port"));
        }
        if (raw instanceof String s) {
            return ExposedPort.parse(s);
        }
        throw new IllegalArgumentException("expected a port (5432) or \"PORT:SANDBOX_PORT\", got " + typeName(raw));
    }

    private static Boolean bool(Object raw, ReadContext ctx) {
        if (raw instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("expected true or false, got " + typeName(raw)
                + (raw instanceof String ? " (write it without quotes)" : ""));
    }

    private static Integer integer(Object raw, long min, long max, String unit) {
        if (!(raw instanceof Long l)) {
            throw new IllegalArgumentException("expected an integer (" + unit + " from " + min + " to " + max
                    + "), got " + typeName(raw) + (raw instanceof String ? " (write it without quotes)" : ""));
        }
        if (l < min || l > max) {
            throw new IllegalArgumentException(l + " is out of range: use " + unit + " from " + min + " to " + max);
        }
        return Math.toIntExact(l);
    }

    /**
     * {@code KEY} or {@code KEY=VALUE}; a value that is {@code ~} or starts with {@code ~/} is
     * expanded as a path is (an agent profile can say {@code CLAUDE_CONFIG_DIR=~/.claude} for
     * whoever uses it, the user who ran sudo included). Nothing else in a value is expanded.
     */
    private static EnvEntry envEntry(Object raw, ReadContext ctx) {
        var entry = EnvEntry.parse(string(raw));
        if (entry instanceof EnvEntry.Set(var name, var value) && (value.equals("~") || value.startsWith("~/"))) {
            return new EnvEntry.Set(name, path(value, ctx).toString());
        }
        return entry;
    }

    /** A domain pattern, blanks around it ignored; the message names the entry and what is wrong. */
    private static DomainPattern domain(Object raw, ReadContext ctx) {
        var text = string(raw).strip();
        try {
            return DomainPattern.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad domain pattern: " + e.getMessage());
        }
    }

    /**
     * Reads a {@code protect} entry: {@code ~} and {@code ~/...} and absolute paths as in
     * {@link #path}; any other path stays relative, a name looked for at the top of each write
     * grant and git work tree, and may not climb out of it.
     */
    private static Path protectedPath(Object raw, ReadContext ctx) {
        var text = string(raw);
        if (text.startsWith("/") || text.startsWith("~")) return path(raw, ctx);
        if (text.isEmpty()) throw new IllegalArgumentException("an empty path protects nothing");
        if (text.indexOf('\0') >= 0) throw new IllegalArgumentException("the path contains a NUL character");
        Path relative;
        try {
            relative = Path.of(text).normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid path: " + e.getReason());
        }
        Isolation.problem(relative).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return relative;
    }

    private static String unprotected(Object raw, ReadContext ctx) {
        var text = string(raw).strip();
        if (!Isolation.DEFAULT_PROTECTED.contains(text)) {
            throw new IllegalArgumentException("\"" + text + "\" is not protected by default; unprotect takes one of "
                    + String.join(", ", Isolation.DEFAULT_PROTECTED));
        }
        return text;
    }

    /**
     * Reads a path: {@code ~} and {@code ~/...} are the home directory, a relative path is
     * resolved against the working directory, the result is normalised. Links are not resolved.
     */
    static Path path(Object raw, ReadContext ctx) {
        var text = string(raw);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty path; write \".\" for the working directory");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the path contains a NUL character");
        }
        Path path;
        try {
            if (text.equals("~")) {
                path = ctx.home();
            } else if (text.startsWith("~/")) {
                path = ctx.home().resolve(text.substring(2));
            } else if (text.startsWith("~")) {
                throw new IllegalArgumentException("\"" + text + "\": only ~ and ~/... are expanded (to your home directory), not ~user");
            } else {
                path = ctx.workingDirectory().resolve(text);
            }
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a valid path: " + e.getReason());
        }
        return path.toAbsolutePath().normalize();
    }
}
