// Generated in jextract's layout from <linux/ioprio.h>; regenerate with jextract.sh at the repository root.
package dev.halt.ffm.linux;

/**
 * The {@code which} of {@code ioprio_set(2)}: the seccomp filter refuses the group and user forms,
 * which reach every process of a group or of a user, outside the sandbox too.
 */
public final class ioprio_h {

    private ioprio_h() {}

    private static final int IOPRIO_WHO_PROCESS = 1;
    /** {@snippet lang=c : IOPRIO_WHO_PROCESS = 1 } One process (or thread), by id. */
    public static int IOPRIO_WHO_PROCESS() { return IOPRIO_WHO_PROCESS; }
    private static final int IOPRIO_WHO_PGRP = 2;
    /** {@snippet lang=c : IOPRIO_WHO_PGRP = 2 } Every process of a process group. */
    public static int IOPRIO_WHO_PGRP() { return IOPRIO_WHO_PGRP; }
    private static final int IOPRIO_WHO_USER = 3;
    /** {@snippet lang=c : IOPRIO_WHO_USER = 3 } Every process of a user. */
    public static int IOPRIO_WHO_USER() { return IOPRIO_WHO_USER; }

}
