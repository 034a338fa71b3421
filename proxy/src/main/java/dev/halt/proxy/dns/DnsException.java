package dev.halt.proxy.dns;

/** Resolution failed: every upstream server timed out, or none gave a usable answer. */
public final class DnsException extends Exception {
    private final boolean timeout;

    /** @param timeout whether the failure was a timeout (maps to HTTP 504) rather than an error (502) */
    public DnsException(String message, boolean timeout) {
        super(message, null, false, false);
        this.timeout = timeout;
    }

    /** Whether every attempt timed out. */
    public boolean isTimeout() {
        return timeout;
    }
}
