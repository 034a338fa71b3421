package dev.halt.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The text form of an upstream nameserver ({@code upstream_dns}): an IP literal with an optional
 * port, {@code 8.8.8.8}, {@code 8.8.8.8:5353}, {@code 2001:db8::1} or {@code [2001:db8::1]:53};
 * port 53 when none is given. Host names are refused: resolving the resolver would need a
 * resolver. The one parser of it, for the config file and the API alike.
 */
public final class Nameservers {
    /** The port of a nameserver written without one. */
    public static final int DEFAULT_PORT = 53;

    private Nameservers() {}

    /**
     * Parses one nameserver. Blanks around it are ignored.
     *
     * @throws IllegalArgumentException starting with the quoted text, saying what is wrong
     */
    public static InetSocketAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        var quoted = "\"" + text + "\"";
        var s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException(quoted + ": empty nameserver; write an IP address such as 8.8.8.8");
        }
        String host;
        String portText = null;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(quoted + ": missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException(quoted + ": brackets are for IPv6 addresses only");
            }
            var rest = s.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(quoted + ": expected ':PORT' after ']'");
                }
                portText = rest.substring(1);
            }
        } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
            host = s.substring(0, s.indexOf(':'));
            portText = s.substring(s.indexOf(':') + 1);
        } else {
            host = s; // IPv4 without a port, or a bare IPv6 address
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            port = portText.length() > 5 || !DomainPattern.isAllDigits(portText) ? -1 : Integer.parseInt(portText);
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(quoted + ": the port must be a number from 1 to 65535");
            }
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quoted + " is not an IP address with an optional port"
                    + " (examples: 8.8.8.8, 8.8.8.8:53, [2001:4860:4860::8888]:53); host names are not accepted");
        }
        return new InetSocketAddress(address, port);
    }

    /** The text form of a nameserver, which {@link #parse} reads back: {@code 8.8.8.8:53}, {@code [2001:db8:0:0:0:0:0:1]:53}. */
    public static String format(InetSocketAddress address) {
        var host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
