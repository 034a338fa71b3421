/**
 * A run's control socket on Linux: an {@code AF_UNIX} socket made with raw system calls, whose
 * peers the kernel names ({@link dev.halt.core.linux.control.UnixControlSocket}), and the test of
 * whether a peer is a process of the run, which may not widen its own sandbox
 * ({@link dev.halt.core.linux.control.RunProcesses}).
 */
package dev.halt.core.linux.control;
