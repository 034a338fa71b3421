package dev.halt.cli;

import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.NetworkSupport;
import dev.halt.core.probe.Probe;
import dev.halt.core.probe.SystemCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code halt check}: probes every mechanism for real and says what {@code run} can enforce. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Probe Landlock, seccomp, no_new_privs, privileges and network namespaces for real, and say",
        "which mechanism enforces each network mode here.",
        "Exit 0 when the filesystem layer and every network mode can be enforced (a WARN does not fail it), else 1."})
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--json", description = "Print one JSON object (schema in the README) instead of text.")
    boolean json;

    private final PrintStream out;

    CheckCommand() {
        this(System.out);
    }

    CheckCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        var report = SystemCheck.run(System.getenv(), Path.of("").toAbsolutePath(), HaltCommand.Version.version());
        if (json) {
            out.println(report.toJson());
        } else {
            printText(report);
        }
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private void printText(CheckReport report) {
        var p = report.platform();
        out.printf("halt %s on %s %s, kernel %s, JDK %s (%s)%n%n", report.haltVersion(), p.os(), p.arch(),
            p.kernel(), p.jdkVersion(), p.jdkVendor());
        int width = report.probes().stream().mapToInt(x -> x.name().length()).max().orElse(10);
        int mechanismWidth = report.network().stream().mapToInt(n -> n.mechanism().id().length()).max().orElse(10);
        for (var probe : report.probes()) {
            out.printf("%-4s  %-" + width + "s  %s%n", probe.status(), probe.name(), probe.availability().explanation());
        }
        out.println();
        out.println("network modes:");
        for (var mode : report.network()) {
            out.printf("%-4s  %-" + width + "s  %-" + mechanismWidth + "s  %s%n", mode.status(), mode.mode(), mode.mechanism().id(),
                mode.note());
        }
        out.println();
        if (report.ok()) {
            out.println("OK: the filesystem layer and every network mode can be enforced here.");
        } else {
            var missing = new StringBuilder();
            if (!report.filesystemEnforced()) missing.append(" the filesystem layer (Landlock);");
            if (!report.tetherAvailable()) missing.append(" the tether that ends a run if halt is killed;");
            if (report.probes().stream().anyMatch(probe -> probe.name().equals(CheckReport.MOUNT_NAMESPACE_PROBE)
                && probe.status() == Probe.Status.FAIL)) {
                missing.append(" the run's own mount namespace (mountns);");
            }
            report.network().stream().filter(n -> n.mechanism() == NetworkSupport.Mechanism.UNAVAILABLE)
                .forEach(n -> missing.append(" network mode ").append(n.mode()).append(';'));
            out.println("FAIL: cannot enforce" + missing.substring(0, missing.length() - 1) + ".");
        }
    }
}
