/**
 * JMH benchmarks of the proxy hot path and of sandbox start. Run with
 * {@code java -jar bench/target/benchmarks.jar}; the benchmarks themselves arrive with the
 * benchmarks issue.
 */
package dev.halt.bench;
