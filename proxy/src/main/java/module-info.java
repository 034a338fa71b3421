/**
 * halt's proxy: the domain matcher, the DNS server and its upstream client, the proxy port (HTTP
 * CONNECT, plain HTTP, SOCKS5), the transparent listeners and the decision log. It knows nothing
 * of sandboxes and needs nothing of halt's.
 */
module dev.halt.proxy {
    exports dev.halt.proxy;
    exports dev.halt.proxy.dns;
}
