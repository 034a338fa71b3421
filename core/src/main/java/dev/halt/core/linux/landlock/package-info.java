/**
 * Landlock: the ruleset a policy becomes on a kernel's ABI and the calls that enforce it on the
 * calling thread ({@link dev.halt.core.linux.landlock.Landlock}),
 * and the rights a path ends up with ({@link dev.halt.core.linux.landlock.PathCoverage}).
 */
package dev.halt.core.linux.landlock;
