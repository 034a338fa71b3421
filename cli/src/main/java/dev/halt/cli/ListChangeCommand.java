package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.control.ControlClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * What {@code halt allow} and {@code halt deny} share: {@code [RUN] HOST...}, the change, what it
 * did, {@code --save}. picocli reads the options of this class for both.
 */
abstract class ListChangeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "[RUN] HOST",
        description = "The run (halt ps; may be left out when one sandbox runs), then the hosts (example.com, *.example.com,"
            + " host:port).")
    List<String> words;

    @Option(names = "--save", description = "Also add them to the run's .halt/halt.toml (domain_allowlist for allow,"
        + " domain_denylist for deny), after showing the diff and asking on the terminal; trusts the result.")
    boolean save;

    @Spec
    CommandSpec spec;

    private final String op;

    /** @param op {@code allow} or {@code deny} */
    ListChangeCommand(String op) {
        this.op = op;
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        String run = null;
        var hosts = new ArrayList<>(words);
        if (RunControls.isRunId(words.getFirst())) {
            run = words.getFirst();
            hosts.removeFirst();
        }
        if (hosts.isEmpty()) {
            err.println("halt: " + op + ": name at least one host (halt " + op + " [RUN] HOST...)");
            return ExitStatus.HALT_FAILED;
        }
        if (save && System.console() == null) {
            err.println("halt: " + op + " --save asks on the terminal before it writes the project's .halt/halt.toml, and there"
                + " is none: nothing was changed");
            return ExitStatus.HALT_FAILED;
        }
        try {
            ControlClient.checkHosts(hosts);
        } catch (IllegalArgumentException e) {
            err.println("halt: " + op + ": " + e.getMessage() + "; nothing was changed");
            return ExitStatus.HALT_FAILED;
        }
        try {
            var endpoint = RunControls.pick(run);
            var reply = RunControls.call(endpoint, op, Map.of("hosts", List.copyOf(hosts)));
            print(endpoint.id(), reply, out);
            if (save) {
                @SuppressWarnings("unchecked")
                var status = (Map<String, Object>) RunControls.call(endpoint, "status", Map.of()).get("run");
                RunControls.save(Path.of((String) status.get("working_directory")), op.equals("deny"), hosts, out, err);
            }
            return ExitStatus.OK;
        } catch (RunControls.Failure e) {
            err.println("halt: " + e.getMessage());
            return e.status();
        }
    }

    private void print(String id, Map<String, Object> reply, java.io.PrintWriter out) {
        boolean deny = op.equals("deny");
        var prefix = "halt: sandbox " + id + ": ";
        var added = RunControls.strings(reply.get("added"));
        if (!added.isEmpty()) out.println(prefix + (deny ? "denied " : "allowed ") + String.join(", ", added));
        var unchanged = RunControls.strings(reply.get("unchanged"));
        if (!unchanged.isEmpty()) out.println(prefix + "already " + (deny ? "denied: " : "allowed: ") + String.join(", ", unchanged));
        var removed = RunControls.strings(reply.get("removed"));
        if (!removed.isEmpty()) out.println(prefix + "removed from the " + (deny ? "allowlist: " : "denylist: ") + String.join(", ", removed));
        for (var refused : RunControls.strings(reply.get("still_refused"))) out.println(prefix + "still refused: " + refused);
        if (deny) {
            out.println(prefix + reply.get("connections_cut") + " open connection(s) cut, " + reply.get("addresses_forgotten")
                + " address(es) of denied names forgotten");
        }
    }
}
