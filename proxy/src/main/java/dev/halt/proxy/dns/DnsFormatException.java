package dev.halt.proxy.dns;

/** A DNS message that cannot be parsed; the message says where and why. */
public final class DnsFormatException extends Exception {
    /** With a description of the defect. */
    public DnsFormatException(String message) {
        super(message, null, false, false);
    }
}
