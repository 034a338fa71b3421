/**
 * The allowlist proxy: domain matcher, DNS server and upstream client, HTTP CONNECT, plain HTTP
 * and SOCKS5 on one port, transparent TCP listeners, relay and decision log. Depends on nothing
 * else of halt's.
 */
package dev.halt.proxy;
