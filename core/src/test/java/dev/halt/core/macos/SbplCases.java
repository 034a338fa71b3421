package dev.halt.core.macos;

import dev.halt.core.macos.SbplModel.Endpoint;
import dev.halt.core.macos.SbplModel.Request;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.MacOptions;
import dev.halt.core.policy.MacSystemDefaults;
import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;

import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named cases of the generator's tests (goldens, the decision table on the model and, on a
 * Mac, for real) and the decision table itself ({@code sbpl/decisions.csv}).
 *
 * <p>Every case shares one layout of paths, the {@link Fixture}: a workspace {@code $WS}
 * (read-write, with a protected {@code .git}, and a repository {@code sub/repo} below), a read
 * grant {@code $RO} (with a masked {@code masked/} inside), a single granted file {@code $ROFILE} in {@code $CONF}, a traversal
 * grant {@code $TRAV}, a directory outside every grant {@code $OUT}, the child's {@code $TMP}, and
 * the ports {@code $PROXY}, {@code $PORT_A} (in {@code localhost_ports}) and {@code $PORT_B}
 * (in none). The model test points them at fixed paths; the macOS test at real ones.
 */
final class SbplCases {
    private SbplCases() {
    }

    /** The cases of the decision table, each a network mode and switches. */
    static final List<String> NAMES = List.of("unrestricted", "unrestricted-open", "blocked", "blocked-unix", "localhost", "proxy",
        "proxy-trustd");

    /**
     * Where the placeholders point, and what the defaults are.
     *
     * @param places       placeholder (without {@code $}) to path or port
     * @param base         the default grants the cases start from
     * @param javaHome     the JDK
     * @param files        granted paths that are files
     * @param terminals    the terminal devices of the run
     * @param extraReads   read grants the probe itself needs (its classes, on a Mac)
     * @param macosVersion the version the profile is written for
     */
    record Fixture(Map<String, String> places, List<PathGrant> base, Path javaHome, Set<Path> files, List<Path> terminals,
                   List<Path> extraReads, String macosVersion) {

        Path path(String name) {
            return Path.of(places.get(name));
        }

        int port(String name) {
            return Integer.parseInt(places.get(name));
        }

        /** {@code text} with every {@code $NAME} replaced, longest names first. */
        String expand(String text) {
            var names = new ArrayList<>(places.keySet());
            names.sort((a, b) -> b.length() - a.length());
            for (var name : names) text = text.replace("$" + name, places.get(name));
            return text;
        }
    }

    /** The fixture of the model and the goldens: fixed paths of a user {@code u}, the defaults of a Mac with everything installed. */
    static Fixture modelFixture() {
        var places = new LinkedHashMap<String, String>();
        places.put("OUT", "/Users/u/out");
        places.put("RO", "/Users/u/ro");
        places.put("ROFILE", "/Users/u/conf/ro.txt");
        places.put("CONF", "/Users/u/conf");
        places.put("TRAV", "/Users/u/trav");
        places.put("WS", "/Users/u/ws");
        places.put("TMP", "/private/var/folders/zz/x/T/halt-run");
        places.put("PROXY", "3128");
        places.put("PORT_A", "8080");
        places.put("PORT_B", "9090");
        var javaHome = Path.of("/Library/Java/JavaVirtualMachines/temurin-25.jdk/Contents/Home");
        var env = Map.of("PATH", "/opt/homebrew/bin:/usr/bin:/bin", "TMPDIR", "/var/folders/zz/x/T/");
        var base = MacSystemDefaults.grants(Path.of(places.get("WS")), env, javaHome, Optional.of(Path.of("/var/folders/zz/x/T")), p -> true);
        var files = new java.util.LinkedHashSet<Path>();
        for (var g : base) {
            if (g.path().startsWith("/dev") && !g.path().equals(Path.of("/dev/fd")) || g.path().toString().endsWith(".conf")) files.add(g.path());
        }
        files.add(Path.of(places.get("ROFILE")));
        return new Fixture(places, base, javaHome, Set.copyOf(files), List.of(Path.of("/dev/ttys003")), List.of(), "15.3.1");
    }

    /**
     * A real fixture under {@code root} (created): the files and directories the rows use, this
     * machine's macOS default grants (but the temporary directories, where a fixture lives), and
     * read access to the probe's classes.
     */
    static Fixture realFixture(Path root, int proxy, int portA, int portB) throws IOException, java.net.URISyntaxException {
        var places = new LinkedHashMap<String, String>();
        for (var dir : List.of("OUT", "RO", "CONF", "TRAV", "WS", "TMP")) {
            places.put(dir, Files.createDirectories(root.resolve(dir.toLowerCase(java.util.Locale.ROOT))).toString());
        }
        places.put("ROFILE", places.get("CONF") + "/ro.txt");
        places.put("PROXY", String.valueOf(proxy));
        places.put("PORT_A", String.valueOf(portA));
        places.put("PORT_B", String.valueOf(portB));
        var p = (java.util.function.Function<String, Path>) s -> Path.of(places.get(s));
        for (var file : List.of(p.apply("OUT").resolve("secret"), p.apply("RO").resolve("file"), p.apply("RO").resolve("masked/file"),
                p.apply("ROFILE"), p.apply("CONF").resolve("other.txt"), p.apply("TRAV").resolve("file"), p.apply("WS").resolve("file"),
                p.apply("WS").resolve("old"), p.apply("WS").resolve("old2"), p.apply("WS").resolve(".git/config"),
                p.apply("WS").resolve(".git/HEAD"), p.apply("WS").resolve("sub/repo/.git/config"))) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + file.getFileName() + "\n");
        }
        Files.createDirectories(p.apply("TRAV").resolve("sub"));
        Files.createDirectories(p.apply("WS").resolve(".git/hooks"));
        for (var dir : List.of("OUT", "RO", "WS")) {
            var tool = p.apply(dir).resolve("tool.sh");
            Files.writeString(tool, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        var javaHome = Path.of(System.getProperty("java.home")).toRealPath();
        var classes = Path.of(SbplProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toRealPath();
        var userTemp = Optional.ofNullable(System.getProperty("java.io.tmpdir")).map(Path::of);
        var base = new ArrayList<PathGrant>();
        for (var g : MacSystemDefaults.grants(p.apply("WS"), System.getenv(), javaHome, userTemp, Files::exists)) {
            var reason = g.source() instanceof ValueSource.Default d ? d.reason() : "";
            // The fixture lives in the user's temporary directory: granting it would open $OUT.
            if (!List.of(SystemDefaults.TEMPORARY_DIRECTORY, SystemDefaults.TMPDIR, MacSystemDefaults.USER_CACHE_DIR).contains(reason)) {
                base.add(g);
            }
        }
        var files = new LinkedHashSet<Path>();
        for (var g : base) {
            if (Files.exists(g.path()) && !Files.isDirectory(g.path())) files.add(g.path());
        }
        files.add(p.apply("ROFILE"));
        return new Fixture(places, base, javaHome, files, List.of(), List.of(classes), System.getProperty("os.version"));
    }

    /** A TCP listener on 127.0.0.1, any port: connects to it succeed without an accept. */
    static java.net.ServerSocket loopbackListener() throws IOException {
        var server = new java.net.ServerSocket();
        server.bind(new java.net.InetSocketAddress(java.net.InetAddress.ofLiteral("127.0.0.1"), 0), 64);
        return server;
    }

    /** A unix-socket listener at {@code path}. */
    static java.nio.channels.ServerSocketChannel unixListener(Path path) throws IOException {
        var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        channel.bind(java.net.UnixDomainSocketAddress.of(path), 16);
        return channel;
    }

    /** The policy of case {@code name}. */
    static SandboxPolicy policy(String name, Fixture f) {
        var b = SandboxPolicy.builder(f.path("WS")).grants(f.base())
            .grant(PathGrant.of(f.path("RO"), PathAccess.READ))
            .grant(PathGrant.of(f.path("ROFILE"), PathAccess.READ))
            .grant(PathGrant.of(f.path("TRAV"), PathAccess.TRAVERSE))
            .grant(PathGrant.of(f.path("WS"), PathAccess.READ_WRITE));
        f.extraReads().forEach(b::read);
        var isolation = new Isolation(false, true, false, List.of(f.path("RO").resolve("masked")), List.of(), List.of());
        switch (name) {
            case "unrestricted" -> b.networkMode(NetworkMode.UNRESTRICTED);
            case "unrestricted-open" -> {
                b.networkMode(NetworkMode.UNRESTRICTED).allowUnixSockets(true).macos(new MacOptions(true, Optional.empty()));
                isolation = new Isolation(false, true, true, isolation.mask(), List.of(), List.of());
            }
            case "blocked" -> b.networkMode(NetworkMode.BLOCKED);
            case "blocked-unix" -> b.networkMode(NetworkMode.BLOCKED).allowUnixSockets(true);
            case "localhost" -> b.networkMode(NetworkMode.LOCALHOST_ONLY).localhostPort(f.port("PORT_A")).allowLocalBinding(true);
            case "proxy" -> b.networkMode(NetworkMode.PROXY_ONLY);
            case "proxy-trustd" -> b.networkMode(NetworkMode.PROXY_ONLY).allowLocalBinding(true)
                .macos(new MacOptions(false, Optional.of(true)));
            default -> throw new IllegalArgumentException("no case " + name);
        }
        return b.isolation(isolation).build();
    }

    /** The environment of case {@code name}: the fixture's, with the proxy's port where the mode has a proxy. */
    static MacEnvironment environment(String name, Fixture f) {
        var ws = f.path("WS");
        var b = MacEnvironment.builder(f.macosVersion(), f.javaHome()).tmpDir(f.path("TMP")).files(f.files())
            .readOnly(List.of(ws.resolve(".git/config"), ws.resolve(".git/hooks"), ws.resolve("sub/repo/.git/config")))
            .pinned(List.of(ws.resolve(".git"), ws.resolve("sub/repo/.git")))
            .runId("case-" + name);
        f.terminals().forEach(b::terminal);
        if (name.startsWith("proxy")) b.proxyPort(f.port("PROXY"));
        return b.build();
    }

    /**
     * One row of the decision table.
     *
     * @param line     its line in the file
     * @param caseName the case whose profile decides
     * @param probe    what the sandboxed side tries ({@link #requests})
     * @param target   the path, address, service or {@code SOURCE>DESTINATION}, with placeholders
     * @param allowed  the expected outcome
     * @param real     whether the macOS runner tries it for real (some need a GUI answer or an address it has not)
     * @param why      what the row shows
     */
    record Decision(int line, String caseName, String probe, String target, boolean allowed, boolean real, String why) {
        @Override
        public String toString() {
            return "decisions.csv:" + line + " " + caseName + " " + probe + " " + target + " -> " + (allowed ? "allow" : "deny")
                + " (" + why + ")";
        }
    }

    /** The rows of {@code sbpl/decisions.csv}. */
    static List<Decision> decisions() {
        String text;
        try (var in = SbplCases.class.getResourceAsStream("/sbpl/decisions.csv")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var rows = new ArrayList<Decision>();
        var lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            var line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            var cells = line.split(",", 6);
            if (cells.length != 6) throw new IllegalArgumentException("decisions.csv:" + (i + 1) + ": 6 columns expected");
            if (!NAMES.contains(cells[0])) throw new IllegalArgumentException("decisions.csv:" + (i + 1) + ": no case " + cells[0]);
            if (!Set.of("allow", "deny").contains(cells[3]) || !Set.of("yes", "no").contains(cells[4])) {
                throw new IllegalArgumentException("decisions.csv:" + (i + 1) + ": expected allow|deny and yes|no");
            }
            rows.add(new Decision(i + 1, cells[0], cells[1], cells[2], cells[3].equals("allow"), cells[4].equals("yes"), cells[5]));
        }
        return rows;
    }

    /**
     * The operations Seatbelt decides for {@code probe} on {@code target} (placeholders expanded):
     * the probe succeeds when every one is allowed. Paths go in as the kernel hands them to
     * Seatbelt, links to {@code /private} resolved.
     */
    static List<Request> requests(String probe, String target) {
        return switch (probe) {
            case "read" -> List.of(Request.file("file-read-data", path(target), "REGULAR"));
            case "list" -> List.of(Request.file("file-read-data", path(target), "DIRECTORY"));
            case "write" -> List.of(Request.file("file-write-data", path(target), "REGULAR"));
            case "create" -> List.of(Request.file("file-write-create", path(target), null));
            case "unlink" -> List.of(Request.file("file-write-unlink", path(target), "REGULAR"));
            case "rename" -> List.of(Request.file("file-write-unlink", path(source(target)), null),
                Request.file("file-write-create", path(destination(target)), null));
            // Running a script: the kernel's exec, then the interpreter reads it.
            case "exec" -> List.of(Request.file("process-exec", path(target), "REGULAR"),
                Request.file("file-read-data", path(target), "REGULAR"));
            // Q3 (which path file-link and file-clone check) is open: the model takes the source.
            case "link" -> List.of(Request.file("file-link", path(source(target)), "REGULAR"),
                Request.file("file-write-create", path(destination(target)), null));
            case "clone" -> List.of(Request.file("file-clone", path(source(target)), "REGULAR"),
                Request.file("file-write-create", path(destination(target)), null));
            case "connect" -> List.of(Request.network("network-outbound", tcp(target)));
            case "connect-unix" -> List.of(Request.network("network-outbound", new Endpoint("unix", path(target), 0)));
            case "bind" -> List.of(Request.network("network-bind", tcp(target)));
            case "mach" -> List.of(Request.named("mach-lookup", target));
            case "procargs" -> List.of(Request.named("sysctl-read", "kern.procargs2"));
            case "signal-parent" -> List.of(Request.signal("other"));
            case "signal-self" -> List.of(Request.signal("self"));
            case "lsopen" -> List.of(Request.plain("lsopen"));
            case "appleevent" -> List.of(Request.plain("appleevent-send"));
            default -> throw new IllegalArgumentException("no probe " + probe);
        };
    }

    private static String path(String target) {
        return MacSystemDefaults.privateForm(Path.of(target)).toString();
    }

    private static String source(String target) {
        return SbplProbe.source(target);
    }

    private static String destination(String target) {
        return SbplProbe.destination(target);
    }

    /** {@code 127.0.0.1:80} or {@code [::1]:80}. */
    private static Endpoint tcp(String target) {
        return new Endpoint("tcp", SbplProbe.host(target), SbplProbe.port(target));
    }
}
