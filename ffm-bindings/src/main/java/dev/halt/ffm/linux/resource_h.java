// Generated in jextract's layout from <sys/resource.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The {@code which} of {@code setpriority(2)}: the seccomp filter refuses the group and user forms,
 * which reach every process of a group or of a user, outside the sandbox too.
 */
public final class resource_h {

    private resource_h() {}

    private static final int PRIO_PROCESS = 0;
    /** {@snippet lang=c : PRIO_PROCESS = 0 } One process (or thread), by id. */
    public static int PRIO_PROCESS() { return PRIO_PROCESS; }
    private static final int PRIO_PGRP = 1;
    /** {@snippet lang=c : PRIO_PGRP = 1 } Every process of a process group. */
    public static int PRIO_PGRP() { return PRIO_PGRP; }
    private static final int PRIO_USER = 2;
    /** {@snippet lang=c : PRIO_USER = 2 } Every process of a user. */
    public static int PRIO_USER() { return PRIO_USER; }

}
