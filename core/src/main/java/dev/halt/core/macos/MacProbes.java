package dev.halt.core.macos;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.probe.Availability;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probes of {@code halt check} on macOS. Seatbelt is applied for real, by a throwaway stage 2
 * started exactly as a run starts one ({@link StageTwoLauncher}), with a small profile of the
 * constructs a run's profile relies on: finding the symbol proves nothing, since the API is
 * deprecated and a profile that no longer compiles, or no longer denies, would otherwise go
 * unnoticed.
 */
public final class MacProbes {
    private MacProbes() {}

    /** The filesystem probe: a denied write gets EPERM, an allowed one works. */
    public static final String SEATBELT = "seatbelt";
    /** A denied connect and an allowed one, both to the probe's own listeners. */
    public static final String SEATBELT_NETWORK = "seatbelt.network";
    /** Whether halt itself already runs in a Seatbelt sandbox, where no run can start. */
    public static final String SEATBELT_NESTED = "seatbelt.nested";
    /** The note that macOS has no child subreaper. */
    public static final String SUBREAPER = "subreaper";

    private static final String WRITE_PROFILE = """
        (version 1)
        (allow default)
        (deny file-write* (subpath (param "DENIED")))
        """;

    /**
     * A throwaway stage 2 applies a profile that denies writes under one directory and runs a
     * shell that writes there and into a second one: available when only the second write
     * happened and the first failed with "Operation not permitted".
     *
     * @param command      how to start stage 2
     * @param runDirectory halt's private run directory (the status FIFO)
     * @param scratch      an empty directory the probe may use, removed by the caller
     */
    public static Availability seatbelt(StageTwoCommand command, Path runDirectory, Path scratch) {
        return attempt(() -> {
            var denied = Files.createDirectories(scratch.resolve("denied")).toRealPath();
            var allowed = Files.createDirectories(scratch.resolve("allowed")).toRealPath();
            var errors = scratch.resolve("stderr");
            var status = runShell(command, runDirectory, scratch, errors, WRITE_PROFILE, List.of("DENIED", denied.toString()),
                "echo probe > \"$2/written\"; echo probe > \"$1/written\"", denied.toString(), allowed.toString());
            var stderr = Files.readString(errors, StandardCharsets.UTF_8);
            if (Files.exists(denied.resolve("written"))) {
                return Availability.unavailable("a throwaway sandbox with a profile denying writes under " + denied
                    + " did not stop a write there: Seatbelt does not enforce halt's profiles on this Mac");
            }
            if (!Files.exists(allowed.resolve("written"))) {
                return Availability.unavailable("a throwaway sandbox could not write where its profile allows it (status "
                    + status + "): " + firstLine(stderr));
            }
            if (!stderr.contains("Operation not permitted")) {
                return Availability.unavailable("the denied write failed, but not with EPERM: " + firstLine(stderr));
            }
            return Availability.available("a throwaway second stage applied a profile with sandbox_init_with_parameters:"
                + " a write it denies failed with EPERM, one it allows worked");
        });
    }

    /**
     * A throwaway stage 2 applies {@code (deny network*)} with one port re-allowed on
     * {@code localhost}, and connects to two listeners of the probe's own on 127.0.0.1: available
     * when only the allowed one saw a connection.
     */
    public static Availability network(StageTwoCommand command, Path runDirectory, Path scratch) {
        var loopback = InetAddress.getLoopbackAddress();
        return attempt(() -> {
            try (var allowed = new ServerSocket(); var denied = new ServerSocket()) {
                allowed.bind(new InetSocketAddress(loopback, 0));
                denied.bind(new InetSocketAddress(loopback, 0));
                var accepted = new AtomicInteger[] {new AtomicInteger(), new AtomicInteger()};
                var listeners = List.of(accept(allowed, accepted[0]), accept(denied, accepted[1]));
                // A port is digits only: spliced, not a parameter, as (remote tcp ...) takes a literal.
                var profile = "(version 1)\n(allow default)\n(deny network*)\n(allow network-outbound (remote tcp \"localhost:"
                    + allowed.getLocalPort() + "\"))\n";
                var errors = scratch.resolve("stderr-network");
                // bash's /dev/tcp: a connect with no tool beyond the shell every Mac has.
                int status = runShell(command, runDirectory, scratch, errors, profile, List.of(),
                    "(: <>/dev/tcp/127.0.0.1/$1) 2>/dev/null; a=$?; (: <>/dev/tcp/127.0.0.1/$2) 2>/dev/null; b=$?; echo \"$a $b\" >&2",
                    Integer.toString(allowed.getLocalPort()), Integer.toString(denied.getLocalPort()));
                // A connection still in the backlog when its listener closes is lost: wait for the allowed one first.
                for (int i = 0; i < 100 && accepted[0].get() == 0; i++) Thread.sleep(20);
                allowed.close();
                denied.close();
                for (var t : listeners) t.join(5000);
                var codes = Files.readString(errors, StandardCharsets.UTF_8).strip();
                // The shell's own word counts too: a connect that got through but was still in the backlog at close.
                if (accepted[1].get() > 0 || codes.endsWith(" 0")) {
                    return Availability.unavailable("a connect to 127.0.0.1:" + denied.getLocalPort() + ", which the profile denies,"
                        + " reached the probe's listener: Seatbelt's network rules do not hold on this Mac");
                }
                if (accepted[0].get() == 0) {
                    return Availability.unavailable("a connect to localhost:" + allowed.getLocalPort() + ", which the profile allows,"
                        + " did not arrive (status " + status + ", shell " + codes + ")");
                }
                return Availability.available("a throwaway second stage with (deny network*) reached 127.0.0.1:" + allowed.getLocalPort()
                    + ", allowed as localhost, and was refused another port of the probe's own");
            }
        });
    }

    /** A probe's work, which may fail in the ways {@link #attempt} turns into its reason. */
    private interface ProbeWork {
        Availability run() throws LaunchException, IOException, InterruptedException;
    }

    /** {@code work}'s answer, or unavailable with why it could not finish. */
    private static Availability attempt(ProbeWork work) {
        try {
            return work.run();
        } catch (LaunchException e) {
            return Availability.unavailable("a throwaway second stage failed (" + e.exitStatus() + "): " + e.getMessage());
        } catch (IOException e) {
            return Availability.unavailable("cannot prepare the probe: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Availability.unavailable("interrupted");
        }
    }

    /** Counts the connections {@code server} accepts until it is closed. */
    private static Thread accept(ServerSocket server, AtomicInteger count) {
        return Thread.ofPlatform().daemon(true).name("halt-probe-listener").start(() -> {
            while (true) {
                try (var socket = server.accept()) {
                    count.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /**
     * Whether halt's own process already runs in a Seatbelt sandbox (another agent's or tool's):
     * a sandboxed process cannot apply a profile of its own, so no run would start.
     *
     * @param sandboxed {@code sandbox_check} on this process: 1 sandboxed, 0 not
     */
    public static Availability nested(int sandboxed) {
        return sandboxed == 1
            ? Availability.unavailable("halt itself runs inside a Seatbelt sandbox (sandbox_check says so): a sandboxed"
                + " process cannot apply a profile of its own, so every halt run fails with 125. Start halt outside that"
                + " tool's sandbox, or switch the tool's sandbox off and let halt be the boundary")
            : Availability.available("halt runs outside any Seatbelt sandbox (sandbox_check on itself), so it can apply its own");
    }

    /** Runs {@code script} under {@code profile} in a throwaway stage 2, stderr to {@code errors}; returns its status. */
    private static int runShell(StageTwoCommand command, Path runDirectory, Path scratch, Path errors, String profile,
                                List<String> parameters, String script, String... args)
            throws LaunchException, InterruptedException {
        var argv = new java.util.ArrayList<>(List.of("bash", "-c", script, "halt-probe"));
        argv.addAll(List.of(args));
        var request = new StageTwoLauncher.Request(command, runDirectory, null, profile, parameters, "/bin/bash", argv,
            Map.of("PATH", "/usr/bin:/bin"), scratch, new StageTwoLauncher.Stdio(Redirect.from(Path.of("/dev/null").toFile()),
            Redirect.DISCARD, Redirect.to(errors.toFile())));
        var process = StageTwoLauncher.start(request, pid -> {});
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new LaunchException(ExitStatus.HALT_FAILED, "the probe's shell did not finish within 10 s");
        }
        return process.exitValue();
    }

    private static String firstLine(String text) {
        var line = text.strip().lines().findFirst().orElse("");
        return line.isEmpty() ? "no message" : line;
    }
}
