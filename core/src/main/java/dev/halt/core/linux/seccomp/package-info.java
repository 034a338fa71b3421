/**
 * The seccomp filter of a run as a value ({@link dev.halt.core.linux.seccomp.SeccompPolicy}), the
 * classic-BPF assembler it compiles with, and its installation on the calling thread
 * ({@link dev.halt.core.linux.seccomp.Seccomp}).
 */
package dev.halt.core.linux.seccomp;
