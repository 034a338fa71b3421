package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.string_h;

import java.util.Map;

/**
 * A system call that failed, with the call's name and its errno, phrased for a person:
 * {@code landlock_create_ruleset: EOPNOTSUPP (Operation not supported)}.
 */
public final class ErrnoException extends Exception {
    private static final long serialVersionUID = 1L;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
        Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
        Map.entry(7, "E2BIG"), Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
        Map.entry(13, "EACCES"), Map.entry(14, "EFAULT"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"), Map.entry(18, "EXDEV"), Map.entry(21, "EISDIR"), Map.entry(19, "ENODEV"),
        Map.entry(20, "ENOTDIR"), Map.entry(22, "EINVAL"), Map.entry(24, "EMFILE"), Map.entry(25, "ENOTTY"), Map.entry(28, "ENOSPC"), Map.entry(30, "EROFS"),
        Map.entry(36, "ENAMETOOLONG"), Map.entry(39, "ENOTEMPTY"), Map.entry(40, "ELOOP"), Map.entry(38, "ENOSYS"), Map.entry(71, "EPROTO"), Map.entry(88, "ENOTSOCK"), Map.entry(90, "EMSGSIZE"), Map.entry(95, "EOPNOTSUPP"), Map.entry(97, "EAFNOSUPPORT"),
        Map.entry(98, "EADDRINUSE"), Map.entry(99, "EADDRNOTAVAIL"), Map.entry(101, "ENETUNREACH"),
        Map.entry(103, "ECONNABORTED"), Map.entry(105, "ENOBUFS"), Map.entry(106, "EISCONN"), Map.entry(110, "ETIMEDOUT"), Map.entry(111, "ECONNREFUSED"),
        Map.entry(114, "EALREADY"), Map.entry(115, "EINPROGRESS"));

    private final String call;
    private final int errno;
    private final String detail;
    /** Built on first use: most of these are caught and dropped, and strerror is a native call to link. */
    private String message;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    /**
     * A failure with the kernel's own explanation appended, such as a netlink extended ack:
     * {@code RTM_NEWLINK veth halt0/halt1: EEXIST (File exists): <detail>}. A blank detail is left out.
     */
    public ErrnoException(String call, int errno, String detail) {
        this.call = call;
        this.errno = errno;
        this.detail = detail;
    }

    @Override
    public String getMessage() {
        if (message == null) {
            message = call + ": " + describe(errno) + (detail == null || detail.isBlank() ? "" : ": " + detail);
        }
        return message;
    }

    /** The system call or function that failed. */
    public String call() { return call; }

    /** The errno it left. */
    public int errno() { return errno; }

    /** {@code EACCES (Permission denied)}. */
    public static String describe(int errno) {
        var name = NAMES.getOrDefault(errno, "errno " + errno);
        var text = string_h.strerror(errno).reinterpret(Long.MAX_VALUE).getString(0);
        return name + " (" + text + ")";
    }
}
