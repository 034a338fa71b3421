/**
 * halt's configuration: TOML files read with tomlj, merged with the command line into a
 * {@link dev.halt.core.policy.SandboxPolicy}.
 *
 * <h2>Sources</h2>
 * Lowest priority first: built-in defaults; the global file
 * ({@code $XDG_CONFIG_HOME/halt/halt.toml}, default {@code ~/.config/halt/halt.toml}, on every
 * OS); the project file {@code .halt/halt.toml} in the working directory, only when the user
 * trusted its exact content ({@link dev.halt.core.config.TrustStore}); each {@code --config}
 * file; the command line. Scalars: the later source wins. Lists: extended and deduplicated.
 * {@code --no-config} skips the global and project files. Relative paths in every source are
 * resolved against the working directory; {@code ~} is the home directory.
 *
 * <h2>How the CLI uses it</h2>
 * <pre>{@code
 * var here = ConfigLocations.ofCurrentProcess();
 * var options = new CommandLineOptions(Optional.ofNullable(network), reads, writes, traverses,
 *         allows, envs, configFiles, noConfig);
 *
 * // halt run
 * switch (ConfigLoader.load(here, options, System.getenv())) {
 *     case LoadResult.Loaded ok -> { ok.warnings().forEach(w -> warn(w.message())); launch(ok.policy()); }
 *     case LoadResult.Failed bad -> { bad.errors().forEach(e -> error(e.message())); exit(125); }
 * }
 * // halt config show [--format toml|json]
 * ConfigActions.show(here, options, System.getenv(), ConfigRenderer.Format.parse(format).orElseThrow());
 * // halt config init [--global] [--force]
 * ConfigActions.init(here, global ? ConfigScope.GLOBAL : ConfigScope.PROJECT, force);
 * // halt config edit [--global]
 * ConfigActions.edit(here, global ? ConfigScope.GLOBAL : ConfigScope.PROJECT, System.getenv(), ConfigActions::runEditor);
 * // halt config trust
 * ConfigActions.trust(here);
 * }</pre>
 * Every result is a sealed type: switch over it and print. Problems are values:
 * {@link dev.halt.core.config.ConfigError} (stop, exit 125; {@code message()} names file,
 * line, column and key, or the flag) and {@link dev.halt.core.config.ConfigWarning} (print, go
 * on). The schema, with every key, is {@link dev.halt.core.config.ConfigSchema}.
 */
package dev.halt.core.config;
