package dev.halt.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/** Parser of the client side of SOCKS5 (RFC 1928): greeting and request. */
final class Socks5 {
    static final int VERSION = 5;
    static final int METHOD_NO_AUTH = 0;
    static final int CMD_CONNECT = 1;
    static final int REP_SUCCEEDED = 0;
    static final int REP_GENERAL_FAILURE = 1;
    static final int REP_NOT_ALLOWED = 2;
    static final int REP_NETWORK_UNREACHABLE = 3;
    static final int REP_HOST_UNREACHABLE = 4;
    static final int REP_CONNECTION_REFUSED = 5;
    static final int REP_TTL_EXPIRED = 6;
    static final int REP_COMMAND_NOT_SUPPORTED = 7;
    static final int REP_ADDRESS_TYPE_NOT_SUPPORTED = 8;

    /** The methods the client offers. */
    record Greeting(byte[] methods) {
        boolean offers(int method) {
            for (byte m : methods) {
                if ((m & 0xff) == method) return true;
            }
            return false;
        }
    }

    /** A request: command and destination. */
    record Request(int command, HostPort destination) {}

    private Socks5() {}

    static Parse<Greeting> parseGreeting(byte[] b, int len) {
        if (len < 1) return Parse.more();
        if ((b[0] & 0xff) != VERSION) {
            return new Parse.Bad<>(REP_GENERAL_FAILURE, "SOCKS version " + (b[0] & 0xff) + " is not supported (only 5)");
        }
        if (len < 2) return Parse.more();
        int n = b[1] & 0xff;
        if (n == 0) {
            return new Parse.Bad<>(REP_GENERAL_FAILURE, "SOCKS greeting offers no method");
        }
        if (len < 2 + n) return Parse.more();
        byte[] m = new byte[n];
        System.arraycopy(b, 2, m, 0, n);
        return new Parse.Done<>(new Greeting(m), 2 + n);
    }

    static Parse<Request> parseRequest(byte[] b, int len) {
        if (len < 1) return Parse.more();
        if ((b[0] & 0xff) != VERSION) {
            return new Parse.Bad<>(REP_GENERAL_FAILURE, "SOCKS version " + (b[0] & 0xff) + " in request");
        }
        if (len < 4) return Parse.more();
        int cmd = b[1] & 0xff;
        if (b[2] != 0) {
            return new Parse.Bad<>(REP_GENERAL_FAILURE, "reserved byte is not 0");
        }
        int atyp = b[3] & 0xff;
        int addrLen;
        int at = 4;
        switch (atyp) {
            case 1 -> addrLen = 4;
            case 4 -> addrLen = 16;
            case 3 -> {
                if (len < 5) return Parse.more();
                addrLen = b[4] & 0xff;
                at = 5;
                if (addrLen == 0) {
                    return new Parse.Bad<>(REP_GENERAL_FAILURE, "empty domain name");
                }
            }
            default -> {
                return new Parse.Bad<>(REP_ADDRESS_TYPE_NOT_SUPPORTED, "address type " + atyp + " is not supported");
            }
        }
        if (len < at + addrLen + 2) return Parse.more();
        int port = ((b[at + addrLen] & 0xff) << 8) | (b[at + addrLen + 1] & 0xff);
        if (port == 0) {
            return new Parse.Bad<>(REP_GENERAL_FAILURE, "port 0");
        }
        HostPort hp;
        if (atyp == 3) {
            for (int i = at; i < at + addrLen; i++) {
                int c = b[i] & 0xff;
                if (c <= 0x20 || c >= 0x7f) {
                    return new Parse.Bad<>(REP_GENERAL_FAILURE, "invalid byte in domain name");
                }
            }
            String host = new String(b, at, addrLen, StandardCharsets.US_ASCII);
            hp = new HostPort(host, port, HostPort.literal(host));
        } else {
            byte[] raw = new byte[addrLen];
            System.arraycopy(b, at, raw, 0, addrLen);
            try {
                InetAddress a = InetAddress.getByAddress(raw);
                hp = new HostPort(a.getHostAddress(), port, a);
            } catch (UnknownHostException e) {
                return new Parse.Bad<>(REP_ADDRESS_TYPE_NOT_SUPPORTED, "bad address");
            }
        }
        return new Parse.Done<>(new Request(cmd, hp), at + addrLen + 2);
    }
}
