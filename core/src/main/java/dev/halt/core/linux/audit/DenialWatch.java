package dev.halt.core.linux.audit;

import dev.halt.core.DenialReporting;
import dev.halt.core.linux.landlock.Landlock;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.ffm.linux.Errno;
import dev.halt.proxy.JsonLinesFile;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.halt.ffm.linux.audit_h.AUDIT_EOE;
import static dev.halt.ffm.linux.audit_h.AUDIT_LANDLOCK_ACCESS;
import static dev.halt.ffm.linux.audit_h.AUDIT_LANDLOCK_DOMAIN;
import static dev.halt.ffm.linux.audit_h.AUDIT_SYSCALL;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON;
import static dev.halt.ffm.linux.landlock_h.LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF;

/**
 * Reports the run's Landlock denials (ABI 7) from the kernel's audit records, when halt may read
 * them: with privileges (CAP_AUDIT_CONTROL and CAP_AUDIT_READ) and audit on, or switched on for
 * the run with {@code --explain-denials} ({@link AuditSwitch}). Otherwise it says why not, for
 * the hint {@code halt run} prints when the command fails.
 *
 * <p><b>Which records are the run's.</b> Landlock writes an {@code AUDIT_LANDLOCK_ACCESS} record
 * per denial, naming the domain that denied it, and before a domain's first one an
 * {@code AUDIT_LANDLOCK_DOMAIN} record naming the process and thread that created it: halt's pid
 * and the jailer's name, unique per launch in this JVM. Denials of a domain not yet described
 * wait for that record; those of other domains (another sandbox, or one the command made inside
 * halt's) are dropped. A child runs after {@code execve}, whose denials Landlock logs only with
 * {@code LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON}: halt sets it only while it reads, so that a run
 * nobody reads does not fill the system log. The jailer's own denials before the exec are not
 * the command's: {@code LOG_SAME_EXEC_OFF}.
 *
 * <p><b>The end.</b> The records of the command's last calls may still wait in the kernel's queue
 * when it exits: {@link #close()} asks the kernel ({@code AUDIT_GET}'s backlog) until the queue is
 * empty, at most {@value #DRAIN_LIMIT_MS} ms, then reads what is left and stops the reader, which
 * waits in {@code ppoll} on the socket and an eventfd and so leaves native code at once.
 */
public final class DenialWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final long DRAIN_LIMIT_MS = 100;
    private static final int MAX_PENDING_DOMAINS = 64;
    private static final int MAX_PENDING_PER_DOMAIN = 256;
    private static final int MAX_OPEN_EVENTS = 1024;
    private static final int MAX_OTHER_DOMAINS = 10_000;

    private final String inactive;
    private final int restrictFlags;
    private final Audit.Subscription subscription;
    private final AuditSwitch auditSwitch;
    private final long lostBefore;
    private Reader reader;

    private DenialWatch(String inactive, int restrictFlags, Audit.Subscription subscription, AuditSwitch auditSwitch,
                        long lostBefore) {
        this.inactive = inactive;
        this.restrictFlags = restrictFlags;
        this.subscription = subscription;
        this.auditSwitch = auditSwitch;
        this.lostBefore = lostBefore;
    }

    private static DenialWatch inactive(int abi, String why) {
        return new DenialWatch(why, abi >= 7 ? LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF() : 0, null, null, 0);
    }

    /**
     * Decides whether this run's denials can be read and, if so, joins the audit multicast group
     * before the child exists (so no record of it is missed). {@code explainDenials}: switch
     * audit on for the run when it is off.
     */
    public static DenialWatch prepare(int abi, boolean explainDenials) {
        var watch = decide(abi, explainDenials);
        if (explainDenials && watch.inactive != null) {
            // Asked for and not possible: said at once, not only in the hint after a failure.
            LOG.log(Level.WARNING, "--explain-denials: filesystem denials are not reported: " + watch.inactive);
        }
        return watch;
    }

    private static DenialWatch decide(int abi, boolean explainDenials) {
        if (abi < 7) {
            return inactive(abi, "Landlock ABI " + abi + " does not report denials (ABI 7, Linux 6.15)");
        }
        Audit.Status status;
        try {
            status = Audit.status();
        } catch (ErrnoException e) {
            return inactive(abi, e.errno() == Errno.EPERM || e.errno() == Errno.EACCES
                ? "without privileges halt cannot see Landlock's denials: the kernel reports them only to the audit"
                    + " subsystem, which needs root (CAP_AUDIT_CONTROL, CAP_AUDIT_READ)"
                : "the kernel's audit subsystem is not available (" + e.getMessage() + ")");
        }
        AuditSwitch switched = null;
        if (!status.on() || explainDenials) {
            if (!explainDenials) {
                return inactive(abi, "audit is off, so the kernel reports no denial: --explain-denials switches it on"
                    + " for the run");
            }
            try {
                switched = AuditSwitch.enable();
                if (!status.on()) {
                    LOG.log(Level.INFO, "explain-denials: audit switched on for this run (it was off), off again at exit"
                        + (status.daemonPid() == 0 ? "; no audit daemon runs, so the records also reach the kernel log" : ""));
                }
            } catch (IOException | ErrnoException e) {
                return inactive(abi, "--explain-denials cannot switch audit on: " + e.getMessage());
            }
        }
        try {
            var subscription = Audit.Subscription.open();
            return new DenialWatch(null, LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF() | LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON(),
                subscription, switched, status.lost());
        } catch (ErrnoException e) {
            if (switched != null) switched.release().forEach(line -> LOG.log(Level.WARNING, line));
            return inactive(abi, "halt may not read the audit records (" + e.getMessage() + "; needs CAP_AUDIT_READ)");
        }
    }

    /** The flags of the jailer's {@code landlock_restrict_self}. */
    public int restrictFlags() {
        return restrictFlags;
    }

    /**
     * Starts reading for the domain that the jailer named {@code jailerName} of this JVM creates.
     *
     * @param rules   the rules of the child's domain, for the hint in each line
     * @param home    the child's home directory, written {@code ~}
     * @param log     the run's JSON-lines file, or null
     * @param console where the lines and the summary go
     */
    public void start(String jailerName, List<Landlock.Rule> rules, int abi, Path home, JsonLinesFile log, PrintStream console) {
        if (subscription == null) return;
        var denials = new LandlockDenials(console, rules, abi, home, log, listeners);
        reader = new Reader(subscription, Long.toString(ProcessHandle.current().pid()), jailerName, denials, console);
        reader.thread.start();
    }

    /** Those who get each denial's JSON line as it is reported ({@link #subscribe}). */
    private final List<java.util.function.Consumer<String>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Gives {@code listener} each denial's JSON line (as {@code --log} has it) until the returned handle is closed. */
    public AutoCloseable subscribe(java.util.function.Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** What the run's output can say about denials (for the hint when the command fails). */
    public DenialReporting reporting() {
        if (inactive != null || reader == null) return DenialReporting.inactive(inactive == null ? "not started" : inactive);
        return DenialReporting.active(reader.denials.total());
    }

    /** Reads the last records, stops the reader, prints the summary, puts audit back. Idempotent. */
    @Override
    public void close() {
        if (reader != null) {
            reader.stop(lostBefore);
        } else if (subscription != null) {
            subscription.close();
        }
        if (auditSwitch != null) auditSwitch.release().forEach(line -> LOG.log(Level.WARNING, line));
    }

    /** The reading thread and what it knows of the domains it saw. */
    private static final class Reader {
        private final Audit.Subscription subscription;
        private final String pid;
        private final String comm;
        private final LandlockDenials denials;
        private final PrintStream console;
        private final Thread thread;
        private volatile boolean stopping;
        private boolean stopped;

        // The reader thread's own, until it ended.
        private final Set<String> ours = new HashSet<>();
        private final Set<String> others = new HashSet<>();
        private final LinkedHashMap<String, List<Pending>> pending = new LinkedHashMap<>();
        private final LinkedHashMap<Long, Event> events = new LinkedHashMap<>();
        private final LinkedHashMap<Long, Map<String, String>> syscalls = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Map<String, String>> eldest) {
                return size() > 64;
            }
        };
        private long overflows;

        private record Pending(long serial, LandlockDenials.Denial denial) {}

        /** The run's denials in one audit event, and the process that made the call once its record came. */
        private static final class Event {
            final List<LandlockDenials.Denial> denials = new ArrayList<>();
            Map<String, String> syscall;
        }

        Reader(Audit.Subscription subscription, String pid, String comm, LandlockDenials denials, PrintStream console) {
            this.subscription = subscription;
            this.pid = pid;
            this.comm = comm;
            this.denials = denials;
            this.console = console;
            this.thread = Thread.ofPlatform().daemon(true).name("halt-audit").unstarted(this::run);
        }

        private void run() {
            try {
                while (true) {
                    var messages = subscription.await(null);
                    messages.forEach(this::handle);
                    if (stopping) {
                        subscription.drain().forEach(this::handle);
                        break;
                    }
                }
            } catch (ErrnoException | RuntimeException e) {
                LOG.log(Level.WARNING, "reading the audit records failed (" + e.getMessage() + "): later denials are not reported");
            } finally {
                events.values().forEach(this::complete);
                events.clear();
                subscription.close();
            }
        }

        private void handle(Audit.Message message) {
            if (message.type() == 0) {
                overflows++;
                return;
            }
            int type = message.type();
            if (type != AUDIT_LANDLOCK_ACCESS() && type != AUDIT_LANDLOCK_DOMAIN() && type != AUDIT_SYSCALL()
                && type != AUDIT_EOE()) {
                return;
            }
            var record = AuditRecord.parse(type, message.text());
            if (record == null) return;
            if (type == AUDIT_LANDLOCK_ACCESS()) access(record);
            else if (type == AUDIT_LANDLOCK_DOMAIN()) domain(record);
            else if (type == AUDIT_SYSCALL()) syscall(record);
            else endOfEvent(record.serial());
        }

        private void access(AuditRecord record) {
            var domain = record.field("domain");
            var blockers = record.field("blockers");
            if (domain == null || blockers == null || others.contains(domain)) return;
            var fields = new LinkedHashMap<>(record.fields());
            fields.remove("domain");
            fields.remove("blockers");
            var path = fields.remove("path");
            if (path == null && fields.containsKey("name")) path = fields.remove("name");
            var denial = new LandlockDenials.Denial(record.time(), domain, List.of(blockers.split(",")), path, fields);
            if (ours.contains(domain)) {
                accept(record.serial(), denial);
                return;
            }
            var waiting = pending.get(domain);
            if (waiting == null) {
                if (pending.size() >= MAX_PENDING_DOMAINS) pending.remove(pending.keySet().iterator().next());
                waiting = new ArrayList<>();
                pending.put(domain, waiting);
            }
            if (waiting.size() < MAX_PENDING_PER_DOMAIN) waiting.add(new Pending(record.serial(), denial));
        }

        private void domain(AuditRecord record) {
            var domain = record.field("domain");
            if (domain == null || !"allocated".equals(record.field("status"))) return;
            var waiting = pending.remove(domain);
            if (pid.equals(record.field("pid")) && comm.equals(record.field("comm"))) {
                ours.add(domain);
                if (waiting != null) waiting.forEach(p -> accept(p.serial(), p.denial()));
            } else {
                // Other sandboxes' domains: forgotten in bulk now and then, so a long run's memory stays bounded.
                if (others.size() >= MAX_OTHER_DOMAINS) others.clear();
                others.add(domain);
            }
        }

        private void syscall(AuditRecord record) {
            var event = events.get(record.serial());
            if (event != null) event.syscall = record.fields();
            else syscalls.put(record.serial(), record.fields());
        }

        private void endOfEvent(long serial) {
            var event = events.remove(serial);
            if (event != null) complete(event);
        }

        private void accept(long serial, LandlockDenials.Denial denial) {
            denials.report(denial);
            var event = events.get(serial);
            if (event == null) {
                if (events.size() >= MAX_OPEN_EVENTS) {
                    var eldest = events.keySet().iterator().next();
                    complete(events.remove(eldest));
                }
                event = new Event();
                event.syscall = syscalls.remove(serial);
                events.put(serial, event);
            }
            event.denials.add(denial);
        }

        private void complete(Event event) {
            for (var denial : event.denials) denials.log(denial, event.syscall);
        }

        /** See {@link DenialWatch#close()}. */
        void stop(long lostBefore) {
            if (stopped) return;
            stopped = true;
            long started = System.nanoTime();
            long lost = 0;
            try (var control = Audit.Control.open()) {
                long deadline = System.nanoTime() + DRAIN_LIMIT_MS * 1_000_000;
                var status = control.status();
                while (status.backlog() > 0 && System.nanoTime() - deadline < 0) {
                    Thread.sleep(1);
                    status = control.status();
                }
                lost = Math.max(0, status.lost() - lostBefore);
            } catch (ErrnoException e) {
                LOG.log(Level.DEBUG, "audit: cannot ask for the backlog (" + e.getMessage() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopping = true;
            subscription.wake();
            try {
                thread.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.DEBUG, "audit: the last records read and the reader stopped in "
                + (System.nanoTime() - started) / 1_000 + " us");
            if (overflows > 0) lost = Math.max(lost, 1);
            var summary = denials.summary(lost);
            if (summary != null) console.println(summary);
        }
    }
}
