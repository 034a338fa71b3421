package dev.halt.core.macos;

import dev.halt.core.macos.SbplReader.Form;
import dev.halt.core.macos.SbplReader.Node;
import dev.halt.core.macos.SbplReader.Regex;
import dev.halt.core.macos.SbplReader.Symbol;
import dev.halt.core.macos.SbplReader.Text;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model of how Seatbelt decides, for the operations and filters halt's profiles use, to run
 * the decision table on a machine without Seatbelt. What it assumes is what the macOS runner
 * checks for real:
 *
 * <ul>
 *   <li>a rule for an exact operation outranks a wildcard ({@code file-write*}, {@code network*}),
 *       a longer wildcard a shorter one, and every rule {@code default}, whatever their order;</li>
 *   <li>among the matching rules of the highest rank, the last one decides;</li>
 *   <li>several filters in one rule match when any matches;</li>
 *   <li>{@code localhost} matches 127.0.0.0/8 and {@code ::1} (not {@code ::ffff:127.0.0.1}); a
 *       {@code local} filter also matches the unspecified address of a wildcard bind.</li>
 * </ul>
 *
 * Anything else in a profile (an operation or a filter it does not know) is an error: the model
 * covers everything the generator writes.
 */
final class SbplModel {

    /** The operations halt's profiles may name, checked on a Mac for each version CI runs (Q1). */
    static final Set<String> OPERATIONS = Set.of("default", "lsopen", "appleevent-send", "mach-lookup", "user-preference-write",
        "sysctl-read", "signal", "file-ioctl", "file-read-data", "file-write*", "file-write-unlink", "file-link", "file-clone",
        "process-exec*", "network*", "network-outbound", "network-bind", "network-inbound");

    /** One request to decide. Fields a request does not use are null. */
    record Request(String operation, String path, String vnodeType, Endpoint endpoint, String name, String target) {
        static Request file(String operation, String path, String vnodeType) {
            return new Request(operation, path, vnodeType, null, null, null);
        }

        static Request network(String operation, Endpoint endpoint) {
            return new Request(operation, null, null, endpoint, null, null);
        }

        static Request named(String operation, String name) {
            return new Request(operation, null, null, null, name, null);
        }

        static Request signal(String target) {
            return new Request("signal", null, null, null, null, target);
        }

        static Request plain(String operation) {
            return new Request(operation, null, null, null, null, null);
        }
    }

    /** A socket address: {@code tcp}, {@code udp} or {@code unix} (then {@code host} is the path and {@code port} 0). */
    record Endpoint(String protocol, String host, int port) {
    }

    private record Rule(boolean allow, List<String> operations, List<Node> filters, int index) {
    }

    private final List<Rule> rules = new ArrayList<>();

    private SbplModel(SbplProfile profile) {
        var parameters = new HashMap<String, String>();
        profile.parameters().forEach(e -> parameters.put(e.getKey(), e.getValue()));
        var forms = SbplReader.read(profile.text());
        for (var form : forms) {
            var head = form.head();
            if (head.equals("version")) continue;
            if (!head.equals("allow") && !head.equals("deny")) throw new IllegalArgumentException("unknown form " + form);
            var operations = new ArrayList<String>();
            var filters = new ArrayList<Node>();
            for (var item : form.rest()) {
                if (item instanceof Symbol s) {
                    if (!OPERATIONS.contains(s.name())) throw new IllegalArgumentException("unknown operation " + s + " in " + form);
                    operations.add(s.name());
                } else if (item instanceof Form f && f.head().equals("with")) {
                    if (head.equals("allow")) throw new IllegalArgumentException("a message on an allow: " + form);
                } else {
                    filters.add(substitute(item, parameters));
                }
            }
            rules.add(new Rule(head.equals("allow"), operations, filters, rules.size()));
        }
    }

    static SbplModel of(SbplProfile profile) {
        return new SbplModel(profile);
    }

    /** Whether the profile allows {@code request}. */
    boolean allows(Request request) {
        Rule winner = null;
        int best = -1;
        for (var rule : rules) {
            int rank = -1;
            for (var op : rule.operations()) rank = Math.max(rank, rank(op, request.operation()));
            if (rank < 0 || !(rule.filters().isEmpty() || rule.filters().stream().anyMatch(f -> matches(f, request)))) continue;
            if (rank >= best) {
                best = rank;
                winner = rule;
            }
        }
        if (winner == null) throw new IllegalStateException("no rule decides " + request);
        return winner.allow();
    }

    /** How specifically {@code pattern} names {@code operation}: -1 not at all. */
    private static int rank(String pattern, String operation) {
        if (pattern.equals("default")) return 0;
        if (pattern.endsWith("*")) {
            var prefix = pattern.substring(0, pattern.length() - 1);
            return operation.startsWith(prefix) ? prefix.length() : -1;
        }
        return pattern.equals(operation) ? 1000 : -1;
    }

    private static Node substitute(Node node, Map<String, String> parameters) {
        if (!(node instanceof Form f)) return node;
        if (f.head().equals("param")) {
            var key = ((Text) f.rest().getFirst()).value();
            var value = parameters.get(key);
            if (value == null) throw new IllegalArgumentException("parameter " + key + " is not defined");
            return new Text(value);
        }
        return new Form(f.items().stream().map(n -> substitute(n, parameters)).toList());
    }

    private static boolean matches(Node filter, Request r) {
        var f = (Form) filter;
        var args = f.rest();
        return switch (f.head()) {
            case "literal", "path" -> r.path() != null && r.path().equals(text(args.getFirst()));
            case "subpath" -> r.path() != null && under(r.path(), text(args.getFirst()));
            case "regex" -> r.path() != null && Pattern.compile(((Regex) args.getFirst()).pattern()).matcher(r.path()).find();
            case "vnode-type" -> ((Symbol) args.getFirst()).name().equals(r.vnodeType());
            case "require-all" -> args.stream().allMatch(a -> matches(a, r));
            case "require-any" -> args.stream().anyMatch(a -> matches(a, r));
            case "require-not" -> !matches(args.getFirst(), r);
            case "global-name", "sysctl-name" -> text(args.getFirst()).equals(r.name());
            case "ioctl-command" -> ((Symbol) args.getFirst()).name().equals(r.name());
            case "target" -> switch (((Symbol) args.getFirst()).name()) {
                case "self" -> "self".equals(r.target());
                case "same-sandbox" -> "self".equals(r.target()) || "same-sandbox".equals(r.target());
                default -> throw new IllegalArgumentException("unknown target " + f);
            };
            case "remote", "local" -> address(f, r);
            default -> throw new IllegalArgumentException("unknown filter " + f);
        };
    }

    private static boolean address(Form f, Request r) {
        var e = r.endpoint();
        if (e == null) return false;
        var kind = ((Symbol) f.rest().getFirst()).name();
        var args = f.rest().subList(1, f.rest().size());
        if (kind.equals("unix-socket")) {
            if (!e.protocol().equals("unix")) return false;
            if (args.isEmpty()) return true;
            var literal = (Form) args.getFirst();
            if (!literal.head().equals("path-literal")) throw new IllegalArgumentException("unknown unix-socket filter " + f);
            return e.host().equals(text(literal.rest().getFirst()));
        }
        if (!(kind.equals("tcp") && e.protocol().equals("tcp") || kind.equals("ip") && !e.protocol().equals("unix"))) return false;
        var spec = text(args.getFirst());
        var colon = spec.lastIndexOf(':');
        var host = spec.substring(0, colon);
        var port = spec.substring(colon + 1);
        boolean hostMatches = switch (host) {
            case "*" -> true;
            case "localhost" -> isLoopback(e.host()) || f.head().equals("local") && isUnspecified(e.host());
            default -> throw new IllegalArgumentException("Seatbelt knows only localhost and *: " + f);
        };
        return hostMatches && (port.equals("*") || Integer.parseInt(port) == e.port());
    }

    private static boolean isLoopback(String host) {
        var address = literal(host);
        // ::ffff:127.0.0.1 is IPv4-mapped: Java hands back an Inet4Address for it, Seatbelt does not match it.
        return address.isLoopbackAddress() && !host.contains("ffff");
    }

    private static boolean isUnspecified(String host) {
        return literal(host).isAnyLocalAddress();
    }

    private static InetAddress literal(String host) {
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an address literal: " + host, e);
        }
    }

    private static boolean under(String path, String tree) {
        return path.equals(tree) || path.startsWith(tree.endsWith("/") ? tree : tree + "/");
    }

    private static String text(Node node) {
        if (node instanceof Text t) return t.value();
        throw new IllegalArgumentException("expected a string, got " + node);
    }
}
