/**
 * The run's Landlock denials, read from the kernel's audit records
 * ({@link dev.halt.core.linux.audit.DenialWatch}) and reported as the proxy reports its
 * refusals ({@link dev.halt.core.linux.audit.LandlockDenials}); audit switched on for
 * {@code --explain-denials} and back off ({@link dev.halt.core.linux.audit.AuditSwitch}).
 */
package dev.halt.core.linux.audit;
