package dev.halt.proxy.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The static name table of {@code /etc/hosts}, consulted before DNS. */
public final class HostsFile {
    private final Map<String, List<InetAddress>> byName;

    private HostsFile(Map<String, List<InetAddress>> byName) {
        this.byName = byName;
    }

    /** An empty table. */
    public static HostsFile empty() {
        return new HostsFile(Map.of());
    }

    /** Reads a hosts file; a missing file is an empty table, unreadable lines are skipped. */
    public static HostsFile load(Path path) throws IOException {
        if (path == null) {
            return empty();
        }
        try {
            return parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return empty();
        }
    }

    /** Parses hosts-file text. */
    public static HostsFile parse(String text) {
        var map = new HashMap<String, List<InetAddress>>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !isIpLiteral(f[0])) {
                continue;
            }
            InetAddress addr;
            try {
                addr = InetAddress.ofLiteral(f[0]);
            } catch (IllegalArgumentException e) {
                continue;
            }
            for (int i = 1; i < f.length; i++) {
                String name = f[i].toLowerCase(Locale.ROOT);
                if (name.endsWith(".")) {
                    name = name.substring(0, name.length() - 1);
                }
                var list = map.computeIfAbsent(name, k -> new ArrayList<>());
                if (!list.contains(addr)) {
                    list.add(addr);
                }
            }
        }
        var frozen = new HashMap<String, List<InetAddress>>();
        map.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new HostsFile(Map.copyOf(frozen));
    }

    private static boolean isIpLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':' || c == '%')) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /** Addresses for a normalised name, empty when the file does not list it. */
    public List<InetAddress> lookup(String name) {
        return byName.getOrDefault(name, List.of());
    }
}
