package dev.halt.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Classification of destination addresses for the DNS-rebinding defence. */
public final class Addresses {
    private Addresses() {}

    /**
     * Whether an address is not a public unicast destination: loopback, RFC 1918 private,
     * CGNAT 100.64/10, link-local, unspecified, "this network" 0/8, broadcast, multicast,
     * IPv6 ULA fc00::/7 or site-local, or an IPv4-mapped / IPv4-compatible form of these.
     */
    public static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress()
                || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0
                    || (b0 == 100 && (b1 & 0xc0) == 64)
                    || (b0 == 255 && (b[1] & b[2] & b[3] & 0xff) == 0xff);
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            // ::a.b.c.d (deprecated IPv4-compatible) and 64:ff9b::/96 (NAT64) embed an IPv4 address.
            boolean compat = true;
            for (int i = 0; i < 12; i++) {
                if (b[i] != 0) { compat = false; break; }
            }
            boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            for (int i = 4; nat64 && i < 12; i++) {
                if (b[i] != 0) nat64 = false;
            }
            if (compat || nat64) {
                try {
                    return isLocal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (java.net.UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }
}
