package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.itimerspec;
import dev.halt.ffm.linux.pollfd;
import dev.halt.ffm.linux.seccomp_data;
import dev.halt.ffm.linux.seccomp_notif;
import dev.halt.ffm.linux.seccomp_notif_resp;
import dev.halt.ffm.linux.seccomp_notif_sizes;
import dev.halt.ffm.linux.timespec;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.halt.ffm.linux.poll_h.*;
import static dev.halt.ffm.linux.seccomp_h.*;
import static dev.halt.ffm.linux.timerfd_h.*;

/**
 * The rootless supervisor: serves the system calls that a run's seccomp filter answers with
 * {@code SECCOMP_RET_USER_NOTIF}, from halt's own JVM, where nothing is restricted.
 *
 * <h2>Lifetime</h2>
 * {@link Builder#start()} (on an ordinary thread of halt's, before the jailer installs anything)
 * starts the first two workers, platform threads that wait for the listener. The jailer installs the
 * run's filter with {@link dev.halt.core.linux.seccomp.Seccomp#installWithListener} after {@code no_new_privs}
 * and hands the descriptor over with {@link #attach(int)} before it spawns the child; it starts no
 * thread (a thread started there would carry the jailer's filter and Landlock domain). The listener
 * is O_CLOEXEC, and the JDK's child start closes every descriptor above 2 besides: the child has no
 * copy (with one it could answer its own calls).
 *
 * <p>The workers are platform threads (downcalls pin a virtual thread to its carrier): one leader and
 * standbys. The leader waits in {@code ppoll} on the listener and an eventfd, receives a notification,
 * serves the call itself and waits again: a call costs the child's thread and the leader one wake-up
 * each, and no other thread wakes (a hand-off to another thread per call cost 10 to 15 us of
 * wake-ups on 2 vCPUs). Two things keep one call from holding up the others:
 * <ul>
 * <li>When another call is already waiting as the leader receives one (threads of the child calling
 *     at once), the leadership passes to a standby, which receives it while the first is served.</li>
 * <li>A one-shot timer, the watchdog (a timerfd the standbys wait on), fires when the leader has
 *     served one call for {@link #TAKEOVER_NANOS} (a connect that waits for a full backlog or a far
 *     host, a chmod on a slow file system, a read of the child's memory the kernel holds up): a
 *     standby takes the leadership over and receives the next calls. It is armed for a run of calls,
 *     not per call (the standby that reads an expiry arms it again for the call in progress).</li>
 * </ul>
 * A worker whose call is done after it lost the leadership becomes a standby; the leader starts one,
 * up to 8 workers, when none is left. The listener is set to
 * {@code SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP} where the kernel has it (Linux 6.6): the kernel then
 * wakes the leader on the CPU of the calling thread, which blocks, and the caller on the leader's,
 * instead of moving each wake-up to another CPU. POLLHUP on the listener means no filtered task is
 * left. {@link #close()}, at the end of the run, writes the eventfd, which the leader and the
 * standbys see and leave on, and lets the calls in progress finish: no thread is left blocked in
 * native code when halt exits (the JVM would wait up to 300 ms for it). The calls still waiting then
 * fail with ENOSYS, which is also what the kernel answers when halt dies.
 *
 * <h2>Rules for a handler</h2>
 * <ul>
 * <li><b>Never decide on memory the child can still change.</b> A pointer argument (a
 *     {@code sockaddr}, a path) can be rewritten by another thread of the child between halt's check
 *     and the kernel's own read. So a handler reads it once through {@link ChildView#read}, decides on
 *     that copy, and performs the call itself on that copy, returning its result
 *     ({@link Response#ofRaw}); it does not answer {@link Response.Continue} for a pointer it checked.</li>
 * <li>A descriptor argument is taken with {@link ChildView#takeFd} ({@code pidfd_getfd}): decide on
 *     what halt holds (its {@code SO_DOMAIN}, its {@code fstat}) and act on it, never on the number,
 *     which another thread can {@code dup2} over meanwhile.</li>
 * <li>{@link Response.Continue} only where the arguments decided nothing, and where whatever a racing
 *     thread could swap in is refused by another layer (Landlock's rules on the child itself). Say
 *     which layer in the handler.</li>
 * <li>A child halt cannot read (not dumpable, Yama) gets EACCES ({@link ChildView.UnreadableException}),
 *     never {@link Response.Continue}.</li>
 * </ul>
 *
 * <h2>Adding a handler</h2>
 * <ol>
 * <li>Route the call: in the table of {@link dev.halt.core.linux.seccomp.SeccompPolicy} ({@code rules}), give
 *     the call's entry the action {@link dev.halt.core.linux.seccomp.SeccompPolicy#NOTIFY} (or, for a check of
 *     its registers, NOTIFY as the check's otherwise action: {@code chmod}'s refuses the set-id bits
 *     and notifies the rest) when the policy's
 *     {@code supervised} set holds its group ({@link dev.halt.core.linux.seccomp.SeccompPolicy.Supervised}; add
 *     a group for a new family of calls: {@link RunSupervision#groups} says when it is routed,
 *     {@link RunSupervision#start} registers its handlers).</li>
 * <li>Register its {@link Handler} under the same name and number: {@code builder.handle("chmod",
 *     Syscall.TABLE.chmod(), handler)} (a number the architecture lacks, {@link SyscallNumbers#NONE}, is
 *     skipped), as {@link NetworkCalls#register} does for connect, bind and listen; a
 *     {@link Builder#warmUp warm-up} of its own path keeps the child's first call from paying for
 *     class loading, for a group whose calls come often and early (connect: the network group); a
 *     supervisor with no warm-up registered runs none.</li>
 * <li>{@link RunSupervision#start} refuses to start when the filter routes a call that has no
 *     handler (the call would fail with ENOSYS); {@code SupervisorTest} checks it for every policy.</li>
 * </ol>
 */
public final class Supervisor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("halt");
    private static final int MAX_WORKERS = 8;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** A handler and the call name it was registered under. */
    private record Registered(String call, Handler handler) {}

    /** Each supervisor's threads by their own name: halt-supervisor-N-M. */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final String name = "halt-supervisor-" + INSTANCES.incrementAndGet();
    private final Map<Integer, Registered> handlers;
    private final List<Runnable> warmUps;
    private final CompletableFuture<Integer> listener = new CompletableFuture<>();
    private final int wakeup;
    /** A timerfd, armed while the leader serves a call: when it fires, a standby takes the leadership over. */
    private final int watchdog;
    /** Guards the roles below; never held while taking this supervisor's own lock (addWorker). */
    private final Object roles = new Object();
    /** The worker that polls the listener; null before the first, or after one failed. */
    private Thread leader;
    /** Whether the leader is serving a call, and since when ({@code System.nanoTime()}). */
    private boolean leaderServing;
    private long servingSince;
    /** Workers waiting on the watchdog, and workers started to be one. */
    private int standbys;
    /** Whether the watchdog is armed and its expiry not read yet. */
    private boolean watchdogArmed;
    /** The run is over (the eventfd, or no filtered task left): every worker leaves. */
    private boolean over;
    private final AtomicBoolean listenerFlagsSet = new AtomicBoolean();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private volatile Thread warmingUp;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Integer> warnedUnhandled = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Supervisor(Map<Integer, Registered> handlers, List<Runnable> warmUps) throws ErrnoException {
        this.handlers = Map.copyOf(handlers);
        this.warmUps = List.copyOf(warmUps);
        this.wakeup = (int) Syscall.call("eventfd2", Syscall.TABLE.eventfd2(), 0, EFD_CLOEXEC() | EFD_NONBLOCK(), 0, 0, 0, 0);
        try {
            this.watchdog = (int) Syscall.call("timerfd_create", Syscall.TABLE.timerfdCreate(), CLOCK_MONOTONIC(),
                TFD_CLOEXEC() | TFD_NONBLOCK(), 0, 0, 0, 0);
        } catch (ErrnoException e) {
            Syscall.close(wakeup);
            throw e;
        }
    }

    /** Starts one more worker, a standby, unless closing or at the limit; on halt's threads only (never the jailer). */
    private synchronized void addWorker() {
        if (closed.get() || workers.size() >= MAX_WORKERS) return;
        synchronized (roles) {
            standbys++;
        }
        var worker = Thread.ofPlatform().daemon(true).name(name + "-" + workers.size()).unstarted(this::work);
        workers.add(worker);
        worker.start();
    }

    /** A supervisor with no handler yet. */
    public static Builder builder() {
        return new Builder();
    }

    /** Registers handlers, then starts the supervisor. */
    public static final class Builder {
        private final Map<Integer, Registered> handlers = new LinkedHashMap<>();
        private final List<Runnable> warmUps = new java.util.ArrayList<>();

        private Builder() {}

        /**
         * Runs {@code warmUp} on a thread of its own at the start: the handlers' classes
         * and calls, exercised on halt's own objects, are then loaded, linked and partly compiled
         * when the first call of the child waits (measured: the first connect took 7 to 9 ms without).
         * The warm-up costs CPU while the launch competes for it (17-34 ms measured with the
         * supervisor's classes outside the start-up cache, 5-9 ms inside): without a warm-up
         * registered (a run whose supervisor decides only metadata changes, which come seldom)
         * there is none, and the first call pays for its class loading instead.
         */
        public Builder warmUp(Runnable warmUp) {
            warmUps.add(warmUp);
            return this;
        }

        /**
         * Serves system call {@code nr} (named {@code call}) with {@code handler}. A number this
         * architecture lacks ({@link SyscallNumbers#NONE}) is skipped.
         */
        public Builder handle(String call, int nr, Handler handler) {
            if (nr == SyscallNumbers.NONE) return this;
            var previous = handlers.putIfAbsent(nr, new Registered(call, handler));
            if (previous != null) throw new IllegalStateException(call + " (" + nr + ") already has a handler, for " + previous.call());
            return this;
        }

        /** The names of the calls registered so far. */
        public Set<String> calls() {
            var names = new java.util.LinkedHashSet<String>();
            handlers.values().forEach(r -> names.add(r.call()));
            return names;
        }

        /**
         * Starts the first two workers, which wait for {@link #attach(int)}. Call it from an ordinary thread of
         * halt's, never from the jailer.
         */
        public Supervisor start() throws ErrnoException {
            var supervisor = new Supervisor(handlers, warmUps);
            // The leader and a standby: the first call does not wait for a thread to start.
            supervisor.addWorker();
            supervisor.addWorker();
            // Its own thread, which ends with it: the first call must not wait for it.
            if (!warmUps.isEmpty()) {
                supervisor.warmingUp = Thread.ofPlatform().daemon(true).name(supervisor.name + "-warm-up").start(supervisor::warmUp);
            }
            return supervisor;
        }
    }

    /** Waits for the warm-up to end (the training run, whose start-up cache must hold what it loaded). */
    void awaitWarmUp() throws InterruptedException {
        var warm = warmingUp;
        if (warm != null) warm.join(CLOSE_WAIT);
    }

    /** The name its threads' names start with. */
    String threadName() {
        return name;
    }

    /**
     * Hands over the listener the jailer's filter returned. Starts nothing and runs nothing on the
     * calling thread (the jailer). When the supervisor was closed meanwhile, the listener is closed
     * here: the child's routed calls then fail with ENOSYS.
     */
    public void attach(int listenerFd) {
        if (!listener.complete(listenerFd)) Syscall.close(listenerFd);
    }

    /** A worker: standby or leader in turn, until the eventfd or POLLHUP says the run is over. */
    private void work() {
        var me = Thread.currentThread();
        // Started as a standby (addWorker counted it); the leadership is taken in standBy.
        var role = Role.STANDBY;
        try {
            int fd;
            try {
                fd = listener.get();
            } catch (InterruptedException | ExecutionException | CancellationException e) {
                return;
            }
            if (listenerFlagsSet.compareAndSet(false, true)) wakeOnCurrentCpu(fd);
            try (var arena = Arena.ofConfined()) {
                var buffer = arena.allocate(NotificationSizes.get().notification());
                var resp = arena.allocate(NotificationSizes.get().response());
                var scratch = new Scratch(arena);
                var listening = pollfds(arena, fd);
                var standingBy = pollfds(arena, watchdog);
                var expiry = itimerspec.allocate(arena);
                var noWait = timespec.allocate(arena);
                while (true) {
                    if (role == Role.STANDBY) {
                        if (!standBy(standingBy, expiry)) return;
                        role = Role.LEADER;
                    }
                    var call = receive(fd, listening, buffer);
                    if (call == null) {
                        synchronized (roles) {
                            over = true;
                            leader = null;
                            role = Role.SERVING;
                            // The standbys wake, see `over` and leave.
                            setWatchdog(expiry, 1);
                        }
                        return;
                    }
                    // Another call waits already (threads of the child calling at once): a standby receives it
                    // while this one is served.
                    boolean handOver = waiting(listening, noWait);
                    boolean noStandby;
                    synchronized (roles) {
                        if (handOver) {
                            leader = null;
                            role = Role.SERVING;
                            setWatchdog(expiry, 1);
                        } else {
                            leaderServing = true;
                            servingSince = System.nanoTime();
                            // Armed for a run of calls, not per call: the standby that reads the expiry arms it again.
                            if (!watchdogArmed) setWatchdog(expiry, TAKEOVER_NANOS);
                        }
                        noStandby = standbys == 0;
                    }
                    if (noStandby) addWorker();
                    serve(fd, call, resp, scratch);
                    synchronized (roles) {
                        if (leader == me) {
                            leaderServing = false;
                        } else {
                            // A standby took over while this call was served.
                            role = Role.SERVING;
                            if (over) return;
                            standbys++;
                            role = Role.STANDBY;
                        }
                    }
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "supervisor: a worker stopped: " + e + "; another takes over when one is left,"
                + " otherwise the child's routed calls fail with ENOSYS");
        } finally {
            boolean noStandby = false;
            synchronized (roles) {
                if (role == Role.STANDBY) standbys--;
                if (leader == me) {
                    // A standby takes the vacant leadership when the watchdog fires.
                    leader = null;
                    try (var arena = Arena.ofConfined()) {
                        setWatchdog(itimerspec.allocate(arena), 1);
                    }
                    noStandby = standbys == 0 && !over;
                }
            }
            if (noStandby) addWorker();
        }
    }

    /** What a worker is: counted in {@code standbys}, the leader, or neither (serving a call after a takeover, or leaving). */
    private enum Role { STANDBY, LEADER, SERVING }

    /**
     * As a standby: waits on the watchdog and the eventfd until the leadership is vacant or its holder
     * has served one call for long, then takes it (true); false when the run is over. The standby that
     * reads an expiry arms the watchdog again while the leader serves a call, for the rest of that
     * call's time; a leader that waits for the next call leaves it disarmed.
     */
    private boolean standBy(MemorySegment fds, MemorySegment expiry) {
        var me = Thread.currentThread();
        var count = expiry.asSlice(0, 8);
        boolean expired = false;
        while (true) {
            synchronized (roles) {
                if (over) return false;
                if (expired) watchdogArmed = false;
                long serving = System.nanoTime() - servingSince;
                // Half the time: the watchdog may have been armed during an earlier call than the one served now.
                if (leader == null || leaderServing && serving >= TAKEOVER_NANOS / 2) {
                    if (leader != null && LOG.isLoggable(Level.DEBUG)) {
                        LOG.log(Level.DEBUG, "supervisor: a call is taking over " + serving / 1000 + " us; " + me.getName() + " receives the next ones");
                    }
                    leader = me;
                    leaderServing = false;
                    standbys--;
                    return true;
                }
                if (expired && leaderServing) setWatchdog(expiry, TAKEOVER_NANOS - serving);
            }
            int events = await(fds, "on the watchdog");
            if (events < 0 || (events & (POLLERR() | POLLNVAL())) != 0) return false;
            // Non-blocking: of the standbys that woke, the one that reads the expiry handles it.
            expired = (events & POLLIN()) != 0
                && Syscall.callRaw(Syscall.TABLE.read(), watchdog, count.address(), 8, 0, 0, 0) == 8;
        }
    }

    /** Whether another notification is pending on the listener, the first of {@code fds}: a poll that does not wait. */
    private static boolean waiting(MemorySegment fds, MemorySegment noWait) {
        long r = Syscall.callRaw(Syscall.TABLE.ppoll(), fds.address(), 1, noWait.address(), 0, 0, 0);
        return r > 0 && (pollfd.revents(pollfd.asSlice(fds, 0)) & POLLIN()) != 0;
    }

    /**
     * Arms the watchdog to fire once in {@code nanos} ({@code expiry} is the caller's, overwritten); with
     * {@link #roles} held.
     */
    private void setWatchdog(MemorySegment expiry, long nanos) {
        nanos = Math.max(1, nanos);
        expiry.fill((byte) 0);
        timespec.tv_sec(itimerspec.it_value(expiry), nanos / 1_000_000_000L);
        timespec.tv_nsec(itimerspec.it_value(expiry), nanos % 1_000_000_000L);
        long r = Syscall.callRaw(Syscall.TABLE.timerfdSettime(), watchdog, 0, expiry.address(), 0, 0, 0);
        if (r < 0) LOG.log(Level.DEBUG, "supervisor: timerfd_settime failed, errno " + -r);
        else watchdogArmed = true;
    }

    /** The two descriptors a worker polls: {@code fd} and the eventfd. */
    private MemorySegment pollfds(Arena arena, int fd) {
        var fds = pollfd.allocateArray(2, arena);
        pollfd.fd(pollfd.asSlice(fds, 0), fd);
        pollfd.events(pollfd.asSlice(fds, 0), (short) POLLIN());
        pollfd.fd(pollfd.asSlice(fds, 1), wakeup);
        pollfd.events(pollfd.asSlice(fds, 1), (short) POLLIN());
        return fds;
    }

    /**
     * Sets the listener to SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6): see the class comment. An
     * older kernel answers EINVAL (an unknown ioctl of the listener): the run goes on without it.
     */
    private static void wakeOnCurrentCpu(int fd) {
        long r = Syscall.callRaw(Syscall.TABLE.ioctl(), fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS(), SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP(), 0, 0, 0);
        if (!LOG.isLoggable(Level.DEBUG)) return;
        LOG.log(Level.DEBUG, r == 0 ? "supervisor: the kernel wakes the supervisor and the child on the waker's CPU (SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)"
            : "supervisor: no synchronous wake-ups on this kernel (SECCOMP_IOCTL_NOTIF_SET_FLAGS: errno " + -r + "; Linux 6.6 has them)");
    }

    /** On a thread of its own, while the jailer and the child start: see {@link Builder#warmUp}. */
    private void warmUp() {
        long start = System.nanoTime();
        try (var arena = Arena.ofConfined()) {
            var buffer = arena.allocate(NotificationSizes.get().notification());
            var resp = arena.allocate(NotificationSizes.get().response());
            var responses = List.of(Response.ok(), Response.error(Errno.EACCES), Response.proceed());
            var scratch = new Scratch(arena);
            for (int i = 0; i < WARM_UP_ROUNDS && !closed.get(); i++) {
                ChildView.warmUp(wakeup, scratch);
                var call = decode(buffer);
                for (var response : responses) encode(resp, call, response);
                warmUps.forEach(Runnable::run);
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.DEBUG, "supervisor: warm-up failed: " + e);
        }
        if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "supervisor: warmed up in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    /**
     * How long the leader serves one call before a standby receives the next ones: far above a call's
     * usual time (10 to 100 us), below what a user would notice, and above the kernel's tick (4 ms at
     * HZ=250), so that arming the timer seldom reprograms the CPU's timer (0.6 us instead of 1.8 us
     * measured in a VM).
     */
    private static final long TAKEOVER_NANOS = 5_000_000;

    /**
     * Rounds of the warm-up: interpreted, the path of one connect cost ~13 us of Java work alone
     * (0.5 us compiled), and the C1 compiler takes a method after a few hundred calls.
     */
    private static final int WARM_UP_ROUNDS = 5;

    /**
     * Waits in {@code ppoll} on {@code fds}, a descriptor and the eventfd: the descriptor's
     * {@code revents}, or -1 when the run is over (the eventfd) or the poll failed ({@code what}
     * goes into the warning).
     */
    private static int await(MemorySegment fds, String what) {
        while (true) {
            long r = Syscall.callRaw(Syscall.TABLE.ppoll(), fds.address(), 2, 0, 0, 0, 0);
            if (r == -Errno.EINTR) continue;
            if (r < 0) {
                LOG.log(Level.WARNING, "supervisor: ppoll failed (errno " + -r + ") " + what);
                return -1;
            }
            if (pollfd.revents(pollfd.asSlice(fds, 1)) != 0) return -1;
            return pollfd.revents(pollfd.asSlice(fds, 0));
        }
    }

    /**
     * As the leader: waits for a notification and receives it, or null when the run is over (the
     * eventfd, or POLLHUP: no filtered task left).
     */
    private Notification receive(int fd, MemorySegment fds, MemorySegment buffer) {
        while (true) {
            int events = await(fds, "on the listener; the child's routed calls fail with ENOSYS");
            if (events < 0) return null;
            if ((events & POLLIN()) != 0) {
                var call = receiveOne(fd, buffer);
                if (call != null) return call;
            } else if ((events & (POLLHUP() | POLLERR() | POLLNVAL())) != 0) {
                return null;
            }
        }
    }

    /**
     * One SECCOMP_IOCTL_NOTIF_RECV into the zeroed buffer (the kernel refuses a dirty one); null when
     * the caller was killed between the wake-up and the receive (ENOENT).
     */
    private static Notification receiveOne(int fd, MemorySegment buffer) {
        buffer.fill((byte) 0);
        long r = Syscall.callRaw(Syscall.TABLE.ioctl(), fd, SECCOMP_IOCTL_NOTIF_RECV(), buffer.address(), 0, 0, 0);
        if (r < 0) {
            if (r != -Errno.ENOENT && r != -Errno.EINTR) LOG.log(Level.DEBUG, "supervisor: receive failed, errno " + -r);
            return null;
        }
        return decode(buffer);
    }

    /**
     * The fields of a received struct seccomp_notif, read in one copy: while a run's first calls are
     * interpreted, a field read of native memory costs ~0.5 us, the copy into an array ~2.5 us.
     */
    private static Notification decode(MemorySegment buffer) {
        // id, pid and flags, then seccomp_data: nr, arch, instruction_pointer, args: 80 bytes, ten words.
        var words = new long[(int) (seccomp_notif.sizeof() / 8)];
        MemorySegment.copy(buffer, ValueLayout.JAVA_LONG, 0, words, 0, words.length);
        long args = seccomp_notif.data$offset() + seccomp_data.args$offset();
        return new Notification(words[0], intAt(words, seccomp_notif.pid$offset()),
            intAt(words, seccomp_notif.data$offset() + seccomp_data.nr$offset()),
            intAt(words, seccomp_notif.data$offset() + seccomp_data.arch$offset()),
            java.util.Arrays.copyOfRange(words, (int) (args / 8), (int) (args / 8) + 6));
    }

    /** The native-order int at byte {@code offset} (a multiple of 4) of memory read as {@code words}. */
    private static int intAt(long[] words, long offset) {
        long word = words[(int) (offset / 8)];
        boolean low = (offset % 8 == 0) == LITTLE_ENDIAN;
        return (int) (low ? word : word >>> 32);
    }

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    private void serve(int fd, Notification call, MemorySegment resp, Scratch scratch) {
        if (call.arch() != Syscall.TABLE.auditArch()) {
            // The filter refuses other ABIs before any rule; this cannot be routed here.
            answer(fd, call, Response.error(Errno.ENOSYS), resp);
            return;
        }
        var registered = handlers.get(call.nr());
        if (registered == null) {
            if (warnedUnhandled.add(call.nr())) {
                LOG.log(Level.WARNING, "supervisor: system call " + call.nr() + " is routed here but has no handler; it fails with ENOSYS");
            }
            answer(fd, call, Response.error(Errno.ENOSYS), resp);
            return;
        }
        Response response;
        try (var child = new ChildView(fd, call, scratch)) {
            response = registered.handler().handle(call, child);
        } catch (ChildView.GoneException gone) {
            return;
        } catch (ChildView.UnreadableException e) {
            if (LOG.isLoggable(Level.DEBUG)) LOG.log(Level.DEBUG, "supervisor: " + registered.call() + ": " + e.getMessage());
            response = Response.error(e.errno());
        } catch (RuntimeException e) {
            // A bug here must not leave the child waiting, nor let the call through.
            LOG.log(Level.WARNING, "supervisor: the " + registered.call() + " handler failed: " + e + "; the call fails with EACCES");
            response = Response.error(Errno.EACCES);
        }
        answer(fd, call, response, resp);
    }

    /** SECCOMP_IOCTL_NOTIF_SEND from the worker's {@code resp}; ENOENT means the caller stopped waiting meanwhile (killed). */
    private static void answer(int fd, Notification call, Response response, MemorySegment resp) {
        encode(resp, call, response);
        long r = Syscall.callRaw(Syscall.TABLE.ioctl(), fd, SECCOMP_IOCTL_NOTIF_SEND(), resp.address(), 0, 0, 0);
        if (r < 0 && r != -Errno.ENOENT) LOG.log(Level.DEBUG, "supervisor: answering " + call + " failed, errno " + -r);
    }

    /** struct seccomp_notif_resp {id, val, error, flags} for {@code response}, written in one copy. */
    private static void encode(MemorySegment resp, Notification call, Response response) {
        long val = 0;
        int error = 0, flags = 0;
        // Not a pattern switch: its bootstrap's method handles run interpreted in a run's first calls.
        if (response instanceof Response.Return r) val = r.value();
        else if (response instanceof Response.Failure f) error = -f.errno();
        else if (response instanceof Response.Continue) flags = (int) SECCOMP_USER_NOTIF_FLAG_CONTINUE();
        else throw new IllegalArgumentException("not a response: " + response);
        long last = LITTLE_ENDIAN ? (error & 0xffff_ffffL) | ((long) flags << 32) : ((long) error << 32) | (flags & 0xffff_ffffL);
        MemorySegment.copy(new long[] {call.id(), val, last}, 0, resp, ValueLayout.JAVA_LONG, 0, 3);
    }

    /**
     * Ends the supervisor: wakes the leader, lets the workers finish the calls they hold (waiting at
     * most 2 s), and closes the listener, so that every call still waiting, and every later one, fails
     * with ENOSYS. A worker still in a call then answers into a closed listener, which fails harmlessly.
     */
    @Override
    public void close() {
        synchronized (this) {
            // With addWorker's lock: no worker starts after this.
            if (closed.getAndSet(true)) return;
        }
        listener.cancel(false);
        try (var arena = Arena.ofConfined()) {
            var one = arena.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1);
            Syscall.callRaw(Syscall.TABLE.write(), wakeup, one.address(), 8, 0, 0, 0);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        boolean stopped = true;
        try {
            var warm = warmingUp;
            // The warm-up makes its calls on the eventfd: it must not be closed under it.
            if (warm != null && !warm.join(CLOSE_WAIT)) stopped = false;
            for (var worker : workers) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !worker.join(Duration.ofNanos(left))) stopped = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        // A worker still in a call answers it and polls again afterwards: the eventfd stays open for it
        // to see the end. The listener is closed all the same, so that the calls still waiting fail with
        // ENOSYS; an answer into its number, reused meanwhile, cannot match (a listener's ids start at a
        // random value).
        if (stopped) {
            Syscall.close(wakeup);
            Syscall.close(watchdog);
        } else LOG.log(Level.DEBUG, "supervisor: a worker is still in a call after " + CLOSE_WAIT.toMillis() + " ms");
        if (listener.isDone() && !listener.isCancelled()) Syscall.close(listener.join());
    }

    /** The running kernel's sizes of the notification structs ({@code SECCOMP_GET_NOTIF_SIZES}). */
    record NotificationSizes(long notification, long response) {
        private static volatile NotificationSizes cached;

        static NotificationSizes get() {
            var sizes = cached;
            if (sizes != null) return sizes;
            try (var arena = Arena.ofConfined()) {
                var out = seccomp_notif_sizes.allocate(arena);
                long r = Syscall.callRaw(Syscall.TABLE.seccomp(), SECCOMP_GET_NOTIF_SIZES(), 0, out.address(), 0, 0, 0);
                if (r < 0) throw new IllegalStateException("seccomp(SECCOMP_GET_NOTIF_SIZES): errno " + -r);
                sizes = new NotificationSizes(Math.max(Short.toUnsignedInt(seccomp_notif_sizes.seccomp_notif(out)), seccomp_notif.sizeof()),
                    Math.max(Short.toUnsignedInt(seccomp_notif_sizes.seccomp_notif_resp(out)), seccomp_notif_resp.sizeof()));
            }
            cached = sizes;
            return sizes;
        }
    }
}
