package dev.halt.proxy;

import java.time.Duration;
import java.time.Instant;

/**
 * One decision of the proxy: a DNS answer, or a connection allowed (logged when it ends, with
 * its byte counts) or refused.
 *
 * @param time when the decision was made (a connection's event is recorded when it ends)
 * @param via which listener decided
 * @param client the client's address, {@code ip:port}
 * @param host the name asked for, or {@code null} when only an address was known
 * @param port the destination port, or 0 (DNS)
 * @param ip the destination address, or {@code null} when none was reached
 * @param decision the outcome
 * @param reason why, in a few words
 * @param bytesUp bytes from client to destination
 * @param bytesDown bytes from destination to client
 * @param duration how long the connection lasted (zero for refusals and DNS)
 */
public record DecisionEvent(Instant time, Via via, String client, String host, int port, String ip,
                            Decision decision, String reason, long bytesUp, long bytesDown, Duration duration) {

    /** The listener that made a decision. */
    public enum Via {
        /** The DNS listener answered a query. */
        DNS,
        /** An HTTP CONNECT request on the proxy port. */
        CONNECT,
        /** A plain-HTTP (absolute-form) request on the proxy port. */
        HTTP,
        /** A SOCKS5 request on the proxy port. */
        SOCKS5,
        /** A connection to a transparent listener. */
        TRANSPARENT,
        /** A connection to a host port exposed into the sandbox ({@code --expose-host-port}). */
        HOST_PORT;

        /** The lower-case name used in the JSON log. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The outcome of a decision. */
    public enum Decision {
        /** Policy allowed it and it was served. */
        ALLOWED,
        /** Policy refused it. */
        REFUSED,
        /** Policy allowed it but it could not be served (DNS failure, connect failure, timeout). */
        FAILED;

        /** The lower-case name used in the JSON log. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** This event as one JSON object on one line. */
    public String toJson() {
        var sb = new StringBuilder(192);
        sb.append("{\"time\":\"").append(time).append('"');
        sb.append(",\"via\":\"").append(via.label()).append('"');
        sb.append(",\"client\":");
        JsonString.append(sb, client);
        sb.append(",\"host\":");
        JsonString.append(sb, host);
        sb.append(",\"port\":").append(port);
        sb.append(",\"ip\":");
        JsonString.append(sb, ip);
        sb.append(",\"decision\":\"").append(decision.label()).append('"');
        sb.append(",\"reason\":");
        JsonString.append(sb, reason);
        sb.append(",\"bytes_up\":").append(bytesUp);
        sb.append(",\"bytes_down\":").append(bytesDown);
        sb.append(",\"duration_ms\":").append(duration.toMillis());
        return sb.append('}').toString();
    }
}
