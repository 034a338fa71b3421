package dev.halt.core.linux;

import dev.halt.core.ExitStatus;
import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxBackend;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.launch.CommandPath;
import dev.halt.core.launch.OfflineEnvironment;
import dev.halt.core.launch.ProxyEnvironment;
import dev.halt.core.launch.RedirectPumps;
import dev.halt.core.launch.RunLog;
import dev.halt.core.linux.audit.AuditSwitch;
import dev.halt.core.linux.audit.DenialWatch;
import dev.halt.core.linux.control.UnixControlSocket;
import dev.halt.core.linux.fs.MountPlan;
import dev.halt.core.linux.fs.ProtectedSnapshot;
import dev.halt.core.linux.fs.RunRecord;
import dev.halt.core.linux.fs.RunView;
import dev.halt.core.linux.fs.SharedPlaces;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.launch.Jail;
import dev.halt.core.linux.launch.LinuxProcess;
import dev.halt.core.linux.launch.RunGuard;
import dev.halt.core.linux.launch.Tether;
import dev.halt.core.linux.net.NetworkSetup;
import dev.halt.core.linux.seccomp.SeccompPolicy;
import dev.halt.core.linux.supervisor.RunSupervision;
import dev.halt.core.linux.supervisor.WriteGrants;
import dev.halt.core.linux.sys.Credentials;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.sys.Signals;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import dev.halt.core.probe.Availability;
import dev.halt.core.probe.BackendReport;
import dev.halt.core.probe.EnforcementPlan;
import dev.halt.core.probe.Mechanism;
import dev.halt.core.protect.ProtectedPaths;
import dev.halt.proxy.JsonLinesFile;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.halt.core.ExitStatus.HALT_FAILED;

/**
 * The Linux backend: Landlock, seccomp, namespaces and halt's supervisor, applied by a jailer
 * thread of halt's JVM that restricts itself and starts the child ({@link Jail}). Its enforcement
 * plan is decided by {@link LinuxPlan} from {@link LinuxFacts}, the probes a run and
 * {@code halt check} share. A launch takes the network mode's mechanism from that plan, plans a
 * Landlock ruleset from the policy, then starts the command from a fresh platform thread (the
 * jailer) that, with privileges, builds the run's own mount namespace ({@link MountPlan}), drops
 * capabilities when halt runs as root, sets {@code no_new_privs}, restricts itself and spawns.
 * The child inherits the jailer's namespaces and domain.
 */
public final class LinuxBackend implements SandboxBackend {
    private static final System.Logger LOG = System.getLogger("halt");

    private final LinuxFacts facts;
    private final EnforcementPlan enforcement;

    /** The backend of this machine: its facts probed for real, when first asked. */
    public LinuxBackend() {
        this(LinuxFacts.probing());
    }

    /** A backend deciding from {@code facts}. */
    LinuxBackend(LinuxFacts facts) {
        this.facts = facts;
        this.enforcement = new EnforcementPlan(mode -> LinuxPlan.decide(mode, facts));
    }

    @Override
    public String os() { return "linux"; }

    @Override
    public EnforcementPlan plan() { return enforcement; }

    @Override
    public BackendReport check(Map<String, String> environment) {
        return LinuxCheck.report(facts, enforcement, environment);
    }

    @Override
    public void prepare() {
        Thread.ofPlatform().daemon(true).name("halt-prepare").start(LinuxBackend::prepareInBackground);
    }

    @Override
    public boolean controlSockets() {
        return true;
    }

    @Override
    public dev.halt.core.control.ControlListener listenForControl(java.nio.file.Path socket) throws java.io.IOException {
        return UnixControlSocket.listen(socket);
    }

    @Override
    public void becomeSubreaper() throws LaunchException {
        try {
            Prctl.setChildSubreaper();
        } catch (ErrnoException e) {
            throw new LaunchException(ExitStatus.HALT_FAILED, "cannot become the child subreaper: " + e.getMessage(), e);
        }
    }

    /** {@code exit_group(status)}, which returns only if the call could not be made. */
    @Override
    public void exitNow(int status) {
        try {
            Syscall.callRaw(Syscall.TABLE.exitGroup(), status, 0, 0, 0, 0, 0);
        } catch (RuntimeException | LinkageError e) {
            // The downcall could not be made: the JVM's exit is slower, not wrong.
        }
    }

    @Override
    public ProcessSignals signals() {
        return new ProcessSignals() {
            @Override
            public boolean send(long pid, int signal) { return Signals.sendToPid(pid, signal); }

            @Override
            public long processGroup(long pid) { return Signals.processGroup(pid); }

            @Override
            public boolean inForegroundOfTerminal() { return Signals.inForegroundOfTerminal(); }
        };
    }

    /**
     * See {@link dev.halt.core.Sandbox#launch}: the network mode is enforced with the mechanism the
     * enforcement plan names for it ({@link EnforcementPlan#require}), and Landlock at the ABI of
     * the facts {@code halt check} reports. Plans the Landlock ruleset ({@link Landlock#plan}),
     * with privileges the run's own mount namespace ({@link MountPlan}), and the seccomp filter,
     * then hands them to the jailer thread ({@link Jail}), which applies them to itself and starts
     * the child.
     */
    @Override
    public SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options) throws LaunchException {
        var mechanism = enforcement.require(policy.networkMode(), options.bestEffort());
        LOG.log(Level.INFO, "network " + policy.networkMode().configName() + ": " + mechanism.id() + " (the enforcement plan's,"
            + " as halt check shows it)");
        var credentials = Credentials.current(options.hostEnvironment());
        int childUid = childUid(credentials);
        var etcScan = credentials.mayMount() ? etcScan() : null;

        int abi = facts.landlock().version();
        String landlockMissing = abi >= 1 ? null : "Landlock is unavailable (" + facts.landlock().availability().explanation() + ")";
        var runLog = RunLog.open(options.decisionLog());
        NetworkSetup network;
        try {
            network = NetworkSetup.prepare(policy, mechanism, mechanism == Mechanism.LANDLOCK_TCP_SECCOMP
                ? facts.supervisor().explanation() : null, options.bestEffort(), runLog, liveNetwork(policy, options));
        } catch (LaunchException | RuntimeException e) {
            if (runLog != null) runLog.close();
            throw e;
        }
        SharedPlaces shared = null;
        try {
            shared = ownMountNamespace(credentials, abi) ? SharedPlaces.unchanged(policy) : SharedPlaces.narrow(policy,
                options.hostEnvironment(), credentials.euid(), sudoOwner(credentials), SharedPlaces.terminalsOfThisProcess());
            return launch(shared.policy(), command, options, credentials, childUid, abi, landlockMissing, network, shared,
                etcScan, runLog, facts::supervisor);
        } catch (LaunchException | RuntimeException e) {
            network.close();
            if (shared != null) shared.removePrivateTmp();
            if (runLog != null) runLog.close();
            throw e;
        }
    }

    /** The run's network as {@code halt allow}, {@code deny} and {@code watch} change and watch it. */
    private static dev.halt.core.live.RunNetwork liveNetwork(SandboxPolicy policy, LaunchOptions options) {
        return new dev.halt.core.live.RunNetwork(policy.networkMode(), policy.proxy().allowlist(),
            policy.proxy().denylist(), policy.hostPorts(), options.askTimeout(), System.err,
            "halt watch --ask " + ProcessHandle.current().pid());
    }

    /**
     * Whether a run of halt with {@code credentials} gets a mount namespace of its own, with a
     * private {@code /tmp}, its own devpts and the protected paths bound read-only. Without one,
     * halt narrows the shared places ({@link SharedPlaces}) and repairs the protected paths
     * ({@link RunGuard}). It needs the right to mount and Landlock, from whose rules it is planned.
     */
    public static boolean ownMountNamespace(Credentials credentials, int landlockAbi) {
        return credentials.mayMount() && landlockAbi >= 1;
    }

    /**
     * What a launch of {@code policy} would grant the child, without launching: see {@link RunView}.
     *
     * @param environment halt's environment (SUDO_UID, HOME)
     * @throws LaunchException when a grant passes through a link the sandboxed side could have
     *                         planted, as {@code halt run} would refuse it
     */
    public RunView view(SandboxPolicy policy, Map<String, String> environment) throws LaunchException {
        var landlock = facts.landlock();
        var credentials = Credentials.current(environment);
        int childUid = childUid(credentials);
        var owner = sudoOwner(credentials);
        var home = owner != null
            ? dev.halt.core.policy.InvokingUser.account(owner[0]).map(dev.halt.core.policy.InvokingUser.Account::home).orElse(null)
            : environment.containsKey("HOME") ? Path.of(environment.get("HOME")) : null;
        boolean rootChild = credentials.euid() == 0 && owner == null;
        int abi = landlock.version();
        if (abi < 1) {
            return new RunView(0, false, false, rootChild, List.of(), List.of(), List.of(), List.of(),
                List.of("Landlock is unavailable (" + landlock.availability().explanation() + "): halt run would refuse to"
                    + " run, or with --best-effort run with the filesystem NOT restricted"), home, null);
        }
        boolean namespace = ownMountNamespace(credentials, abi);
        var viewed = namespace ? policy
            : policy.withGrants(SharedPlaces.narrowGrants(policy, SharedPlaces.terminalsOfThisProcess()));
        Landlock.Plan plan;
        try {
            plan = Landlock.plan(viewed, List.of(javaHomeGrant()), abi, childUid, Landlock.TcpRules.NONE);
        } catch (Landlock.PlannedLinkException e) {
            throw new LaunchException(HALT_FAILED, e.getMessage());
        }
        var protectedPaths = ProtectedPaths.scan(writeRoots(plan), policy.isolation());
        var rules = plan.rules();
        List<MountPlan.Mask> masks = List.of();
        MountPlan mounts = null;
        if (namespace) {
            int uid = owner != null ? owner[0] : credentials.euid();
            int gid = owner != null ? owner[1] : credentials.egid();
            mounts = MountPlan.build(viewed, plan, protectedPaths, new MountPlan.Caller(MountPlan.terminal(), uid, gid),
                MountPlan.scanEtc());
            rules = mounts.rules();
            masks = mounts.masks();
        }
        return new RunView(abi, namespace, !namespace && !policy.isolation().sharedTmp(), rootChild, rules, masks,
            protectedPaths.readOnly(), protectedPaths.pinned(), plan.warnings(), home, mounts);
    }

    /**
     * The uid the child runs as: under sudo as root the user who ran sudo, else halt's own. Not
     * SUDO_UID alone: under {@code sudo -u agent} it names the user who ran sudo, while halt and the
     * child are {@code agent}, whose links the plan must not trust.
     */
    private static int childUid(Credentials credentials) {
        var owner = sudoOwner(credentials);
        return owner != null ? owner[0] : credentials.euid();
    }

    /** Under sudo, the uid and gid the child runs as; else null. */
    private static int[] sudoOwner(Credentials credentials) {
        return credentials.euid() == 0 && credentials.sudoUid().isPresent() && credentials.sudoGid().isPresent()
            ? new int[] {credentials.sudoUid().getAsInt(), credentials.sudoGid().getAsInt()} : null;
    }

        @Override
    public void recoverKilledRuns(Map<String, String> environment) {
        RunRecord.recoverAbandoned(environment).forEach(line -> LOG.log(Level.WARNING, line));
        AuditSwitch.recoverAbandoned().forEach(line -> LOG.log(Level.WARNING, line));
        dev.halt.core.control.ControlDirectory.removeStale(environment).forEach(line -> LOG.log(Level.INFO, line));
    }

    /** How old a scan of /etc that {@link #prepare} started may be and still serve a launch. */
    private static final Duration PREPARED_SCAN_AGE = Duration.ofSeconds(2);
    /** The scan of /etc that {@link #prepare} started, for the next launch with privileges. */
    private static final AtomicReference<MountPlan.EtcScan> PREPARED_SCAN = new AtomicReference<>();

    /**
     * Links the system-call downcall (see {@code Sandbox.prepare}), with privileges starts the scan
     * of /etc that the run's mount namespace needs, and compiles the seccomp probe's program, which
     * warms the BPF assembler every launch compiles its filter with (a cold compile is 10-20 ms).
     */
    private static void prepareInBackground() {
        // Before the downcall is linked (tens of ms), so both go on at once: /proc tells who halt is.
        if (Credentials.fromProc().mayMount()) PREPARED_SCAN.set(MountPlan.scanEtc());
        try {
            Syscall.geteuid();
            LinuxProbes.isolatedProgram();
        } catch (Throwable e) {
            // The launch links and compiles again, and reports what went wrong there.
            LOG.log(Level.DEBUG, "preparing native access failed: " + e);
        }
        if (Boolean.getBoolean(TRAIN_PROPERTY)) {
            try {
                // The rootless plan's probes, the supervisor a rootless run starts, and its exit check
                // of the protected paths (the training's own repository, which nothing changes).
                var work = Path.of(System.getProperty("user.dir", "/"));
                LinuxProbes.landlockTcp(LinuxProbes.landlockAbi().version());
                dev.halt.core.linux.supervisor.SupervisorSupport.forRun();
                RunSupervision.train(work);
                var snapshot = ProtectedSnapshot.take(ProtectedPaths.scan(List.of(work),
                    dev.halt.core.policy.Isolation.DEFAULTS));
                snapshot.repair(snapshot.scanningLocator());
            } catch (Exception | LinkageError e) {
                LOG.log(Level.DEBUG, "training the rootless pieces failed: " + e);
            }
        }
    }

    /**
     * {@code -Dhalt.train=true}: the launcher's training run of the start-up cache, which also
     * exercises the rootless plan's probes and supervisor ({@link RunSupervision#train}), whose
     * classes a run as root never loads, in the background of the training run's own launch.
     */
    private static final String TRAIN_PROPERTY = "halt.train";

    /** The scan {@link #prepare} started if it is recent, else a new one. */
    private static MountPlan.EtcScan etcScan() {
        var prepared = PREPARED_SCAN.getAndSet(null);
        return prepared != null && prepared.startedWithin(PREPARED_SCAN_AGE) ? prepared : MountPlan.scanEtc();
    }

    private static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options,
                                           Credentials credentials, int childUid, int abi, String landlockMissing,
                                           NetworkSetup network, SharedPlaces shared, MountPlan.EtcScan etcScan,
                                           JsonLinesFile runLog, Supplier<Availability> supervisor) throws LaunchException {
        Landlock.Plan plan = null;
        if (abi >= 1) {
            try {
                plan = Landlock.plan(policy, List.of(javaHomeGrant()), abi, childUid, network.tcpRules());
            } catch (Landlock.PlannedLinkException e) {
                throw new LaunchException(HALT_FAILED, e.getMessage() + " Nothing was run.");
            }
            plan.warnings().forEach(w -> LOG.log(Level.WARNING, w));
            plan.notices().forEach(n -> LOG.log(Level.INFO, n));
            if (LOG.isLoggable(Level.INFO)) plan.rules().forEach(r -> LOG.log(Level.INFO, "landlock: " + r.grant().access().configKey() + " " + r.path()
                + " (" + describe(r.grant().source()) + ")"));
            if (!plan.unenforced().isEmpty()) {
                if (!options.bestEffort()) {
                    throw new LaunchException(HALT_FAILED, "this kernel's Landlock cannot enforce: "
                        + String.join("; ", plan.unenforced()) + ". Nothing was run (--best-effort runs anyway and says so).");
                }
                plan.unenforced().forEach(u -> LOG.log(Level.WARNING, "best effort: NOT enforced: " + u));
            }
            if (plan.scoped() == 0) {
                LOG.log(Level.WARNING, "Landlock ABI " + abi + " has no scopes (ABI 6): the child may signal processes"
                    + " of its user and reach abstract unix sockets outside the sandbox");
            }
        } else if (!options.bestEffort()) {
            throw new LaunchException(HALT_FAILED, landlockMissing + ": the filesystem sandbox cannot be enforced."
                + " Nothing was run (--best-effort runs without it and says so).");
        } else {
            LOG.log(Level.WARNING, "best effort: the filesystem is NOT restricted: " + landlockMissing);
        }

        var protectedPaths = plan == null ? ProtectedPaths.NONE
            : ProtectedPaths.scan(writeRoots(plan).stream().filter(p -> !p.equals(shared.privateTmp())).toList(), policy.isolation());
        protectedPaths.notices().forEach(n -> LOG.log(Level.INFO, n));
        protectedPaths.pinned().forEach(p -> LOG.log(Level.INFO, "protect: " + p + " stays where it is"));
        protectedPaths.readOnly().forEach(p -> LOG.log(Level.INFO, "protect: " + p + " is read-only"));

        var environment = policy.env().resolve(options.hostEnvironment());
        environment.absent().forEach(name -> LOG.log(Level.INFO,
            "env " + name + ": not set in halt's environment, so the child does not get it"));
        if (!environment.dropped().isEmpty()) {
            LOG.log(Level.INFO, "env: dropped (not on the allowlist; --env NAME passes one): "
                + String.join(" ", environment.dropped()));
        }
        var executable = CommandPath.resolve(command.get(0), environment.variables().get("PATH"), policy.workingDirectory());
        if (plan != null) {
            var rules = plan.rules();
            CommandPath.requireExecutionGranted(executable, real -> executionGranted(real, rules));
        }

        var argv = new java.util.ArrayList<>(command);
        argv.set(0, executable.toString());
        // File redirects become pipes that halt's side copies: ProcessBuilder opens a redirect
        // file on the jailer thread, after Landlock, where the file may not be granted.
        var builder = new ProcessBuilder(argv).directory(policy.workingDirectory().toFile())
            .redirectInput(RedirectPumps.pipeIfFile(options.stdin())).redirectOutput(RedirectPumps.pipeIfFile(options.stdout()))
            .redirectError(RedirectPumps.pipeIfFile(options.stderr()));
        builder.environment().clear();
        builder.environment().putAll(ProxyEnvironment.of(
            OfflineEnvironment.of(shared.environment(environment.variables()), policy.networkMode()), network.childProxyAddress()));

        var seccomp = SeccompPolicy.forRun(policy.networkMode(), network.restrictSockets(), policy.allowUnixSockets(),
            policy.allowLocalBinding());
        boolean metadata = superviseMetadata(plan, credentials, supervisor);
        var supervised = RunSupervision.groups(network.supervisedRules(), metadata);
        if (!supervised.isEmpty()) seccomp = seccomp.withSupervised(supervised);
        if (LOG.isLoggable(Level.INFO)) seccomp.describe().lines().forEach(line -> LOG.log(Level.INFO, "seccomp: " + line.strip()));
        if (seccomp.leavesAutobindOpen()) {
            LOG.log(Level.WARNING, "allow_unix_sockets without privileges leaves listen() allowed, and listen() on an"
                + " unbound TCP socket binds a port on every address, reachable from other hosts: Landlock's bind rule"
                + " does not see it and seccomp cannot tell a unix socket from a TCP one");
        }
        var owner = sudoOwner(credentials);
        var invoker = owner == null ? null : new Jail.Invoker(owner[0], owner[1]);
        if (invoker != null) {
            // Under sudo the child is the user who ran sudo, at home.
            var account = dev.halt.core.policy.InvokingUser.account(invoker.uid());
            account.ifPresent(a -> {
                builder.environment().put("HOME", a.home().toString());
                builder.environment().put("USER", a.name());
                builder.environment().put("LOGNAME", a.name());
            });
            LOG.log(Level.INFO, "sudo: the child runs as uid " + invoker.uid() + " gid " + invoker.gid()
                + account.map(a -> " (" + a.name() + ", HOME " + a.home() + ")").orElse(""));
        }
        var mounts = planMounts(policy, plan, protectedPaths, credentials, invoker, etcScan);
        var guard = mounts != null ? RunGuard.exitCheckOnly(protectedPaths, shared)
            : RunGuard.repairing(protectedPaths, shared, plan, options.hostEnvironment());
        LOG.log(Level.TRACE, "launch: exit guard ready");
        var tether = new AtomicReference<Tether>();
        RedirectPumps files = null;
        RunSupervision supervision = null;
        var denials = plan == null ? null : DenialWatch.prepare(abi, options.explainDenials());
        try {
            supervision = startSupervision(network, metadata ? writeGrants(plan) : null, seccomp);
            LOG.log(Level.TRACE, "launch: supervisor " + (supervision != null ? "started" : "not needed"));
            var jailerName = "halt-jailer-" + (JAILERS.incrementAndGet() % 1000);
            if (denials != null) {
                denials.start(jailerName, mounts != null ? mounts.rules() : plan.rules(), abi,
                    Path.of(builder.environment().getOrDefault("HOME", "/")), runLog, System.err);
            }
            var filter = seccomp.compile();
            LOG.log(Level.TRACE, "launch: seccomp filter compiled");
            var jail = new Jail(plan, filter, credentials.euid() == 0, invoker, options.bestEffort(), network,
                protectedPaths, mounts, supervision, jailerName, denials == null ? 0 : denials.restrictFlags());
            files = RedirectPumps.open(options);
            var process = jail.start(builder, command.get(0), tether);
            LOG.log(Level.TRACE, "launch: child started");
            guard.started();
            return new LinuxProcess(process, files.pump(process), network, tether.get(), guard, supervision, denials, runLog,
                credentials.euid() == 0 && invoker == null);
        } catch (LaunchException | RuntimeException e) {
            if (files != null) files.close();
            guard.abandon();
            if (tether.get() != null) tether.get().release();
            if (supervision != null) supervision.close();
            if (denials != null) denials.close();
            throw e;
        }
    }

    /** Launches so far in this JVM: each jailer gets a name of its own, by which the audit records tell its domain apart. */
    private static final java.util.concurrent.atomic.AtomicInteger JAILERS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * With privileges (CAP_SYS_ADMIN), the run's own mount namespace; null without them, or
     * without Landlock (best effort), whose rules the plan adjusts.
     */
    private static MountPlan planMounts(SandboxPolicy policy, Landlock.Plan plan, ProtectedPaths protectedPaths,
                                        Credentials credentials, Jail.Invoker invoker, MountPlan.EtcScan etcScan) {
        if (etcScan == null) return null;
        if (plan == null) {
            LOG.log(Level.WARNING, "best effort: no mount namespace either (it is planned from Landlock's rules): the child"
                + " shares the host's mounts, /tmp and /dev/shm");
            return null;
        }
        int uid = invoker != null ? invoker.uid() : credentials.euid();
        int gid = invoker != null ? invoker.gid() : credentials.egid();
        var mounts = MountPlan.build(policy, plan, protectedPaths, new MountPlan.Caller(MountPlan.terminal(), uid, gid), etcScan);
        if (LOG.isLoggable(Level.INFO)) {
            mounts.describe().forEach(line -> LOG.log(Level.INFO, line));
            mounts.notices().forEach(n -> LOG.log(Level.INFO, n));
        }
        if (LOG.isLoggable(Level.DEBUG)) {
            mounts.masks().forEach(m -> LOG.log(Level.DEBUG, "mount namespace: mask " + m.path() + " (" + m.why() + ")"));
        }
        return mounts;
    }

    /**
     * Rootless with the supervisor's pieces: its handlers for the run, started before the jailer; else
     * null. It owns {@code metadata} from here on, and closes it when it cannot start.
     */
    private static RunSupervision startSupervision(NetworkSetup network, WriteGrants metadata, SeccompPolicy seccomp)
            throws LaunchException {
        if (network.supervisedRules() == null && metadata == null) return null;
        try {
            return RunSupervision.start(network.supervisedRules(), metadata, seccomp, System.err);
        } catch (ErrnoException | RuntimeException e) {
            if (metadata != null) metadata.close();
            throw new LaunchException(HALT_FAILED, "cannot start halt's supervisor: " + e.getMessage() + ". Nothing was run.", e);
        }
    }

    /**
     * Whether the supervisor decides metadata changes: without a mount namespace (rootless), with
     * Landlock (its write grants are the rule), the supervisor's pieces, and no capability in halt.
     * Says at -v what the run gets.
     */
    private static boolean superviseMetadata(Landlock.Plan plan, Credentials credentials, Supplier<Availability> supervisor) {
        if (plan == null || credentials.mayMount()) return false;
        var why = metadataUnsupervised(credentials, supervisor);
        if (why == null) {
            LOG.log(Level.INFO, "metadata: halt's supervisor refuses chmod, chown, utimes, extended attributes and"
                + " file_setattr outside the write grants (EACCES), and makes them inside, except the mode, owner and"
                + " attributes of a device (the terminal halt runs on included)");
            return true;
        }
        LOG.log(Level.INFO, "no mount namespace: Landlock does not govern metadata, so chmod, utimes, extended attributes"
            + " and ACLs on your files outside the grants are not refused (" + why + ")");
        return false;
    }

    /**
     * Rootless: null when halt's supervisor decides a run's metadata changes, else why not (what
     * {@code halt check}'s {@code metadata} line says). Not with a capability in halt, whose calls
     * would then pass checks the child's would fail (chown to another user); {@code supervisor} is
     * asked only without one.
     */
    public static String metadataUnsupervised(Credentials credentials, Supplier<Availability> supervisor) {
        if (credentials.euid() == 0 || credentials.effectiveCaps() != 0) {
            return "halt has capabilities (effective set 0x" + Long.toHexString(credentials.effectiveCaps())
                + "), which its supervisor's calls would lend the command";
        }
        var pieces = supervisor.get();
        return pieces.isAvailable() ? null : "halt's supervisor cannot run here: " + pieces.explanation();
    }

    /** The write grants of {@code plan} (directories and files), opened for the supervisor. */
    private static WriteGrants writeGrants(Landlock.Plan plan) {
        return WriteGrants.open(plan.writablePaths().stream().distinct().toList());
    }

    /** Kernel views and devices hold no repository or start-up file of the user's. */
    private static final List<Path> NOT_SCANNED = List.of(Path.of("/dev"), Path.of("/proc"), Path.of("/sys"));
    /** Shared temporary directories: not scanned as a whole (every user's files), but a workspace inside one is. */
    private static final List<Path> NOT_SCANNED_THEMSELVES = List.of(Path.of("/tmp"), Path.of("/var/tmp"));

    /** The resolved directories the child may write, for the scan of protected paths. */
    private static List<Path> writeRoots(Landlock.Plan plan) {
        return plan.writablePaths().stream()
            .filter(p -> NOT_SCANNED.stream().noneMatch(p::startsWith) && !NOT_SCANNED_THEMSELVES.contains(p)).toList();
    }

    /** The JDK directory: the child side starts through its {@code jspawnhelper}. */
    private static PathGrant javaHomeGrant() {
        return new PathGrant(Path.of(System.getProperty("java.home")), PathAccess.READ,
            new ValueSource.Default("the JDK that starts the child (jspawnhelper)"));
    }

    private static String describe(ValueSource source) {
        return switch (source) {
            case ValueSource.Default d -> "default: " + d.reason();
            case ValueSource.ConfigFile f -> f.file() + ":" + f.line();
            case ValueSource.CommandLine c -> c.option();
            case ValueSource.Programmatic p -> p.description();
        };
    }

    /** Whether a rule of {@code rules} lets the child execute {@code real} (links resolved). */
    private static boolean executionGranted(Path real, List<Landlock.Rule> rules) {
        long execute = dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_FS_EXECUTE();
        return rules.stream().anyMatch(r -> real.startsWith(r.path()) && (r.access() & execute) != 0);
    }
}
