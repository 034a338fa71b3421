package dev.halt.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds the server name (SNI) in a TLS ClientHello without decrypting anything, for the
 * transparent listener's domain-fronting check. Handles a handshake spread over several
 * records. A hello without SNI yields {@code Optional.empty()}.
 */
final class TlsClientHello {
    static final int MAX_HELLO = 64 * 1024;

    private TlsClientHello() {}

    static Parse<Optional<String>> parse(byte[] b, int len) {
        // Gather the handshake bytes from consecutive handshake records.
        byte[] hs = new byte[Math.min(len, MAX_HELLO)];
        int hsLen = 0;
        int p = 0;
        int needed = -1;
        while (true) {
            if (needed >= 0 && hsLen >= needed) break;
            if (p + 5 > len) return Parse.more();
            if ((b[p] & 0xff) != 0x16) return new Parse.Bad<>(0, "not a TLS handshake record");
            if ((b[p + 1] & 0xff) != 3) return new Parse.Bad<>(0, "not a TLS record version");
            int recLen = u16(b, p + 3);
            if (recLen == 0 || recLen > 16384 + 2048) return new Parse.Bad<>(0, "bad TLS record length " + recLen);
            if (p + 5 + recLen > len) {
                if (p + 5 + recLen > MAX_HELLO) return new Parse.Bad<>(0, "ClientHello too large");
                return Parse.more();
            }
            if (hsLen + recLen > hs.length) return new Parse.Bad<>(0, "ClientHello too large");
            System.arraycopy(b, p + 5, hs, hsLen, recLen);
            hsLen += recLen;
            p += 5 + recLen;
            if (needed < 0 && hsLen >= 4) {
                if ((hs[0] & 0xff) != 1) return new Parse.Bad<>(0, "first handshake message is not a ClientHello");
                needed = 4 + ((hs[1] & 0xff) << 16 | u16(hs, 2));
                if (needed > MAX_HELLO) return new Parse.Bad<>(0, "ClientHello too large");
            }
        }
        return parseHello(hs, needed, p);
    }

    private static Parse<Optional<String>> parseHello(byte[] h, int end, int consumed) {
        int p = 4 + 2 + 32; // handshake header, legacy_version, random
        if (p + 1 > end) return bad("truncated ClientHello");
        p += 1 + (h[p] & 0xff); // session id
        if (p + 2 > end) return bad("truncated cipher suites");
        p += 2 + u16(h, p);
        if (p + 1 > end) return bad("truncated compression methods");
        p += 1 + (h[p] & 0xff);
        if (p == end) return new Parse.Done<>(Optional.empty(), consumed); // no extensions
        if (p + 2 > end) return bad("truncated extensions");
        int extEnd = p + 2 + u16(h, p);
        if (extEnd > end) return bad("extensions run past the ClientHello");
        p += 2;
        while (p + 4 <= extEnd) {
            int type = u16(h, p);
            int elen = u16(h, p + 2);
            int data = p + 4;
            if (data + elen > extEnd) return bad("extension runs past the end");
            if (type == 0) {
                if (elen < 2) return bad("empty server_name extension");
                int listEnd = data + 2 + u16(h, data);
                if (listEnd > data + elen) return bad("server_name list runs past the extension");
                int q = data + 2;
                while (q + 3 <= listEnd) {
                    int nameType = h[q] & 0xff;
                    int nlen = u16(h, q + 1);
                    if (q + 3 + nlen > listEnd) return bad("server name runs past the list");
                    if (nameType == 0) {
                        if (nlen == 0) return bad("empty server name");
                        for (int i = q + 3; i < q + 3 + nlen; i++) {
                            int c = h[i] & 0xff;
                            if (c <= 0x20 || c >= 0x7f) return bad("invalid byte in server name");
                        }
                        return new Parse.Done<>(Optional.of(new String(h, q + 3, nlen, StandardCharsets.US_ASCII)), consumed);
                    }
                    q += 3 + nlen;
                }
                return new Parse.Done<>(Optional.empty(), consumed);
            }
            p = data + elen;
        }
        return new Parse.Done<>(Optional.empty(), consumed);
    }

    private static Parse<Optional<String>> bad(String why) {
        return new Parse.Bad<>(0, why);
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
