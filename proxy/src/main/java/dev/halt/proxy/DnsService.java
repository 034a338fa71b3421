package dev.halt.proxy;

import static dev.halt.proxy.DecisionEvent.Decision.ALLOWED;
import static dev.halt.proxy.DecisionEvent.Decision.FAILED;
import static dev.halt.proxy.DecisionEvent.Decision.REFUSED;

import dev.halt.proxy.DecisionEvent.Via;
import dev.halt.proxy.dns.DnsException;
import dev.halt.proxy.dns.DnsFormatException;
import dev.halt.proxy.dns.DnsMessage;
import dev.halt.proxy.dns.Resolver;
import java.net.InetAddress;
import java.util.List;

/**
 * Answers the sandbox's DNS queries: NXDOMAIN for names the policy refuses (never asked
 * upstream), the resolver's answer for allowed names (any type, TTLs capped), FORMERR or
 * silence for malformed queries.
 */
final class DnsService {
    private final Engine e;

    DnsService(Engine e) {
        this.e = e;
    }

    /** The response to send, or {@code null} to stay silent. */
    byte[] answer(byte[] q, int len, String client, boolean udp) {
        DnsMessage query;
        try {
            query = DnsMessage.parse(q, len);
        } catch (DnsFormatException ex) {
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_FORMERR);
        }
        if (query.isResponse()) {
            return null; // never answer an answer: that is how reflection loops start
        }
        if (query.opcode() != 0) {
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_NOTIMP);
        }
        if (query.questions().size() != 1) {
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_FORMERR);
        }
        var question = query.questions().getFirst();
        if (question.qclass() != DnsMessage.CLASS_IN) {
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_NOTIMP);
        }
        String name = HostNames.normalizeOrNull(question.name());
        if (name == null) {
            e.event(Via.DNS, client, question.name(), 0, null, REFUSED, "not a valid host name", 0, 0, 0);
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_NXDOMAIN);
        }
        var verdict = e.checkOrAsk(name, DomainMatcher.ANY);
        if (!verdict.allowed()) {
            e.event(Via.DNS, client, name, 0, null, REFUSED, verdict.reason(), 0, 0, 0);
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_NXDOMAIN);
        }
        Resolver.Answer answer;
        try {
            answer = e.resolver.query(name, question.type());
        } catch (DnsException ex) {
            e.event(Via.DNS, client, name, 0, null, FAILED, Engine.noAddress(ex.getMessage()), 0, 0, 0);
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_SERVFAIL);
        }
        DnsMessage m = answer.message();
        List<InetAddress> addresses = m.addresses();
        if (!addresses.isEmpty() && addresses.stream().allMatch(a -> e.whyLocal(a) != null)) {
            e.event(Via.DNS, client, name, 0, addresses.getFirst(), REFUSED, "resolves only to local addresses"
                    + " or this machine's own"
                    + " (DNS rebinding defence; set allow_local_destinations to permit)", 0, 0, 0);
            return DnsMessage.errorResponse(q, len, DnsMessage.RCODE_NXDOMAIN);
        }
        byte[] headAndQuestion = java.util.Arrays.copyOf(q, query.questionEnd());
        byte[] r = m.forClient(query.id(), headAndQuestion, answer.ttlLeft(e.resolver.now()));
        if (m.rcode() != DnsMessage.RCODE_NOERROR) {
            // Allowed, but upstream has no such name or no answer: passed on as it came, and logged
            // as a failure the user sees explained (a client that gets NXDOMAIN only says "not found").
            e.event(Via.DNS, client, name, 0, null, FAILED, Engine.noAddress("upstream DNS " + DnsMessage.rcodeName(m.rcode())),
                    0, 0, 0);
        } else {
            e.event(Via.DNS, client, name, 0, addresses.isEmpty() ? null : addresses.getFirst(), ALLOWED,
                    verdict.reason() + "; rcode " + m.rcode() + ", " + m.answers().size() + " answers", 0, 0, 0);
        }
        if (udp && r.length > query.udpPayloadLimit()) {
            return DnsMessage.truncated(r);
        }
        return r;
    }
}
