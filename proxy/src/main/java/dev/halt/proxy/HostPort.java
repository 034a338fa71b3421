package dev.halt.proxy;

import java.net.InetAddress;

/**
 * A destination as a client named it.
 *
 * @param host a host name as sent, or an IP literal without brackets
 * @param port 1-65535
 * @param address the address when {@code host} is an IP literal, else {@code null}
 */
record HostPort(String host, int port, InetAddress address) {

    /** Parses {@code host:port} or {@code [v6]:port}; a missing port takes {@code defaultPort} (or fails if -1). */
    static HostPort parseAuthority(String authority, int defaultPort) throws IllegalArgumentException {
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("empty authority");
        }
        if (authority.indexOf('@') >= 0) {
            throw new IllegalArgumentException("user information in the authority is not supported");
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in authority");
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("junk after ']' in authority");
                }
                portText = rest.substring(1);
            }
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("brackets around a non-IPv6 host");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
                if (host.indexOf(':') >= 0) {
                    throw new IllegalArgumentException("IPv6 address without brackets");
                }
            } else {
                host = authority;
            }
        }
        int port;
        if (portText == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("no port in \"" + authority + "\"");
            }
            port = defaultPort;
        } else {
            if (portText.isEmpty() || portText.length() > 5 || !DomainPattern.isAllDigits(portText)) {
                throw new IllegalArgumentException("bad port \"" + portText + "\"");
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range");
            }
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        return new HostPort(host, port, literal(host));
    }

    /** The address if {@code host} is an IPv4 or IPv6 literal, else {@code null}. No DNS. */
    static InetAddress literal(String host) {
        boolean maybe = false;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == ':') {
                maybe = true;
            } else if (!(Character.digit(c, 16) >= 0 || c == '.' || c == '%')) {
                return null;
            }
        }
        if (!maybe && !DomainPattern.isAllDigits(host.substring(host.lastIndexOf('.') + 1))) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
