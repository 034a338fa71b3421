// Hand-written in jextract's layout: <unistd.h>, <sys/stat.h> (mkfifo), <fcntl.h> (open) and
// <signal.h> (kill) of macOS. jextract cannot read macOS headers on Linux. Every non-variadic
// int function here is called through LibSystem.REGISTER_CALL (see there why).
package dev.halt.ffm.macos;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.*;

/**
 * Credentials, descriptors, FIFOs and signals, as halt's macOS stages use them; errno is captured
 * per call into the first argument ({@link errno_h#allocate}).
 */
public final class unistd_h {
    private unistd_h() {}

    /** {@snippet lang=c : #define O_RDONLY 0x0000 } */
    public static int O_RDONLY() { return 0x0000; }
    /** {@snippet lang=c : #define O_WRONLY 0x0001 } */
    public static int O_WRONLY() { return 0x0001; }
    /** {@snippet lang=c : #define O_NONBLOCK 0x00000004 } */
    public static int O_NONBLOCK() { return 0x0004; }
    /** {@snippet lang=c : #define O_CLOEXEC 0x01000000 } */
    public static int O_CLOEXEC() { return 0x0100_0000; }

    /** {@snippet lang=c : #define SIGKILL 9 } */
    public static int SIGKILL() { return 9; }
    /** {@snippet lang=c : #define SIGSTOP 17 } Darwin's number (19 on Linux). */
    public static int SIGSTOP() { return 17; }
    /** {@snippet lang=c : #define NSIG 32 } Signals are 1 to NSIG-1. */
    public static int NSIG() { return 32; }

    private static final class ids$ {
        static final MethodHandle SETUID = LibSystem.registerCall("setuid");
        static final MethodHandle SETGID = LibSystem.registerCall("setgid");
        static final MethodHandle SETGROUPS = LibSystem.registerCall("setgroups");
        static final MethodHandle GETEUID = LibSystem.registerCall("geteuid");
    }

    /** {@snippet lang=c : int setuid(uid_t uid) } As root it sets the real, effective and saved uid. */
    public static int setuid(MemorySegment errno, int uid) {
        return LibSystem.call(ids$.SETUID, errno, Integer.toUnsignedLong(uid), 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int setgid(gid_t gid) } */
    public static int setgid(MemorySegment errno, int gid) {
        return LibSystem.call(ids$.SETGID, errno, Integer.toUnsignedLong(gid), 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : int setgroups(int ngroups, const gid_t *gidset) } */
    public static int setgroups(MemorySegment errno, int ngroups, MemorySegment gidset) {
        return LibSystem.call(ids$.SETGROUPS, errno, ngroups, gidset.address(), 0, 0, 0, 0);
    }

    /** {@snippet lang=c : uid_t geteuid(void) } */
    public static int geteuid(MemorySegment errno) {
        return LibSystem.call(ids$.GETEUID, errno, 0, 0, 0, 0, 0, 0);
    }

    private static final class mkfifo$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("mkfifo");
    }

    /** {@snippet lang=c : int mkfifo(const char *path, mode_t mode) } ({@code mode_t} is 16 bits on macOS) */
    public static int mkfifo(MemorySegment errno, MemorySegment path, short mode) {
        return LibSystem.call(mkfifo$.HANDLE, errno, path.address(), mode & 0xffff, 0, 0, 0, 0);
    }

    private static final class open$ {
        // Variadic after flags (Apple arm64 puts the mode on the stack); halt passes no mode.
        static final MethodHandle HANDLE = LibSystem.downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    /** {@snippet lang=c : int open(const char *path, int oflag, ...) } Without {@code O_CREAT}: no mode. */
    public static int open(MemorySegment errno, MemorySegment path, int oflag) {
        var handle = open$.HANDLE;
        try {
            return (int) handle.invokeExact(errno, path, oflag);
        } catch (Throwable ex$) {
            throw new AssertionError("should not reach here", ex$);
        }
    }

    /** Links {@link #open} now, so that calling it later loads and links nothing. */
    public static MethodHandle open$handle() {
        return open$.HANDLE;
    }

    private static final class io$ {
        static final MethodHandle WRITE = LibSystem.registerCall("write");
        static final MethodHandle CLOSE = LibSystem.registerCall("close");
    }

    /**
     * {@snippet lang=c : ssize_t write(int fildes, const void *buf, size_t nbyte) }
     * Through {@code REGISTER_CALL}, whose result is the low 32 bits of the {@code ssize_t}: exact
     * for every result of a write shorter than 2 GiB, which {@code nbyte} must be.
     */
    public static long write(MemorySegment errno, int fd, MemorySegment buf, long nbyte) {
        if (nbyte < 0 || nbyte > Integer.MAX_VALUE) throw new IllegalArgumentException("write of " + nbyte + " bytes: at most 2 GiB - 1");
        return LibSystem.call(io$.WRITE, errno, fd, buf.address(), nbyte, 0, 0, 0);
    }

    /** Links {@link #write} and {@link #close} now, so that calling them later loads and links nothing. */
    public static MethodHandle write$handle() {
        return io$.WRITE;
    }

    /** {@snippet lang=c : int close(int fildes) } */
    public static int close(MemorySegment errno, int fd) {
        return LibSystem.call(io$.CLOSE, errno, fd, 0, 0, 0, 0, 0);
    }

    private static final class groups$ {
        static final MethodHandle GETPGID = LibSystem.registerCall("getpgid");
        static final MethodHandle TCGETPGRP = LibSystem.registerCall("tcgetpgrp");
    }

    /** {@snippet lang=c : pid_t getpgid(pid_t pid) } -1 with ESRCH when it is gone. */
    public static int getpgid(MemorySegment errno, int pid) {
        return LibSystem.call(groups$.GETPGID, errno, pid, 0, 0, 0, 0, 0);
    }

    /** {@snippet lang=c : pid_t tcgetpgrp(int fildes) } The terminal's foreground group; -1 when {@code fildes} is no terminal. */
    public static int tcgetpgrp(MemorySegment errno, int fd) {
        return LibSystem.call(groups$.TCGETPGRP, errno, fd, 0, 0, 0, 0, 0);
    }

    private static final class ttyname_r$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("ttyname_r");
    }

    /**
     * {@snippet lang=c : int ttyname_r(int fd, char *buf, size_t len) }
     * The terminal device open on {@code fd}; returns 0, or an error number (ENOTTY when it is none).
     */
    public static int ttyname_r(MemorySegment errno, int fd, MemorySegment buf, long len) {
        return LibSystem.call(ttyname_r$.HANDLE, errno, fd, buf.address(), len, 0, 0, 0);
    }

    private static final class exit$ {
        // void and never returns: REGISTER_CALL's int result is never read.
        static final MethodHandle HANDLE = LibSystem.registerCall("_exit");
    }

    /** {@snippet lang=c : void _exit(int status) } Ends the process at once, every thread with it; returns only if it cannot be called. */
    public static void _exit(MemorySegment errno, int status) {
        LibSystem.call(exit$.HANDLE, errno, status, 0, 0, 0, 0, 0);
    }

    private static final class kill$ {
        static final MethodHandle HANDLE = LibSystem.registerCall("kill");
    }

    /** {@snippet lang=c : int kill(pid_t pid, int sig) } */
    public static int kill(MemorySegment errno, int pid, int sig) {
        return LibSystem.call(kill$.HANDLE, errno, pid, sig, 0, 0, 0, 0);
    }
}
