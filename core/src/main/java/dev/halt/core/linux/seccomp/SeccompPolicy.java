package dev.halt.core.linux.seccomp;

import dev.halt.core.linux.sys.Syscall;
import dev.halt.core.policy.NetworkMode;
import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.SyscallNumbers;
import dev.halt.ffm.linux.seccomp_data;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.halt.ffm.linux.filter_h.BPF_JSET;
import static dev.halt.ffm.linux.ioctls_h.TIOCLINUX;
import static dev.halt.ffm.linux.ioctls_h.TIOCSTI;
import static dev.halt.ffm.linux.ioprio_h.IOPRIO_WHO_PGRP;
import static dev.halt.ffm.linux.ioprio_h.IOPRIO_WHO_USER;
import static dev.halt.ffm.linux.resource_h.PRIO_PGRP;
import static dev.halt.ffm.linux.resource_h.PRIO_USER;
import static dev.halt.ffm.linux.seccomp_h.*;
import static dev.halt.ffm.linux.socket_h.*;
import static dev.halt.ffm.linux.stat_h.S_ISGID;
import static dev.halt.ffm.linux.stat_h.S_ISUID;

/**
 * The seccomp filter of a sandboxed run, as an immutable value that compiles to a classic BPF
 * program ({@link #compile(SyscallNumbers)}) and describes itself for {@code halt run -v}
 * ({@link #describe()}).
 *
 * <p>The filter is a table ({@link #rules(SyscallNumbers)}): each inspected system call has one
 * {@link Check} of its registers, which names the action of a match. Only registers are read,
 * never memory the child could change after the check. A call handed to halt's supervisor
 * ({@link dev.halt.core.linux.supervisor.Supervisor}) has the action {@link #NOTIFY}: the groups in
 * {@code supervised} say which ({@link Supervised}); the program's layout follows the table.
 *
 * <p>In every mode, {@code unrestricted} included (the filesystem sandbox always runs), it refuses:
 * <ul>
 * <li>terminal input injection: {@code ioctl} {@code TIOCSTI} and {@code TIOCLINUX};</li>
 * <li>{@code prlimit64} on another process with a new limit: Landlock does not govern it, and a
 *     lowered {@code RLIMIT_CPU} or {@code RLIMIT_NOFILE} kills or breaks a process outside of the
 *     same user. Every common caller (shell {@code ulimit}, {@code setrlimit}) passes pid 0;</li>
 * <li>{@code setpriority} and {@code ioprio_set} for a process group or a user. The per-pid forms
 *     stay: {@code pthread_setschedparam} and friends pass a thread id, which BPF cannot tell from
 *     another process's id; what they leave is a denial of service on processes of the same user;</li>
 * <li>the setuid and setgid bits in the {@code mode} of {@code chmod}, {@code fchmod},
 *     {@code fchmodat}, {@code fchmodat2}, {@code open}, {@code openat}, {@code creat},
 *     {@code mkdir}, {@code mkdirat}, {@code mknod} and {@code mknodat}, whatever the flags
 *     ({@code O_TMPFILE} and {@code linkat} make a file without {@code O_CREAT}); {@code openat2}
 *     gets ENOSYS, its mode being behind a pointer;</li>
 * <li>the keyring calls {@code keyctl}, {@code add_key} and {@code request_key};</li>
 * <li>io_uring, whose operations open files, make directories and sockets without the system
 *     calls this filter inspects;</li>
 * <li>{@code socket(AF_UNIX, ...)} unless {@code allowUnixSockets}: Landlock does not govern
 *     connecting to a pathname socket, and a reachable {@code docker.sock} or D-Bus is a way out.</li>
 * </ul>
 * Every number above {@link SyscallNumbers#highestKnown()} gets ENOSYS: a call added after this filter
 * was written does not pass unexamined.
 *
 * <p>Not refused here: metadata changes other than those two bits, which Landlock does not govern
 * either: {@code chmod} and friends, {@code chown}, {@code lchown}, {@code fchown},
 * {@code fchownat}, {@code utime}, {@code utimes}, {@code futimesat}, {@code utimensat}, the
 * {@code setxattr} and {@code removexattr} families, {@code setxattrat} and {@code removexattrat}
 * (Linux 6.13) and {@code file_setattr} (6.17). With privileges a read-only mount namespace covers
 * them; without, {@link Supervised#METADATA} routes every one of them to the supervisor, which
 * allows a change inside the write grants only (the set-id bits of a mode are still refused here
 * first: the rule of {@code chmod} and friends is "EPERM with those bits, else notify").
 *
 * <p>In the isolated network modes ({@link Sockets#FAMILIES} and {@link Sockets#TCP_ONLY}) the
 * socket families are an allowlist: {@code AF_INET}, {@code AF_INET6}, {@code AF_UNIX} when
 * allowed, {@code AF_NETLINK} with {@code NETLINK_ROUTE} only; {@code socketpair} is
 * {@code AF_UNIX} only. {@code AF_VSOCK} in particular is not namespaced: it reaches the hypervisor
 * host from any network namespace. Without a network namespace ({@link Sockets#TCP_ONLY}) the
 * Internet sockets are TCP streams only, sends with {@code MSG_FASTOPEN} are refused, and so is
 * {@code listen} unless {@code allowLocalBinding}: Landlock's rules govern TCP {@code connect} and
 * {@code bind} only, a Fast Open send connects without the connect hook, and {@code listen} on an
 * unbound socket binds an ephemeral port on every address without the bind hook. With
 * {@code allowUnixSockets}, {@code listen} stays allowed ({@link #leavesAutobindOpen()}): BPF cannot
 * tell a unix socket from a TCP one there.
 *
 * <p>With {@link Supervised#NETWORK} (rootless, when the supervisor runs) {@code connect} and
 * {@code bind} go to the supervisor, which decides on its own copy of the address and performs an
 * allowed call itself, and so does {@code listen} when it is not refused outright (with
 * {@code allowLocalBinding} or {@code allowUnixSockets}): then nothing is left open by
 * {@link #leavesAutobindOpen()}.
 *
 * <p>Refusals are {@code SECCOMP_RET_ERRNO} with EPERM, the unknown numbers and {@code openat2}
 * ENOSYS; the filter kills nothing. Its first instructions check {@code seccomp_data.arch}: a call
 * through another ABI (i386 {@code int 0x80} on x86_64, where numbers mean other calls) is refused
 * whole, and on x86_64 so is every number with the x32 bit.
 *
 * @param sockets           how far sockets are restricted, by network mode
 * @param allowUnixSockets  allow {@code socket(AF_UNIX, ...)} ({@code [sandbox] allow_unix_sockets})
 * @param allowUdp          with {@link Sockets#TCP_ONLY}, also allow UDP datagram sockets; no effect otherwise
 * @param allowLocalBinding with {@link Sockets#TCP_ONLY}, allow {@code listen}
 *                          ({@code [sandbox] allow_local_binding}); no effect otherwise
 * @param supervised        the groups of calls routed to halt's supervisor; {@link Supervised#NETWORK}
 *                          only with {@link Sockets#TCP_ONLY}; {@link Supervised#METADATA} in any mode
 */
public record SeccompPolicy(Sockets sockets, boolean allowUnixSockets, boolean allowUdp, boolean allowLocalBinding,
                            Set<Supervised> supervised) {

    public SeccompPolicy {
        supervised = supervised.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(supervised));
        if (supervised.contains(Supervised.NETWORK) && sockets != Sockets.TCP_ONLY) {
            throw new IllegalArgumentException("the supervisor serves the network only without a namespace (TCP_ONLY), not " + sockets);
        }
    }

    /** A policy that routes nothing to the supervisor. */
    public SeccompPolicy(Sockets sockets, boolean allowUnixSockets, boolean allowUdp, boolean allowLocalBinding) {
        this(sockets, allowUnixSockets, allowUdp, allowLocalBinding, Set.of());
    }

    /**
     * The groups of system calls the filter can route to halt's supervisor
     * ({@code SECCOMP_RET_USER_NOTIF}); each group's calls have handlers registered in the supervisor
     * under the same names.
     */
    public enum Supervised {
        /**
         * {@code connect} and {@code bind}, and {@code listen} unless it is refused outright: the rootless
         * network modes with exact addresses ({@link dev.halt.core.linux.supervisor.NetworkCalls}).
         */
        NETWORK,
        /**
         * Every call that changes a file's metadata (mode, owner, times, extended attributes, inode
         * flags): rootless runs, where no read-only mount namespace keeps the files outside the write
         * grants as they are and Landlock does not govern these calls
         * ({@link dev.halt.core.linux.supervisor.MetadataCalls}).
         */
        METADATA
    }

    /** How far the filter restricts sockets. */
    public enum Sockets {
        /** {@code unrestricted}: families unchecked ({@code AF_UNIX} aside). */
        OPEN,
        /**
         * An isolated mode in a network namespace of halt's own, where the namespace is the boundary
         * (UDP must stay open there: the child's resolver reaches halt's DNS listeners over it): the
         * family allowlist.
         */
        FAMILIES,
        /**
         * An isolated mode without a namespace, under Landlock's TCP rules: the family allowlist,
         * TCP streams only, no Fast Open sends, no {@code listen}.
         */
        TCP_ONLY
    }

    /**
     * The action of every refusal. EPERM rather than EAFNOSUPPORT for a refused socket family:
     * EAFNOSUPPORT tells a program the kernel lacks the family, and runtimes cache that and take
     * another path silently (a resolver drops to TCP, a library reports "IPv6 not supported"),
     * which hides the policy from the person reading the error. EPERM says "not allowed", is
     * what the kernel itself answers for raw sockets without CAP_NET_RAW, so every program
     * already handles it, and it is one errno for all of halt's seccomp refusals.
     */
    public static final int REFUSE = SECCOMP_RET_ERRNO() | (Errno.EPERM & SECCOMP_RET_DATA());

    /**
     * The action for a call the filter treats as absent: ENOSYS is what an older kernel answers,
     * so programs fall back to the older call ({@code openat2} to {@code openat}) as they already do.
     */
    public static final int ABSENT = SECCOMP_RET_ERRNO() | (Errno.ENOSYS & SECCOMP_RET_DATA());

    /** The action of everything the policy does not refuse. */
    public static final int ALLOW = SECCOMP_RET_ALLOW();

    /** The action of a call halt's supervisor decides: the caller waits for its answer. */
    public static final int NOTIFY = SECCOMP_RET_USER_NOTIF();

    /** The socket type flags that {@code socket(2)} accepts besides the type itself. */
    private static final int SOCK_FLAGS = SOCK_NONBLOCK() | SOCK_CLOEXEC();

    /** The mode bits refused in every {@code mode} argument. */
    static final int SET_ID_BITS = S_ISUID() | S_ISGID();

    /** The policy of {@code unrestricted}: the rules of every mode, the network untouched, AF_UNIX refused. */
    public static SeccompPolicy everyMode() {
        return new SeccompPolicy(Sockets.OPEN, false, false, false);
    }

    /** The policy of the isolated network modes without a network namespace, with no option set. */
    public static SeccompPolicy isolatedNetwork() {
        return new SeccompPolicy(Sockets.TCP_ONLY, false, false, false);
    }

    /**
     * The policy of a run.
     *
     * @param mode              the run's network mode
     * @param landlockTcp       whether the isolated mode is enforced by Landlock's TCP rules in the
     *                          host's network namespace (rootless) rather than by a namespace of halt's
     * @param allowUnixSockets  {@code [sandbox] allow_unix_sockets}
     * @param allowLocalBinding {@code [sandbox] allow_local_binding}
     */
    public static SeccompPolicy forRun(NetworkMode mode, boolean landlockTcp, boolean allowUnixSockets, boolean allowLocalBinding) {
        var sockets = mode == NetworkMode.UNRESTRICTED ? Sockets.OPEN : landlockTcp ? Sockets.TCP_ONLY : Sockets.FAMILIES;
        return new SeccompPolicy(sockets, allowUnixSockets, false, allowLocalBinding);
    }

    /** This policy with {@code allowUnixSockets} set to {@code value}. */
    public SeccompPolicy withAllowUnixSockets(boolean value) {
        return new SeccompPolicy(sockets, value, allowUdp, allowLocalBinding, supervised);
    }

    /** This policy with {@code allowUdp} set to {@code value}. */
    public SeccompPolicy withAllowUdp(boolean value) {
        return new SeccompPolicy(sockets, allowUnixSockets, value, allowLocalBinding, supervised);
    }

    /** This policy with {@code allowLocalBinding} set to {@code value}. */
    public SeccompPolicy withAllowLocalBinding(boolean value) {
        return new SeccompPolicy(sockets, allowUnixSockets, allowUdp, value, supervised);
    }

    /** This policy with {@code groups} routed to the supervisor. */
    public SeccompPolicy withSupervised(Set<Supervised> groups) {
        return new SeccompPolicy(sockets, allowUnixSockets, allowUdp, allowLocalBinding, groups);
    }

    /** Whether {@code listen} goes to the supervisor: the network is supervised and listen is not refused outright. */
    public boolean supervisesListen() {
        return supervised.contains(Supervised.NETWORK) && !refusesListen();
    }

    /** Whether {@code listen} is refused: without a namespace, unless binding (or unix sockets) is allowed. */
    public boolean refusesListen() {
        return sockets == Sockets.TCP_ONLY && !allowLocalBinding && !allowUnixSockets;
    }

    /**
     * Whether {@code listen} stays allowed only because unix sockets are: then {@code listen} on an
     * unbound TCP socket binds an ephemeral port on every address, which Landlock's bind rule does
     * not see. The launch warns about it.
     */
    public boolean leavesAutobindOpen() {
        return sockets == Sockets.TCP_ONLY && !allowLocalBinding && allowUnixSockets && !supervised.contains(Supervised.NETWORK);
    }

    /**
     * What the filter checks in one system call's registers, the action of a match and that of
     * the other calls ({@link #otherwise()}: allowed, or handed to the supervisor). Only the low 32
     * bits of an argument are compared where the kernel reads an int (it drops the upper half of the
     * register), so upper bits cannot hide a refused value. Equal checks share one block of the
     * program.
     */
    sealed interface Check {
        /** The action of a match. */
        int action();

        /** The action when the registers do not match: the call is allowed, unless a check says otherwise. */
        default int otherwise() {
            return ALLOW;
        }
    }

    /** The whole call. */
    record Always(int action) implements Check {}

    /** Any bit of {@code mask} set in the low 32 bits of argument {@code arg}: {@code action}, else {@code otherwise}. */
    record AnyBit(int arg, int mask, int action, int otherwise) implements Check {
        /** Any bit of {@code mask}: {@code action}; else allowed. */
        AnyBit(int arg, int mask, int action) {
            this(arg, mask, action, ALLOW);
        }
    }

    /** The low 32 bits of argument {@code arg} are one of {@code values}. */
    record OneOf(int arg, List<Integer> values, int action) implements Check {
        OneOf {
            values = List.copyOf(values);
        }
    }

    /** The low 32 bits of argument {@code arg} are none of {@code values}. */
    record NoneOf(int arg, List<Integer> values, int action) implements Check {
        NoneOf {
            values = List.copyOf(values);
        }
    }

    /**
     * {@code prlimit64(pid, resource, new_limit, old_limit)} on another process with a new limit: pid
     * (an int: low 32 bits) not 0, and {@code new_limit} (a pointer: both halves) not NULL. Reading
     * another process's limits stays allowed.
     */
    record OtherProcessLimit(int action) implements Check {}

    /** {@code socket(domain, type, protocol)}: the family allowlist of {@code sockets}. */
    record SocketFamilies(Sockets sockets, boolean allowUnix, boolean allowUdp, int action) implements Check {}

    /** One system call's entry in the table. */
    record Rule(String call, int nr, Check check) {}

    /**
     * The table for the architecture of {@code table}, in dispatch order (the calls checked on a
     * hot path first: {@code openat}, {@code ioctl}, the sends). Calls the architecture lacks are
     * left out.
     */
    List<Rule> rules(SyscallNumbers table) {
        var rules = new ArrayList<Rule>();
        add(rules, "openat", table.openat(), setIdBits(3));
        // ioctl(fd, cmd, arg): the kernel takes cmd as an unsigned int and drops the upper half of
        // the register, so 0xffffffff00005412 is TIOCSTI too: the low 32 bits alone are compared.
        add(rules, "ioctl", table.ioctl(), new OneOf(1, List.of(TIOCSTI(), TIOCLINUX()), REFUSE));
        if (sockets == Sockets.TCP_ONLY) {
            // sendto(fd, buf, len, flags, ...), sendmsg(fd, msg, flags), sendmmsg(fd, vec, vlen, flags):
            // MSG_FASTOPEN on a TCP socket connects inside the send, and no LSM sees that connect
            // (landlock-lsm/linux issue 41). TCP_FASTOPEN_CONNECT + connect() stays: that connect is Landlock's.
            add(rules, "sendto", table.sendto(), new AnyBit(3, MSG_FASTOPEN(), REFUSE));
            add(rules, "sendmsg", table.sendmsg(), new AnyBit(2, MSG_FASTOPEN(), REFUSE));
            add(rules, "sendmmsg", table.sendmmsg(), new AnyBit(3, MSG_FASTOPEN(), REFUSE));
        }
        if (sockets != Sockets.OPEN || !allowUnixSockets) {
            add(rules, "socket", table.socket(), new SocketFamilies(sockets, allowUnixSockets, allowUdp, REFUSE));
        }
        // socketpair's ends are connected to each other, but a TIPC pair (the one other family with
        // socketpair) could still send elsewhere.
        if (sockets != Sockets.OPEN) add(rules, "socketpair", table.socketpair(), new NoneOf(0, List.of(AF_UNIX()), REFUSE));
        if (supervised.contains(Supervised.NETWORK)) {
            // Every connect and bind: BPF cannot see the socket's family behind the descriptor, nor the
            // address behind the pointer; the supervisor answers a unix one CONTINUE.
            add(rules, "connect", table.connect(), new Always(NOTIFY));
            add(rules, "bind", table.bind(), new Always(NOTIFY));
        }
        if (refusesListen()) add(rules, "listen", table.listen(), new Always(REFUSE));
        else if (supervisesListen()) add(rules, "listen", table.listen(), new Always(NOTIFY));
        add(rules, "io_uring_setup", table.ioUringSetup(), new Always(REFUSE));
        add(rules, "io_uring_enter", table.ioUringEnter(), new Always(REFUSE));
        add(rules, "io_uring_register", table.ioUringRegister(), new Always(REFUSE));
        add(rules, "prlimit64", table.prlimit64(), new OtherProcessLimit(REFUSE));
        add(rules, "setpriority", table.setpriority(), new OneOf(0, List.of(PRIO_PGRP(), PRIO_USER()), REFUSE));
        add(rules, "ioprio_set", table.ioprioSet(), new OneOf(0, List.of(IOPRIO_WHO_PGRP(), IOPRIO_WHO_USER()), REFUSE));
        // The set-id bits are refused here, before any notification; the other modes go to the
        // supervisor when it decides metadata.
        int modes = supervised.contains(Supervised.METADATA) ? NOTIFY : ALLOW;
        add(rules, "chmod", table.chmod(), setIdBits(1, modes));
        add(rules, "fchmod", table.fchmod(), setIdBits(1, modes));
        add(rules, "fchmodat", table.fchmodat(), setIdBits(2, modes));
        add(rules, "fchmodat2", table.fchmodat2(), setIdBits(2, modes));
        add(rules, "open", table.open(), setIdBits(2));
        add(rules, "creat", table.creat(), setIdBits(1));
        add(rules, "mkdir", table.mkdir(), setIdBits(1));
        add(rules, "mkdirat", table.mkdirat(), setIdBits(2));
        add(rules, "mknod", table.mknod(), setIdBits(1));
        add(rules, "mknodat", table.mknodat(), setIdBits(2));
        add(rules, "openat2", table.openat2(), new Always(ABSENT));
        add(rules, "keyctl", table.keyctl(), new Always(REFUSE));
        add(rules, "add_key", table.addKey(), new Always(REFUSE));
        add(rules, "request_key", table.requestKey(), new Always(REFUSE));
        if (supervised.contains(Supervised.METADATA)) {
            // Paths and descriptors: nothing BPF can read decides where the file is.
            for (var call : metadataCalls(table).entrySet()) add(rules, call.getKey(), call.getValue(), new Always(NOTIFY));
        }
        return List.copyOf(rules);
    }

    /**
     * The metadata calls other than the mode's ({@code chmod} and friends, whose rule also refuses the
     * set-id bits), by name, with their numbers in {@code table} ({@link SyscallNumbers#NONE} where the
     * architecture lacks one).
     */
    public static Map<String, Integer> metadataCalls(SyscallNumbers table) {
        var calls = new LinkedHashMap<String, Integer>();
        calls.put("utimensat", table.utimensat());
        calls.put("fchownat", table.fchownat());
        calls.put("fchown", table.fchown());
        calls.put("chown", table.chown());
        calls.put("lchown", table.lchown());
        calls.put("utime", table.utime());
        calls.put("utimes", table.utimes());
        calls.put("futimesat", table.futimesat());
        calls.put("setxattr", table.setxattr());
        calls.put("lsetxattr", table.lsetxattr());
        calls.put("fsetxattr", table.fsetxattr());
        calls.put("removexattr", table.removexattr());
        calls.put("lremovexattr", table.lremovexattr());
        calls.put("fremovexattr", table.fremovexattr());
        calls.put("setxattrat", table.setxattrat());
        calls.put("removexattrat", table.removexattrat());
        calls.put("file_setattr", table.fileSetattr());
        return calls;
    }

    /**
     * The calls this policy routes to the supervisor on this architecture (a rule whose action, or
     * whose check's otherwise action, is {@link #NOTIFY}): each needs a handler registered under its name.
     */
    public List<String> supervisedCalls() {
        return rules(Syscall.TABLE).stream().filter(r -> r.check().action() == NOTIFY || r.check().otherwise() == NOTIFY)
            .map(Rule::call).toList();
    }

    /** The setuid and setgid bits in the mode, argument {@code arg}: refused; else allowed. */
    private static Check setIdBits(int arg) {
        return setIdBits(arg, ALLOW);
    }

    /** The setuid and setgid bits in the mode, argument {@code arg}: refused; else {@code otherwise}. */
    private static Check setIdBits(int arg, int otherwise) {
        return new AnyBit(arg, SET_ID_BITS, REFUSE, otherwise);
    }

    private static void add(List<Rule> rules, String call, int nr, Check check) {
        if (nr != SyscallNumbers.NONE) rules.add(new Rule(call, nr, check));
    }

    /** The program for the running JVM's architecture. */
    public List<BpfInstruction> compile() {
        return compile(SyscallNumbers.current());
    }

    /**
     * The BPF program for the architecture of {@code table}. Its shape, each part a run of
     * forward jumps:
     * <ol>
     * <li>architecture check, then the x32 check on x86_64, then numbers above the highest known;</li>
     * <li>dispatch: one comparison of the number per rule, to its check's block (an
     *     {@link Always} rule straight to its return); anything else allowed;</li>
     * <li>one block per distinct check, comparing the low 32 bits of arguments;</li>
     * <li>the shared returns, one per action.</li>
     * </ol>
     * Every jump must stay within 255 instructions: the table can grow by tens of rules before the
     * dispatch would need splitting (the assembler fails the build first).
     */
    public List<BpfInstruction> compile(SyscallNumbers table) {
        var asm = new BpfAssembler();
        var returns = new LinkedHashMap<Integer, BpfAssembler.Label>();
        var program = new Program(asm, table, returns);
        var allow = program.returning(ALLOW);
        var refuse = program.returning(REFUSE);

        // 1. The architecture first: the numbers below mean these calls on this ABI only.
        asm.loadData((int) seccomp_data.arch$offset());
        asm.jumpIfEqual(table.auditArch(), null, refuse);
        asm.loadData((int) seccomp_data.nr$offset());
        if (table.auditArch() == AUDIT_ARCH_X86_64()) {
            // x32 calls arrive with AUDIT_ARCH_X86_64 too, numbered from __X32_SYSCALL_BIT up; they
            // would reach socket and ioctl under numbers this filter does not compare. Unsigned
            // ">=" also catches the negative numbers (-1 is "no call" under ptrace): all refused.
            asm.jumpIfAtLeast(__X32_SYSCALL_BIT(), refuse, null);
        }
        // A newer kernel's calls were not reviewed here: setxattrat (6.13) changes xattrs, and the
        // next one may open a door. ENOSYS, as an older kernel would answer.
        asm.jumpIfAtLeast(table.highestKnown() + 1, program.returning(ABSENT), null);

        // 2. Dispatch on the number.
        var rules = rules(table);
        var blocks = new LinkedHashMap<Check, BpfAssembler.Label>();
        for (var rule : rules) {
            var target = rule.check() instanceof Always always ? program.returning(always.action())
                : blocks.computeIfAbsent(rule.check(), c -> asm.label(rule.call()));
            asm.jumpIfEqual(rule.nr(), target, null);
        }
        asm.ret(ALLOW);

        // 3. The blocks.
        blocks.forEach((check, label) -> {
            asm.bind(label);
            program.emit(check);
        });

        // 4. The shared returns.
        asm.bind(allow);
        asm.ret(ALLOW);
        for (var entry : returns.entrySet()) {
            if (entry.getKey() == ALLOW) continue;
            asm.bind(entry.getValue());
            asm.ret(entry.getKey());
        }
        return asm.assemble();
    }

    /** One program being built: its assembler, table and the label of each return. */
    private record Program(BpfAssembler asm, SyscallNumbers table, Map<Integer, BpfAssembler.Label> returns) {

        BpfAssembler.Label returning(int action) {
            return returns.computeIfAbsent(action, a -> asm.label("return 0x" + Integer.toHexString(a)));
        }

        void emit(Check check) {
            // Where the registers that do not match go: allowed, or to the supervisor.
            var otherwise = returning(check.otherwise());
            switch (check) {
                case Always _ -> throw new IllegalStateException("an Always rule jumps straight to its return");
                case AnyBit c -> {
                    asm.loadData(argLow(table, c.arg()));
                    asm.jump(BPF_JSET(), c.mask(), returning(c.action()), otherwise);
                }
                case OneOf c -> {
                    asm.loadData(argLow(table, c.arg()));
                    for (int i = 0; i < c.values().size(); i++) {
                        boolean last = i == c.values().size() - 1;
                        asm.jumpIfEqual(c.values().get(i), returning(c.action()), last ? otherwise : null);
                    }
                }
                case NoneOf c -> {
                    asm.loadData(argLow(table, c.arg()));
                    for (int i = 0; i < c.values().size(); i++) {
                        boolean last = i == c.values().size() - 1;
                        asm.jumpIfEqual(c.values().get(i), otherwise, last ? returning(c.action()) : null);
                    }
                }
                case OtherProcessLimit c -> {
                    asm.loadData(argLow(table, 0));
                    asm.jumpIfEqual(0, otherwise, null);
                    asm.loadData(argLow(table, 2));
                    asm.jumpIfEqual(0, null, returning(c.action()));
                    asm.loadData(argHigh(table, 2));
                    asm.jumpIfEqual(0, otherwise, returning(c.action()));
                }
                case SocketFamilies c -> emitSocket(c, otherwise, returning(c.action()));
            }
        }

        /** socket(domain, type, protocol): three ints, so the low 32 bits of each. */
        private void emitSocket(SocketFamilies c, BpfAssembler.Label allow, BpfAssembler.Label refuse) {
            asm.loadData(argLow(table, 0));
            asm.jumpIfEqual(AF_UNIX(), c.allowUnix() ? allow : refuse, null);
            if (c.sockets() == Sockets.OPEN) {
                asm.ret(ALLOW);
                return;
            }
            if (c.sockets() == Sockets.FAMILIES) {
                asm.jumpIfEqual(AF_INET(), allow, null);
                asm.jumpIfEqual(AF_INET6(), allow, null);
                emitNetlink(allow, refuse);
                return;
            }
            var inet = asm.label("inet");
            asm.jumpIfEqual(AF_INET(), inet, null);
            asm.jumpIfEqual(AF_INET6(), inet, null);
            emitNetlink(allow, refuse);

            // The type with SOCK_NONBLOCK and SOCK_CLOEXEC stripped must be exactly the allowed
            // type: the kernel refuses other flag bits itself (EINVAL), so nothing is lost.
            var tcp = asm.label("tcp");
            var udp = c.allowUdp() ? asm.label("udp") : null;
            asm.bind(inet);
            asm.loadData(argLow(table, 1));
            asm.and(~SOCK_FLAGS);
            asm.jumpIfEqual(SOCK_STREAM(), tcp, null);
            if (c.allowUdp()) asm.jumpIfEqual(SOCK_DGRAM(), udp, null);
            asm.ret(REFUSE);

            // Landlock's network rules are about TCP; other stream protocols are not reliably
            // covered by them: SCTP (IPPROTO_SCTP), MPTCP (IPPROTO_MPTCP), SMC (IPPROTO_SMC,
            // which falls back to TCP). Only 0 and IPPROTO_TCP.
            asm.bind(tcp);
            asm.loadData(argLow(table, 2));
            asm.jumpIfEqual(0, allow, null);
            asm.jumpIfEqual(IPPROTO_TCP(), allow, refuse);

            if (c.allowUdp()) {
                // Likewise UDP proper only (not UDP-Lite, not ICMP "ping" datagram sockets).
                asm.bind(udp);
                asm.loadData(argLow(table, 2));
                asm.jumpIfEqual(0, allow, null);
                asm.jumpIfEqual(IPPROTO_UDP(), allow, refuse);
            }
        }

        /**
         * With the domain in A, after AF_UNIX, AF_INET and AF_INET6: AF_NETLINK with NETLINK_ROUTE,
         * nothing else. Every other family is refused: AF_VSOCK (the hypervisor host, in no
         * namespace), AF_PACKET, AF_SMC, AF_TIPC, AF_RXRPC, AF_BLUETOOTH, AF_CAN, AF_XDP, and
         * families added after this was written.
         */
        private void emitNetlink(BpfAssembler.Label allow, BpfAssembler.Label refuse) {
            var netlink = asm.label("netlink");
            asm.jumpIfEqual(AF_NETLINK(), netlink, refuse);
            // Routing netlink is how glibc's getaddrinfo and `ip` read addresses, and without
            // CAP_NET_ADMIN it changes nothing. The other protocols (audit, uevents, sock_diag,
            // xfrm, netfilter, generic) reach kernel subsystems outside the namespace, or are not needed.
            asm.bind(netlink);
            asm.loadData(argLow(table, 2));
            asm.jumpIfEqual(NETLINK_ROUTE(), allow, refuse);
        }
    }

    /**
     * What the policy refuses, one line each with what it stops and why, for {@code halt run -v};
     * then what it leaves to other layers.
     */
    public String describe() {
        var lines = new ArrayList<String>();
        lines.add("seccomp filter (refusals fail with EPERM, calls it does not know with ENOSYS; nothing is killed) refuses:");
        lines.add("  - system calls through another ABI (i386, x32): their numbers mean other calls");
        lines.add("  - system call numbers above " + SyscallNumbers.current().highestKnown() + " (the newest of Linux 6.18),"
            + " with ENOSYS: a call added to a later kernel passes no check this filter has not made");
        lines.add("  - ioctl TIOCSTI and TIOCLINUX: faking keyboard input on a terminal"
            + " (commands the user's shell would run after halt exits)");
        lines.add("  - prlimit64 with another process's pid and a new limit: lowering RLIMIT_CPU or RLIMIT_NOFILE"
            + " of a process outside the sandbox kills or breaks it, and Landlock does not stop it"
            + " (the child's own limits, as ulimit sets them, stay settable)");
        lines.add("  - setpriority(PRIO_PGRP, PRIO_USER) and ioprio_set(IOPRIO_WHO_PGRP, IOPRIO_WHO_USER): slowing"
            + " every process of a group or of the user, outside the sandbox too (the per-process forms stay:"
            + " threads use them, so a process of the same user can still be slowed by its pid)");
        lines.add("  - the setuid and setgid bits in the mode of chmod, fchmod, fchmodat, fchmodat2, open, openat, creat,"
            + " mkdir, mkdirat, mknod, mknodat: a setuid file left in a write grant runs as its owner (root, when"
            + " halt runs as root) for whoever runs it after the sandbox");
        lines.add("  - openat2, with ENOSYS: its mode is behind a pointer this filter cannot check; programs fall back to openat");
        lines.add("  - keyctl, add_key, request_key: the user's kernel keyrings (Kerberos KEYRING: caches, stored"
            + " secrets) are outside every grant");
        lines.add("  - io_uring_setup, io_uring_enter, io_uring_register: io_uring opens files and makes sockets"
            + " without the system calls this filter inspects");
        if (!allowUnixSockets) {
            lines.add("  - socket(AF_UNIX): connecting to local services such as docker.sock or D-Bus"
                + " (set [sandbox] allow_unix_sockets = true to allow; socketpair stays allowed)");
        }
        if (sockets != Sockets.OPEN) {
            lines.add("  - socket() of families other than AF_INET, AF_INET6, AF_NETLINK" + (allowUnixSockets ? ", AF_UNIX" : "")
                + ": AF_VSOCK reaches the hypervisor host from any network namespace; AF_PACKET, AF_TIPC and the rest"
                + " are not needed");
            lines.add("  - socket(AF_NETLINK) other than NETLINK_ROUTE: audit, uevents, sock_diag and the other kernel"
                + " interfaces; routing netlink (getaddrinfo, ip) stays");
            lines.add("  - socketpair() of any family but AF_UNIX");
        }
        if (sockets == Sockets.TCP_ONLY) {
            lines.add("  - socket(AF_INET/AF_INET6) other than TCP streams: "
                + (allowUdp ? "raw IP, SCTP, MPTCP and other protocols (UDP allowed)" : "UDP, raw IP, SCTP, MPTCP and other protocols")
                + ", which Landlock's TCP rules do not govern");
            lines.add("  - sendto, sendmsg, sendmmsg with MSG_FASTOPEN: a TCP Fast Open send connects"
                + " without the connect() that Landlock checks");
            if (supervised.contains(Supervised.NETWORK)) {
                lines.add("  - connect and bind, decided by halt's supervisor on its own copy of the address and performed"
                    + " by halt when allowed (unix and netlink sockets continue in the child's own context)");
            }
            if (refusesListen()) {
                lines.add("  - listen: on an unbound TCP socket it binds a port on every address without the bind()"
                    + " that Landlock checks (set [sandbox] allow_local_binding = true to allow)");
            } else if (supervisesListen()) {
                lines.add("  - listen, decided by halt's supervisor: a TCP socket only when bound to loopback"
                    + (allowLocalBinding ? "" : " (never, without allow_local_binding)") + ", performed by halt");
            } else if (leavesAutobindOpen()) {
                lines.add("  - NOT listen: allow_unix_sockets needs it, and the filter cannot tell a unix socket from a TCP"
                    + " one; listen() on an unbound TCP socket binds a port on every address");
            }
        }
        if (supervised.contains(Supervised.METADATA)) {
            lines.add("  - metadata changes outside the write grants, decided by halt's supervisor on the file it opened and"
                + " performed by halt when allowed: chmod, fchmod, fchmodat, fchmodat2, chown, lchown, fchown, fchownat, utime,"
                + " utimes, futimesat, utimensat, the setxattr and removexattr calls, setxattrat, removexattrat, file_setattr");
        } else {
            lines.add("  left to other layers: metadata changes other than the setuid and setgid bits (chmod, chown, utimes,"
                + " the setxattr and removexattr calls, setxattrat and removexattrat, file_setattr)");
        }
        return String.join("\n", lines);
    }

    /**
     * Offset of the low 32 bits of argument {@code index} in {@code seccomp_data}. The arguments are
     * u64 in the architecture's byte order, which its audit token tells (__AUDIT_ARCH_LE).
     */
    static int argLow(SyscallNumbers table, int index) {
        return argLow(table.auditArch(), index);
    }

    static int argLow(int auditArch, int index) {
        if (index < 0 || index > 5) throw new IllegalArgumentException("seccomp_data has args[0..5], not " + index);
        int arg = (int) seccomp_data.args$offset() + 8 * index;
        return (auditArch & __AUDIT_ARCH_LE()) != 0 ? arg : arg + 4;
    }

    /** Offset of the high 32 bits of argument {@code index}: the other half of {@link #argLow}. */
    static int argHigh(SyscallNumbers table, int index) {
        int low = argLow(table, index);
        return (table.auditArch() & __AUDIT_ARCH_LE()) != 0 ? low + 4 : low - 4;
    }
}
