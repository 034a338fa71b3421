package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code halt ps}: the running sandboxes of this user. */
@Command(name = "ps", mixinStandardHelpOptions = true,
    description = {"List the running sandboxes of this user: run id, command, pid, network mode, start time, and the"
        + " connections allowed and refused so far.", "The run id is what halt allow, deny, watch and stop take."})
final class PsCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object: {\"runs\": [...]}, each run as the protocol's status.")
    boolean json;

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var runs = new ArrayList<Map<String, Object>>();
        for (var endpoint : RunControls.running()) {
            try {
                @SuppressWarnings("unchecked")
                var run = (Map<String, Object>) RunControls.call(endpoint, "status", Map.of()).get("run");
                runs.add(run);
            } catch (RunControls.Failure e) {
                err.println("halt: " + e.getMessage());
            }
        }
        if (json) {
            out.println(JsonWriter.compact().tree(Map.of("runs", runs)));
            return ExitStatus.OK;
        }
        if (runs.isEmpty()) {
            out.println("no sandbox is running");
            return ExitStatus.OK;
        }
        var rows = new ArrayList<List<String>>();
        rows.add(List.of("RUN", "PID", "NETWORK", "STARTED", "ALLOWED", "REFUSED", "COMMAND"));
        for (var run : runs) {
            @SuppressWarnings("unchecked")
            var counts = (Map<String, Object>) run.get("connections");
            rows.add(List.of(String.valueOf(run.get("id")), String.valueOf(run.get("pid")), String.valueOf(run.get("network")),
                STARTED.format(Instant.parse((String) run.get("started"))), String.valueOf(counts.get("allowed")),
                String.valueOf(counts.get("refused")), String.join(" ", RunControls.strings(run.get("command")))));
        }
        int columns = rows.getFirst().size();
        var widths = new int[columns];
        for (var row : rows) for (int i = 0; i < columns - 1; i++) widths[i] = Math.max(widths[i], row.get(i).length());
        for (var row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < columns - 1; i++) line.append(String.format("%-" + widths[i] + "s  ", row.get(i)));
            out.println(line.append(row.get(columns - 1)));
        }
        return ExitStatus.OK;
    }
}
