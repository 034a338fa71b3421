/**
 * The macOS backend's pure parts: the Seatbelt profile halt writes for a policy
 * ({@link dev.halt.core.macos.SbplProfile}) from the facts of the run
 * ({@link dev.halt.core.macos.MacEnvironment}). Nothing here calls native code, so all of it is
 * tested on every OS; what only a Mac can show runs on the macOS CI runner.
 */
package dev.halt.core.macos;
