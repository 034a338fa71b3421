package dev.halt.core.explain;

import dev.halt.core.LaunchException;
import dev.halt.core.SandboxBackend;
import dev.halt.core.config.ConfigSchema;
import dev.halt.core.config.EffectiveConfig;
import dev.halt.core.config.LoadResult;
import dev.halt.core.json.JsonWriter;
import dev.halt.core.linux.LinuxBackend;
import dev.halt.core.linux.landlock.PathCoverage;
import dev.halt.core.linux.fs.RunView;
import dev.halt.core.policy.NetworkMode;
import dev.halt.proxy.Addresses;
import dev.halt.proxy.DomainMatcher;
import dev.halt.proxy.DomainPattern;
import dev.halt.proxy.HostNames;
import dev.halt.proxy.ProxyPolicy;
import dev.halt.proxy.dns.HostsFile;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.halt.ffm.linux.landlock_h.*;

/**
 * {@code halt explain}: for each path, which grants of the effective configuration cover it and
 * with which rights (links followed as the Landlock plan follows them), or that none does and the
 * flag that would; for each host, whether the proxy's allowlist admits it and by which pattern, or
 * which denylist pattern or local-address rule refuses it. It plans as {@code halt run} plans
 * ({@link LinuxBackend#view}) and starts nothing.
 */
public final class Explainer {
    private Explainer() {}

    /** Where the README explains what a root child without capabilities cannot do, and what makes apt work. */
    public static final String ROOT_TOOLS = "README, section \"Root tools\"";

    /**
     * A grant that covers a path.
     *
     * @param path   the grant's path, links resolved
     * @param access its rights in words ({@code read}, {@code read-write}, {@code list})
     * @param source where it was made ({@code command line --read}, {@code file:line}, {@code default (...)})
     */
    public record Grant(Path path, String access, String source) {}

    /**
     * The answer for one path.
     *
     * @param asked     as the user wrote it
     * @param path      absolute, as asked
     * @param resolved  with every symbolic link followed (what Landlock sees)
     * @param exists    whether it exists
     * @param directory whether it is a directory
     * @param rights    the child's rights in words ({@code nothing} when no grant covers it)
     * @param grantedBy the grants that cover it, outermost first
     * @param flags     the flags that would grant more: {@code --read PATH}, {@code --write PATH}
     * @param notes     links followed, protected paths, masks, temporary directories, root
     */
    public record PathAnswer(String asked, Path path, Path resolved, boolean exists, boolean directory, String rights,
                             List<Grant> grantedBy, List<String> flags, List<String> notes) {}

    /**
     * The answer for one host.
     *
     * @param asked   as the user wrote it
     * @param host    the name or address
     * @param port    the port, or -1 when none was given
     * @param allowed whether the child may reach it in the effective network mode
     * @param reason  why, in a few words
     * @param pattern the allowlist or denylist entry that decided, or null
     * @param source  where that entry was made, or null
     * @param flag    what would allow it, or null
     * @param notes   the local-address rule, the network mode
     */
    public record HostAnswer(String asked, String host, int port, boolean allowed, String reason, String pattern,
                             String source, String flag, List<String> notes) {}

    /**
     * Everything {@code halt explain} says.
     *
     * @param networkMode the effective network mode
     * @param paths       one answer per path asked
     * @param hosts       one answer per host asked
     * @param notes       what holds for every path (no Landlock, grants left out, root)
     */
    public record Explanation(String networkMode, List<PathAnswer> paths, List<HostAnswer> hosts, List<String> notes) {

        /** Lines for a person. */
        public String text() {
            var out = new StringBuilder();
            for (var p : paths) {
                out.append(p.asked());
                if (!p.resolved().toString().equals(p.asked())) out.append(" (").append(p.resolved()).append(')');
                out.append(": ").append(p.rights().equals("nothing") ? "not granted" : p.rights())
                    .append(p.exists() ? "" : " (does not exist)").append('\n');
                for (var g : p.grantedBy()) {
                    out.append("  ").append(g.access()).append(" from ").append(g.path()).append(", ").append(g.source()).append('\n');
                }
                if (!p.flags().isEmpty()) out.append("  to grant more: ").append(String.join(" | ", p.flags())).append('\n');
                for (var n : p.notes()) out.append("  note: ").append(n).append('\n');
            }
            for (var h : hosts) {
                out.append(h.asked()).append(": ").append(h.allowed() ? "allowed" : "refused").append(" (").append(h.reason())
                    .append(")\n");
                if (h.flag() != null) out.append("  to allow it: ").append(h.flag()).append('\n');
                for (var n : h.notes()) out.append("  note: ").append(n).append('\n');
            }
            for (var n : notes) out.append("note: ").append(n).append('\n');
            return out.toString();
        }

        /** One JSON object. */
        public String json() {
            var w = new JsonWriter().beginObject().name("network_mode").value(networkMode).name("paths").beginArray();
            for (var p : paths) {
                w.beginObject().name("asked").value(p.asked()).name("path").value(p.path().toString())
                    .name("resolved").value(p.resolved().toString()).name("exists").value(p.exists())
                    .name("directory").value(p.directory()).name("rights").value(p.rights()).name("granted_by").beginArray();
                for (var g : p.grantedBy()) {
                    w.beginObject().name("path").value(g.path().toString()).name("access").value(g.access())
                        .name("source").value(g.source()).endObject();
                }
                w.endArray().name("flags").tree(p.flags()).name("notes").tree(p.notes()).endObject();
            }
            w.endArray().name("hosts").beginArray();
            for (var h : hosts) {
                w.beginObject().name("asked").value(h.asked()).name("host").value(h.host()).name("port").value(h.port())
                    .name("allowed").value(h.allowed()).name("reason").value(h.reason()).name("pattern").value(h.pattern())
                    .name("source").value(h.source()).name("flag").value(h.flag()).name("notes").tree(h.notes()).endObject();
            }
            return w.endArray().name("notes").tree(notes).endObject().toString();
        }
    }

    /**
     * Explains {@code targets} (paths and {@code HOST[:PORT]}s) under the configuration
     * {@code loaded}. A target is a path when it starts with {@code /}, {@code ~} or {@code .},
     * holds a {@code /}, or names something in {@code workingDirectory}; else a host.
     *
     * @param environment halt's environment (HOME, SUDO_UID)
     * @throws LaunchException when {@code halt run} would refuse the configuration's grants
     */
    public static Explanation explain(LoadResult.Loaded loaded, List<String> targets, Map<String, String> environment,
                                      Path workingDirectory) throws LaunchException {
        var policy = loaded.policy();
        var notes = new ArrayList<String>();
        var paths = new ArrayList<PathAnswer>();
        var hosts = new ArrayList<HostAnswer>();
        RunView view = null;
        for (var target : targets) {
            if (isPath(target, workingDirectory)) {
                if (!(SandboxBackend.current() instanceof LinuxBackend linux)) {
                    throw new LaunchException(dev.halt.core.ExitStatus.HALT_FAILED, "halt explain answers for paths on Linux for now");
                }
                if (view == null) view = linux.view(policy, environment);
                paths.add(path(target, view, workingDirectory));
            } else {
                hosts.add(host(target, policy.networkMode(), policy.proxy(), loaded.config()));
            }
        }
        if (view != null) {
            if (view.abi() == 0) notes.addAll(view.warnings());
            if (view.rootChild()) {
                notes.add("as root the child keeps uid 0 but no capability: Unix permissions bind it as they bind any user,"
                    + " and tools that rely on root's override fail (apt cannot switch to _apt); " + ROOT_TOOLS
                    + " has the grants and options that make apt-get download work");
            }
        }
        return new Explanation(policy.networkMode().configName(), paths, hosts, notes);
    }

    private static boolean isPath(String target, Path workingDirectory) {
        if (target.startsWith("/") || target.startsWith("~") || target.startsWith(".") || target.contains("/")) return true;
        return Files.exists(workingDirectory.resolve(target), LinkOption.NOFOLLOW_LINKS);
    }

    private static PathAnswer path(String asked, RunView view, Path workingDirectory) {
        var notes = new ArrayList<String>();
        var path = absolute(asked, view.home(), workingDirectory);
        var resolved = resolve(path, notes);
        boolean exists = Files.exists(resolved, LinkOption.NOFOLLOW_LINKS);
        boolean directory = Files.isDirectory(resolved, LinkOption.NOFOLLOW_LINKS);
        var landlock = PathCoverage.of(resolved, view.rules());
        var coverage = landlock;
        if (!view.mountedWritable(resolved)) {
            // Outside the write grants the run's mounts are read-only: Landlock's write rights there end in EROFS.
            coverage = new PathCoverage(resolved, landlock.rules(), landlock.rights()
                & (LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_READ_DIR() | LANDLOCK_ACCESS_FS_EXECUTE()));
            if (landlock.rights() != coverage.rights()) {
                notes.add("Landlock lets the child write here, but the run mounts it read-only (only write grants are"
                    + " bound read-write inside a temporary directory's tmpfs): a write fails with EROFS");
            }
        }
        var rights = view.abi() == 0 ? "everything (no Landlock)" : PathCoverage.describe(coverage.rights(), view.abi(), directory || !exists);
        // One line per rule path and rights: /usr/bin is granted both as a system directory and as a PATH entry.
        var merged = new java.util.LinkedHashMap<List<Object>, List<String>>();
        for (var r : coverage.rules()) {
            var access = PathCoverage.describe(r.access(), view.abi(), Files.isDirectory(r.path(), LinkOption.NOFOLLOW_LINKS));
            merged.computeIfAbsent(List.of(r.path(), access), k -> new ArrayList<>()).add(r.grant().source().describe());
        }
        var grants = merged.entrySet().stream().map(e -> new Grant((Path) e.getKey().get(0), (String) e.getKey().get(1),
            String.join("; ", e.getValue()))).toList();
        var shown = display(path, view.home());
        var flags = new ArrayList<String>();
        if (view.abi() > 0) {
            long read = LANDLOCK_ACCESS_FS_READ_FILE() | LANDLOCK_ACCESS_FS_EXECUTE();
            if (directory) read |= LANDLOCK_ACCESS_FS_READ_DIR();
            if (directory && !coverage.allows(LANDLOCK_ACCESS_FS_READ_DIR())) flags.add("--traverse " + shown + " (list it)");
            if (!coverage.allows(read)) flags.add("--read " + shown + " (read" + (directory ? " everything in it" : "") + ")");
            long write = LANDLOCK_ACCESS_FS_WRITE_FILE() | (directory ? LANDLOCK_ACCESS_FS_MAKE_REG() : 0);
            if (!coverage.allows(write)) flags.add("--write " + shown + " (read-write)");
        }
        tmpNotes(resolved, coverage, view, notes);
        if (view.mountNamespace() && exists && !landlock.allows(LANDLOCK_ACCESS_FS_WRITE_FILE())) {
            notes.add("outside the write grants the run's mounts are read-only: a write there fails with EROFS, which is"
                + " not reported as a denial");
        }
        for (var p : view.readOnly()) {
            if (resolved.startsWith(p)) {
                notes.add("protected: " + p + " stays read-only inside the run ("
                    + (view.mountNamespace() ? "bound read-only" : "halt puts back any change at once and at exit")
                    + "; [sandbox] unprotect gives it up)");
            }
        }
        for (var p : view.pinned()) {
            if (resolved.equals(p)) notes.add("protected: " + p + " can be neither moved nor removed inside the run");
        }
        for (var m : view.masks()) {
            if (resolved.startsWith(m.path())) {
                notes.add("hidden: " + m.path() + " reads as an empty " + (m.directory() ? "directory" : "file") + " inside the run ("
                    + (m.why().equals("[sandbox] mask") ? "[sandbox] mask" : "a root-only entry of /etc; a grant of yours that"
                    + " names it keeps it visible") + ")");
            }
        }
        for (var w : view.warnings()) {
            if (w.contains(" " + path + " ") || w.contains(" " + resolved + " ")) notes.add(w);
        }
        if (view.rootChild() && exists) rootPermissions(resolved, directory, notes);
        return new PathAnswer(asked, path, resolved, exists, directory, rights, grants, flags, notes);
    }

    private static void tmpNotes(Path resolved, PathCoverage coverage, RunView view, List<String> notes) {
        var tmp = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));
        var inTmp = tmp.stream().filter(resolved::startsWith).findFirst();
        if (inTmp.isEmpty()) return;
        if (view.mountNamespace()) {
            if (coverage.rules().stream().noneMatch(r -> r.path().getNameCount() > inTmp.get().getNameCount())) {
                notes.add(inTmp.get() + " is the run's own, empty tmpfs: what the host has at " + resolved + " is not there"
                    + " (unless a grant of yours names it; [sandbox] shared_tmp = true shares the host's)");
            }
        } else if (view.privateTmp() && coverage.rules().isEmpty()) {
            notes.add("without privileges a run gets a private temporary directory (its TMPDIR) instead of the host's "
                + inTmp.get() + "; [sandbox] shared_tmp = true grants the host's");
        }
    }

    /** What Unix permissions leave to a child of uid 0 with no capability: the owner, group or other bits, as for anyone. */
    private static void rootPermissions(Path resolved, boolean directory, List<String> notes) {
        var denied = new ArrayList<String>();
        for (var dir = resolved.getParent(); dir != null; dir = dir.getParent()) {
            if (!permits(dir, 1)) {
                denied.add("enter " + dir + " (" + owner(dir) + ")");
                break;
            }
        }
        if (!permits(resolved, 4)) denied.add((directory ? "list " : "read ") + resolved);
        if (!permits(resolved, directory ? 3 : 2)) denied.add((directory ? "create files in " : "write ") + resolved);
        if (!denied.isEmpty()) {
            notes.add("Unix permissions (" + owner(resolved) + ") do not let a root child without capabilities "
                + String.join(", nor ", denied) + ", whatever the grants: see " + ROOT_TOOLS);
        }
    }

    /** Whether uid 0, gid 0, without capabilities, has {@code bits} (4 read, 2 write, 1 execute) on {@code p}. */
    private static boolean permits(Path p, int bits) {
        try {
            int uid = (Integer) Files.getAttribute(p, "unix:uid");
            int gid = (Integer) Files.getAttribute(p, "unix:gid");
            int mode = (Integer) Files.getAttribute(p, "unix:mode");
            int shift = uid == 0 ? 6 : gid == 0 ? 3 : 0;
            return ((mode >> shift) & bits) == bits;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static String owner(Path p) {
        try {
            var a = Files.readAttributes(p, PosixFileAttributes.class);
            return "owner " + a.owner().getName() + ", group " + a.group().getName() + ", mode "
                + String.format("%04o", (Integer) Files.getAttribute(p, "unix:mode") & 07777);
        } catch (IOException | RuntimeException e) {
            return "permissions unreadable";
        }
    }

    /** {@code ~} expanded to the child's home, relative paths against the working directory. */
    private static Path absolute(String asked, Path home, Path workingDirectory) {
        if (home != null && (asked.equals("~") || asked.startsWith("~/"))) {
            return asked.length() <= 2 ? home : home.resolve(asked.substring(2)).normalize();
        }
        return workingDirectory.resolve(asked).normalize();
    }

    /**
     * The path with every link on the way followed, as the Landlock plan follows a grant's (its
     * kernel rules are on the resolved inodes); what does not exist is kept as written. Notes each
     * link.
     */
    static Path resolve(Path path, List<String> notes) {
        var current = path.getRoot();
        int hops = 0;
        var names = new ArrayList<Path>();
        path.forEach(names::add);
        for (int i = 0; i < names.size(); i++) {
            var next = current.resolve(names.get(i));
            if (Files.isSymbolicLink(next) && hops++ < 40) {
                try {
                    var target = Files.readSymbolicLink(next);
                    var followed = current.resolve(target).normalize();
                    notes.add("follows the link " + next + " -> " + target);
                    var rest = new ArrayList<Path>();
                    followed.forEach(rest::add);
                    rest.addAll(names.subList(i + 1, names.size()));
                    names = rest;
                    current = followed.getRoot();
                    i = -1;
                    continue;
                } catch (IOException e) {
                    // Unreadable: taken as written.
                }
            }
            current = next;
        }
        return current;
    }

    private static String display(Path path, Path home) {
        if (home == null || home.getNameCount() == 0) return path.toString();
        if (path.equals(home)) return "~";
        return path.startsWith(home) ? "~/" + home.relativize(path) : path.toString();
    }

    private static HostAnswer host(String asked, NetworkMode mode, ProxyPolicy proxy, EffectiveConfig config) {
        String host = asked;
        int port = -1;
        if (asked.startsWith("[")) {
            int close = asked.indexOf(']');
            host = close > 0 ? asked.substring(1, close) : asked;
            if (close > 0 && asked.startsWith(":", close + 1)) port = parsePort(asked.substring(close + 2));
        } else if (asked.indexOf(':') >= 0 && asked.indexOf(':') == asked.lastIndexOf(':')) {
            host = asked.substring(0, asked.indexOf(':'));
            port = parsePort(asked.substring(asked.indexOf(':') + 1));
        }
        var notes = new ArrayList<String>();
        InetAddress literal = literal(host);
        return switch (mode) {
            case UNRESTRICTED -> new HostAnswer(asked, host, port, true, "network mode unrestricted: every host", null, null,
                null, notes);
            case BLOCKED -> new HostAnswer(asked, host, port, false, "network mode blocked: no host", null, null,
                "--allow " + asked + " (network mode proxy_only, with this host on the allowlist)", notes);
            case LOCALHOST_ONLY -> {
                boolean loopback = literal != null ? literal.isLoopbackAddress() : "localhost".equalsIgnoreCase(host);
                yield new HostAnswer(asked, host, port, loopback, loopback ? "network mode localhost_only: loopback only"
                    + (port > 0 ? " (without privileges, only [sandbox] localhost_ports)" : "")
                    : "network mode localhost_only: loopback only", null, null,
                    loopback ? null : "--allow " + asked + " (network mode proxy_only, with this host on the allowlist)", notes);
            }
            case PROXY_ONLY -> proxyAnswer(asked, host, port, literal, proxy, config, notes);
        };
    }

    private static HostAnswer proxyAnswer(String asked, String host, int port, InetAddress literal, ProxyPolicy proxy,
                                          EffectiveConfig config, List<String> notes) {
        var matcher = DomainMatcher.of(proxy.allowlist(), proxy.denylist());
        if (literal != null) {
            if (!proxy.allowLocalDestinations() && Addresses.isLocal(literal)) {
                return new HostAnswer(asked, host, port, false, "local address " + literal.getHostAddress()
                    + " refused: the DNS rebinding defence", null, null, "[proxy] allow_local_destinations = true", notes);
            }
            notes.add("an IP address passes the proxy only when its resolver recently resolved an allowed name to it,"
                + " during the same run; allow the name, not the address");
            return new HostAnswer(asked, host, port, false, "an address, not a name", null, null, null, notes);
        }
        var normalized = HostNames.normalizeOrNull(host);
        if (normalized == null) {
            return new HostAnswer(asked, host, port, false, "not a valid host name", null, null, null, notes);
        }
        var verdict = matcher.checkNormalized(normalized, port > 0 ? port : DomainMatcher.ANY);
        if (port <= 0) notes.add("no port given: decided as a DNS lookup is, where a port-restricted entry counts");
        return switch (verdict) {
            case DomainMatcher.Verdict.Denied d -> {
                var source = source(config, ConfigSchema.DOMAIN_DENYLIST, d.by());
                yield new HostAnswer(asked, normalized, port, false, "denied by " + d.by() + (source == null ? "" : " (" + source + ")"),
                    d.by().toString(), source, null, notes);
            }
            case DomainMatcher.Verdict.NotAllowed n -> new HostAnswer(asked, normalized, port, false, n.reason(), null, null,
                "--allow " + asked, notes);
            case DomainMatcher.Verdict.Allowed a -> {
                var local = proxy.allowLocalDestinations() ? List.<String>of() : localAddresses(normalized, notes);
                var source = source(config, ConfigSchema.DOMAIN_ALLOWLIST, a.by());
                var reason = "allowed by " + a.by() + (source == null ? "" : " (" + source + ")") + (local.isEmpty() ? ""
                    : ", but /etc/hosts gives it only local addresses " + local + ", which the proxy refuses (DNS rebinding defence)");
                yield new HostAnswer(asked, normalized, port, local.isEmpty(), reason, a.by().toString(), source,
                    local.isEmpty() ? null : "[proxy] allow_local_destinations = true", notes);
            }
        };
    }

    /**
     * The addresses {@code /etc/hosts} gives an allowed name when they are all local (loopback,
     * private, link-local), which the proxy refuses; else empty, with a note on the rule.
     */
    private static List<String> localAddresses(String host, List<String> notes) {
        List<InetAddress> addresses;
        try {
            addresses = HostsFile.load(Path.of("/etc/hosts")).lookup(host);
        } catch (IOException e) {
            addresses = List.of();
        }
        var local = addresses.stream().filter(Addresses::isLocal).map(InetAddress::getHostAddress).toList();
        if (!addresses.isEmpty() && local.size() == addresses.size()) return local;
        notes.add("the proxy still refuses it if it resolves only to loopback, private or link-local addresses, or to this"
            + " machine's own (unless [proxy] allow_local_destinations = true); halt explain does not ask DNS");
        return List.of();
    }

    private static String source(EffectiveConfig config, dev.halt.core.config.ConfigKey<DomainPattern> key, DomainPattern pattern) {
        for (var entry : config.values(key)) {
            if (entry.value().equals(pattern)) return entry.source().describe();
        }
        return null;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
