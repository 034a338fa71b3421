package dev.halt.core.config;

import dev.halt.core.policy.NetworkMode;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.InvokingUser;
import dev.halt.core.policy.Isolation;
import dev.halt.core.policy.MacOptions;
import dev.halt.core.policy.SystemDefaults;
import dev.halt.core.policy.ValueSource;
import dev.halt.proxy.ProxyPolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the configuration of one {@code halt run}: defaults, then the global file, the project
 * file (only if trusted), each {@code --config} file, then the command line. See
 * {@link EffectiveConfig} for the merge rule.
 *
 * <pre>{@code
 * var result = ConfigLoader.load(ConfigLocations.ofCurrentProcess(), options, System.getenv());
 * switch (result) {
 *     case LoadResult.Loaded ok -> launch(ok.policy());          // print ok.warnings() first
 *     case LoadResult.Failed bad -> { print(bad.errors()); exit(125); }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>A missing global or project file is simply absent; a missing {@code --config} file is an error.</li>
 *   <li>{@code --no-config} skips the global and project files and keeps {@code --config}.</li>
 *   <li>The project file counts only when {@link TrustStore} holds the SHA-256 of its exact
 *       content; otherwise {@link ConfigError.Untrusted}.</li>
 *   <li>Every file is read fully and all its errors are reported, not only the first. Only
 *       regular files of at most {@link ConfigFiles#MAX_BYTES} are read ({@link ConfigFiles}).</li>
 * </ul>
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /**
     * Loads and validates everything.
     *
     * @param locations   where the files are; tests pass their own
     * @param options     the command-line layer
     * @param environment halt's environment ({@code PATH} and {@code TMPDIR} feed the defaults)
     */
    public static LoadResult load(ConfigLocations locations, CommandLineOptions options, Map<String, String> environment) {
        var context = ReadContext.of(locations);
        var layers = new ArrayList<ConfigLayer>();
        var errors = new ArrayList<ConfigError>();
        layers.add(defaults(locations, environment));
        if (!options.noConfig()) {
            readIfPresent(locations.globalFile(), ConfigScope.GLOBAL, context, layers, errors);
            readProject(locations, context, layers, errors);
        }
        for (var named : options.configFiles()) {
            var file = locations.workingDirectory().resolve(named).normalize();
            if (!Files.exists(file)) {
                errors.add(new ConfigError.Unreadable(file, "no such file (named by --config)"));
                continue;
            }
            readFile(file, ConfigScope.EXTRA, context, layers, errors);
        }
        layers.add(commandLine(options, context, errors));
        if (!errors.isEmpty()) {
            return new LoadResult.Failed(errors, List.of());
        }
        var config = EffectiveConfig.merge(locations, layers);
        var built = config.toPolicy();
        if (!built.errors().isEmpty()) {
            return new LoadResult.Failed(built.errors(), built.warnings());
        }
        return new LoadResult.Loaded(config, built.policy(), built.warnings());
    }

    /**
     * Checks one config file on its own (no trust check), as {@code halt config edit} does
     * after the editor returns.
     *
     * @return every problem of the file; empty when it is valid
     */
    public static List<ConfigError> validate(Path file, ConfigScope scope, ConfigLocations locations) {
        var errors = new ArrayList<ConfigError>();
        readFile(file, scope, ReadContext.of(locations), new ArrayList<>(), errors);
        return List.copyOf(errors);
    }

    /** Checks {@code content}, the bytes of {@code file}, on its own (no trust check). */
    public static List<ConfigError> validate(Path file, byte[] content, ConfigScope scope, ConfigLocations locations) {
        return ConfigFileReader.read(file, content, scope, ReadContext.of(locations)).errors();
    }

    /**
     * The built-in defaults as a layer: network mode {@link NetworkMode#DEFAULT}, the
     * {@link ProxyPolicy#DEFAULTS}, the {@code allow_*} switches off ({@code allow_trustd} follows the
     * mode, see {@link EffectiveConfig}), no extra ports or
     * variables, and the {@link SystemDefaults} grants (git's user configuration in the child's
     * {@code HOME}).
     */
    public static ConfigLayer defaults(ConfigLocations locations, Map<String, String> environment) {
        var builtIn = new ValueSource.Default("built-in");
        var proxy = ProxyPolicy.DEFAULTS;
        var layer = ConfigLayer.builder(ConfigScope.DEFAULT, Optional.empty())
                .set(ConfigSchema.NETWORK_MODE, new Sourced<>(NetworkMode.DEFAULT, builtIn))
                .set(ConfigSchema.NETWORK_EXACT, new Sourced<>(false, builtIn))
                .set(ConfigSchema.ALLOW_LOCAL_BINDING, new Sourced<>(false, builtIn))
                .set(ConfigSchema.ALLOW_UNIX_SOCKETS, new Sourced<>(false, builtIn))
                .set(ConfigSchema.SHARED_TMP, new Sourced<>(Isolation.DEFAULTS.sharedTmp(), builtIn))
                .set(ConfigSchema.SHARED_SHM, new Sourced<>(Isolation.DEFAULTS.sharedShm(), builtIn))
                .set(ConfigSchema.ALLOW_NEW_PTYS, new Sourced<>(Isolation.DEFAULTS.allowNewPtys(), builtIn))
                .set(ConfigSchema.ALLOW_KEYCHAIN, new Sourced<>(MacOptions.DEFAULTS.allowKeychain(), builtIn))
                .set(ConfigSchema.DNS_TTL_SECONDS, new Sourced<>((int) proxy.dnsTtl().toSeconds(), builtIn))
                .set(ConfigSchema.TCP_CONNECT_TIMEOUT_SECS, new Sourced<>((int) proxy.connectTimeout().toSeconds(), builtIn))
                .set(ConfigSchema.TCP_IDLE_TIMEOUT_SECS, new Sourced<>((int) proxy.idleTimeout().toSeconds(), builtIn))
                .set(ConfigSchema.ALLOW_LOCAL_DESTINATIONS, new Sourced<>(proxy.allowLocalDestinations(), builtIn))
                .set(ConfigSchema.MAX_CONNECTIONS, new Sourced<>(proxy.maxConnections(), builtIn));
        for (var grant : SystemDefaults.grants(locations.workingDirectory(), childHome(locations, environment), environment)) {
            layer.add(ConfigSchema.PATH_KEYS.get(grant.access()), new Sourced<>(grant.path(), grant.source()));
        }
        return layer.build();
    }

    /**
     * Where the child's tools look for their files ({@code HOME}): under sudo halt gives the child
     * the home of the user who ran it, {@code ~}; otherwise it keeps halt's {@code HOME}.
     */
    private static Path childHome(ConfigLocations locations, Map<String, String> environment) {
        if (InvokingUser.current().sudo().isPresent()) return locations.home();
        return new InvokingUser(Optional.empty(), locations.home()).childHome(environment);
    }

    private static void readProject(ConfigLocations locations, ReadContext context, List<ConfigLayer> layers,
                                    List<ConfigError> errors) {
        var file = locations.projectFile();
        switch (ProjectFile.read(locations)) {
            case ProjectFile.Read.Absent absent -> { }
            case ProjectFile.Read.Refused refused -> errors.add(refused.error());
            case ProjectFile.Read.Content(var content) -> {
                var status = TrustStore.of(locations).check(file, content);
                if (status == TrustStore.Status.TRUSTED) {
                    parse(file, content, ConfigScope.PROJECT, context, layers, errors);
                } else {
                    errors.add(new ConfigError.Untrusted(file, TrustStore.sha256(content), status == TrustStore.Status.CHANGED));
                }
            }
        }
    }

    private static void readIfPresent(Path file, ConfigScope scope, ReadContext context, List<ConfigLayer> layers,
                                      List<ConfigError> errors) {
        if (Files.exists(file)) {
            readFile(file, scope, context, layers, errors);
        }
    }

    private static void readFile(Path file, ConfigScope scope, ReadContext context, List<ConfigLayer> layers,
                                 List<ConfigError> errors) {
        byte[] content;
        try {
            content = ConfigFiles.read(file);
        } catch (ConfigFiles.Unusable e) {
            errors.add(new ConfigError.Unreadable(file, e.getMessage()));
            return;
        }
        parse(file, content, scope, context, layers, errors);
    }

    private static void parse(Path file, byte[] content, ConfigScope scope, ReadContext context, List<ConfigLayer> layers,
                              List<ConfigError> errors) {
        var read = ConfigFileReader.read(file, content, scope, context);
        errors.addAll(read.errors());
        layers.add(read.layer());
    }

    private static ConfigLayer commandLine(CommandLineOptions options, ReadContext context, List<ConfigError> errors) {
        var layer = ConfigLayer.builder(ConfigScope.COMMAND_LINE, Optional.empty());
        Optional<NetworkMode> mode = Optional.empty();
        if (options.network().isPresent()) {
            mode = flag(layer, ConfigSchema.NETWORK_MODE, "--network", options.network().get(), context, errors, true);
        }
        addAll(layer, ConfigSchema.PATH_KEYS.get(PathAccess.READ), "--read", options.read(), context, errors);
        addAll(layer, ConfigSchema.PATH_KEYS.get(PathAccess.READ_WRITE), "--write", options.write(), context, errors);
        options.dataDirectory().ifPresent(d ->
                flag(layer, ConfigSchema.PATH_KEYS.get(PathAccess.READ_WRITE), "--data-dir", d, context, errors, false));
        addAll(layer, ConfigSchema.PATH_KEYS.get(PathAccess.TRAVERSE), "--traverse", options.traverse(), context, errors);
        addAll(layer, ConfigSchema.DOMAIN_ALLOWLIST, "--allow", options.allow(), context, errors);
        addAll(layer, ConfigSchema.ENV, "--env", options.env(), context, errors);
        if (!options.allow().isEmpty()) {
            if (options.network().isEmpty()) {
                layer.set(ConfigSchema.NETWORK_MODE, new Sourced<>(NetworkMode.PROXY_ONLY,
                        new ValueSource.CommandLine("--allow (implies --network proxy)")));
            } else if (mode.isPresent() && mode.get() != NetworkMode.PROXY_ONLY) {
                errors.add(new ConfigError.InvalidValue(new ValueSource.CommandLine("--allow"), "--allow",
                        "--allow only has an effect with --network proxy, but --network is " + mode.get()
                                + "; drop one of them"));
            }
        }
        return layer.build();
    }

    private static <T> void addAll(ConfigLayer.Builder layer, ConfigKey<T> key, String flag, List<String> values,
                                   ReadContext context, List<ConfigError> errors) {
        for (var value : values) {
            flag(layer, key, flag, value, context, errors, false);
        }
    }

    private static <T> Optional<T> flag(ConfigLayer.Builder layer, ConfigKey<T> key, String flag, String raw,
                                        ReadContext context, List<ConfigError> errors, boolean scalar) {
        var source = new ValueSource.CommandLine(flag);
        try {
            var value = key.read(raw, context);
            if (scalar) {
                layer.set(key, new Sourced<>(value, source));
            } else {
                layer.add(key, new Sourced<>(value, source));
            }
            return Optional.of(value);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError.InvalidValue(source, flag + " " + raw, e.getMessage()));
            return Optional.empty();
        }
    }
}
