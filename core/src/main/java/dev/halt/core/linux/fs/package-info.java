/**
 * What the child sees of the filesystem beyond Landlock: the run's own mount namespace with
 * privileges ({@link dev.halt.core.linux.fs.MountPlan}, {@link dev.halt.core.linux.fs.MountNamespace});
 * without it, the shared places, the snapshot and repair of protected paths and the record of
 * what a killed run leaves to clean up; and a launch's view planned without a launch
 * ({@link dev.halt.core.linux.fs.RunView}).
 */
package dev.halt.core.linux.fs;
