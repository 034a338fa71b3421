package dev.halt.core.policy;

import dev.halt.proxy.ProxyPolicy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything a launch needs to know about what the child may do: the single immutable value
 * that the platform backends launch from.
 *
 * <p>The CLI gets one from {@code dev.halt.core.config.ConfigLoader}; code that embeds halt can
 * build one directly:
 *
 * <pre>{@code
 * var policy = SandboxPolicy.builder(Path.of("/work/repo"))
 *         .grants(SystemDefaults.grants(Path.of("/work/repo"), System.getenv()))
 *         .read(Path.of("/etc/ssl/certs"))
 *         .networkMode(NetworkMode.PROXY_ONLY)
 *         .proxy(ProxyPolicy.builder().allow("api.example.com").build())
 *         .env(new EnvEntry.Pass("EXAMPLE_API_KEY"))
 *         .build();
 * }</pre>
 *
 * The builder starts with no grants at all: the {@link SystemDefaults} are added only when
 * asked for. Grants are kept in order, one per (path, access); grants are additive, so a path
 * granted both {@code READ} and {@code READ_WRITE} gets read-write.
 *
 * @param workingDirectory  the child's working directory (absolute); it is granted nothing by
 *                          itself, {@link SystemDefaults} grant it read-write
 * @param networkMode       how much network the child gets
 * @param exactNetwork      refuse to launch where the mode's addresses would be enforced by port
 *                          only (rootless without halt's supervisor) rather than warn
 *                          ({@code [sandbox] network = { exact = true }})
 * @param grants            filesystem grants, in order, without duplicates
 * @param env               how the child's environment is built
 * @param proxy             what the proxy lets through, used in {@link NetworkMode#PROXY_ONLY}: the
 *                          proxy module's own value, with its defaults and validation
 * @param allowLocalBinding whether the child may bind TCP ports in the isolated modes
 *                          ({@code [sandbox] allow_local_binding})
 * @param allowUnixSockets  whether the child may create {@code AF_UNIX} sockets
 *                          ({@code [sandbox] allow_unix_sockets}); off because a reachable
 *                          {@code docker.sock} or D-Bus is a way out ({@code socketpair} stays allowed)
 * @param localhostPorts    TCP ports the child may use in {@link NetworkMode#LOCALHOST_ONLY}
 *                          without privileges, where Landlock cannot tell addresses apart
 *                          ({@code [sandbox] localhost_ports}); sorted, unique
 * @param isolation         what the child shares with the host besides its grants, and what
 *                          inside its write grants stays read-only
 * @param macos             what the child may ask of macOS daemons ({@code [sandbox.macos]})
 * @param hostPorts         ports of the host's loopback the child may reach in the isolated modes
 *                          ({@code [sandbox] host_ports}, {@code --expose-host-port}); one per sandbox port
 */
@SuppressWarnings("exports") // proxy() is the proxy's ProxyPolicy; a module that names it requires dev.halt.proxy itself.
public record SandboxPolicy(
        Path workingDirectory,
        NetworkMode networkMode,
        boolean exactNetwork,
        List<PathGrant> grants,
        EnvPolicy env,
        ProxyPolicy proxy,
        boolean allowLocalBinding,
        boolean allowUnixSockets,
        List<Integer> localhostPorts,
        Isolation isolation,
        MacOptions macos,
        List<ExposedPort> hostPorts) {

    /** @throws IllegalArgumentException naming every invalid value */
    public SandboxPolicy {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(networkMode, "networkMode");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(localhostPorts, "localhostPorts");
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(macos, "macos");
        var problems = new ArrayList<String>();
        if (!workingDirectory.isAbsolute()) {
            problems.add("the working directory must be absolute, got \"" + workingDirectory + '"');
        }
        workingDirectory = workingDirectory.normalize();
        var unique = new LinkedHashMap<List<Object>, PathGrant>();
        for (var grant : grants) {
            unique.putIfAbsent(List.of(Objects.requireNonNull(grant, "grant").path(), grant.access()), grant);
        }
        grants = List.copyOf(unique.values());
        var ports = new java.util.TreeSet<Integer>();
        for (var port : localhostPorts) {
            if (port == null || port < 1 || port > 65_535) {
                problems.add("localhost_ports: " + port + " is not a TCP port (1-65535)");
            } else {
                ports.add(port);
            }
        }
        localhostPorts = List.copyOf(ports);
        var bySandboxPort = new java.util.TreeMap<Integer, ExposedPort>();
        for (var exposed : Objects.requireNonNull(hostPorts, "hostPorts")) {
            var other = bySandboxPort.putIfAbsent(Objects.requireNonNull(exposed, "host port").sandboxPort(), exposed);
            if (other != null && !other.equals(exposed)) {
                problems.add("host_ports: " + other + " and " + exposed + " both use sandbox port " + exposed.sandboxPort());
            }
        }
        hostPorts = List.copyOf(bySandboxPort.values());
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** A builder for a child started in {@code workingDirectory}, with no grants, the default network mode, proxy and environment settings. */
    public static Builder builder(Path workingDirectory) {
        return new Builder(workingDirectory);
    }

    /** A builder holding this policy's values. */
    public Builder toBuilder() {
        var b = new Builder(workingDirectory);
        b.networkMode = networkMode;
        b.exactNetwork = exactNetwork;
        b.grants.addAll(grants);
        b.envEntries.addAll(env.entries());
        b.proxy = proxy;
        b.allowLocalBinding = allowLocalBinding;
        b.allowUnixSockets = allowUnixSockets;
        b.localhostPorts.addAll(localhostPorts);
        b.isolation = isolation;
        b.macos = macos;
        b.hostPorts.addAll(hostPorts);
        return b;
    }

    /** This policy with {@code replacement} as its grants (a backend adapting the defaults to what it can enforce). */
    public SandboxPolicy withGrants(List<PathGrant> replacement) {
        return new SandboxPolicy(workingDirectory, networkMode, exactNetwork, replacement, env, proxy, allowLocalBinding, allowUnixSockets,
            localhostPorts, isolation, macos, hostPorts);
    }

    /** The grants with exactly {@code access}. */
    public List<PathGrant> grants(PathAccess access) {
        return grants.stream().filter(g -> g.access() == access).toList();
    }

    /** Mutable builder for {@link SandboxPolicy}; {@link #build()} validates. */
    public static final class Builder {
        private Path workingDirectory;
        private NetworkMode networkMode = NetworkMode.DEFAULT;
        private boolean exactNetwork;
        private final List<PathGrant> grants = new ArrayList<>();
        private final List<EnvEntry> envEntries = new ArrayList<>();
        private ProxyPolicy proxy = ProxyPolicy.DEFAULTS;
        private boolean allowLocalBinding;
        private boolean allowUnixSockets;
        private final LinkedHashSet<Integer> localhostPorts = new LinkedHashSet<>();
        private Isolation isolation = Isolation.DEFAULTS;
        private MacOptions macos = MacOptions.DEFAULTS;
        private final List<ExposedPort> hostPorts = new ArrayList<>();

        private Builder(Path workingDirectory) {
            this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        }

        public Builder workingDirectory(Path value) {
            workingDirectory = Objects.requireNonNull(value);
            return this;
        }

        public Builder networkMode(NetworkMode value) {
            networkMode = Objects.requireNonNull(value);
            return this;
        }

        public Builder exactNetwork(boolean value) {
            exactNetwork = value;
            return this;
        }

        /** Adds grants, such as {@link SystemDefaults#grants}. */
        public Builder grants(List<PathGrant> values) {
            grants.addAll(values);
            return this;
        }

        public Builder grant(PathGrant value) {
            grants.add(Objects.requireNonNull(value));
            return this;
        }

        /** Grants read and execute on {@code path} (absolute). */
        public Builder read(Path path) {
            return grant(PathGrant.of(path, PathAccess.READ));
        }

        /** Grants every filesystem right on {@code path} (absolute). */
        public Builder readWrite(Path path) {
            return grant(PathGrant.of(path, PathAccess.READ_WRITE));
        }

        /** Grants directory listing only on {@code path} (absolute). */
        public Builder traverse(Path path) {
            return grant(PathGrant.of(path, PathAccess.TRAVERSE));
        }

        /** Adds environment entries; a later entry for a name replaces an earlier one. */
        public Builder env(EnvEntry... entries) {
            envEntries.addAll(List.of(entries));
            return this;
        }

        public Builder proxy(ProxyPolicy value) {
            proxy = Objects.requireNonNull(value);
            return this;
        }

        public Builder allowLocalBinding(boolean value) {
            allowLocalBinding = value;
            return this;
        }

        public Builder allowUnixSockets(boolean value) {
            allowUnixSockets = value;
            return this;
        }

        public Builder localhostPort(int port) {
            localhostPorts.add(port);
            return this;
        }

        /** Exposes a port of the host's loopback to the child ({@link ExposedPort}). */
        public Builder hostPort(ExposedPort value) {
            hostPorts.add(Objects.requireNonNull(value));
            return this;
        }

        public Builder isolation(Isolation value) {
            isolation = Objects.requireNonNull(value);
            return this;
        }

        public Builder macos(MacOptions value) {
            macos = Objects.requireNonNull(value);
            return this;
        }

        /** @throws IllegalArgumentException naming every invalid value */
        public SandboxPolicy build() {
            return new SandboxPolicy(workingDirectory, networkMode, exactNetwork, grants, new EnvPolicy(envEntries), proxy,
                    allowLocalBinding, allowUnixSockets, List.copyOf(localhostPorts), isolation, macos, hostPorts);
        }
    }
}
