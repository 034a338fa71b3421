package dev.halt.core.probe;

import java.util.List;

/**
 * What a backend found for {@code halt check}: its facts, its probe lines and the plan.
 *
 * @param facts   the platform's own facts (privileges, versions)
 * @param probes  one line per probe, in output order; printed before the config files' lines
 * @param notes   lines printed after the config files' (what a run here cannot make private)
 * @param network the plan, one entry per mode in {@link NetworkSupport#MODES} order
 */
public record BackendReport(PlatformFacts facts, List<Probe> probes, List<Probe> notes, List<NetworkSupport> network) {
    public BackendReport {
        probes = List.copyOf(probes);
        notes = List.copyOf(notes);
        network = List.copyOf(network);
    }
}
