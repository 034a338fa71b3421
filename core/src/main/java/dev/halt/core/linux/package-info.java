/**
 * The Linux backend ({@link dev.halt.core.linux.LinuxBackend}): the probes that decide its
 * enforcement plan, run once per JVM ({@link dev.halt.core.linux.LinuxFacts},
 * {@link dev.halt.core.linux.LinuxProbes}), the plan itself ({@link dev.halt.core.linux.LinuxPlan})
 * and {@code halt check}'s Linux lines ({@link dev.halt.core.linux.LinuxCheck}). The pieces live
 * in sub-packages: {@code sys} (system calls), {@code landlock}, {@code seccomp} (the filter and
 * its BPF), {@code net} (rtnetlink, namespaces, the run's network), {@code fs} (the run's mount
 * namespace, and protected paths without one), {@code audit} (denials from audit records),
 * {@code launch} (the jailer thread and the started child), {@code control} (the run's control
 * socket) and {@code supervisor} (the rootless supervisor). None is exported from the module:
 * the cli goes through {@link dev.halt.core.Sandbox}.
 */
package dev.halt.core.linux;
