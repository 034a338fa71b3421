/**
 * System calls, each through the one downcall handle of {@link dev.halt.core.linux.sys.Syscall}
 * with errno captured per call: prctl, capabilities, credentials, pidfd signals, mounts,
 * inotify, an eventfd-wakeable descriptor, and the throwaway thread a probe restricts itself on.
 */
package dev.halt.core.linux.sys;
