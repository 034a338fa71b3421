/**
 * halt's JMH benchmarks and the programs {@code bench/compare.sh} starts. They use the proxy's and
 * core's exported API only; {@code benchmarks.jar} runs on the class path, as {@code halt.jar} does.
 */
@SuppressWarnings({"requires-automatic", "module"}) // JMH's jar has no module name of its own
module dev.halt.bench {
    requires dev.halt.core;
    requires dev.halt.proxy;
    requires java.logging; // SandboxStartBench quiets halt's logger
    requires jmh.core;
}
