/**
 * A run's network: what its mode needs and the proxy while the child runs
 * ({@link dev.halt.core.linux.net.NetworkSetup}), network namespaces
 * ({@link dev.halt.core.linux.net.NetworkNamespace}), rtnetlink without an {@code ip} binary
 * ({@link dev.halt.core.linux.net.Netlink}), the veth to the proxy namespace
 * ({@link dev.halt.core.linux.net.ProxyLink}) and the host's addresses.
 */
package dev.halt.core.linux.net;
