package dev.halt.core.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The config-related flags of {@code halt run}, as the user typed them. The CLI only collects
 * them; {@link ConfigLoader} validates them (a bad {@code --network} or {@code --allow} is a
 * {@link ConfigError.InvalidValue} naming the flag) and turns them into the highest layer.
 *
 * <p>{@code --allow} without {@code --network} implies {@code --network proxy}; with another
 * mode it is an error (it would do nothing). Relative paths are resolved against the working
 * directory.
 *
 * @param network     {@code --network}, if given
 * @param read        each {@code --read}
 * @param write       each {@code --write}
 * @param traverse    each {@code --traverse}
 * @param allow       each {@code --allow}
 * @param env         each {@code --env KEY} / {@code --env KEY=VALUE}
 * @param configFiles each {@code --config FILE}, in order
 * @param noConfig    {@code --no-config}: skip the global and project files, keep {@code --config}
 * @param dataDirectory {@code --data-dir}, if given: a read-write grant that names its own flag
 */
public record CommandLineOptions(
        Optional<String> network,
        List<String> read,
        List<String> write,
        List<String> traverse,
        List<String> allow,
        List<String> env,
        List<Path> configFiles,
        boolean noConfig,
        Optional<String> dataDirectory) {

    /** No flags at all. */
    public static final CommandLineOptions NONE = new CommandLineOptions(Optional.empty(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), false, Optional.empty());

    public CommandLineOptions {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        read = List.copyOf(read);
        write = List.copyOf(write);
        traverse = List.copyOf(traverse);
        allow = List.copyOf(allow);
        env = List.copyOf(env);
        configFiles = List.copyOf(configFiles);
    }

    /** The options without {@code --data-dir}. */
    public CommandLineOptions(Optional<String> network, List<String> read, List<String> write, List<String> traverse,
                              List<String> allow, List<String> env, List<Path> configFiles, boolean noConfig) {
        this(network, read, write, traverse, allow, env, configFiles, noConfig, Optional.empty());
    }

    /** These options with {@code --data-dir}. */
    public CommandLineOptions withDataDirectory(String path) {
        return new CommandLineOptions(network, read, write, traverse, allow, env, configFiles, noConfig, Optional.of(path));
    }

    /** These options with {@code --network}. */
    public CommandLineOptions withNetwork(String mode) {
        return new CommandLineOptions(Optional.of(mode), read, write, traverse, allow, env, configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withRead(String... paths) {
        return new CommandLineOptions(network, concat(read, paths), write, traverse, allow, env, configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withWrite(String... paths) {
        return new CommandLineOptions(network, read, concat(write, paths), traverse, allow, env, configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withTraverse(String... paths) {
        return new CommandLineOptions(network, read, write, concat(traverse, paths), allow, env, configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withAllow(String... domains) {
        return new CommandLineOptions(network, read, write, traverse, concat(allow, domains), env, configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withEnv(String... entries) {
        return new CommandLineOptions(network, read, write, traverse, allow, concat(env, entries), configFiles, noConfig, dataDirectory);
    }

    public CommandLineOptions withConfigFile(Path file) {
        var files = new java.util.ArrayList<>(configFiles);
        files.add(file);
        return new CommandLineOptions(network, read, write, traverse, allow, env, files, noConfig, dataDirectory);
    }

    public CommandLineOptions withNoConfig(boolean value) {
        return new CommandLineOptions(network, read, write, traverse, allow, env, configFiles, value, dataDirectory);
    }

    private static List<String> concat(List<String> list, String... more) {
        var all = new java.util.ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }
}
