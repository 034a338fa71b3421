package dev.halt.core.linux.launch;

import dev.halt.core.linux.supervisor.Refusals;
import dev.halt.proxy.DecisionLog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The summary of a run, printed when it ends: its network (the proxy's decisions and the
 * supervisor's refusals of connections before they reached the proxy, as one set of counts and one
 * list of the most refused destinations) and its files (the metadata changes the supervisor
 * refused). Nothing for what decided nothing.
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

    /**
     * The line about files, or an empty string.
     *
     * @param refusals the supervisor's refusals of metadata changes, or null when it had none to decide
     */
    static String files(Refusals refusals) {
        long refused = refusals == null ? 0 : refusals.total();
        if (refused == 0) return "";
        return new StringBuilder("halt files: ").append(refused).append(refused == 1 ? " metadata change" : " metadata changes")
            .append(" refused (outside the write grants)").append(mostRefused(refusals.top(TOP))).toString();
    }

    private static String mostRefused(List<Map.Entry<String, Long>> top) {
        var sb = new StringBuilder("\nmost refused:");
        for (var e : top) sb.append("\n  ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        return sb.toString();
    }
}
