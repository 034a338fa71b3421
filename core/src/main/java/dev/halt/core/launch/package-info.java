/**
 * What a launch needs on every platform, for the backends: the run's JSON-lines file and the
 * proxy's decisions in it ({@link dev.halt.core.launch.RunLog}), the proxy on loopback
 * ({@link dev.halt.core.launch.LoopbackProxy}) and the child's proxy variables
 * ({@link dev.halt.core.launch.ProxyEnvironment}), the command's lookup in the child's {@code PATH}
 * ({@link dev.halt.core.launch.CommandPath}) and file redirects as pipes
 * ({@link dev.halt.core.launch.RedirectPumps}). Not an API: the embedding API is
 * {@link dev.halt.core.Sandbox}.
 */
package dev.halt.core.launch;
