/**
 * The allowlist proxy: domain matcher, DNS server and upstream client, HTTP CONNECT, plain HTTP
 * and SOCKS5 on one port, transparent TCP listeners, relay and decision log. Depends on nothing
 * else of halt's.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * var policy = ProxyPolicy.builder()                        // what the child may reach
 *         .allow("example.com", "*.githubusercontent.com", "github.com:22")
 *         .deny("gist.githubusercontent.com")
 *         .build();
 * var config = ProxyConfig.builder().policy(policy).build(); // plus this process's wiring
 * try (var proxy = ProxyServer.startOnLoopback(config)) {     // rootless mode, tests
 *     InetSocketAddress httpProxy = proxy.proxyAddress();     // HTTP(S)_PROXY / ALL_PROXY
 *     InetSocketAddress dns = proxy.dnsAddresses().getFirst();
 *     ...
 * }                                                           // prints the summary
 * }</pre>
 * In privileged mode the caller creates the listening sockets inside the proxy network
 * namespace (on its dedicated thread) and hands them over with
 * {@link dev.halt.proxy.ProxyServer#start(ProxyConfig, ProxyServer.Listeners)}, called from an
 * ordinary host-namespace thread: upstream sockets are opened by the proxy's own threads,
 * which inherit the namespace of that caller.
 *
 * <h2>Decisions</h2>
 * Every name goes through one {@link dev.halt.proxy.DomainMatcher} (deny wins); a refused name
 * is never sent upstream, by DNS or by connection. Allowed names are resolved by halt's own
 * {@link dev.halt.proxy.dns.Resolver}; destinations that are local addresses, or addresses of
 * this machine's own interfaces ({@link dev.halt.proxy.ProxyConfig#hostAddresses()}), are refused
 * unless {@link dev.halt.proxy.ProxyPolicy#allowLocalDestinations()}; IP-literal and transparent
 * destinations must be addresses the resolver recently gave out for an allowed name; the proxy
 * never dials its own listeners. Each decision is one {@link dev.halt.proxy.DecisionEvent} in the
 * {@link dev.halt.proxy.DecisionLog}.
 *
 * <h2>Threads</h2>
 * One platform thread per listening socket, one virtual thread per connection and a second
 * one while relaying, blocking NIO with pooled 64 KiB direct buffers, one idle sweeper. No
 * {@code synchronized} anywhere: counters are {@code LongAdder}s, the only lock guards the
 * JSON-lines file.
 */
package dev.halt.proxy;
