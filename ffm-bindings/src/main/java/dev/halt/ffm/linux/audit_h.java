// Generated in jextract's layout from <linux/audit.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * The audit subsystem's netlink protocol ({@code NETLINK_AUDIT}, in {@link socket_h}): the status
 * request and its struct ({@link audit_status}), the multicast group that carries every record,
 * and the record types halt reads (Landlock's denials, ABI 7). The socket calls go through
 * {@code syscall(2)}.
 */
public final class audit_h {

    private audit_h() {}

    // Requests
    private static final int AUDIT_GET = 1000;
    /** {@snippet lang=c : #define AUDIT_GET 1000 } Get status. */
    public static int AUDIT_GET() { return AUDIT_GET; }
    private static final int AUDIT_SET = 1001;
    /** {@snippet lang=c : #define AUDIT_SET 1001 } Set status (needs CAP_AUDIT_CONTROL). */
    public static int AUDIT_SET() { return AUDIT_SET; }
    // Record types
    private static final int AUDIT_SYSCALL = 1300;
    /** {@snippet lang=c : #define AUDIT_SYSCALL 1300 } The system call of an event: pid, comm, exe. */
    public static int AUDIT_SYSCALL() { return AUDIT_SYSCALL; }
    private static final int AUDIT_CONFIG_CHANGE = 1305;
    /** {@snippet lang=c : #define AUDIT_CONFIG_CHANGE 1305 } */
    public static int AUDIT_CONFIG_CHANGE() { return AUDIT_CONFIG_CHANGE; }
    private static final int AUDIT_EOE = 1320;
    /** {@snippet lang=c : #define AUDIT_EOE 1320 } End of a multi-record event. */
    public static int AUDIT_EOE() { return AUDIT_EOE; }
    private static final int AUDIT_LANDLOCK_ACCESS = 1423;
    /** {@snippet lang=c : #define AUDIT_LANDLOCK_ACCESS 1423 } A denied access (by hand: include/uapi/linux/audit.h, Linux 6.15). */
    public static int AUDIT_LANDLOCK_ACCESS() { return AUDIT_LANDLOCK_ACCESS; }
    private static final int AUDIT_LANDLOCK_DOMAIN = 1424;
    /** {@snippet lang=c : #define AUDIT_LANDLOCK_DOMAIN 1424 } A domain's creation or end (by hand: include/uapi/linux/audit.h, Linux 6.15). */
    public static int AUDIT_LANDLOCK_DOMAIN() { return AUDIT_LANDLOCK_DOMAIN; }
    // audit_status.mask
    private static final int AUDIT_STATUS_ENABLED = 0x0001;
    /** {@snippet lang=c : #define AUDIT_STATUS_ENABLED 0x0001 } */
    public static int AUDIT_STATUS_ENABLED() { return AUDIT_STATUS_ENABLED; }
    // Multicast groups
    private static final int AUDIT_NLGRP_READLOG = 1;
    /** {@snippet lang=c : AUDIT_NLGRP_READLOG = 1 } Every record, read only (needs CAP_AUDIT_READ). */
    public static int AUDIT_NLGRP_READLOG() { return AUDIT_NLGRP_READLOG; }

}
