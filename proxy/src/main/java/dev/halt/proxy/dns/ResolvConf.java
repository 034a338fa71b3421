package dev.halt.proxy.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code nameserver} lines of {@code /etc/resolv.conf}. */
public final class ResolvConf {
    private ResolvConf() {}

    /** Nameservers of a resolv.conf file, port 53; empty when the file is missing. */
    public static List<InetSocketAddress> nameservers(Path path) throws IOException {
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** Nameservers of resolv.conf text. */
    public static List<InetSocketAddress> parse(String text) {
        var out = new ArrayList<InetSocketAddress>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                try {
                    out.add(new InetSocketAddress(java.net.InetAddress.ofLiteral(f[1].replaceFirst("%.*$", "")), 53));
                } catch (IllegalArgumentException e) {
                    // not a literal address: resolv.conf allows nothing else, skip it
                }
            }
        }
        return out;
    }
}
