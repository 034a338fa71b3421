/**
 * halt's configuration: TOML files read with tomlj, merged with the command line into a
 * {@link dev.halt.core.policy.SandboxPolicy}.
 *
 * <p>Entry points: {@link dev.halt.core.config.ConfigLoader#load} for {@code halt run},
 * {@link dev.halt.core.config.ConfigCommands} for {@code halt config init|show|edit|trust}.
 * Problems are values: {@link dev.halt.core.config.ConfigError} (stop, exit 125) and
 * {@link dev.halt.core.config.ConfigWarning} (print, go on). The schema is
 * {@link dev.halt.core.config.ConfigSchema}.
 */
package dev.halt.core.config;
