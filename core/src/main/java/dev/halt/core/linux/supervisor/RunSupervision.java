package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.seccomp.SeccompPolicy;

import java.io.PrintStream;
import java.util.EnumSet;
import java.util.Set;

/**
 * The supervisor of one run: which groups of calls it serves, its handlers, and its refusals. The
 * launch starts it before the jailer, the jailer {@link #attach attaches} the listener, and the
 * run's end {@link #close() closes} it.
 */
public final class RunSupervision implements AutoCloseable {
    private final Supervisor supervisor;
    private final NetworkCalls network;
    private final WriteGrants metadata;
    private final Refusals networkRefusals;
    private final Refusals fileRefusals;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private RunSupervision(Supervisor supervisor, NetworkCalls network, WriteGrants metadata, Refusals networkRefusals,
                           Refusals fileRefusals) {
        this.supervisor = supervisor;
        this.network = network;
        this.metadata = metadata;
        this.networkRefusals = networkRefusals;
        this.fileRefusals = fileRefusals;
    }

    /**
     * Starts the supervisor of a run (on halt's own thread, never the jailer) for the groups that have
     * rules: {@code network} (rootless exact addresses) when not null, {@code metadata} (rootless
     * metadata changes inside the write grants only) when not null, which it then owns and closes;
     * prints each refusal's line to {@code console}. Returns null when no group is supervised.
     *
     * @param filter the run's filter ({@link #groups} routed), whose routed calls must all have a handler
     */
    public static RunSupervision start(NetworkRules network, WriteGrants metadata, SeccompPolicy filter, PrintStream console)
            throws ErrnoException {
        return start(network, metadata, filter, console, false);
    }

    /** {@link #start}, with the metadata handlers' warm-up on halt's own files too when {@code warmMetadata}. */
    private static RunSupervision start(NetworkRules network, WriteGrants metadata, SeccompPolicy filter, PrintStream console,
                                        boolean warmMetadata) throws ErrnoException {
        var groups = groups(network, metadata != null);
        if (groups.isEmpty()) return null;
        var networkRefusals = new Refusals(console);
        var fileRefusals = new Refusals(console);
        var builder = Supervisor.builder();
        var networkCalls = network == null ? null : NetworkCalls.register(builder, network, networkRefusals);
        if (metadata != null) {
            var metadataCalls = MetadataCalls.register(builder, metadata, fileRefusals);
            if (warmMetadata) builder.warmUp(metadataCalls::warmUp);
        }
        var unhandled = new java.util.ArrayList<>(filter.supervisedCalls());
        unhandled.removeAll(builder.calls());
        if (!unhandled.isEmpty()) throw new IllegalStateException("the filter routes " + unhandled + " to the supervisor, which has no handler for them");
        return new RunSupervision(builder.start(), networkCalls, metadata, networkRefusals, fileRefusals);
    }

    /**
     * For the launcher's training run of the start-up cache, made by whoever first runs halt (as
     * root, often, where no run is supervised): starts a supervisor of both groups, as a rootless run
     * would, with {@code grant} as the write grant, warms up both groups' decision paths on halt's own
     * socket and files, and stops it. The cache then holds the supervisor's classes and linked
     * lambdas, which a rootless run otherwise loads from the jar (~100 classes, tens of ms).
     * Changes nothing and lets no child run.
     */
    public static void train(java.nio.file.Path grant) throws ErrnoException, InterruptedException {
        var network = new NetworkRules(dev.halt.core.policy.NetworkMode.BLOCKED, null, Set.of(), false, false);
        var filter = SeccompPolicy.forRun(network.mode(), true, false, false).withSupervised(groups(network, true));
        filter.compile();
        try (var run = start(network, WriteGrants.open(java.util.List.of(grant)), filter, System.err, true)) {
            run.supervisor.awaitWarmUp();
        }
    }

    /** The groups of calls the run's filter routes to the supervisor, for the rules given. */
    public static Set<SeccompPolicy.Supervised> groups(NetworkRules network, boolean metadata) {
        var groups = EnumSet.noneOf(SeccompPolicy.Supervised.class);
        if (network != null) groups.add(SeccompPolicy.Supervised.NETWORK);
        if (metadata) groups.add(SeccompPolicy.Supervised.METADATA);
        return groups;
    }

    /** On the jailer, after its filter is installed: see {@link Supervisor#attach(int)}. */
    public void attach(int listener) {
        supervisor.attach(listener);
    }

    /** The connections, binds and listens it refused, for the run's network summary. */
    public Refusals networkRefusals() {
        return networkRefusals;
    }

    /** The metadata changes it refused, for the run's summary of files. */
    public Refusals fileRefusals() {
        return fileRefusals;
    }

    /** Stops the supervisor; its refusals stay countable. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        if (network != null) network.abortConnects();
        supervisor.close();
        if (metadata != null) metadata.close();
    }
}
