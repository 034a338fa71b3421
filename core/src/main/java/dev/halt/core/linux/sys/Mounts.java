package dev.halt.core.linux.sys;

import dev.halt.ffm.linux.mount_attr;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static dev.halt.ffm.linux.mount_h.*;
import static dev.halt.ffm.linux.sched_h.CLONE_NEWNS;

/**
 * Mount calls for the calling thread's mount namespace: {@code mount(2)}, {@code umount2(2)} and
 * {@code mount_setattr(2)} (Linux 5.12). Each needs CAP_SYS_ADMIN, and changes only the namespace
 * the calling thread is in: move it into one of its own first ({@link #unshareNamespace()}).
 */
public final class Mounts {
    private Mounts() {}

    /**
     * Moves the calling thread, and only it, into a copy of its mount namespace; the copy's mount
     * events still propagate to and from the host's shared mounts until {@link #makePrivate()}.
     * The thread also gets its own root and working directory ({@code CLONE_FS} is implied).
     */
    public static void unshareNamespace() throws ErrnoException {
        Syscall.call("unshare(CLONE_NEWNS)", Syscall.TABLE.unshare(), CLONE_NEWNS(), 0, 0, 0, 0, 0);
    }

    /** Stops every mount of this namespace from propagating to or receiving from any other. */
    public static void makePrivate() throws ErrnoException {
        mount(null, "/", null, MS_REC() | MS_PRIVATE(), null);
    }

    /** {@code mount(source, target, type, flags, data)}; null strings are passed as NULL. */
    public static void mount(String source, String target, String type, long flags, String data) throws ErrnoException {
        var name = type != null ? "mount " + type + " on " + target
            : (flags & MS_BIND()) != 0 ? "mount --bind " + source + " " + target
            : "mount (flags " + Long.toHexString(flags) + ") on " + target;
        try (var arena = Arena.ofConfined()) {
            Syscall.call(name, Syscall.TABLE.mount(), address(arena, source), address(arena, target),
                address(arena, type), flags, address(arena, data), 0);
        }
    }

    /** Bind-mounts {@code source} on {@code target}, with the mounts below it when {@code recursive}. */
    public static void bind(String source, String target, boolean recursive) throws ErrnoException {
        mount(source, target, null, MS_BIND() | (recursive ? MS_REC() : 0), null);
    }

    /**
     * Sets and clears {@code MOUNT_ATTR_*} bits on the mount at {@code path}, and on every mount
     * below it when {@code recursive}. A mount with writers cannot become read-only (EBUSY).
     */
    public static void setAttributes(String path, boolean recursive, long set, long clear) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            var attr = mount_attr.allocate(arena);
            mount_attr.attr_set(attr, set);
            mount_attr.attr_clr(attr, clear);
            Syscall.call("mount_setattr " + path, Syscall.TABLE.mountSetattr(), dev.halt.ffm.linux.SyscallNumbers.AT_FDCWD,
                arena.allocateFrom(path).address(), recursive ? AT_RECURSIVE() : 0, attr.address(), MOUNT_ATTR_SIZE_VER0(), 0);
        }
    }

    /** Detaches the mount at {@code target} now; it goes away when nothing uses it any more. */
    public static void detach(String target) throws ErrnoException {
        try (var arena = Arena.ofConfined()) {
            Syscall.call("umount2 " + target, Syscall.TABLE.umount2(), arena.allocateFrom(target).address(), MNT_DETACH(),
                0, 0, 0, 0);
        }
    }

    private static long address(Arena arena, String s) {
        return s == null ? MemorySegment.NULL.address() : arena.allocateFrom(s).address();
    }
}
