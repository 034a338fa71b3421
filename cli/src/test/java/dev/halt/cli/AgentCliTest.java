package dev.halt.cli;

import dev.halt.core.linux.sys.Credentials;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real agent CLIs, installed from npm, under their profiles in {@code configs/}: as root
 * (halt's privileged mode: namespaces, the run's own mounts) and rootless (user 65534 through
 * setpriv). Each prints its version; each answers one prompt from {@link StandInApi}, a model API
 * on 127.0.0.1, which it reaches through halt's proxy by a name ({@link AgentCli#API_HOST}) that
 * only the test's fake DNS server knows. The proxy's upstream DNS is pinned to that server, which
 * answers NXDOMAIN for every other name: no request can reach a real API host.
 *
 * <p>Not part of {@code bin/test} (JUnit tag {@code agents}, excluded there): it needs the npm
 * registry once, to fill the cache ({@link AgentInstaller}). Run it with {@code bin/test-agents}.
 */
@Tag("agents")
@Tag("linux")
@Tag("root")
class AgentCliTest {
    private static final Path CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);
    private static final int NOBODY = 65534;

    enum Mode { ROOT, ROOTLESS }

    @TempDir
    static Path temp;
    static AgentInstaller installer;
    static Path runs;
    static String nobodyClassPath;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Credentials.current(System.getenv()).mayManageNetworkNamespaces(),
            "[net-admin] needs root, which the agent tests use for halt's privileged mode and to run halt as user 65534 (CI runs as root)");
        for (var tool : List.of("setpriv", "strace")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), "[tool-" + tool + "] needs /usr/bin/" + tool + " (.ci/run installs it)");
        }
        installer = new AgentInstaller(AgentInstaller.defaultCache());
        // Homes and workspaces under the cache, not /tmp: with privileges halt gives the run a
        // tmpfs /tmp, so a home there would be writable scaffolding and hide every denial.
        runs = Files.createTempDirectory(Files.createDirectories(installer.cache().resolve("runs")), "run-");
        Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxr-xr-x"));
        nobodyClassPath = HaltProcess.prepareForHaltsUser(temp);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (runs == null) return;
        try (var walk = Files.walk(runs)) {
            for (var p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    static Stream<Arguments> agentsAndModes() {
        return AgentCli.all().stream().flatMap(a -> Stream.of(Arguments.of(a, Mode.ROOT), Arguments.of(a, Mode.ROOTLESS)));
    }

    /** The places of one run: the agent's home (its state directories made as its profile says), a workspace, halt's log. */
    private record Run(AgentCli agent, Mode mode, Path installation, Path home, Path workspace, Path log, Path traces) {

        static Run prepare(AgentCli agent, Mode mode, String what) throws Exception {
            var installation = installer.install(agent);
            var base = Files.createDirectories(runs.resolve(agent.name() + "-" + mode.name().toLowerCase() + "-" + what));
            var home = Files.createDirectories(base.resolve("home"));
            // A home as useradd -m makes it (.profile, .bashrc), so that what an agent reads of it shows.
            try (var skeleton = Files.list(Path.of("/etc/skel"))) {
                for (var file : skeleton.filter(Files::isRegularFile).toList()) Files.copy(file, home.resolve(file.getFileName()));
            }
            for (var state : agent.stateDirs()) Files.createDirectories(home.resolve(state));
            var workspace = Files.createDirectories(base.resolve("work"));
            var traces = Files.createDirectories(workspace.resolve(".traces"));
            var logs = Files.createDirectories(base.resolve("log"));
            if (mode == Mode.ROOTLESS) {
                for (var dir : List.of(home, workspace, logs)) chownTree(dir);
            }
            return new Run(agent, mode, installation, home, workspace, logs.resolve("decisions.jsonl"), traces);
        }

        void writeHomeFiles(int port) throws IOException {
            for (var file : agent.homeFiles().entrySet()) {
                var path = Files.writeString(home.resolve(file.getKey()), AgentCli.withBase(file.getValue(), port));
                if (mode == Mode.ROOTLESS) chownTree(path);
            }
        }

        /** halt's run of {@code command} under the agent's profile and {@code testConfig}, with {@code env} for halt. */
        HaltProcess.Result halt(Path testConfig, List<String> command, Map<String, String> env) throws Exception {
            var args = new ArrayList<>(List.of("run", "--no-config", "--config", CONFIGS.resolve(agent.name() + ".toml").toString(),
                "--config", testConfig.toString(), "--read", installation.toString(), "--log", log.toString()));
            // As root halt reports Landlock's denials (audit records), with audit switched on for the run.
            if (mode == Mode.ROOT) args.add("--explain-denials");
            args.add("--");
            args.addAll(command);
            boolean rootless = mode == Mode.ROOTLESS;
            var haltCommand = HaltProcess.command(rootless ? nobodyClassPath : System.getProperty("java.class.path"), rootless,
                List.of("-Duser.home=" + home), args.toArray(String[]::new));
            var environment = new java.util.HashMap<>(Map.of(
                "PATH", AgentInstaller.executable(installation, agent).getParent() + ":/usr/local/bin:/usr/bin:/bin",
                "HOME", home.toString(), "TERM", "dumb", "LANG", "C.UTF-8"));
            environment.putAll(env);
            return runBounded(haltCommand, workspace, environment);
        }
    }

    @ParameterizedTest(name = "{0} --version, {1}")
    @MethodSource("agentsAndModes")
    void versionUnderItsProfile(AgentCli agent, Mode mode) throws Exception {
        var run = Run.prepare(agent, mode, "version");
        // Upstream DNS pinned to a dead port: nothing this run asks for can be resolved.
        var config = Files.writeString(run.workspace().getParent().resolve("test.toml"), "[proxy]\nupstream_dns = [\"127.0.0.1:9\"]\n");
        var r = run.halt(config, List.of(agent.command(), "--version"), Map.of());
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains(agent.version()), agent + " printed its version: " + r.out() + r.err());
    }

    @ParameterizedTest(name = "{0} answers one prompt, {1}")
    @MethodSource("agentsAndModes")
    void onePromptReachesTheStandInThroughTheProxy(AgentCli agent, Mode mode) throws Exception {
        var run = Run.prepare(agent, mode, "prompt");
        try (var api = new StandInApi(); var dns = new FakeDnsUpstream(Map.of(AgentCli.API_HOST, "127.0.0.1"))) {
            run.writeHomeFiles(api.port());
            var config = Files.writeString(run.workspace().getParent().resolve("test.toml"), """
                [proxy]
                domain_allowlist = ["%s"]
                upstream_dns = ["127.0.0.1:%d"]
                allow_local_destinations = true
                """.formatted(AgentCli.API_HOST, dns.port()));
            var command = new ArrayList<>(List.of("strace", "-f", "-ff", "-qq", "-e", "trace=%file", "-e", "status=failed",
                "-o", run.traces().resolve("trace").toString(), agent.command()));
            command.addAll(agent.promptArguments(api.port()));
            var r = run.halt(config, command, agent.promptVariables(api.port()));
            var seen = "\nstdout: " + r.out() + "\nstderr: " + r.err() + "\nstand-in: " + api.requests().stream()
                .map(q -> q.method() + " " + q.path()).toList() + "\nDNS: " + dns.queries();

            assertEquals(0, r.status(), seen);
            assertTrue(r.out().contains(StandInApi.REPLY), agent + " completed its prompt with the stand-in's answer:" + seen);
            assertTrue(api.requests().stream().anyMatch(q -> q.method().equals("POST") && q.path().contains(agent.apiPath())
                    && (AgentCli.API_HOST + ":" + api.port()).equals(q.host())),
                agent + " sent its model request to the stand-in, by " + agent.baseUrlSetting() + ":" + seen);

            var decisions = decisions(run.log());
            var allowed = decisions.stream().filter(d -> "allowed".equals(d.get("decision"))).toList();
            assertTrue(allowed.stream().anyMatch(d -> AgentCli.API_HOST.equals(d.get("host")) && ((Number) d.get("port")).intValue() == api.port()),
                "halt's log shows the API request allowed: " + decisions + seen);
            assertEquals(List.of(), allowed.stream().filter(d -> !AgentCli.API_HOST.equals(d.get("host"))).toList(),
                "nothing else was let through: every other name is unknown to the fake DNS");

            var denials = new ArrayList<>(tracedDenials(run.traces()));
            denials.addAll(reportedDenials(decisions));
            assertNoFilesystemDenial(run, denials);
        }
    }

    /**
     * npm, which the agents install with, gives up at once where no name outside the machine
     * resolves: halt answers its lookup with NXDOMAIN, and tells npm not to retry (its fetcher
     * retries even ENOTFOUND, 10 s and then 60 s later). Run as root, no registry is reached: the
     * lookup ends at halt's DNS responder in the run's namespace.
     */
    @org.junit.jupiter.api.Test
    void npmGivesUpAtOnceWhereNoRemoteNameResolves() throws Exception {
        var npm = Stream.of("/usr/bin/npm", "/usr/local/bin/npm").map(Path::of).filter(Files::isExecutable).findFirst();
        assumeTrue(npm.isPresent(), "[tool-npm] needs npm (the agent tests install the agents with it)");
        var work = Files.createDirectories(runs.resolve("npm-offline/work"));
        var home = Files.createDirectories(runs.resolve("npm-offline/home"));
        for (var mode : List.of("blocked", "localhost_only")) {
            var command = HaltProcess.command(System.getProperty("java.class.path"), false, "run", "--no-config", "--network", mode,
                "--", "sh", "-c", "echo retries=$(npm config get fetch-retries); npm view left-pad version; echo npm=$?");
            long started = System.nanoTime();
            var r = runBounded(command, work, Map.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString()));
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            var words = HaltProcess.words(r.out());
            var seen = mode + "\nstdout: " + r.out() + "\nstderr: " + r.err();
            assertEquals("0", words.get("retries"), "npm sees halt's setting: " + seen);
            assertNotEquals("0", words.get("npm"), seen);
            assertTrue(r.err().contains("halt: refused DNS lookup of registry.npmjs.org"), seen);
            assertTrue(r.err().contains("ENOTFOUND"), seen);
            assertTrue(seconds < 40, "npm gave up without its 70 s of retries, in " + seconds + " s: " + seen);
        }
    }

    /**
     * Nothing was denied to the agent, besides what its entry expects ({@link AgentCli#expectedDenials})
     * and the directories above its workspace, home and installation: agents walk up from them
     * (a project root, {@code node_modules}, a {@code .git}) and go on when that is refused.
     * Two witnesses: strace (every failed file call with EACCES, EPERM or EROFS, in both modes:
     * with privileges a write outside the grants fails with EROFS on the run's read-only mounts,
     * which Landlock never sees), and as root halt's own report in {@code --log} (Landlock's audit
     * records, issue 14 item 2).
     */
    private static void assertNoFilesystemDenial(Run run, List<Denial> denials) {
        var above = Stream.of(run.workspace(), run.home(), run.installation())
            .flatMap(p -> Stream.iterate(p.getParent(), java.util.Objects::nonNull, Path::getParent)).map(Path::toString).toList();
        var unexpected = denials.stream()
            .filter(d -> !above.contains(d.path()))
            .filter(d -> run.agent().expectedDenials().stream().noneMatch(e -> d.matches(e, run.home())))
            .toList();
        assertEquals(List.of(), unexpected, run.agent() + " was denied nothing its profile should grant");
    }

    /** halt's report of Landlock's denials in the decision log: {@code "via":"landlock"}. */
    private static List<Denial> reportedDenials(List<Map<String, Object>> decisions) {
        return decisions.stream().filter(d -> "landlock".equals(d.get("via")))
            .map(d -> new Denial(String.valueOf(d.get("access")), String.valueOf(d.get("path")), "landlock " + d.get("blockers")))
            .distinct().toList();
    }

    /** A denied file call: the call (or halt's word for the access), its path (without a trailing slash), the error (or who denied it). */
    record Denial(String call, String path, String error) {
        /** Whether {@code expected}, a regular expression with {@code ~} for the home, matches the path. */
        boolean matches(String expected, Path home) {
            var pattern = expected.startsWith("~/") ? Pattern.quote(home.toString()) + expected.substring(1) : expected;
            return path.matches(pattern);
        }
    }

    private static final Pattern FAILED_CALL = Pattern.compile("^(\\w+)\\((.*)\\) += -1 (EACCES|EPERM|EROFS) ");
    private static final Pattern FIRST_PATH = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static List<Denial> tracedDenials(Path traces) throws IOException {
        var denials = new ArrayList<Denial>();
        try (var files = Files.list(traces)) {
            for (var file : files.toList()) {
                for (var line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    var call = FAILED_CALL.matcher(line);
                    if (!call.find()) continue;
                    var path = FIRST_PATH.matcher(call.group(2));
                    if (!path.find()) continue;
                    var name = path.group(1).length() > 1 ? path.group(1).replaceAll("/+$", "") : path.group(1);
                    denials.add(new Denial(call.group(1), name, call.group(3)));
                }
            }
        }
        return denials.stream().distinct().toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> decisions(Path log) throws IOException {
        if (!Files.exists(log)) return List.of();
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).map(l -> (Map<String, Object>) Json.parse(l)).toList();
    }

    /** Runs {@code command} with its output in files; kills it (and so its sandbox) past {@link #RUN_LIMIT}. */
    private static HaltProcess.Result runBounded(List<String> command, Path directory, Map<String, String> env) throws Exception {
        var out = Files.createTempFile(temp, "out", ".txt");
        var err = Files.createTempFile(temp, "err", ".txt");
        var pb = new ProcessBuilder(command).directory(directory.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        var process = pb.start();
        if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail("halt did not finish in " + RUN_LIMIT.toSeconds() + " s: " + command + "\nstdout: " + Files.readString(out)
                + "\nstderr: " + Files.readString(err));
        }
        return new HaltProcess.Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void chownTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (var p : walk.toList()) {
                Files.setAttribute(p, "unix:uid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            }
        }
    }
}
