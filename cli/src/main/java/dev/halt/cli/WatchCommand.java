package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.control.ControlClient;
import dev.halt.core.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * {@code halt watch}: a running sandbox's decisions as they happen, and with {@code --ask} the
 * questions of a run started with {@code halt run --ask}, answered here: never on halt's own
 * terminal, which the sandboxed command shares (it could read the answer, or print a fake prompt).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Show a running sandbox's network decisions as they happen: allowed, refused, failed.",
        "With --ask, also answer its questions (halt run --ask): type o (once), r (for this run), a (always: also saved"
            + " to the run's .halt/halt.toml) or d (deny), optionally after the question's number. Ends with the run."})
final class WatchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "The run (halt ps); may be left out when one sandbox runs.")
    String run;

    @Option(names = "--json", description = "Print the protocol's JSON lines instead of text.")
    boolean json;

    @Option(names = "--ask", description = "Answer the run's questions (it must run with halt run --ask).")
    boolean ask;

    @Spec
    CommandSpec spec;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The questions not answered yet, by id. */
    private final ConcurrentSkipListMap<Long, Map<String, Object>> waiting = new ConcurrentSkipListMap<>();

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try {
            var endpoint = RunControls.pick(run);
            try (var client = RunControls.connect(endpoint)) {
                var reply = client.request("watch", Map.of("ask", ask));
                if (!Boolean.TRUE.equals(reply.get("ok"))) throw new RunControls.Failure("sandbox " + endpoint.id() + ": " + reply.get("error"));
                @SuppressWarnings("unchecked")
                var status = (Map<String, Object>) reply.get("run");
                if (!json) {
                    err.println("halt: watching sandbox " + endpoint.id() + " (" + status.get("network") + "): "
                        + String.join(" ", RunControls.strings(status.get("command"))));
                }
                if (ask) {
                    var workingDirectory = Path.of((String) status.get("working_directory"));
                    Thread.ofPlatform().daemon(true).name("halt-watch-answers").start(() -> answers(client, workingDirectory, out, err));
                }
                while (true) {
                    var message = client.next();
                    if (message == null) {
                        if (!json) err.println("halt: sandbox " + endpoint.id() + " hung up");
                        return ExitStatus.OK;
                    }
                    // Known before it is shown: an answer typed at the prompt finds the question waiting.
                    var event = String.valueOf(message.get("event"));
                    if (event.equals("question")) waiting.put((Long) message.get("id"), message);
                    if (event.equals("answered") && Boolean.TRUE.equals(message.get("ok"))) waiting.remove((Long) message.get("id"));
                    if (json) {
                        out.println(JsonWriter.compact().tree(message));
                    } else {
                        show(message, out);
                    }
                    if (event.equals("end")) {
                        if (!json) err.println("halt: sandbox " + endpoint.id() + " ended");
                        return ExitStatus.OK;
                    }
                }
            }
        } catch (RunControls.Failure e) {
            err.println("halt: " + e.getMessage());
            return e.status();
        } catch (IOException e) {
            err.println("halt: watch: " + e.getMessage());
            return ExitStatus.CONTROL_FAILED;
        }
    }

    private void show(Map<String, Object> message, PrintWriter out) {
        switch (String.valueOf(message.get("event"))) {
            case "decision" -> {
                var time = message.get("time") instanceof String t ? TIME.format(Instant.parse(t)) : "";
                if ("landlock".equals(message.get("via"))) {
                    out.printf("%s %-8s %s %s (landlock): %s%n", time, message.get("decision"), message.get("access"),
                        message.get("path"), message.get("reason"));
                    return;
                }
                var host = message.get("host") != null ? message.get("host") : message.get("ip");
                long port = message.get("port") instanceof Long p ? p : 0;
                out.printf("%s %-8s %s (%s): %s%n", time, message.get("decision"), host + (port > 0 ? ":" + port : ""),
                    message.get("via"), message.get("reason"));
            }
            case "question" -> {
                long port = (Long) message.get("port");
                var what = port < 0 ? "the DNS lookup of " + message.get("host") : message.get("host") + ":" + port;
                out.println("? [" + message.get("id") + "] " + what + ": allow [o]nce, for this [r]un, [a]lways (saved to"
                    + " .halt/halt.toml), or [d]eny?");
            }
            case "answered" -> out.println("  [" + message.get("id") + "] " + (Boolean.TRUE.equals(message.get("ok"))
                ? "answered: " + message.get("answer") : "too late: no longer waiting"));
            case "dropped" -> out.println("halt: " + message.get("count") + " events dropped (this watch read too slowly)");
            case "notice" -> out.println("halt: " + message.get("message"));
            case "end" -> { }
            default -> out.println(JsonWriter.compact().tree(message));
        }
    }

    /** Reads answers from standard input: {@code [ID] once|run|always|deny}, or their first letters. */
    private void answers(ControlClient client, Path workingDirectory, PrintWriter out, PrintWriter err) {
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = in.readLine()) != null) {
                var words = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
                if (words.length == 0 || words[0].isEmpty()) continue;
                Long id = null;
                var word = words[0];
                if (RunControls.isRunId(words[0]) && words.length > 1) {
                    id = Long.parseLong(words[0]);
                    word = words[1];
                }
                if (id == null) {
                    var first = waiting.firstEntry();
                    if (first == null) {
                        err.println("halt: no question is waiting");
                        continue;
                    }
                    id = first.getKey();
                }
                var answer = switch (word) {
                    case "o", "once" -> "once";
                    case "r", "run", "a", "always" -> "run";
                    case "d", "deny" -> "deny";
                    default -> null;
                };
                if (answer == null) {
                    err.println("halt: answer o (once), r (for this run), a (always) or d (deny)");
                    continue;
                }
                var question = waiting.get(id);
                client.send(Map.of("op", "answer", "id", id, "answer", answer));
                if ((word.equals("a") || word.equals("always")) && question != null) {
                    RunControls.save(workingDirectory, false, List.of((String) question.get("host")), out, err);
                }
            }
        } catch (IOException e) {
            err.println("halt: watch: cannot send the answer: " + e.getMessage());
        }
    }
}
