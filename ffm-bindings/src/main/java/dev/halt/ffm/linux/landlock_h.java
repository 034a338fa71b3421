// Generated in jextract's layout from <linux/landlock.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Landlock constants through ABI 7 (Linux 6.15); each access bit names the ABI that introduced it.
 */
public final class landlock_h {

    private landlock_h() {}

    // landlock_create_ruleset() flags
    private static final int LANDLOCK_CREATE_RULESET_VERSION = 1;
    /** {@snippet lang=c : #define LANDLOCK_CREATE_RULESET_VERSION 1 } Landlock ABI 1. */
    public static int LANDLOCK_CREATE_RULESET_VERSION() { return LANDLOCK_CREATE_RULESET_VERSION; }
    private static final int LANDLOCK_CREATE_RULESET_ERRATA = 2;
    /** {@snippet lang=c : #define LANDLOCK_CREATE_RULESET_ERRATA 2 } Landlock ABI 7 (by hand: include/uapi/linux/landlock.h, Linux 6.15). */
    public static int LANDLOCK_CREATE_RULESET_ERRATA() { return LANDLOCK_CREATE_RULESET_ERRATA; }
    // rule types
    private static final int LANDLOCK_RULE_PATH_BENEATH = 1;
    /** {@snippet lang=c : #define LANDLOCK_RULE_PATH_BENEATH 1 } Landlock ABI 1. */
    public static int LANDLOCK_RULE_PATH_BENEATH() { return LANDLOCK_RULE_PATH_BENEATH; }
    private static final int LANDLOCK_RULE_NET_PORT = 2;
    /** {@snippet lang=c : #define LANDLOCK_RULE_NET_PORT 2 } Landlock ABI 4. */
    public static int LANDLOCK_RULE_NET_PORT() { return LANDLOCK_RULE_NET_PORT; }
    // landlock_restrict_self() flags
    private static final int LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF = 1;
    /** {@snippet lang=c : #define LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF 1 } Landlock ABI 7 (by hand: Linux 6.15 uapi). */
    public static int LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF() { return LANDLOCK_RESTRICT_SELF_LOG_SAME_EXEC_OFF; }
    private static final int LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON = 2;
    /** {@snippet lang=c : #define LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON 2 } Landlock ABI 7 (by hand: Linux 6.15 uapi). */
    public static int LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON() { return LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON; }
    private static final int LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF = 4;
    /** {@snippet lang=c : #define LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF 4 } Landlock ABI 7 (by hand: Linux 6.15 uapi). */
    public static int LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF() { return LANDLOCK_RESTRICT_SELF_LOG_SUBDOMAINS_OFF; }
    // filesystem access rights
    private static final long LANDLOCK_ACCESS_FS_EXECUTE = 1L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_EXECUTE 1 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_EXECUTE() { return LANDLOCK_ACCESS_FS_EXECUTE; }
    private static final long LANDLOCK_ACCESS_FS_WRITE_FILE = 2L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_WRITE_FILE 2 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_WRITE_FILE() { return LANDLOCK_ACCESS_FS_WRITE_FILE; }
    private static final long LANDLOCK_ACCESS_FS_READ_FILE = 4L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_READ_FILE 4 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_READ_FILE() { return LANDLOCK_ACCESS_FS_READ_FILE; }
    private static final long LANDLOCK_ACCESS_FS_READ_DIR = 8L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_READ_DIR 8 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_READ_DIR() { return LANDLOCK_ACCESS_FS_READ_DIR; }
    private static final long LANDLOCK_ACCESS_FS_REMOVE_DIR = 16L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_REMOVE_DIR 16 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_REMOVE_DIR() { return LANDLOCK_ACCESS_FS_REMOVE_DIR; }
    private static final long LANDLOCK_ACCESS_FS_REMOVE_FILE = 32L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_REMOVE_FILE 32 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_REMOVE_FILE() { return LANDLOCK_ACCESS_FS_REMOVE_FILE; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_CHAR = 64L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_CHAR 64 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_CHAR() { return LANDLOCK_ACCESS_FS_MAKE_CHAR; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_DIR = 128L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_DIR 128 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_DIR() { return LANDLOCK_ACCESS_FS_MAKE_DIR; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_REG = 256L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_REG 256 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_REG() { return LANDLOCK_ACCESS_FS_MAKE_REG; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_SOCK = 512L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_SOCK 512 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_SOCK() { return LANDLOCK_ACCESS_FS_MAKE_SOCK; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_FIFO = 1024L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_FIFO 1024 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_FIFO() { return LANDLOCK_ACCESS_FS_MAKE_FIFO; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_BLOCK = 2048L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_BLOCK 2048 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_BLOCK() { return LANDLOCK_ACCESS_FS_MAKE_BLOCK; }
    private static final long LANDLOCK_ACCESS_FS_MAKE_SYM = 4096L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_MAKE_SYM 4096 } Landlock ABI 1. */
    public static long LANDLOCK_ACCESS_FS_MAKE_SYM() { return LANDLOCK_ACCESS_FS_MAKE_SYM; }
    private static final long LANDLOCK_ACCESS_FS_REFER = 8192L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_REFER 8192 } Landlock ABI 2. */
    public static long LANDLOCK_ACCESS_FS_REFER() { return LANDLOCK_ACCESS_FS_REFER; }
    private static final long LANDLOCK_ACCESS_FS_TRUNCATE = 16384L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_TRUNCATE 16384 } Landlock ABI 3. (by hand where the installed headers predate it: Linux uapi landlock.h.) */
    public static long LANDLOCK_ACCESS_FS_TRUNCATE() { return LANDLOCK_ACCESS_FS_TRUNCATE; }
    private static final long LANDLOCK_ACCESS_FS_IOCTL_DEV = 32768L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_FS_IOCTL_DEV 32768 } Landlock ABI 5. (by hand where the installed headers predate it: Linux uapi landlock.h.) */
    public static long LANDLOCK_ACCESS_FS_IOCTL_DEV() { return LANDLOCK_ACCESS_FS_IOCTL_DEV; }
    // network access rights
    private static final long LANDLOCK_ACCESS_NET_BIND_TCP = 1L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_NET_BIND_TCP 1 } Landlock ABI 4. */
    public static long LANDLOCK_ACCESS_NET_BIND_TCP() { return LANDLOCK_ACCESS_NET_BIND_TCP; }
    private static final long LANDLOCK_ACCESS_NET_CONNECT_TCP = 2L;
    /** {@snippet lang=c : #define LANDLOCK_ACCESS_NET_CONNECT_TCP 2 } Landlock ABI 4. */
    public static long LANDLOCK_ACCESS_NET_CONNECT_TCP() { return LANDLOCK_ACCESS_NET_CONNECT_TCP; }
    // scopes
    private static final long LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET = 1L;
    /** {@snippet lang=c : #define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET 1 } Landlock ABI 6. */
    public static long LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET() { return LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET; }
    private static final long LANDLOCK_SCOPE_SIGNAL = 2L;
    /** {@snippet lang=c : #define LANDLOCK_SCOPE_SIGNAL 2 } Landlock ABI 6. */
    public static long LANDLOCK_SCOPE_SIGNAL() { return LANDLOCK_SCOPE_SIGNAL; }

}
