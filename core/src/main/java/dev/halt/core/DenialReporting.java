package dev.halt.core;

/**
 * Whether a run reports the filesystem accesses Landlock denied its command, and if not, why:
 * what {@code halt run} says when the command fails.
 *
 * @param active  halt read the kernel's records of the run's denials and printed a line for each
 * @param denials how many it saw (0 when not active)
 * @param why       when not active, why not, in words a person can act on; else null
 * @param rootChild the child ran as uid 0 without capabilities: Unix permissions and the lack of
 *                  CAP_SETUID fail tools that expect root's powers, which no denial names
 */
public record DenialReporting(boolean active, long denials, String why, boolean rootChild) {

    /** Denials were read; {@code denials} of them. */
    public static DenialReporting active(long denials) {
        return new DenialReporting(true, denials, null, false);
    }

    /** Denials could not be read, because {@code why}. */
    public static DenialReporting inactive(String why) {
        return new DenialReporting(false, 0, why, false);
    }

    /** This report, for a child that ran as root without capabilities. */
    public DenialReporting asRootChild() {
        return new DenialReporting(active, denials, why, true);
    }
}
