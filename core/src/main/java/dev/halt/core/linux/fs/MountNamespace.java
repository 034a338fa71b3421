package dev.halt.core.linux.fs;

import dev.halt.core.linux.fs.MountPlan.Step;
import dev.halt.core.linux.sys.ErrnoException;
import dev.halt.core.linux.sys.Mounts;
import dev.halt.core.linux.sys.Syscall;
import dev.halt.ffm.linux.SyscallNumbers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.halt.ffm.linux.mount_h.*;
import static dev.halt.ffm.linux.sched_h.CLONE_NEWNS;

/**
 * Builds a {@link MountPlan} on the calling thread, the jailer: moves it into a mount namespace
 * of its own and mounts there. Runs before the thread gives up its capabilities and before
 * Landlock (a Landlock domain may not change mounts); the child the thread starts inherits the
 * namespace and cannot undo any of it: it has no CAP_SYS_ADMIN, and Landlock refuses every mount
 * change to a restricted process anyway.
 */
public final class MountNamespace {
    private MountNamespace() {}

    private static final System.Logger LOG = System.getLogger("halt");
    /** Where the jailer reaches what a descriptor names, in its own namespace. */
    private static final String THREAD_FD = "/proc/thread-self/fd/";
    /** The mask sources live on a tmpfs mounted here for a moment, before the run's own procfs covers it. */
    private static final Path STAGING = MountPlan.PROC;

    /** A step that failed, with what it was doing. */
    public static final class StepFailure extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean recovered;

        StepFailure(String what, Exception cause, boolean recovered) {
            super(what + ": " + cause.getMessage(), cause);
            this.recovered = recovered;
        }

        /** Whether the thread is back in the host's mount namespace, as if nothing had been tried. */
        public boolean recovered() {
            return recovered;
        }
    }

    /**
     * Enters a new mount namespace and carries out {@code plan}. When a step fails, the thread
     * goes back to the host's namespace before this throws, if it can ({@link StepFailure#recovered()}).
     */
    public static void enter(MountPlan plan) throws StepFailure {
        int host;
        try {
            host = Syscall.open("/proc/thread-self/ns/mnt", SyscallNumbers.O_RDONLY | SyscallNumbers.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new StepFailure("cannot open the host's mount namespace", e, true);
        }
        var fds = new HashMap<Path, Integer>();
        try {
            try {
                Mounts.unshareNamespace();
            } catch (ErrnoException e) {
                throw new StepFailure("cannot make a mount namespace of the run's own", e, true);
            }
            try {
                Mounts.makePrivate();
                // What a tmpfs or the new devpts will cover is opened first, to be bound back in.
                for (var step : plan.steps()) {
                    var path = step instanceof Step.Carry c ? c.path() : step instanceof Step.Console c ? c.terminal() : null;
                    if (path != null) fds.put(path, Syscall.open(path.toString(), SyscallNumbers.O_PATH | SyscallNumbers.O_CLOEXEC));
                }
            } catch (ErrnoException e) {
                throw new StepFailure("cannot prepare the run's mount namespace", e, leave(host));
            }
            for (var step : plan.steps()) {
                try {
                    run(step, fds);
                } catch (ErrnoException | IOException e) {
                    throw new StepFailure(describe(step), e, leave(host));
                }
            }
        } finally {
            fds.values().forEach(Syscall::close);
            Syscall.close(host);
        }
    }

    /** Returns the calling thread to the mount namespace {@code host} names; whether it could. */
    private static boolean leave(int host) {
        try {
            Syscall.call("setns(the host's mount namespace)", Syscall.TABLE.setns(), host, CLONE_NEWNS(), 0, 0, 0, 0);
            return true;
        } catch (ErrnoException e) {
            LOG.log(System.Logger.Level.WARNING, "mount namespace: cannot return to the host's: " + e.getMessage());
            return false;
        }
    }

    private static void run(Step step, Map<Path, Integer> fds) throws ErrnoException, IOException {
        switch (step) {
            case Step.ReadOnlyEverything r -> Mounts.setAttributes("/", true, MOUNT_ATTR_RDONLY() | MOUNT_ATTR_NOSUID(), 0);
            case Step.BindWritable b -> {
                var p = b.path().toString();
                Mounts.bind(p, p, true);
                makeWritable(p, b.keepReadOnly());
            }
            case Step.Tmpfs t -> Mounts.mount("tmpfs", t.path().toString(), "tmpfs", MS_NOSUID() | MS_NODEV(), "mode=1777");
            case Step.FreshDirectory f -> {
                Files.createDirectories(f.path());
                Files.setPosixFilePermissions(f.path(), PosixFilePermissions.fromString("rwx------"));
                Files.setAttribute(f.path(), "unix:gid", f.gid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(f.path(), "unix:uid", f.uid(), LinkOption.NOFOLLOW_LINKS);
            }
            case Step.Carry c -> {
                mountPoint(c.path(), c.directory());
                Mounts.bind(THREAD_FD + fds.get(c.path()), c.path().toString(), true);
                if (c.writable()) makeWritable(c.path().toString(), c.keepReadOnly());
            }
            case Step.Devpts d -> Mounts.mount("devpts", MountPlan.DEV_PTS.toString(), "devpts", MS_NOSUID() | MS_NOEXEC(),
                "newinstance,ptmxmode=0666,mode=0620,gid=" + d.ttyGid());
            case Step.Console c -> Mounts.bind(THREAD_FD + fds.get(c.terminal()), MountPlan.CONSOLE.toString(), false);
            case Step.Masks m -> mask(m.masks());
            case Step.Pin p -> Mounts.bind(p.path().toString(), p.path().toString(), true);
            case Step.ProtectReadOnly p -> {
                Mounts.bind(p.path().toString(), p.path().toString(), true);
                Mounts.setAttributes(p.path().toString(), true, MOUNT_ATTR_RDONLY(), 0);
            }
            case Step.Proc p -> Mounts.mount("proc", MountPlan.PROC.toString(), "proc",
                MS_NOSUID() | MS_NODEV() | MS_NOEXEC() | (p.readOnly() ? MS_RDONLY() : 0), "hidepid=ptraceable");
        }
    }

    private static String describe(Step step) {
        return switch (step) {
            case Step.ReadOnlyEverything r -> "cannot make every mount read-only";
            case Step.BindWritable b -> "cannot bind the write grant " + b.path() + " read-write";
            case Step.Tmpfs t -> "cannot mount a tmpfs on " + t.path();
            case Step.FreshDirectory f -> "cannot create " + f.path() + " in the run's own temporary directory";
            case Step.Carry c -> "cannot carry the grant " + c.path() + " into the run's own temporary directory";
            case Step.Devpts d -> "cannot mount a devpts of the run's own on /dev/pts";
            case Step.Console c -> "cannot bind the terminal " + c.terminal() + " onto /dev/console";
            case Step.Masks m -> "cannot mask the root-only entries of /etc and [sandbox] mask";
            case Step.Pin p -> "cannot pin the protected " + p.path();
            case Step.ProtectReadOnly p -> "cannot bind the protected " + p.path() + " read-only";
            case Step.Proc p -> "cannot mount a procfs of the run's own on /proc";
        };
    }

    /** Clears read-only below {@code path}, then sets it again on what the host has read-only there. */
    private static void makeWritable(String path, List<Path> keepReadOnly) throws ErrnoException {
        Mounts.setAttributes(path, true, 0, MOUNT_ATTR_RDONLY());
        for (var mountPoint : keepReadOnly) {
            try {
                Mounts.setAttributes(mountPoint.toString(), false, MOUNT_ATTR_RDONLY(), 0);
            } catch (ErrnoException e) {
                // Covered by a later mount of the host's (EINVAL: not a mount root) or gone: what is on top decides.
                if (LOG.isLoggable(System.Logger.Level.DEBUG)) LOG.log(System.Logger.Level.DEBUG, "mount namespace: " + e.getMessage());
            }
        }
    }

    /** An empty directory, or an empty file in a new directory, to mount on in a fresh tmpfs. */
    private static void mountPoint(Path path, boolean directory) throws IOException {
        if (directory) {
            Files.createDirectories(path);
        } else {
            Files.createDirectories(path.getParent());
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) Files.createFile(path);
        }
    }

    /**
     * Binds an empty file or directory, made on a short-lived tmpfs, over each entry, read-only;
     * then detaches the tmpfs, which lives on only in those binds.
     */
    private static void mask(List<MountPlan.Mask> masks) throws ErrnoException, IOException {
        Mounts.mount("tmpfs", STAGING.toString(), "tmpfs", MS_NOSUID() | MS_NODEV() | MS_NOEXEC(), "mode=0755,size=16k");
        try {
            var file = Files.createFile(STAGING.resolve("empty"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r--r--")));
            var dir = Files.createDirectory(STAGING.resolve("empty.d"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-xr-xr-x")));
            long hidden = MOUNT_ATTR_RDONLY() | MOUNT_ATTR_NOSUID() | MOUNT_ATTR_NODEV() | MOUNT_ATTR_NOEXEC();
            for (var mask : masks) {
                var target = mask.path().toString();
                try {
                    Mounts.bind((mask.directory() ? dir : file).toString(), target, false);
                } catch (ErrnoException e) {
                    // Gone since the scan (a lock file of passwd, say): nothing left to hide.
                    if (e.errno() == dev.halt.ffm.linux.Errno.ENOENT) continue;
                    throw e;
                }
                Mounts.setAttributes(target, false, hidden, 0);
            }
        } finally {
            Mounts.detach(STAGING.toString());
        }
    }
}
