package dev.halt.core.policy;

import java.util.Objects;
import java.util.Optional;

/**
 * What the child may ask of macOS daemons that act on its behalf, past the file and network rules
 * ({@code [sandbox.macos]}). Mach messages to a daemon are not file or socket operations, so a
 * sandbox that closes the user's files still lets a daemon hand out their secrets unless the
 * daemon itself is closed. Ignored on Linux.
 *
 * @param allowKeychain whether the child may reach the keychain daemons
 *                      ({@code com.apple.SecurityServer}, {@code securityd},
 *                      {@code security.keychaind}, {@code secd}, {@code security.agent}): they give
 *                      out passwords and tokens to any program an item's access list trusts, such
 *                      as {@code /usr/bin/security} ({@code allow_keychain}, off by default)
 * @param allowTrustd   whether the child may reach {@code com.apple.trustd} and
 *                      {@code com.apple.trustd.agent}, which verify certificate chains (Go's TLS
 *                      needs them) and fetch what a chain names, a way for data to leave
 *                      ({@code allow_trustd}); empty: {@link #trustdAllowed(NetworkMode) by mode}
 */
public record MacOptions(boolean allowKeychain, Optional<Boolean> allowTrustd) {

    /** The keychain closed, trustd by mode. */
    public static final MacOptions DEFAULTS = new MacOptions(false, Optional.empty());

    public MacOptions {
        Objects.requireNonNull(allowTrustd, "allowTrustd");
    }

    /**
     * Whether trustd is reachable in {@code mode}: as set, else in {@code unrestricted} only (the
     * isolated modes promise that nothing leaves but through halt).
     */
    public boolean trustdAllowed(NetworkMode mode) {
        return allowTrustd.orElse(defaultTrustd(mode));
    }

    /** {@code allow_trustd} when nothing sets it: on in {@code unrestricted}, off in the isolated modes. */
    public static boolean defaultTrustd(NetworkMode mode) {
        return mode == NetworkMode.UNRESTRICTED;
    }
}
