package dev.halt.core.linux.supervisor;

import dev.halt.core.linux.seccomp.BpfAssembler;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Prctl;
import dev.halt.core.linux.seccomp.Seccomp;
import dev.halt.core.linux.seccomp.SeccompPolicy;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.linux.sys.ThrowawayThread;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.seccomp_data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.halt.ffm.linux.seccomp_h.*;

/**
 * Whether the supervisor can run here. Each piece it needs: a seccomp listener with
 * {@code WAIT_KILLABLE_RECV} (Linux 5.0 and 5.19; without it a signal arriving after halt connected
 * makes the child retry the connect and get EALREADY or EISCONN), {@code pidfd_open} (5.3),
 * {@code pidfd_getfd} (5.6), {@code process_vm_readv}, and a Yama {@code ptrace_scope} below 2 (2 and 3
 * forbid {@code pidfd_getfd} and {@code process_vm_readv} on the child).
 *
 * <p>{@link #forRun()} checks them in a few system calls on halt's own process, nothing installed
 * (every launch asks; the answer is kept); {@link #probe()}, for {@code halt check}, runs the whole
 * round trip for real: a throwaway thread installs a filter with a listener, starts {@code /bin/sh},
 * and a supervisor reads the child's memory, takes its descriptor and answers its call.
 */
public final class SupervisorSupport {
    private SupervisorSupport() {}

    /**
     * Whether the supervisor can run, and what was verified or why not.
     *
     * @param available every piece is there
     * @param detail    what was verified, or the first piece missing, for a person
     */
    public record Result(boolean available, String detail) {}

    private static volatile Result cached;

    /**
     * The system property that switches the supervisor off ({@code -Dhalt.supervisor=off}): runs then
     * fall back to Landlock's port rules, with their warnings, as on a kernel without it. For
     * comparisons (bench/compare.sh) and for seeing an attack test fail without it.
     */
    public static final String SWITCH = "halt.supervisor";

    /** The pieces, checked once per JVM without installing anything. */
    public static Result forRun() {
        if ("off".equals(System.getProperty(SWITCH))) return new Result(false, "switched off (-D" + SWITCH + "=off)");
        var result = cached;
        if (result == null) cached = result = checkPieces();
        return result;
    }

    private static Result checkPieces() {
        try {
            Supervisor.NotificationSizes.get();
        } catch (IllegalStateException e) {
            return new Result(false, "no seccomp user notification (Linux 5.0): " + e.getMessage());
        }
        var flags = listenerFlags();
        if (flags != null) return new Result(false, flags);
        var yama = yama();
        if (yama != null) return new Result(false, yama);
        long pidfd = Syscall.callRaw(Syscall.TABLE.pidfdOpen(), ProcessHandle.current().pid(), 0, 0, 0, 0, 0);
        if (pidfd < 0) return new Result(false, "no pidfd_open (Linux 5.3): errno " + -pidfd);
        try {
            long copy = Syscall.callRaw(Syscall.TABLE.pidfdGetfd(), pidfd, pidfd, 0, 0, 0, 0);
            if (copy < 0) return new Result(false, "no pidfd_getfd (Linux 5.6), or it is refused here: errno " + -copy);
            Syscall.close((int) copy);
        } finally {
            Syscall.close((int) pidfd);
        }
        long read = readOwnMemory();
        if (read < 0) return new Result(false, "process_vm_readv is refused here: errno " + -read);
        var listener = listenerAllowed();
        if (listener != null) return new Result(false, listener);
        return new Result(true, "seccomp listener with WAIT_KILLABLE_RECV, pidfd_open, pidfd_getfd, process_vm_readv");
    }

    /**
     * seccomp(SET_MODE_FILTER) with the listener flags and no program: a kernel that knows the flags
     * fails on the NULL program (EFAULT) and installs nothing; one that does not answers EINVAL.
     */
    private static String listenerFlags() {
        long both = SECCOMP_FILTER_FLAG_NEW_LISTENER() | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV();
        long r = Syscall.callRaw(Syscall.TABLE.seccomp(), SECCOMP_SET_MODE_FILTER(), both, 0, 0, 0, 0);
        if (r == -Errno.EFAULT) return null;
        long alone = Syscall.callRaw(Syscall.TABLE.seccomp(), SECCOMP_SET_MODE_FILTER(), SECCOMP_FILTER_FLAG_NEW_LISTENER(), 0, 0, 0, 0);
        if (alone == -Errno.EFAULT) return "no SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19)";
        return "no seccomp listener (SECCOMP_FILTER_FLAG_NEW_LISTENER, Linux 5.0): errno " + -r;
    }

    /** Yama's ptrace_scope 2 (admin only) and 3 (none) forbid halt to read the child or take its descriptors. */
    private static String yama() {
        var file = Path.of("/proc/sys/kernel/yama/ptrace_scope");
        try {
            int scope = Integer.parseInt(Files.readString(file).strip());
            return scope >= 2 ? "Yama ptrace_scope is " + scope + " (" + file + "): halt may not take the child's"
                + " sockets (pidfd_getfd) nor read its memory; 0 or 1 allows it for halt's own children" : null;
        } catch (IOException | NumberFormatException e) {
            return null; // no Yama
        }
    }

    private static long readOwnMemory() {
        try (var arena = Arena.ofConfined()) {
            var source = arena.allocate(ValueLayout.JAVA_LONG);
            source.set(ValueLayout.JAVA_LONG, 0, 0x68616c74L);
            var target = arena.allocate(ValueLayout.JAVA_LONG);
            var local = dev.halt.ffm.linux.iovec.allocate(arena);
            dev.halt.ffm.linux.iovec.iov_base(local, target.address());
            dev.halt.ffm.linux.iovec.iov_len(local, 8);
            var remote = dev.halt.ffm.linux.iovec.allocate(arena);
            dev.halt.ffm.linux.iovec.iov_base(remote, source.address());
            dev.halt.ffm.linux.iovec.iov_len(remote, 8);
            long r = Syscall.callRaw(Syscall.TABLE.processVmReadv(), ProcessHandle.current().pid(), local.address(), 1,
                remote.address(), 1, 0);
            if (r < 0) return r;
            return target.get(ValueLayout.JAVA_LONG, 0) == 0x68616c74L ? 0 : -Errno.EFAULT;
        }
    }

    /**
     * Only one filter of a thread's chain may have a listener: when halt itself runs under a filter
     * (a container's), a throwaway thread tries to install one (EBUSY when a listener is there).
     */
    private static String listenerAllowed() {
        try {
            if (Prctl.seccompMode() == 0) return null;
            ThrowawayThread.run("halt-probe-listener", Duration.ofSeconds(5), () -> {
                Prctl.setNoNewPrivs();
                Syscall.close(Seccomp.installWithListener(allowAll()));
                return null;
            });
            return null;
        } catch (ErrnoException e) {
            return e.errno() == Errno.EBUSY
                ? "halt runs under a seccomp filter that already has a listener (a container's supervisor): a thread may have one"
                : "cannot install a seccomp filter with a listener: " + e.getMessage();
        } catch (Exception e) {
            return "cannot install a seccomp filter with a listener: " + e;
        }
    }

    private static java.util.List<dev.halt.core.linux.seccomp.BpfInstruction> allowAll() {
        return new BpfAssembler().ret(SeccompPolicy.ALLOW).assemble();
    }

    /**
     * For {@code halt check}: the whole round trip. A throwaway thread installs a filter that routes
     * {@code chdir} to a supervisor, with the listener flags of a run, and starts
     * {@code /bin/sh -c 'cd / || exit 42'}; the supervisor opens a pidfd of the calling thread, checks
     * the notification is valid, reads the path from the child's memory, takes the child's standard
     * output with {@code pidfd_getfd}, and answers ENOENT: the shell exiting 42 proves the answer came
     * from halt ({@code chdir("/")} itself cannot fail).
     */
    public static Result probe() {
        var pieces = forRun();
        if (!pieces.available()) return pieces;
        var seen = new AtomicReference<String>("no notification arrived");
        var how = new ArrayList<String>();
        try (var supervisor = Supervisor.builder().handle("chdir", Syscall.TABLE.chdir(), (call, child) -> {
                var path = new String(child.readString(call.arg(0), 4096), StandardCharsets.UTF_8);
                child.takeFd(1);
                seen.set(path.equals("/") ? null : "the supervisor read \"" + path + "\" instead of \"/\"");
                return Response.error(Errno.ENOENT);
            }).start()) {
            var sh = ThrowawayThread.run("halt-probe-supervisor", Duration.ofSeconds(10), () -> {
                Prctl.setNoNewPrivs();
                supervisor.attach(Seccomp.installWithListener(routing(Syscall.TABLE.chdir())));
                return new ProcessBuilder("/bin/sh", "-c", "cd / || exit 42").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            });
            if (!sh.waitFor(10, TimeUnit.SECONDS)) {
                sh.destroyForcibly();
                return new Result(false, "the probe's child (/bin/sh) waited more than 10 s for the supervisor's answer");
            }
            if (seen.get() != null) return new Result(false, seen.get());
            if (sh.exitValue() != 42) {
                return new Result(false, "the probe's child did not get the supervisor's answer (exit " + sh.exitValue() + ")");
            }
            how.add("a throwaway child's chdir was answered by halt: listener with WAIT_KILLABLE_RECV, pidfd_open"
                + (ChildView.threadPidfds() ? " (PIDFD_THREAD)" : " (the process: no PIDFD_THREAD before Linux 6.9)")
                + ", ID_VALID, process_vm_readv, pidfd_getfd; " + (yama() == null && Files.exists(Path.of("/proc/sys/kernel/yama"))
                    ? "Yama ptrace_scope allows it" : "no Yama"));
            return new Result(true, String.join("; ", how));
        } catch (ErrnoException e) {
            return new Result(false, e.getMessage());
        } catch (Exception e) {
            return new Result(false, "probe failed: " + e);
        }
    }

    /** A filter that routes system call {@code nr} to the supervisor and allows everything else. */
    private static java.util.List<dev.halt.core.linux.seccomp.BpfInstruction> routing(int nr) {
        var asm = new BpfAssembler();
        var refuse = asm.label("other ABI");
        var notify = asm.label("notify");
        asm.loadData((int) seccomp_data.arch$offset());
        asm.jumpIfEqual(Syscall.TABLE.auditArch(), null, refuse);
        asm.loadData((int) seccomp_data.nr$offset());
        asm.jumpIfEqual(nr, notify, null);
        asm.ret(SeccompPolicy.ALLOW);
        asm.bind(notify);
        asm.ret(SeccompPolicy.NOTIFY);
        asm.bind(refuse);
        asm.ret(SeccompPolicy.REFUSE);
        return asm.assemble();
    }
}
