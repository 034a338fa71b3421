package dev.halt.cli;

import dev.halt.core.ExitStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code halt stop}: ends a run as SIGTERM to its halt would. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = "End a running sandbox as SIGTERM to its halt would: the command gets SIGTERM, and halt exits with its status.")
final class StopCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "The run (halt ps); may be left out when one sandbox runs.")
    String run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            var endpoint = RunControls.pick(run);
            RunControls.call(endpoint, "stop", Map.of());
            spec.commandLine().getOut().println("halt: sandbox " + endpoint.id() + " is ending (SIGTERM to its command)");
            return ExitStatus.OK;
        } catch (RunControls.Failure e) {
            spec.commandLine().getErr().println("halt: " + e.getMessage());
            return e.status();
        }
    }
}
