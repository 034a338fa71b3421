/**
 * JMH benchmarks of the proxy hot path and of sandbox start (run with
 * {@code java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar}), and the
 * programs {@code bench/compare.sh} starts: {@link dev.halt.bench.ProxyMain} (halt's proxy
 * alone) and {@link dev.halt.bench.FloorProxy} (the connection test's floor). Loopback only.
 */
package dev.halt.bench;
