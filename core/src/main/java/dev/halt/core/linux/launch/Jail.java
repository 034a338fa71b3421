package dev.halt.core.linux.launch;

import dev.halt.core.LaunchException;
import dev.halt.core.linux.fs.MountNamespace;
import dev.halt.core.linux.fs.MountPlan;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.net.NetworkSetup;
import dev.halt.core.linux.seccomp.BpfInstruction;
import dev.halt.core.linux.seccomp.Seccomp;
import dev.halt.core.linux.supervisor.RunSupervision;
import dev.halt.core.linux.sys.Capabilities;
import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.linux.Errno;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.halt.core.ExitStatus.HALT_FAILED;
import static dev.halt.core.ExitStatus.NOT_EXECUTABLE;
import static dev.halt.core.ExitStatus.NOT_FOUND;

/**
 * What the jailer, a fresh platform thread of halt's JVM, applies to itself before it starts the
 * child, which inherits all of it: the network and mount namespaces, the tether, the Landlock
 * rules, dropped capabilities or the sudo user, {@code no_new_privs}, the seccomp filter.
 *
 * @param plan             the Landlock ruleset, or null when Landlock is unavailable (best effort)
 * @param seccomp          the seccomp program
 * @param dropCapabilities halt runs as root: the child gets no capability
 * @param invoker          under sudo, the user the child runs as; else null (a root child stays uid 0)
 * @param bestEffort       a seccomp filter the kernel refuses is a warning, not a failure
 * @param network          the namespaces the jailer enters first, with privileges
 * @param protectedPaths   what inside the write grants the child must not change
 * @param mounts           with privileges, the run's own mount namespace; else null
 * @param supervision      the supervisor the filter's routed calls go to, or null
 * @param name             the jailer thread's name (its {@code comm}, which the audit records of its domain name)
 * @param restrictFlags    the flags of {@code landlock_restrict_self}: which denials the kernel logs
 */
public record Jail(Landlock.Plan plan, List<BpfInstruction> seccomp, boolean dropCapabilities, Invoker invoker,
            boolean bestEffort, NetworkSetup network, ProtectedPaths protectedPaths, MountPlan mounts,
            RunSupervision supervision, String name, int restrictFlags) {

    private static final System.Logger LOG = System.getLogger("halt");
    private static final Duration JAILER_TIMEOUT = Duration.ofSeconds(30);

    /** The user who ran sudo, whom the child runs as. */
    public record Invoker(int uid, int gid) {}

    /**
     * Starts {@code builder}'s command ({@code command}, as the user named it) on a new jailer
     * thread that applies this jail first, and waits until it started; {@code tether} receives the
     * run's tether once the jailer started it.
     */
    public Process start(ProcessBuilder builder, String command, AtomicReference<Tether> tether) throws LaunchException {
        var jail = this;
        Landlock.Ruleset ruleset = null;
        try {
            if (plan != null) {
                // The path rules are added by the jailer, after the mounts: see allowPaths.
                ruleset = Landlock.createRuleset(plan.abi(), plan.handledFs(), plan.net().handled(), plan.scoped());
                for (var port : plan.net().ports().entrySet()) ruleset.allowPort(port.getKey(), port.getValue());
            }
        } catch (ErrnoException e) {
            if (ruleset != null) ruleset.close();
            throw new LaunchException(HALT_FAILED, "cannot build the Landlock ruleset: " + e.getMessage() + ". Nothing was run.", e);
        }
        try {
            // The jailer, and the JDK's process reaper that its start() creates, share the child's Landlock
            // domain, which lets the child ptrace them; they share this JVM's memory. Not dumpable, this
            // process can be ptraced only with CAP_SYS_PTRACE, which the child never has.
            Prctl.setNotDumpable();
        } catch (ErrnoException e) {
            if (ruleset != null) ruleset.close();
            throw new LaunchException(HALT_FAILED, "cannot make halt's process undumpable: " + e.getMessage() + ". Nothing was run.", e);
        }
        var process = new AtomicReference<Process>();
        var failure = new AtomicReference<Throwable>();
        var jailRuleset = ruleset;
        var jailer = Thread.ofPlatform().name(jail.name()).daemon(true).unstarted(() -> {
            try {
                jail.network().enterFromJailer();
                tether.set(startTether(jail));
                var rules = enterMountNamespace(jail);
                if (jailRuleset != null) allowPaths(jailRuleset, rules);
                if (jail.dropCapabilities()) {
                    Capabilities.dropBoundingAndAmbient();
                    if (jail.invoker() != null) Credentials.switchThreadTo(jail.invoker().uid(), jail.invoker().gid());
                    Capabilities.clearThreadSets();
                }
                Prctl.setNoNewPrivs();
                try {
                    if (jail.supervision() != null) jail.supervision().attach(Seccomp.installWithListener(jail.seccomp()));
                    else Seccomp.install(jail.seccomp());
                } catch (ErrnoException e) {
                    if (!jail.bestEffort()) throw e;
                    LOG.log(Level.WARNING, "best effort: NOT enforced: the seccomp filter (" + e.getMessage() + ")");
                }
                if (jailRuleset != null) jailRuleset.restrictSelf(jail.restrictFlags());
                var started = builder.start();
                process.set(started);
                if (tether.get() != null) tether.get().watch(started.pid());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        try {
            loadAheadOfTheMounts();
            jailer.start();
            try {
                jail.network().serveFromHost(JAILER_TIMEOUT);
            } catch (LaunchException e) {
                // The jailer failed to build the network, or the proxy did not start: stop the jailer before it spawns.
                jailer.join(JAILER_TIMEOUT);
                var started = process.get();
                if (started != null) started.destroyForcibly();
                throw e;
            }
            if (!jailer.join(JAILER_TIMEOUT)) {
                throw new LaunchException(HALT_FAILED, "the jailer thread did not start the command in "
                    + JAILER_TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchException(HALT_FAILED, "interrupted while starting the command", e);
        } finally {
            // Not under a jailer still running (a timeout): its descriptor number, reused, could name another ruleset.
            if (ruleset != null && !jailer.isAlive()) ruleset.close();
        }
        var t = failure.get();
        if (t == null) return process.get();
        if (t instanceof LaunchException e) throw e;
        if (t instanceof ErrnoException e) {
            throw new LaunchException(HALT_FAILED, "cannot build the sandbox: " + e.getMessage() + ". Nothing was run.", e);
        }
        if (t instanceof IOException e) throw startFailure(command, Path.of(builder.command().get(0)), e);
        throw new LaunchException(HALT_FAILED, "cannot start " + command + ": " + t, t);
    }

    /**
     * The classes the jailer first uses after its mount namespace is in place, loaded and
     * initialised before: halt run from a jar has the jar open already, but classes read from a
     * directory (halt's own build and tests) under {@code /tmp} would be hidden by the run's tmpfs
     * there, and the jailer would fail with {@code NoClassDefFoundError}.
     */
    private static void loadAheadOfTheMounts() throws LaunchException {
        // RunSummary: the run's end may be handled on the JDK's process reaper, a thread the jailer made.
        for (var type : List.of(Capabilities.class, Credentials.class, Prctl.class, Seccomp.class, Landlock.class, RunSummary.class,
                dev.halt.ffm.linux.__user_cap_data_struct.class, dev.halt.ffm.linux.__user_cap_header_struct.class,
                dev.halt.ffm.linux.capability_h.class, dev.halt.ffm.linux.prctl_h.class, dev.halt.ffm.linux.seccomp_h.class,
                dev.halt.ffm.linux.sock_filter.class, dev.halt.ffm.linux.sock_fprog.class)) {
            try {
                java.lang.invoke.MethodHandles.lookup().ensureInitialized(type);
            } catch (IllegalAccessException e) {
                throw new LaunchException(HALT_FAILED, "cannot load " + type.getName() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * On the jailer, after the tether started (in the host's mount namespace, where it sees every
     * process of the run) and before capabilities are dropped: the run's own mount namespace, when
     * planned. Returns the Landlock rules for the namespace the jailer ends up in.
     */
    private static List<Landlock.Rule> enterMountNamespace(Jail jail) throws LaunchException {
        var hostRules = jail.plan() == null ? List.<Landlock.Rule>of() : jail.plan().rules();
        if (jail.mounts() == null) return hostRules;
        try {
            MountNamespace.enter(jail.mounts());
            return jail.mounts().rules();
        } catch (MountNamespace.StepFailure e) {
            if (!jail.bestEffort() || !e.recovered()) {
                throw new LaunchException(HALT_FAILED, "the run's mount namespace (mountns): " + e.getMessage()
                    + ". Nothing was run" + (e.recovered() ? " (--best-effort runs without it and says so)." : "."), e);
            }
            LOG.log(Level.WARNING, "best effort: NOT enforced: the run's mount namespace (" + e.getMessage()
                + "): the child shares the host's mounts, /tmp and /dev/shm, and sees root-only /etc files and every process");
            return hostRules;
        }
    }

    /**
     * Opens every rule's path on the jailer, in the mount namespace the child will have: a rule
     * opened before a tmpfs was mounted over its path would not cover the tmpfs.
     */
    private static void allowPaths(Landlock.Ruleset ruleset, List<Landlock.Rule> rules) throws LaunchException {
        for (var rule : rules) {
            try {
                ruleset.allowPath(rule.path(), rule.access());
            } catch (ErrnoException e) {
                throw new LaunchException(HALT_FAILED, "cannot build the Landlock ruleset: " + e.getMessage() + ". Nothing was run.", e);
            }
        }
    }

    /** On the jailer, in the run's namespace, before any restriction: see {@link Tether}. */
    private static Tether startTether(Jail jail) throws LaunchException {
        try {
            boolean namespace = jail.network().ownNamespace();
            var tether = Tether.start(namespace);
            LOG.log(Level.INFO, "tether: process " + tether.pid() + " kills the command's process tree"
                + (namespace ? " and every process in the run's network namespace" : "") + " if halt is killed");
            return tether;
        } catch (IOException e) {
            var what = "cannot start the tether (/bin/sh) that ends the run if halt is killed: " + e.getMessage();
            if (!jail.bestEffort()) {
                throw new LaunchException(HALT_FAILED, what + ". Nothing was run (--best-effort runs without it and says so).", e);
            }
            LOG.log(Level.WARNING, "best effort: " + what + "; if halt is killed with SIGKILL, the run's processes survive it");
            return null;
        }
    }

    /** The errno of a failed start: the JDK says {@code error=N, ...} or {@code Exec failed, error: N (...)}. */
    private static final java.util.regex.Pattern START_ERRNO = java.util.regex.Pattern.compile("error(?:=|: )(\\d+)");

    /** A failed start as an exit status and halt's message: 2 is not found, 13 and 8 cannot execute. */
    static LaunchException startFailure(String name, Path executable, IOException e) {
        var message = String.valueOf(e.getMessage());
        var errno = START_ERRNO.matcher(message);
        int code = errno.find() ? Integer.parseInt(errno.group(1)) : -1;
        if (code == Errno.ENOENT) {
            return new LaunchException(NOT_FOUND, name + ": command not found", e);
        }
        if (code == Errno.EACCES) {
            var dir = executable.getParent();
            return new LaunchException(NOT_EXECUTABLE, name + ": permission denied when starting it in the sandbox: it, or"
                + " what it needs to start (its #! interpreter, a library), is not granted for execution"
                + (dir == null ? "" : " (--read " + dir + " grants its directory)") + "; -v lists the grants", e);
        }
        return new LaunchException(NOT_EXECUTABLE, name + ": cannot execute: " + message, e);
    }
}
