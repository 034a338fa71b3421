/**
 * halt's core: the policy and its configuration, the platform backends (Linux; macOS's pure
 * parts) behind {@link dev.halt.core.Sandbox}, and {@code halt check}'s probes. It exports only
 * its API; the backends' packages stay inside, so nothing outside core can reach a system call.
 * The cli alone also reads {@code halt explain}'s {@code Explainer}, the control socket's client
 * and server (the live commands), and the JSON writer and reader they share.
 */
@SuppressWarnings({"requires-automatic", "module"}) // tomlj has no module-info; the cli is compiled after core
module dev.halt.core {
    requires dev.halt.ffm;
    requires dev.halt.proxy;
    requires jdk.unsupported; // sun.misc.Signal: SignalForwarder
    requires org.tomlj;

    exports dev.halt.core;
    exports dev.halt.core.config;
    exports dev.halt.core.policy;
    exports dev.halt.core.probe;
    exports dev.halt.core.control to dev.halt.cli;
    exports dev.halt.core.explain to dev.halt.cli;
    exports dev.halt.core.json to dev.halt.cli;
}
