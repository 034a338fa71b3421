/**
 * The pieces of a launch on Linux, which {@link dev.halt.core.linux.LinuxBackend} plans:
 * {@link dev.halt.core.linux.launch.Jail} is what the jailer thread applies to itself before it
 * starts the child, {@link dev.halt.core.linux.launch.LinuxProcess} is the started child; the
 * tether, the reaper, the orphan watcher and the guard around a run without a mount namespace.
 */
package dev.halt.core.linux.launch;
