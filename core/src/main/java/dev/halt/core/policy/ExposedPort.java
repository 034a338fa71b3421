package dev.halt.core.policy;

/**
 * A TCP port of the host's loopback the child may reach ({@code --expose-host-port PORT[:SANDBOX_PORT]},
 * {@code [sandbox] host_ports = [5432, "11434:8080"]}): a dev database, an MCP server, a local
 * model server. With privileges halt listens on {@code 127.0.0.1:sandboxPort} in the sandbox's
 * network namespace and relays each connection to the host's {@code 127.0.0.1:hostPort}; without,
 * the child connects to {@code 127.0.0.1:hostPort} itself, so the two must be equal.
 *
 * @param hostPort    the port on the host's 127.0.0.1
 * @param sandboxPort the port the child connects to on its own 127.0.0.1
 */
public record ExposedPort(int hostPort, int sandboxPort) {

    /** @throws IllegalArgumentException when a port is not a TCP port (1-65535) */
    public ExposedPort {
        if (hostPort < 1 || hostPort > 65_535) throw new IllegalArgumentException(hostPort + " is not a TCP port (1-65535)");
        if (sandboxPort < 1 || sandboxPort > 65_535) {
            throw new IllegalArgumentException(sandboxPort + " is not a TCP port (1-65535)");
        }
    }

    /** The same port on both sides. */
    public static ExposedPort of(int port) {
        return new ExposedPort(port, port);
    }

    /**
     * Reads {@code PORT} or {@code PORT:SANDBOX_PORT}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ExposedPort parse(String text) {
        var parts = text.strip().split(":", -1);
        if (parts.length > 2) throw new IllegalArgumentException("\"" + text + "\": expected PORT or PORT:SANDBOX_PORT");
        int host = port(parts[0], text);
        return new ExposedPort(host, parts.length == 2 ? port(parts[1], text) : host);
    }

    private static int port(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("\"" + text + "\": expected PORT or PORT:SANDBOX_PORT, ports from 1 to 65535");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("\"" + text + "\": " + port + " is not a TCP port (1-65535)");
        return port;
    }

    /** Whether the child reaches it on another port than the host's. */
    public boolean remapped() {
        return hostPort != sandboxPort;
    }

    /** {@code 5432}, or {@code 11434:8080} when remapped: as it is written in config. */
    @Override
    public String toString() {
        return remapped() ? hostPort + ":" + sandboxPort : Integer.toString(hostPort);
    }
}
