package dev.halt.core.probe;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.policy.NetworkMode;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How this machine enforces each network mode: the one decision that {@code halt check} prints and
 * {@code halt run} {@linkplain #require requires}, so a run uses exactly the mechanism check names.
 * A backend builds one per JVM from its probes; each mode is decided on first use and kept, so a
 * run decides (and probes for) its own mode only, and check all of them.
 */
public final class EnforcementPlan {

    private static final System.Logger LOG = System.getLogger("halt");

    private final Function<NetworkMode, NetworkSupport> decide;
    /** Guarded by {@code this}. */
    private final Map<NetworkMode, NetworkSupport> decided = new EnumMap<>(NetworkMode.class);

    /** @param decide the backend's decision for one mode, from its probes; called at most once per mode */
    public EnforcementPlan(Function<NetworkMode, NetworkSupport> decide) {
        this.decide = decide;
    }

    /** The entry of {@code mode}, decided now if it was not yet. */
    public synchronized NetworkSupport support(NetworkMode mode) {
        var entry = decided.get(mode);
        if (entry == null) {
            entry = decide.apply(mode);
            if (entry.mode() != mode) throw new IllegalStateException("the plan decided " + entry.mode() + " for " + mode);
            decided.put(mode, entry);
        }
        return entry;
    }

    /** Every mode's entry, in {@link NetworkSupport#MODES} order. */
    public List<NetworkSupport> network() {
        return NetworkSupport.MODES.stream().map(this::support).toList();
    }

    /**
     * What {@code halt run} enforces {@code mode} with: the plan's mechanism, or, when the plan has
     * none, a refusal naming the plan's reason (125, nothing run); under {@code bestEffort} a WARN
     * line with that reason instead, and {@link Mechanism#NONE}: the network is not restricted.
     */
    public Mechanism require(NetworkMode mode, boolean bestEffort) throws LaunchException {
        // instanceof, not a pattern switch: every run comes here, and a switch on types spins a
        // class at its first use that no start-up cache keeps.
        var entry = support(mode);
        if (entry instanceof NetworkSupport.Enforced e) return e.mechanism();
        var what = "network mode " + mode.configName() + " cannot be enforced here: " + entry.note();
        if (!bestEffort) {
            throw new LaunchException(ExitStatus.HALT_FAILED, what + ". Nothing was run (halt check shows the plan;"
                + " --best-effort runs with the network NOT restricted and says so).");
        }
        LOG.log(System.Logger.Level.WARNING, "best effort: the network is NOT restricted: " + what);
        return Mechanism.NONE;
    }
}
