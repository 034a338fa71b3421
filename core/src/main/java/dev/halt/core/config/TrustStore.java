package dev.halt.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.tomlj.Toml;

/**
 * The project config files the user has trusted: for each file, by canonical path, the SHA-256
 * of the exact content trusted. Kept in {@code trusted.toml} in the global config directory,
 * outside any workspace, so the sandboxed agent cannot trust its own edits (a write grant that
 * contains it is refused: {@link ConfigError.WritableHaltConfig}).
 *
 * <p>The file is TOML, one {@code "<canonical path>" = "<sha-256 hex>"} per line; it is
 * rewritten whole through a temporary file and an atomic rename.
 */
public final class TrustStore {

    /** Whether a content is trusted. */
    public enum Status {
        /** This exact content was trusted. */
        TRUSTED,
        /** The file was never trusted. */
        UNKNOWN,
        /** Another content of the file was trusted: it changed since. */
        CHANGED
    }

    /** The outcome of {@link #trust}. */
    public sealed interface TrustResult {
        /** The file's content with hash {@code sha256} is now trusted. */
        record Trusted(Path file, String sha256) implements TrustResult {
        }

        /** Nothing was recorded; {@code reason} says why. */
        record Failed(Path file, String reason) implements TrustResult {
        }
    }

    private final Path storeFile;

    /** A store kept in {@code storeFile}. */
    public TrustStore(Path storeFile) {
        this.storeFile = Objects.requireNonNull(storeFile, "storeFile");
    }

    /** The store of {@code locations} ({@link ConfigLocations#trustFile()}). */
    public static TrustStore of(ConfigLocations locations) {
        return new TrustStore(locations.trustFile());
    }

    public Path storeFile() {
        return storeFile;
    }

    /** Hex SHA-256 of {@code content}. */
    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Whether {@code content}, read from {@code configFile}, is trusted. A store that is missing
     * or unreadable trusts nothing.
     */
    public Status check(Path configFile, byte[] content) {
        Optional<String> trusted;
        try {
            trusted = Optional.ofNullable(entries().get(canonical(configFile).toString()));
        } catch (IOException e) {
            return Status.UNKNOWN;
        }
        if (trusted.isEmpty()) {
            return Status.UNKNOWN;
        }
        return MessageDigest.isEqual(trusted.get().getBytes(StandardCharsets.US_ASCII),
                sha256(content).getBytes(StandardCharsets.US_ASCII)) ? Status.TRUSTED : Status.CHANGED;
    }

    /** Trusts the current content of {@code configFile}. */
    public TrustResult trust(Path configFile) {
        byte[] content;
        try {
            content = ConfigFiles.read(configFile);
        } catch (ConfigFiles.Unusable e) {
            return new TrustResult.Failed(configFile, "cannot read it: " + e.getMessage());
        }
        return trust(configFile, content);
    }

    /**
     * Trusts {@code content} as the content of {@code configFile}. Callers pass the bytes they
     * showed or validated, so what is trusted is exactly what was checked.
     */
    public TrustResult trust(Path configFile, byte[] content) {
        try {
            var key = canonical(configFile).toString();
            Map<String, String> entries;
            try {
                entries = entries();
            } catch (IOException e) {
                return new TrustResult.Failed(configFile, "the trust store " + storeFile + " is damaged (" + describe(e)
                        + "); remove it and trust your project files again");
            }
            var hash = sha256(content);
            entries.put(key, hash);
            write(entries);
            return new TrustResult.Trusted(configFile, hash);
        } catch (IOException e) {
            return new TrustResult.Failed(configFile, "cannot update the trust store " + storeFile + ": " + describe(e));
        }
    }

    /** Every trusted file (canonical path) and its hash. */
    public Map<String, String> entries() throws IOException {
        var entries = new TreeMap<String, String>();
        if (!Files.exists(storeFile)) {
            return entries;
        }
        String text;
        try {
            text = new String(ConfigFiles.read(storeFile), StandardCharsets.UTF_8);
        } catch (ConfigFiles.Unusable e) {
            throw new IOException(storeFile + ": " + e.getMessage(), e);
        }
        var parsed = Toml.parse(text);
        if (parsed.hasErrors()) {
            throw new IOException("not valid TOML: " + parsed.errors().getFirst());
        }
        for (var key : parsed.keySet()) {
            if (parsed.get(java.util.List.of(key)) instanceof String hash) {
                entries.put(key, hash);
            } else {
                throw new IOException("entry \"" + key + "\" is not a string");
            }
        }
        return entries;
    }

    private void write(Map<String, String> entries) throws IOException {
        var text = new StringBuilder("""
                # Project config files halt may use: canonical path = SHA-256 of the content you trusted.
                # Written by `halt config trust`. Remove a line to withdraw trust.
                """);
        entries.forEach((path, hash) -> text.append('"').append(Toml.tomlEscape(path)).append("\" = \"")
                .append(hash).append("\"\n"));
        // Under sudo the store is the invoking user's, and stays theirs.
        var user = dev.halt.core.policy.InvokingUser.current();
        user.createDirectories(storeFile.getParent());
        var temporary = Files.createTempFile(storeFile.getParent(), ".trusted", ".tmp");
        try {
            user.own(temporary);
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, storeFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, storeFile, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The canonical path (links resolved) when the file exists, otherwise the normalised absolute one. */
    static Path canonical(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName().replace("Exception", "") + ": " + e.getMessage();
    }
}
