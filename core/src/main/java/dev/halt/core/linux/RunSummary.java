package dev.halt.core.linux;

import dev.halt.core.linux.supervisor.Refusals;
import dev.halt.proxy.DecisionLog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The one summary of a run's network, printed when the run ends: the proxy's decisions and the
 * supervisor's refusals (connections refused before they reached the proxy) as one set of counts
 * and one list of the most refused destinations. Nothing when neither decided anything.
 */
final class RunSummary {
    private RunSummary() {}

    private static final int TOP = 10;

    /**
     * The lines, or an empty string.
     *
     * @param proxy    the proxy's counts, or null when the run had no proxy
     * @param refusals the supervisor's refusals, or null when the run had no supervisor
     */
    static String format(DecisionLog.Summary proxy, Refusals refusals) {
        long supervised = refusals == null ? 0 : refusals.total();
        if (proxy == null) {
            // Without a proxy the connections the supervisor let through are not counted anywhere.
            if (supervised == 0) return "";
            return new StringBuilder("halt network: ").append(supervised).append(supervised == 1 ? " connection" : " connections")
                .append(" refused").append(mostRefused(refusals.top(TOP))).toString();
        }
        if (supervised == 0) return proxy.format("halt network");
        var top = new ArrayList<>(proxy.topRefused());
        top.addAll(refusals.top(TOP));
        top.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed().thenComparing(Map.Entry::getKey));
        var c = proxy.connections();
        var merged = new DecisionLog.Summary(new DecisionLog.Counts(c.allowed(), c.refused() + supervised, c.failed()),
            proxy.lookups(), top.subList(0, Math.min(TOP, top.size())));
        return merged.format("halt network");
    }

    private static String mostRefused(List<Map.Entry<String, Long>> top) {
        var sb = new StringBuilder("\nmost refused:");
        for (var e : top) sb.append("\n  ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        return sb.toString();
    }
}
