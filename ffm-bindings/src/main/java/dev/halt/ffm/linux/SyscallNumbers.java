// Hand-written: jextract cannot express per-architecture numbers, so both tables live here.
// Sources: arch/x86/entry/syscalls/syscall_64.tbl and include/uapi/asm-generic/unistd.h (aarch64).
package dev.halt.ffm.linux;

/**
 * System call numbers and the architecture-dependent {@code open} flags halt needs, for x86_64 and
 * aarch64. {@link #current()} picks the table of the running JVM; a test compares it with
 * {@code <sys/syscall.h>}. A call the architecture does not have (aarch64 has no {@code open},
 * {@code chmod}, {@code chown}, {@code utimes}, {@code mkdir} ...: only their {@code *at} forms) is
 * {@link #NONE}.
 *
 * @param arch               the JDK's {@code os.arch} name
 * @param auditArch          the {@code AUDIT_ARCH_*} token seccomp sees in {@code seccomp_data.arch}
 * @param highestKnown       the highest system call number of the kernel these tables were written
 *                           for (Linux 6.18: {@code file_setattr}, 469, on both architectures);
 *                           the seccomp filter answers ENOSYS above it
 */
public record SyscallNumbers(
        String arch,
        int auditArch,
        int read,
        int openat,
        int close,
        int ioctl,
        int socket,
        int connect,
        int bind,
        int socketpair,
        int sendto,
        int sendmsg,
        int sendmmsg,
        int prctl,
        int capget,
        int capset,
        int setresuid,
        int setresgid,
        int setgroups,
        int gettid,
        int wait4,
        int unshare,
        int setns,
        int seccomp,
        int pidfdOpen,
        int pidfdSendSignal,
        int ioUringSetup,
        int ioUringEnter,
        int ioUringRegister,
        int landlockCreateRuleset,
        int landlockAddRule,
        int landlockRestrictSelf,
        int mount,
        int umount2,
        int mountSetattr,
        int recvfrom,
        int setsockopt,
        int geteuid,
        int getpgid,
        int oDirectory,
        int oNofollow,
        int listen,
        int prlimit64,
        int setpriority,
        int ioprioSet,
        int chmod,
        int fchmod,
        int fchmodat,
        int fchmodat2,
        int open,
        int creat,
        int mkdir,
        int mkdirat,
        int mknod,
        int mknodat,
        int openat2,
        int keyctl,
        int addKey,
        int requestKey,
        int kcmp,
        int pidfdGetfd,
        int write,
        int ppoll,
        int eventfd2,
        int timerfdCreate,
        int timerfdSettime,
        int inotifyInit1,
        int inotifyAddWatch,
        int processVmReadv,
        int getsockopt,
        int getsockname,
        int chdir,
        int shutdown,
        int chown,
        int lchown,
        int fchown,
        int fchownat,
        int utime,
        int utimes,
        int futimesat,
        int utimensat,
        int setxattr,
        int lsetxattr,
        int fsetxattr,
        int removexattr,
        int lremovexattr,
        int fremovexattr,
        int setxattrat,
        int removexattrat,
        int fileSetattr,
        int readlinkat,
        int statx,
        int exitGroup,
        int renameat2,
        int unlinkat,
        int symlinkat,
        int accept4,
        int highestKnown) {

    /** The number of a call the architecture does not have. */
    public static final int NONE = -1;

    /** Linux 6.18's highest number, the same on both architectures since the tables were unified (5.1). */
    private static final int LINUX_6_18_HIGHEST = 469;
    /** {@code setxattrat} and {@code removexattrat} (Linux 6.13), numbered alike on both architectures. */
    private static final int SETXATTRAT = 463, REMOVEXATTRAT = 466;
    /** {@code file_setattr} (Linux 6.17), numbered alike on both architectures. */
    private static final int FILE_SETATTR = 469;

    /** x86_64 (AMD64). */
    public static final SyscallNumbers X86_64 = new SyscallNumbers("amd64", seccomp_h.AUDIT_ARCH_X86_64(),
        0, 257, 3, 16, 41, 42, 49, 53, 44, 46, 307, 157, 125, 126, 117, 119, 116, 186, 61, 272, 308, 317,
        434, 424, 425, 426, 427, 444, 445, 446,
        165, 166, 442,
        45, 54, 107, 121,
        0x10000, 0x20000,
        50, 302, 141, 251,
        90, 91, 268, 452, 2, 85, 83, 258, 133, 259, 437,
        250, 248, 249, 312, 438,
        1, 271, 290, 283, 286, 294, 254, 310, 55, 51, 80, 48,
        92, 94, 93, 260, 132, 235, 261, 280,
        188, 189, 190, 197, 198, 199, SETXATTRAT, REMOVEXATTRAT, FILE_SETATTR,
        267, 332,
        231,
        316, 263, 266,
        288,
        LINUX_6_18_HIGHEST);

    /** aarch64 (ARM64), from the generic table. */
    public static final SyscallNumbers AARCH64 = new SyscallNumbers("aarch64", seccomp_h.AUDIT_ARCH_AARCH64(),
        63, 56, 57, 29, 198, 203, 200, 199, 206, 211, 269, 167, 90, 91, 147, 149, 159, 178, 260, 97, 268, 277,
        434, 424, 425, 426, 427, 444, 445, 446,
        40, 39, 442,
        207, 208, 175, 155,
        0x4000, 0x8000,
        201, 261, 140, 30,
        NONE, 52, 53, 452, NONE, NONE, NONE, 34, NONE, 33, 437,
        219, 217, 218, 272, 438,
        64, 73, 19, 85, 86, 26, 27, 270, 209, 204, 49, 210,
        NONE, NONE, 55, 54, NONE, NONE, NONE, 88,
        5, 6, 7, 14, 15, 16, SETXATTRAT, REMOVEXATTRAT, FILE_SETATTR,
        78, 291,
        94,
        276, 35, 36,
        242,
        LINUX_6_18_HIGHEST);

    // Flags with the same value on both architectures.
    /** {@snippet lang=c : #define O_RDONLY 0 } */
    public static final int O_RDONLY = 0;
    /** {@snippet lang=c : #define O_CLOEXEC 02000000 } */
    public static final int O_CLOEXEC = 0x80000;
    /** {@snippet lang=c : #define O_PATH 010000000 } */
    public static final int O_PATH = 0x200000;
    /** {@snippet lang=c : #define O_WRONLY 01 } */
    public static final int O_WRONLY = 1;
    /** {@snippet lang=c : #define O_NONBLOCK 04000 } */
    public static final int O_NONBLOCK = 0x800;
    /** {@snippet lang=c : #define O_CREAT 0100 } */
    public static final int O_CREAT = 0x40;
    /** {@snippet lang=c : #define O_EXCL 0200 } */
    public static final int O_EXCL = 0x80;
    /** {@snippet lang=c : #define WNOHANG 1 } */
    public static final int WNOHANG = 1;
    /** {@snippet lang=c : #define AT_FDCWD -100 } */
    public static final int AT_FDCWD = -100;

    /** The table of the running JVM's architecture, or empty when halt does not know it. */
    public static java.util.Optional<SyscallNumbers> forArch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> java.util.Optional.of(X86_64);
            case "aarch64", "arm64" -> java.util.Optional.of(AARCH64);
            default -> java.util.Optional.empty();
        };
    }

    /** The table for {@code System.getProperty("os.arch")}. */
    public static SyscallNumbers current() {
        var arch = System.getProperty("os.arch");
        return forArch(arch).orElseThrow(() -> new UnsupportedOperationException(
            "no system call table for architecture " + arch + " (halt knows amd64 and aarch64)"));
    }
}
