package dev.halt.core.launch;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** The child's environment when it reaches the network through halt's proxy. */
public final class ProxyEnvironment {
    private ProxyEnvironment() {}

    /**
     * {@code base} with the proxy variables common runtimes honour: curl, wget, pip, git, Python and
     * Go read {@code HTTP(S)_PROXY}/{@code ALL_PROXY} and their lowercase forms; Node 24+ needs
     * {@code NODE_USE_ENV_PROXY=1}; the JVM reads system properties, passed in
     * {@code JAVA_TOOL_OPTIONS}. {@code NO_PROXY} keeps the user's entries and adds loopback.
     *
     * @param proxy where the child reaches the proxy; {@code base} unchanged when null
     */
    public static Map<String, String> of(Map<String, String> base, InetSocketAddress proxy) {
        if (proxy == null) return base;
        var host = proxy.getAddress().getHostAddress();
        int port = proxy.getPort();
        var http = "http://" + host + ":" + port;
        var env = new LinkedHashMap<>(base);
        for (var name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) env.put(name, http);
        for (var name : List.of("ALL_PROXY", "all_proxy")) env.put(name, "socks5h://" + host + ":" + port);
        var noProxy = new LinkedHashSet<String>();
        for (var name : List.of("NO_PROXY", "no_proxy")) {
            var value = base.get(name);
            if (value != null) for (var entry : value.split(",")) if (!entry.isBlank()) noProxy.add(entry.strip());
        }
        noProxy.addAll(List.of("localhost", "127.0.0.1", "::1"));
        var joined = String.join(",", noProxy);
        env.put("NO_PROXY", joined);
        env.put("no_proxy", joined);
        env.put("NODE_USE_ENV_PROXY", "1");
        var jvm = "-Dhttp.proxyHost=" + host + " -Dhttp.proxyPort=" + port + " -Dhttps.proxyHost=" + host
            + " -Dhttps.proxyPort=" + port + " -Dhttp.nonProxyHosts=localhost|127.0.0.1|[::1]";
        env.put(JavaToolOptions.VARIABLE, JavaToolOptions.with(base.get(JavaToolOptions.VARIABLE), jvm));
        return env;
    }
}
