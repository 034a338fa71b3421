package dev.halt.cli;

import dev.halt.core.ExitStatus;
import dev.halt.core.probe.CheckReport;
import dev.halt.core.probe.SystemCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code halt check}: probes every mechanism for real and says what {@code run} can enforce. */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Probe every mechanism halt uses, for real, and say what halt run can enforce here.",
        "One line per probe (Landlock, seccomp, no_new_privs, the tether, privileges, network and mount namespaces,"
            + " config files), then the enforcement plan: the mechanism halt run uses for each network mode. OK: there and verified. WARN: missing or limited,"
            + " and halt run still runs, enforcing what it says. FAIL: halt run refuses to run here.",
        "Exit 0 when no line is FAIL, else 1."})
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
        return report.ok() ? ExitStatus.OK : ExitStatus.CHECK_FAILED;
    }

    private void printText(CheckReport report) {
        var p = report.platform();
        out.printf("halt %s on %s %s, kernel %s, JDK %s (%s)%n%n", report.haltVersion(), p.os(), p.arch(),
            p.kernel(), p.jdkVersion(), p.jdkVendor());
        int width = report.probes().stream().mapToInt(x -> x.name().length()).max().orElse(10);
        int mechanismWidth = report.network().stream().mapToInt(n -> n.mechanismId().length()).max().orElse(10);
        for (var probe : report.probes()) {
            out.printf("%-4s  %-" + width + "s  %s%n", probe.status(), probe.name(), probe.availability().explanation());
        }
        out.println();
        out.println("network modes (the enforcement plan halt run follows):");
        for (var mode : report.network()) {
            out.printf("%-4s  %-" + width + "s  %-" + mechanismWidth + "s  %s%n", mode.status(), mode.mode().configName(),
                mode.mechanismId(), mode.note());
        }
        out.println();
        if (report.ok()) {
            out.println("OK: the filesystem layer and every network mode can be enforced here"
                + (report.anyWarning() ? "; each WARN line says what is limited." : "."));
        } else {
            out.println("FAIL: halt run refuses here: " + String.join("; ", report.failures()) + ".");
        }
    }
}
