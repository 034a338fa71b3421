package dev.halt.proxy;

/**
 * Decides, while a request waits, a name no allowlist entry matches ({@code halt run --ask}): the
 * proxy holds the request (a connection, or a DNS question, whose answer would otherwise reach the
 * client first as NXDOMAIN) on its own thread until the approver answers. An approval widens the
 * proxy's policy before it returns ({@link ProxyServer#replacePolicy}), and the proxy checks the
 * name again; a name the denylist refuses, an invalid name or an address nobody resolved is never
 * asked about.
 */
@FunctionalInterface
public interface Approver {

    /**
     * The decision on one question.
     *
     * @param allowed whether the policy now allows the name
     * @param reason  why, for the decision log when refused ({@code refused at the prompt}, {@code no
     *                answer within 30 s})
     */
    record Decision(boolean allowed, String reason) {}

    /**
     * Asks about {@code host} and blocks until it is answered or given up.
     *
     * @param host a normalized host name
     * @param port the destination port, or {@link DomainMatcher#ANY} for a DNS question
     */
    Decision approve(String host, int port);
}
