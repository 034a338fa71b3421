package dev.halt.core.config;

/** The commented starter files written by {@code halt config init}. Every setting is commented out, so a fresh file changes nothing. */
final class StarterConfig {
    private StarterConfig() {
    }

    static String text(ConfigScope scope) {
        var header = switch (scope) {
            case PROJECT -> """
                    # halt project configuration (.halt/halt.toml), merged over the global one.
                    # Anything in the workspace (the sandboxed agent too) can write this file, so halt
                    # uses it only after you review it and run `halt config trust`, after every change.
                    # `halt config edit` trusts what you save there.
                    """;
            case GLOBAL -> """
                    # halt global configuration, used in every directory (project files and --config
                    # files are merged over it, then the command-line flags).
                    """;
            default -> throw new IllegalArgumentException(scope + " has no starter file");
        };
        return header + """
                # Scalars: the later source wins. Lists: extended and deduplicated.
                # `halt config show` prints the effective configuration and where each value comes from.
                # Paths: ~ is your home directory; relative paths are relative to the directory halt runs in.

                [sandbox]
                # Network: "unrestricted", "localhost_only" (default), "proxy_only" or "blocked".
                # network = { mode = "proxy_only" }

                # Environment: PATH, HOME, USER, LOGNAME, SHELL, TERM, LANG, LANGUAGE, TZ, TMPDIR,
                # EDITOR, VISUAL, PAGER, COLORTERM, TERM_PROGRAM, LC_* and XDG_* are always passed.
                # Add a variable from your environment (KEY) or set one (KEY=VALUE):
                # env = ["ANTHROPIC_API_KEY", "NODE_ENV=development"]

                # allow_unix_sockets = false   # AF_UNIX sockets (docker.sock, D-Bus are ways out)
                # allow_local_binding = false  # bind TCP ports when isolated without privileges
                # localhost_ports = [8080]     # localhost_only without privileges: usable TCP ports
                # host_ports = [5432]          # ports of this machine's 127.0.0.1 the child may reach

                [sandbox.macos]
                # macOS daemons that act for the child past its file and network rules (ignored on Linux).
                # allow_keychain = false       # the keychain daemons (Claude's claude.ai login needs them)
                # allow_trustd = false         # trustd, Go's TLS verification (default: on in unrestricted only)

                [sandbox.paths]
                # Already granted: system directories and PATH (read), /dev/null and friends, ttys,
                # /dev/shm, the working directory and the temp directories (read-write), /proc and
                # /sys (read). The home directory stays closed; open what your tools need:
                # read = ["~/.gitconfig"]
                # read_write = ["~/.cache/pip"]
                # traversal = ["~"]

                [proxy]
                # Domains reachable in proxy_only mode: "example.com" exactly, "*.example.com" any
                # subdomain (not the apex), "github.com:22" one port only. The denylist wins.
                # domain_allowlist = ["api.anthropic.com", "registry.npmjs.org"]
                # domain_denylist = []
                # upstream_dns = ["1.1.1.1:53"]   # default: the nameservers of /etc/resolv.conf
                # dns_ttl_seconds = 300
                # tcp_connect_timeout_secs = 30
                # tcp_idle_timeout_secs = 60
                # allow_local_destinations = false
                # max_connections = 1024
                """;
    }
}
