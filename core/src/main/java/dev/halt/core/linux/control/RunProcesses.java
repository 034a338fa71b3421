package dev.halt.core.linux.control;

import dev.halt.core.linux.sys.ProcFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tells the processes of a run from others, for the control socket: the sandboxed command must
 * not widen its own sandbox, even holding the token. A process of the run is halt itself (a call
 * the supervisor makes for the child), a descendant of halt (halt is the child subreaper of
 * {@code halt run}: a process the command left behind is re-parented to it, not to init), or, with
 * privileges, a process in the run's network namespace.
 *
 * @param haltPid      this process
 * @param sandboxNetns the inode of the run's network namespace, or 0 when the run has none of its own
 */
record RunProcesses(long haltPid, long sandboxNetns) {

    /** How far up the parents of a peer are followed: deeper trees are taken for the run's. */
    private static final int MAX_DEPTH = 256;

    /** The run of this halt whose command is {@code childPid}. */
    static RunProcesses of(long childPid) {
        long own = netns(ProcessHandle.current().pid());
        long child = netns(childPid);
        return new RunProcesses(ProcessHandle.current().pid(), child != 0 && child != own ? child : 0);
    }

    /** Why {@code pid} is a process of the run, or null when it is not one. */
    String whyOfRun(long pid) {
        if (pid <= 0) return "a process the kernel cannot name";
        if (pid == haltPid) return "halt itself";
        if (sandboxNetns != 0 && netns(pid) == sandboxNetns) return "a process in the run's network namespace";
        // A parent that exits while this walks re-parents its children to halt: walk again, from the start.
        for (int attempt = 0; attempt < 5; attempt++) {
            long p = pid;
            boolean lost = false;
            for (int depth = 0; depth < MAX_DEPTH && !lost; depth++) {
                long q = parent(p);
                if (q == haltPid) return "a process of the run (process " + pid + " descends from halt)";
                if (q == 0 || q == 1) return null;
                lost = q < 0;
                p = q;
            }
            if (!lost) return "a process too deep to tell from the run's";
        }
        return "a process whose parents halt cannot follow";
    }

    /** The parent of {@code pid} from {@code /proc/PID/status} (0 for init), or -1 when it cannot be read (it exited). */
    private static long parent(long pid) {
        return ProcFiles.number(Path.of("/proc", Long.toString(pid), "status"), "PPid:");
    }

    /** The inode of the network namespace of {@code pid} ({@code net:[4026531840]}), or 0 when it cannot be read. */
    private static long netns(long pid) {
        try {
            var link = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString();
            return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
