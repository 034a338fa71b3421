package dev.halt.core.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The user halt acts for. Started by sudo (effective uid 0 with {@code SUDO_UID} set), halt acts
 * for the user who ran sudo: the child runs as that user, and {@code ~} -- in flags, config
 * files and profiles, and in the places of halt's global config and trust store -- is that user's
 * home from the password database, not root's. Otherwise it is halt's own user.
 *
 * @param sudo under sudo, the account of the user who ran it; empty otherwise
 * @param home what {@code ~} means to halt: the sudo user's home, else halt's {@code user.home}
 */
public record InvokingUser(Optional<Account> sudo, Path home) {

    /**
     * An entry of the password database.
     *
     * @param uid  user id
     * @param gid  primary group id
     * @param name login name
     * @param home home directory (absolute)
     */
    public record Account(int uid, int gid, String name, Path home) {}

    private static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path GETENT = Path.of("/usr/bin/getent");
    private static final Path DSCACHEUTIL = Path.of("/usr/bin/dscacheutil");

    /**
     * The user of this process ({@link System#getenv()}, {@code user.home}), looked up once.
     *
     * @throws IllegalStateException under sudo, when the password database has no entry for
     *                               {@code SUDO_UID}: whose home {@code ~} is cannot be told
     */
    public static InvokingUser current() {
        if (Current.FAILURE != null) throw new IllegalStateException(Current.FAILURE.getMessage(), Current.FAILURE);
        return Current.USER;
    }

    /** {@link #current()}, looked up on first use. */
    private static final class Current {
        static final InvokingUser USER;
        static final IllegalStateException FAILURE;

        static {
            InvokingUser user = null;
            IllegalStateException failure = null;
            try {
                user = of(System.getenv(), effectiveUid(), Path.of(System.getProperty("user.home")), InvokingUser::account);
            } catch (IllegalStateException e) {
                failure = e;
            }
            USER = user;
            FAILURE = failure;
        }
    }

    /**
     * The user halt acts for.
     *
     * @param environment halt's environment ({@code SUDO_UID})
     * @param euid        halt's effective uid
     * @param processHome halt's own {@code user.home}
     * @param accounts    the password database
     * @throws IllegalStateException under sudo, when {@code accounts} has no entry for {@code SUDO_UID}
     */
    public static InvokingUser of(Map<String, String> environment, int euid, Path processHome,
                                  IntFunction<Optional<Account>> accounts) {
        var sudoUid = environment.get("SUDO_UID");
        if (euid != 0 || sudoUid == null || sudoUid.isBlank()) return new InvokingUser(Optional.empty(), processHome);
        int uid;
        try {
            uid = Integer.parseInt(sudoUid.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("halt runs under sudo, but SUDO_UID=" + sudoUid + " is not a user id");
        }
        var account = accounts.apply(uid).orElseThrow(() -> new IllegalStateException("halt runs under sudo"
            + " (SUDO_UID=" + uid + "), but the password database has no user " + uid + ": it cannot tell whose home ~ is"));
        return new InvokingUser(Optional.of(account), account.home());
    }

    /**
     * The {@code HOME} the child has, where its tools (git) look for their files: under sudo the
     * home of the user who ran it (halt sets it); else {@code HOME} of halt's environment when it
     * is absolute, else {@link #home()}.
     */
    public Path childHome(Map<String, String> environment) {
        if (sudo.isPresent()) return home;
        var value = environment.get("HOME");
        try {
            if (value != null && Path.of(value).isAbsolute()) return Path.of(value).normalize();
        } catch (InvalidPathException e) {
            // not a path: halt's own notion of home stands
        }
        return home;
    }

    /**
     * {@link Files#createDirectories}, with every directory it makes given to the user who ran sudo
     * (under sudo): halt writes its config and trust store into that user's home as root, and the
     * user must keep them.
     */
    public void createDirectories(Path dir) throws IOException {
        var missing = new java.util.ArrayDeque<Path>();
        for (var p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
            missing.push(p);
        }
        Files.createDirectories(dir);
        for (var made : missing) own(made);
    }

    /**
     * Under sudo, gives {@code path}, which halt has just made, to the user who ran sudo: the entry
     * itself, never what a link there points to. Otherwise nothing.
     */
    public void own(Path path) throws IOException {
        if (sudo.isEmpty()) return;
        Files.setAttribute(path, "unix:uid", sudo.get().uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", sudo.get().gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The entry of {@code uid} in the password database: {@code /etc/passwd}, then, when it has
     * none, {@code getent passwd} (NSS: LDAP, sssd, systemd-homed), or on macOS, whose
     * {@code /etc/passwd} lists only system accounts, {@code dscacheutil} (Directory Services).
     */
    public static Optional<Account> account(int uid) {
        try {
            var found = parse(uid, Files.readAllLines(PASSWD, StandardCharsets.UTF_8));
            if (found.isPresent()) return found;
        } catch (IOException | RuntimeException e) {
            // no readable /etc/passwd: NSS may still know the user
        }
        if (Files.isExecutable(GETENT)) {
            return lookup(GETENT.toString(), "passwd", Integer.toString(uid)).flatMap(lines -> parse(uid, lines));
        }
        if (Files.isExecutable(DSCACHEUTIL)) {
            return lookup(DSCACHEUTIL.toString(), "-q", "user", "-a", "uid", Integer.toString(uid))
                .flatMap(lines -> parseDirectoryService(uid, lines));
        }
        return Optional.empty();
    }

    /** The output of a lookup command that succeeded, as lines; empty when it failed. */
    private static Optional<List<String>> lookup(String... command) {
        try {
            var p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            var out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out.lines().toList()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * The entry of {@code uid} in {@code dscacheutil -q user -a uid UID}'s output: {@code key: value}
     * lines ({@code name}, {@code uid}, {@code gid}, {@code dir}), one record.
     */
    static Optional<Account> parseDirectoryService(int uid, List<String> lines) {
        var fields = new java.util.HashMap<String, String>();
        for (var line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0) fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        try {
            if (!Integer.toString(uid).equals(fields.get("uid")) || fields.get("name") == null || fields.get("dir") == null) {
                return Optional.empty();
            }
            var home = Path.of(fields.get("dir"));
            if (!home.isAbsolute()) return Optional.empty();
            return Optional.of(new Account(uid, Integer.parseInt(fields.getOrDefault("gid", "")), fields.get("name"), home.normalize()));
        } catch (InvalidPathException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The entry of {@code uid} among {@code passwd(5)} lines. */
    static Optional<Account> parse(int uid, List<String> lines) {
        for (var line : lines) {
            var fields = line.split(":", -1);
            if (fields.length < 7 || !fields[2].equals(Integer.toString(uid))) continue;
            try {
                var home = Path.of(fields[5]);
                if (!home.isAbsolute()) return Optional.empty();
                return Optional.of(new Account(uid, Integer.parseInt(fields[3]), fields[0], home.normalize()));
            } catch (InvalidPathException | NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** This process's effective uid from {@code /proc/self}; off Linux 0 for root's {@code user.name}, else -1. */
    private static int effectiveUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }
}
