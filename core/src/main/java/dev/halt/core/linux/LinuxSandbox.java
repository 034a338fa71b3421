package dev.halt.core.linux;

import dev.halt.core.LaunchException;
import dev.halt.core.LaunchOptions;
import dev.halt.core.SandboxedProcess;
import dev.halt.core.linux.supervisor.RunSupervision;
import dev.halt.core.linux.supervisor.SupervisorSupport;
import dev.halt.core.linux.supervisor.WriteGrants;
import dev.halt.core.policy.PathAccess;
import dev.halt.core.policy.PathGrant;
import dev.halt.core.policy.SandboxPolicy;
import dev.halt.core.policy.ValueSource;
import dev.halt.core.protect.ProtectedPaths;
import dev.halt.ffm.linux.Errno;
import dev.halt.proxy.JsonLinesFile;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.halt.core.LaunchException.HALT_FAILED;
import static dev.halt.core.LaunchException.NOT_EXECUTABLE;
import static dev.halt.core.LaunchException.NOT_FOUND;

/**
 * The Linux backend: plans a Landlock ruleset from the policy, then starts the command from a
 * fresh platform thread (the jailer) that, with privileges, builds the run's own mount namespace
 * ({@link MountPlan}), drops capabilities when halt runs as root, sets {@code no_new_privs},
 * restricts itself and spawns. The child inherits the jailer's namespaces and domain.
 */
public final class LinuxSandbox {
    private LinuxSandbox() {}

    private static final System.Logger LOG = System.getLogger("halt");
    private static final Duration JAILER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * For {@code halt check}: starts a run's tether (outside any namespace), tells it the run is
     * over and waits for it to exit cleanly. Returns what it verified; throws when it could not.
     */
    public static String probeTether() throws IOException, InterruptedException {
        var tether = Tether.start(false);
        tether.release();
        if (!tether.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            tether.process().destroyForcibly();
            throw new IOException("the tether (/bin/sh) did not exit within 5 s of being released");
        }
        int status = tether.process().exitValue();
        if (status != 0) throw new IOException("the tether (/bin/sh) exited with status " + status);
        return "/bin/sh started, took its orders and exited: if halt is killed, a run's processes die with it";
    }

    /** See {@link dev.halt.core.Sandbox#launch}. */
    public static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options)
            throws LaunchException {
        var credentials = Credentials.current(options.hostEnvironment());
        int childUid = credentials.sudoUid().orElse(credentials.euid());
        var etcScan = credentials.mayMount() ? etcScan() : null;

        int abi;
        String landlockMissing = null;
        try {
            abi = Landlock.abiVersion();
        } catch (ErrnoException e) {
            abi = 0;
            landlockMissing = "Landlock is unavailable (" + e.getMessage() + ")";
        }
        var runLog = openRunLog(options.decisionLog());
        NetworkSetup network;
        try {
            network = NetworkSetup.prepare(policy, credentials, abi, options.bestEffort(), runLog, SupervisorSupport::forRun,
                liveNetwork(policy, options));
        } catch (LaunchException | RuntimeException e) {
            if (runLog != null) runLog.close();
            throw e;
        }
        SharedPlaces shared = null;
        try {
            shared = ownMountNamespace(credentials, abi) ? SharedPlaces.unchanged(policy) : SharedPlaces.narrow(policy,
                options.hostEnvironment(), credentials.euid(), sudoOwner(credentials), SharedPlaces.terminalsOfThisProcess());
            return launch(shared.policy(), command, options, credentials, childUid, abi, landlockMissing, network, shared,
                etcScan, runLog);
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

    /** The run's JSON-lines file ({@code --log}), shared by the proxy's decisions and the filesystem denials; null without one. */
    private static JsonLinesFile openRunLog(Path file) throws LaunchException {
        if (file == null) return null;
        try {
            return JsonLinesFile.open(file);
        } catch (IOException e) {
            var why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NoSuchFileException ? "its directory does not exist" : String.valueOf(e.getMessage());
            throw new LaunchException(HALT_FAILED, "--log " + file + ": cannot open it for appending (" + why + ")."
                + " Nothing was run.", e);
        }
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
    public static RunView view(SandboxPolicy policy, java.util.Map<String, String> environment) throws LaunchException {
        var credentials = Credentials.current(environment);
        int childUid = credentials.sudoUid().orElse(credentials.euid());
        var owner = sudoOwner(credentials);
        var home = owner != null
            ? dev.halt.core.policy.InvokingUser.account(owner[0]).map(dev.halt.core.policy.InvokingUser.Account::home).orElse(null)
            : environment.containsKey("HOME") ? Path.of(environment.get("HOME")) : null;
        boolean rootChild = credentials.euid() == 0 && owner == null;
        int abi;
        try {
            abi = Landlock.abiVersion();
        } catch (ErrnoException e) {
            return new RunView(0, false, false, rootChild, List.of(), List.of(), List.of(), List.of(),
                List.of("Landlock is unavailable (" + e.getMessage() + "): halt run would refuse to run, or with"
                    + " --best-effort run with the filesystem NOT restricted"), home, null);
        }
        boolean namespace = ownMountNamespace(credentials, abi);
        var viewed = namespace ? policy
            : policy.withGrants(SharedPlaces.narrowGrants(policy, SharedPlaces.terminalsOfThisProcess()));
        LandlockPlan plan;
        try {
            plan = LandlockPlan.build(viewed, List.of(javaHomeGrant()), abi, childUid, LandlockPlan.TcpRules.NONE);
        } catch (LandlockPlan.PlannedLinkException e) {
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

    /** Under sudo, the uid and gid the child runs as; else null. */
    private static int[] sudoOwner(Credentials credentials) {
        return credentials.euid() == 0 && credentials.sudoUid().isPresent() && credentials.sudoGid().isPresent()
            ? new int[] {credentials.sudoUid().getAsInt(), credentials.sudoGid().getAsInt()} : null;
    }

    /** See {@link dev.halt.core.Sandbox#exit}: {@code exit_group(status)}, which returns only if it could not be made. */
    public static void exitGroup(int status) {
        Syscall.callRaw(Syscall.TABLE.exitGroup(), status, 0, 0, 0, 0, 0);
    }

    /** See {@link dev.halt.core.Sandbox#recoverKilledRuns}. */
    public static void recoverKilledRuns(java.util.Map<String, String> environment) {
        RunRecord.recoverAbandoned(environment).forEach(line -> LOG.log(Level.WARNING, line));
        AuditSwitch.recoverAbandoned().forEach(line -> LOG.log(Level.WARNING, line));
        dev.halt.core.control.ControlDirectory.removeStale(environment).forEach(line -> LOG.log(Level.INFO, line));
    }

    /** How old a scan of /etc that {@link #prepare} started may be and still serve a launch. */
    private static final Duration PREPARED_SCAN_AGE = Duration.ofSeconds(2);
    /** The scan of /etc that {@link #prepare} started, for the next launch with privileges. */
    private static final AtomicReference<MountPlan.EtcScan> PREPARED_SCAN = new AtomicReference<>();

    /**
     * Links the system-call downcall (see {@code Sandbox.prepare}) and, with privileges, starts
     * the scan of /etc that the run's mount namespace needs.
     */
    public static void prepare() {
        // Before the downcall is linked (tens of ms), so both go on at once: /proc tells who halt is.
        if (Credentials.fromProc().mayMount()) PREPARED_SCAN.set(MountPlan.scanEtc());
        try {
            Syscall.geteuid();
        } catch (Throwable e) {
            // The launch links it again and reports what went wrong there.
            LOG.log(Level.DEBUG, "preparing native access failed: " + e);
        }
    }

    /** The scan {@link #prepare} started if it is recent, else a new one. */
    private static MountPlan.EtcScan etcScan() {
        var prepared = PREPARED_SCAN.getAndSet(null);
        return prepared != null && prepared.startedWithin(PREPARED_SCAN_AGE) ? prepared : MountPlan.scanEtc();
    }

    private static SandboxedProcess launch(SandboxPolicy policy, List<String> command, LaunchOptions options,
                                           Credentials credentials, int childUid, int abi, String landlockMissing,
                                           NetworkSetup network, SharedPlaces shared, MountPlan.EtcScan etcScan,
                                           JsonLinesFile runLog) throws LaunchException {
        LandlockPlan plan = null;
        if (abi >= 1) {
            try {
                plan = LandlockPlan.build(policy, List.of(javaHomeGrant()), abi, childUid, network.tcpRules());
            } catch (LandlockPlan.PlannedLinkException e) {
                throw new LaunchException(HALT_FAILED, e.getMessage() + " Nothing was run.");
            }
            plan.warnings().forEach(w -> LOG.log(Level.WARNING, w));
            plan.notices().forEach(n -> LOG.log(Level.INFO, n));
            plan.rules().forEach(r -> LOG.log(Level.INFO, "landlock: " + r.grant().access().configKey() + " " + r.path()
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
        var executable = CommandResolver.resolve(command.get(0), environment.variables().get("PATH"), policy.workingDirectory());
        if (plan != null) CommandResolver.requireExecutionGranted(executable, plan.rules());

        var argv = new java.util.ArrayList<>(command);
        argv.set(0, executable.toString());
        // File redirects become pipes that halt's side copies: ProcessBuilder opens a redirect
        // file on the jailer thread, after Landlock, where the file may not be granted.
        var builder = new ProcessBuilder(argv).directory(policy.workingDirectory().toFile())
            .redirectInput(pipeIfFile(options.stdin())).redirectOutput(pipeIfFile(options.stdout()))
            .redirectError(pipeIfFile(options.stderr()));
        builder.environment().clear();
        builder.environment().putAll(network.childEnvironment(shared.environment(environment.variables())));

        var seccomp = SeccompPolicy.forRun(policy.networkMode(), network.restrictSockets(), policy.allowUnixSockets(),
            policy.allowLocalBinding());
        boolean metadata = superviseMetadata(plan, credentials);
        var supervised = RunSupervision.groups(network.supervisedRules(), metadata);
        if (!supervised.isEmpty()) seccomp = seccomp.withSupervised(supervised);
        seccomp.describe().lines().forEach(line -> LOG.log(Level.INFO, "seccomp: " + line.strip()));
        if (seccomp.leavesAutobindOpen()) {
            LOG.log(Level.WARNING, "allow_unix_sockets without privileges leaves listen() allowed, and listen() on an"
                + " unbound TCP socket binds a port on every address, reachable from other hosts: Landlock's bind rule"
                + " does not see it and seccomp cannot tell a unix socket from a TCP one");
        }
        var invoker = credentials.euid() == 0 && credentials.sudoUid().isPresent() && credentials.sudoGid().isPresent()
            ? new Invoker(credentials.sudoUid().getAsInt(), credentials.sudoGid().getAsInt()) : null;
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
        var tether = new AtomicReference<Tether>();
        RedirectFiles files = null;
        RunSupervision supervision = null;
        var denials = plan == null ? null : DenialWatch.prepare(abi, options.explainDenials());
        try {
            supervision = startSupervision(network, metadata ? writeGrants(plan) : null, seccomp);
            var jailerName = "halt-jailer-" + (JAILERS.incrementAndGet() % 1000);
            if (denials != null) {
                denials.start(jailerName, mounts != null ? mounts.rules() : plan.rules(), abi,
                    Path.of(builder.environment().getOrDefault("HOME", "/")), runLog, System.err);
            }
            var jail = new Jail(plan, seccomp.compile(), credentials.euid() == 0, invoker, options.bestEffort(), network,
                protectedPaths, mounts, supervision, jailerName, denials == null ? 0 : denials.restrictFlags());
            files = RedirectFiles.open(options);
            var process = startInJail(builder, jail, command.get(0), tether);
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
    private static MountPlan planMounts(SandboxPolicy policy, LandlockPlan plan, ProtectedPaths protectedPaths,
                                        Credentials credentials, Invoker invoker, MountPlan.EtcScan etcScan) {
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
     * Landlock (its write grants are the rule), the supervisor's pieces, and no capability in halt,
     * whose calls would then pass checks the child's would fail (chown to another user). Says at -v
     * what the run gets.
     */
    private static boolean superviseMetadata(LandlockPlan plan, Credentials credentials) {
        if (plan == null || credentials.mayMount()) return false;
        String why;
        if (credentials.euid() == 0 || credentials.effectiveCaps() != 0) {
            why = "halt has capabilities (effective set 0x" + Long.toHexString(credentials.effectiveCaps())
                + "), which its supervisor's calls would lend the command";
        } else {
            var support = SupervisorSupport.forRun();
            if (support.available()) {
                LOG.log(Level.INFO, "metadata: halt's supervisor refuses chmod, chown, utimes, extended attributes and"
                    + " file_setattr outside the write grants (EACCES), and makes them inside, except the mode, owner and"
                    + " attributes of a device (the terminal halt runs on included)");
                return true;
            }
            why = "halt's supervisor cannot run here: " + support.detail();
        }
        LOG.log(Level.INFO, "no mount namespace: Landlock does not govern metadata, so chmod, utimes, extended attributes"
            + " and ACLs on your files outside the grants are not refused (" + why + ")");
        return false;
    }

    /** The write grants of {@code plan} (directories and files), opened for the supervisor. */
    private static WriteGrants writeGrants(LandlockPlan plan) {
        return WriteGrants.open(plan.rules().stream().filter(r -> r.grant().access() == PathAccess.READ_WRITE)
            .map(LandlockPlan.Rule::path).distinct().toList());
    }

    private static ProcessBuilder.Redirect pipeIfFile(ProcessBuilder.Redirect redirect) {
        return redirect.file() != null ? ProcessBuilder.Redirect.PIPE : redirect;
    }

    /** The files of file redirects, opened by halt before the jail, and the threads that copy them. */
    private record RedirectFiles(java.io.InputStream in, java.io.OutputStream out, java.io.OutputStream err) {

        static RedirectFiles open(LaunchOptions options) throws LaunchException {
            try {
                var in = options.stdin().file() == null ? null : new java.io.FileInputStream(options.stdin().file());
                var out = openOutput(options.stdout());
                var err = openOutput(options.stderr());
                return new RedirectFiles(in, out, err);
            } catch (IOException e) {
                throw new LaunchException(HALT_FAILED, "cannot open a redirect file: " + e.getMessage(), e);
            }
        }

        private static java.io.OutputStream openOutput(ProcessBuilder.Redirect redirect) throws IOException {
            if (redirect.file() == null) return null;
            return new java.io.FileOutputStream(redirect.file(), redirect.type() == ProcessBuilder.Redirect.Type.APPEND);
        }

        List<Thread> pump(Process process) {
            var threads = new java.util.ArrayList<Thread>();
            if (in != null) threads.add(copy(in, process.getOutputStream()));
            if (out != null) threads.add(copy(process.getInputStream(), out));
            if (err != null) threads.add(copy(process.getErrorStream(), err));
            return List.copyOf(threads);
        }

        private static Thread copy(java.io.InputStream from, java.io.OutputStream to) {
            return Thread.ofVirtual().name("halt-redirect").start(() -> {
                try (from; to) {
                    from.transferTo(to);
                } catch (IOException e) {
                    LOG.log(Level.DEBUG, "redirect copy ended: " + e.getMessage());
                }
            });
        }

        void close() {
            for (var c : new java.io.Closeable[] {in, out, err}) {
                try {
                    if (c != null) c.close();
                } catch (IOException ignored) {
                    // Nothing was started; nothing to save.
                }
            }
        }
    }

    /** Kernel views and devices hold no repository or start-up file of the user's. */
    private static final List<Path> NOT_SCANNED = List.of(Path.of("/dev"), Path.of("/proc"), Path.of("/sys"));
    /** Shared temporary directories: not scanned as a whole (every user's files), but a workspace inside one is. */
    private static final List<Path> NOT_SCANNED_THEMSELVES = List.of(Path.of("/tmp"), Path.of("/var/tmp"));

    /** The resolved directories the child may write, for the scan of protected paths. */
    private static List<Path> writeRoots(LandlockPlan plan) {
        return plan.rules().stream().filter(r -> r.grant().access() == PathAccess.READ_WRITE).map(LandlockPlan.Rule::path)
            .filter(p -> NOT_SCANNED.stream().noneMatch(p::startsWith) && !NOT_SCANNED_THEMSELVES.contains(p)).toList();
    }

    /** The JDK directory: the child side starts through its {@code jspawnhelper}. */
    private static PathGrant javaHomeGrant() {
        return new PathGrant(Path.of(System.getProperty("java.home")), PathAccess.READ,
            new ValueSource.Default("the JDK that starts the child (jspawnhelper)"));
    }

    /**
     * What the jailer applies to itself before it starts the child.
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
    private record Jail(LandlockPlan plan, List<BpfInstruction> seccomp, boolean dropCapabilities, Invoker invoker,
                        boolean bestEffort, NetworkSetup network, ProtectedPaths protectedPaths, MountPlan mounts,
                        RunSupervision supervision, String name, int restrictFlags) {}

    /** The user who ran sudo, whom the child runs as. */
    private record Invoker(int uid, int gid) {}

    private static Process startInJail(ProcessBuilder builder, Jail jail, String name, AtomicReference<Tether> tether)
            throws LaunchException {
        var plan = jail.plan();
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
            if (ruleset != null) ruleset.close();
        }
        var t = failure.get();
        if (t == null) return process.get();
        if (t instanceof LaunchException e) throw e;
        if (t instanceof ErrnoException e) {
            throw new LaunchException(HALT_FAILED, "cannot build the sandbox: " + e.getMessage() + ". Nothing was run.", e);
        }
        if (t instanceof IOException e) throw startFailure(name, Path.of(builder.command().get(0)), e);
        throw new LaunchException(HALT_FAILED, "cannot start " + name + ": " + t, t);
    }

    /**
     * On the jailer, after the tether started (in the host's mount namespace, where it sees every
     * process of the run) and before capabilities are dropped: the run's own mount namespace, when
     * planned. Returns the Landlock rules for the namespace the jailer ends up in.
     */
    private static List<LandlockPlan.Rule> enterMountNamespace(Jail jail) throws LaunchException {
        var hostRules = jail.plan() == null ? List.<LandlockPlan.Rule>of() : jail.plan().rules();
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
    private static void allowPaths(Landlock.Ruleset ruleset, List<LandlockPlan.Rule> rules) throws LaunchException {
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

    private static String describe(ValueSource source) {
        return switch (source) {
            case ValueSource.Default d -> "default: " + d.reason();
            case ValueSource.ConfigFile f -> f.file() + ":" + f.line();
            case ValueSource.CommandLine c -> c.option();
            case ValueSource.Programmatic p -> p.description();
        };
    }

    /** Where {@code PATH} lookup and exec errors become exit statuses 127 and 126 before anything runs. */
    static final class CommandResolver {
        private CommandResolver() {}

        static Path resolve(String program, String path, Path workingDirectory) throws LaunchException {
            if (program.contains("/")) {
                var file = workingDirectory.resolve(program);
                if (!Files.exists(file)) throw new LaunchException(NOT_FOUND, program + ": no such file");
                if (Files.isDirectory(file) || !Files.isExecutable(file)) {
                    throw new LaunchException(NOT_EXECUTABLE, program + ": not an executable file");
                }
                return file;
            }
            Path nonExecutable = null;
            for (var dir : (path == null ? "/usr/bin:/bin" : path).split(":", -1)) {
                var candidate = (dir.isEmpty() ? workingDirectory : workingDirectory.resolve(dir)).resolve(program);
                if (Files.isRegularFile(candidate)) {
                    if (Files.isExecutable(candidate)) return candidate;
                    if (nonExecutable == null) nonExecutable = candidate;
                }
            }
            if (nonExecutable != null) throw new LaunchException(NOT_EXECUTABLE, nonExecutable + ": not executable");
            throw new LaunchException(NOT_FOUND, program + ": command not found (looked in the child's PATH)");
        }

        /**
         * Refuses, before anything runs, a command that Landlock would not let the child execute:
         * the file (through its links) or the interpreter its {@code #!} line names is under no rule
         * that grants execution. Names the path and the flag that grants it.
         */
        static void requireExecutionGranted(Path executable, List<LandlockPlan.Rule> rules) throws LaunchException {
            var real = realPath(executable);
            if (real == null) return;
            if (!executionGranted(real, rules)) {
                throw new LaunchException(NOT_EXECUTABLE, executable + (real.equals(executable) ? "" : " (" + real + ")")
                    + ": not granted to the sandbox for execution; --read " + real.getParent() + " grants it. Nothing was run.");
            }
            var interpreter = interpreter(real);
            if (interpreter == null) return;
            var realInterpreter = realPath(interpreter);
            if (realInterpreter != null && !executionGranted(realInterpreter, rules)) {
                throw new LaunchException(NOT_EXECUTABLE, executable + ": its interpreter " + interpreter + " (#! line) is not"
                    + " granted to the sandbox for execution; --read " + realInterpreter.getParent() + " grants it. Nothing was run.");
            }
        }

        private static boolean executionGranted(Path real, List<LandlockPlan.Rule> rules) {
            long execute = dev.halt.ffm.linux.landlock_h.LANDLOCK_ACCESS_FS_EXECUTE();
            return rules.stream().anyMatch(r -> real.startsWith(r.path()) && (r.access() & execute) != 0);
        }

        private static Path realPath(Path p) {
            try {
                return p.toRealPath();
            } catch (IOException e) {
                return null;
            }
        }

        /** The absolute interpreter of a {@code #!} line, or null. */
        private static Path interpreter(Path file) {
            try (var in = Files.newInputStream(file)) {
                var head = new String(in.readNBytes(256), java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!head.startsWith("#!")) return null;
                var words = head.substring(2).lines().findFirst().orElse("").strip().split("\\s+");
                return words.length > 0 && words[0].startsWith("/") ? Path.of(words[0]) : null;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** A started child, signalled through a pidfd opened at once (no PID-reuse race). */
    private static final class LinuxProcess implements SandboxedProcess {
        private static final Duration ORPHAN_POLL = Duration.ofSeconds(1);
        private final Process process;
        private final List<Thread> pumps;
        /** Done when the child exited and what served it (the proxy) is closed. */
        private final java.util.concurrent.CompletableFuture<Void> released;
        /** Guarded by {@code this}: closed once the child is reaped, so a reused fd number is never signalled. */
        private int pidfd;

        /** Null when it could not start (best effort). */
        private final Tether tether;
        /** Checks and repairs at exit what the sandbox could not prevent. */
        private final RunGuard guard;
        /** The tether is released by {@link #killLeftovers}, not when the child exits: leftovers are ours to kill. */
        private final boolean subreaper;

        /** Null without Landlock (best effort). */
        private final DenialWatch denials;
        /** The run's JSON-lines file, closed once every source is done with it; null without {@code --log}. */
        private final JsonLinesFile runLog;

        /** The child ran as uid 0 without capabilities (root, not under sudo). */
        private final boolean rootChild;
        private final dev.halt.core.live.RunNetwork live;

        LinuxProcess(Process process, List<Thread> pumps, NetworkSetup network, Tether tether, RunGuard guard,
                     RunSupervision supervision, DenialWatch denials, JsonLinesFile runLog, boolean rootChild) {
            this.process = process;
            this.denials = denials;
            this.runLog = runLog;
            this.rootChild = rootChild;
            this.live = network.live();
            if (supervision != null) live.supervisorRefusals(() -> supervision.networkRefusals().total());
            this.pumps = pumps;
            this.tether = tether;
            this.guard = guard;
            this.subreaper = isSubreaper();
            if (tether != null && !subreaper) process.onExit().thenRun(tether::release);
            if (tether != null && subreaper && !network.ownNamespace()) {
                // A platform thread: it mostly sleeps, and a short run then never starts the virtual-thread scheduler.
                Thread.ofPlatform().daemon(true).name("halt-orphan-watch").start(() -> announceOrphans(process.pid()));
            }
            this.released = process.onExit().thenRun(() -> {
                network.close();
                if (supervision != null) supervision.close();
                var summary = RunSummary.format(network.proxySummary(), supervision == null ? null : supervision.networkRefusals());
                if (!summary.isEmpty()) System.err.println(summary);
                var files = RunSummary.files(supervision == null ? null : supervision.fileRefusals());
                if (!files.isEmpty()) System.err.println(files);
            });
            try {
                pidfd = Signals.open(process.pid());
            } catch (ErrnoException e) {
                // Usual for a short command: the JDK's reaper thread already reaped it (ESRCH).
                pidfd = -1;
                if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "no pidfd for the child: " + e.getMessage());
            }
            process.onExit().thenRun(this::closePidfd);
        }

        /**
         * Without a namespace the tether knows the run by its process tree, and an orphan this JVM
         * adopted (the subreaper) has left that tree: name each one to the tether, checking every
         * {@link #ORPHAN_POLL}, until the run is over.
         */
        private void announceOrphans(long childPid) {
            var announced = new java.util.HashSet<>(List.of(childPid, tether.pid()));
            while (true) {
                try {
                    Thread.sleep(ORPHAN_POLL);
                } catch (InterruptedException e) {
                    return;
                }
                if (tether.released()) return;
                try (var children = ProcessHandle.current().children()) {
                    children.forEach(h -> {
                        if (announced.add(h.pid())) tether.watch(h.pid());
                    });
                }
            }
        }

        private static boolean isSubreaper() {
            try {
                return Prctl.isChildSubreaper();
            } catch (ErrnoException e) {
                return false;
            }
        }

        private synchronized void closePidfd() {
            if (pidfd >= 0) Signals.close(pidfd);
            pidfd = -1;
        }

        @Override
        public Process process() {
            return process;
        }

        @Override
        public synchronized boolean signal(int signal) {
            if (pidfd < 0) return false;
            try {
                Signals.send(pidfd, signal);
                return true;
            } catch (ErrnoException e) {
                return false;
            }
        }

        @Override
        public int waitFor() throws InterruptedException {
            int status = process.waitFor();
            for (var pump : pumps) pump.join();
            try {
                released.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.log(Level.WARNING, "closing the proxy failed: " + e.getCause());
            }
            if (denials != null) denials.close();
            if (runLog != null) runLog.close();
            // The exit checks act in trees the run could write, so they wait until nothing of the run
            // is left alive: as the subreaper (halt run) this JVM kills the leftovers first, in
            // killLeftovers, which runs them. Leftovers of a JVM that is not one are not its to kill.
            if (!subreaper) guard.afterExit();
            return status;
        }

        @Override
        public dev.halt.core.LiveNetwork network() {
            return live;
        }

        @Override
        public dev.halt.core.DenialReporting denialReporting() {
            var reporting = denials == null ? dev.halt.core.DenialReporting.inactive("the filesystem is not restricted (no Landlock)")
                : denials.reporting();
            return rootChild ? reporting.asRootChild() : reporting;
        }

        @Override
        public int killLeftovers(Duration timeout) {
            // Killing a process can orphan its own children onto this JVM (the subreaper), so
            // scan again until nothing is left or the time is up; reap each, or it stays a zombie.
            long deadline = System.nanoTime() + timeout.toNanos();
            var killed = new java.util.HashSet<Long>();
            long tetherPid = tether == null ? -1 : tether.pid();
            boolean clean = false;
            while (System.nanoTime() < deadline) {
                var leftovers = ProcessHandle.current().descendants().filter(h -> h.pid() != tetherPid).toList();
                if (leftovers.isEmpty()) {
                    clean = true;
                    break;
                }
                leftovers.forEach(ProcessHandle::destroyForcibly);
                leftovers.forEach(h -> killed.add(h.pid()));
                for (var handle : leftovers) Reaper.reap(handle.pid(), deadline);
            }
            // Something outlived the deadline: the tether stays, and ends it when this JVM exits.
            if (clean && tether != null && subreaper) tether.release();
            if (subreaper) {
                guard.afterExit();
            } else if (!killed.isEmpty()) {
                // What the leftovers did after the exit checks is checked now that they are gone.
                guard.afterLeftovers();
            }
            return killed.size();
        }
    }
}
