package dev.halt.proxy.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed DNS message (RFC 1035) over its wire bytes, and the few builders halt needs.
 *
 * <p>The parser reads untrusted bytes: every offset is bounds-checked, and a compression
 * pointer must point strictly before every position already visited for that name, so pointer
 * loops cannot exist and parsing always ends. Any defect is a {@link DnsFormatException}.
 */
public final class DnsMessage {
    /** IPv4 address record. */
    public static final int TYPE_A = 1;
    /** Canonical-name record. */
    public static final int TYPE_CNAME = 5;
    /** Start of authority (negative-answer TTL). */
    public static final int TYPE_SOA = 6;
    /** IPv6 address record. */
    public static final int TYPE_AAAA = 28;
    /** EDNS0 pseudo-record. */
    public static final int TYPE_OPT = 41;
    /** The Internet class. */
    public static final int CLASS_IN = 1;
    /** No error. */
    public static final int RCODE_NOERROR = 0;
    /** The query was malformed. */
    public static final int RCODE_FORMERR = 1;
    /** The server could not get an answer. */
    public static final int RCODE_SERVFAIL = 2;
    /** No such name. */
    public static final int RCODE_NXDOMAIN = 3;
    /** Not implemented (opcode or class). */
    public static final int RCODE_NOTIMP = 4;
    /** Refused by policy. */
    public static final int RCODE_REFUSED = 5;
    /** Bytes in the fixed header. */
    public static final int HEADER_LENGTH = 12;

    /** The name of a response code, as DNS tools print it: {@code NXDOMAIN}, {@code SERVFAIL}, {@code rcode 9}. */
    public static String rcodeName(int rcode) {
        return switch (rcode) {
            case RCODE_NOERROR -> "NOERROR";
            case RCODE_FORMERR -> "FORMERR";
            case RCODE_SERVFAIL -> "SERVFAIL";
            case RCODE_NXDOMAIN -> "NXDOMAIN";
            case RCODE_NOTIMP -> "NOTIMP";
            case RCODE_REFUSED -> "REFUSED";
            default -> "rcode " + rcode;
        };
    }
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int MAX_NAME = 255;
    private static final int MAX_RECORDS = 512;

    /** A question: name in lower-case ASCII, without trailing dot ({@code ""} for the root). */
    public record Question(String name, int type, int qclass) {}

    /**
     * A resource record.
     *
     * @param ttlOffset where the 4-byte TTL sits in the message, for rewriting
     * @param address the address of an A or AAAA record, else {@code null}
     * @param target the target name of a CNAME record, else {@code null}
     */
    public record Record(String name, int type, int rclass, long ttl, int ttlOffset, InetAddress address, String target) {}

    private final byte[] bytes;
    private final int id;
    private final int flags;
    private final List<Question> questions;
    private final int questionEnd;
    private final List<Record> answers;
    private final List<Record> authorities;
    private final List<Record> additionals;

    private DnsMessage(byte[] bytes, int id, int flags, List<Question> questions, int questionEnd,
                       List<Record> answers, List<Record> authorities, List<Record> additionals) {
        this.bytes = bytes;
        this.id = id;
        this.flags = flags;
        this.questions = questions;
        this.questionEnd = questionEnd;
        this.answers = answers;
        this.authorities = authorities;
        this.additionals = additionals;
    }

    /** Parses {@code length} bytes of {@code data}; the message keeps its own copy. */
    public static DnsMessage parse(byte[] data, int length) throws DnsFormatException {
        if (length < HEADER_LENGTH) {
            throw new DnsFormatException("message of " + length + " bytes is shorter than the 12-byte header");
        }
        byte[] b = Arrays.copyOf(data, length);
        int id = u16(b, 0);
        int flags = u16(b, 2);
        int qd = u16(b, 4);
        int an = u16(b, 6);
        int ns = u16(b, 8);
        int ar = u16(b, 10);
        if (qd + an + ns + ar > MAX_RECORDS) {
            throw new DnsFormatException("too many records (" + (qd + an + ns + ar) + ")");
        }
        int[] pos = {HEADER_LENGTH};
        var qs = new ArrayList<Question>(qd);
        for (int i = 0; i < qd; i++) {
            String name = readName(b, length, pos);
            need(b, length, pos[0], 4, "question");
            qs.add(new Question(name, u16(b, pos[0]), u16(b, pos[0] + 2)));
            pos[0] += 4;
        }
        int qEnd = pos[0];
        var answers = readRecords(b, length, pos, an);
        var auth = readRecords(b, length, pos, ns);
        var add = readRecords(b, length, pos, ar);
        // Trailing bytes are tolerated: some middleboxes pad, and they carry no meaning.
        return new DnsMessage(b, id, flags, List.copyOf(qs), qEnd, answers, auth, add);
    }

    private static List<Record> readRecords(byte[] b, int len, int[] pos, int count) throws DnsFormatException {
        var out = new ArrayList<Record>(count);
        for (int i = 0; i < count; i++) {
            String name = readName(b, len, pos);
            need(b, len, pos[0], 10, "record header");
            int p = pos[0];
            int type = u16(b, p);
            int cls = u16(b, p + 2);
            long ttl = u32(b, p + 4);
            int rdlen = u16(b, p + 8);
            int rdata = p + 10;
            need(b, len, rdata, rdlen, "record data");
            InetAddress addr = null;
            String target = null;
            if (type == TYPE_A && cls == CLASS_IN) {
                if (rdlen != 4) throw new DnsFormatException("A record with " + rdlen + " bytes of data");
                addr = address(Arrays.copyOfRange(b, rdata, rdata + 4));
            } else if (type == TYPE_AAAA && cls == CLASS_IN) {
                if (rdlen != 16) throw new DnsFormatException("AAAA record with " + rdlen + " bytes of data");
                addr = address(Arrays.copyOfRange(b, rdata, rdata + 16));
            } else if (type == TYPE_CNAME) {
                int[] tp = {rdata};
                target = readName(b, rdata + rdlen, tp);
            }
            out.add(new Record(name, type, cls, ttl, p + 4, addr, target));
            pos[0] = rdata + rdlen;
        }
        return List.copyOf(out);
    }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only thrown for wrong lengths, checked above
        }
    }

    /**
     * Reads a possibly compressed name at {@code pos[0]} (which is advanced past it). Names are
     * lower-cased; a label containing a dot or a control byte is refused.
     */
    static String readName(byte[] b, int len, int[] pos) throws DnsFormatException {
        var sb = new StringBuilder(64);
        int p = pos[0];
        int lowest = p;
        int wire = 0;
        boolean jumped = false;
        while (true) {
            if (p >= len) {
                throw new DnsFormatException("name at offset " + pos[0] + " runs past the end");
            }
            int c = b[p] & 0xff;
            if (c == 0) {
                p++;
                break;
            }
            switch (c & 0xc0) {
                case 0xc0 -> {
                    if (p + 1 >= len) {
                        throw new DnsFormatException("compression pointer at offset " + p + " is cut off");
                    }
                    int target = ((c & 0x3f) << 8) | (b[p + 1] & 0xff);
                    if (target >= lowest) {
                        throw new DnsFormatException("compression pointer at offset " + p + " to " + target + " does not point backwards (loop)");
                    }
                    if (!jumped) {
                        pos[0] = p + 2;
                        jumped = true;
                    }
                    lowest = target;
                    p = target;
                }
                case 0x00 -> {
                    if (p + 1 + c > len) {
                        throw new DnsFormatException("label at offset " + p + " runs past the end");
                    }
                    wire += c + 1;
                    if (wire + 1 > MAX_NAME) {
                        throw new DnsFormatException("name longer than 255 bytes");
                    }
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    for (int i = p + 1; i <= p + c; i++) {
                        int ch = b[i] & 0xff;
                        if (ch == '.' || ch <= 0x20 || ch >= 0x7f) {
                            throw new DnsFormatException("label at offset " + p + " holds byte 0x" + Integer.toHexString(ch));
                        }
                        sb.append(ch >= 'A' && ch <= 'Z' ? (char) (ch + 32) : (char) ch);
                    }
                    p += 1 + c;
                }
                default -> throw new DnsFormatException("unsupported label type 0x" + Integer.toHexString(c) + " at offset " + p);
            }
        }
        if (!jumped) {
            pos[0] = p;
        }
        return sb.toString();
    }

    private static void need(byte[] b, int len, int at, int n, String what) throws DnsFormatException {
        if (at + n > len || at + n < at) {
            throw new DnsFormatException(what + " at offset " + at + " runs past the end of a " + len + "-byte message");
        }
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    /** The wire bytes (a copy). */
    public byte[] bytes() { return bytes.clone(); }
    /** Length on the wire. */
    public int length() { return bytes.length; }
    /** Message id. */
    public int id() { return id; }
    /** Header flags word. */
    public int flags() { return flags; }
    /** Whether this is a response. */
    public boolean isResponse() { return (flags & FLAG_QR) != 0; }
    /** Whether the TC (truncated) bit is set. */
    public boolean isTruncated() { return (flags & FLAG_TC) != 0; }
    /** The opcode. */
    public int opcode() { return (flags >> 11) & 0xf; }
    /** The response code (low 4 bits). */
    public int rcode() { return flags & 0xf; }
    /** Questions. */
    public List<Question> questions() { return questions; }
    /** Answer section. */
    public List<Record> answers() { return answers; }
    /** Authority section. */
    public List<Record> authorities() { return authorities; }
    /** Additional section. */
    public List<Record> additionals() { return additionals; }
    /** Offset just past the question section. */
    public int questionEnd() { return questionEnd; }

    /** The largest UDP response the sender accepts: its EDNS size, or 512. */
    public int udpPayloadLimit() {
        for (Record r : additionals) {
            if (r.type() == TYPE_OPT) {
                return Math.max(512, Math.min(r.rclass(), 4096));
            }
        }
        return 512;
    }

    /** Raw bytes of header and question section, which responses echo. */
    byte[] headerAndQuestion() {
        return Arrays.copyOf(bytes, questionEnd);
    }

    // ---- builders ----

    /** A recursive query for one name and type, with an EDNS0 OPT record advertising 1232 bytes. */
    public static byte[] query(int id, String name, int type) {
        var out = new ByteArrayOutputStream(64);
        u16(out, id);
        u16(out, FLAG_RD);
        u16(out, 1);
        u16(out, 0);
        u16(out, 0);
        u16(out, 1);
        writeName(out, name);
        u16(out, type);
        u16(out, CLASS_IN);
        out.write(0); // OPT: root name
        u16(out, TYPE_OPT);
        u16(out, 1232);
        u16(out, 0);
        u16(out, 0);
        u16(out, 0);
        return out.toByteArray();
    }

    /**
     * An error response to a query: same id, opcode and RD, the question echoed when it parsed,
     * and {@code rcode}. Returns {@code null} when the query is too short to answer at all.
     */
    public static byte[] errorResponse(byte[] query, int length, int rcode) {
        if (length < HEADER_LENGTH) {
            return null;
        }
        int qEnd = HEADER_LENGTH;
        int qd = 0;
        try {
            DnsMessage m = parse(query, length);
            if (m.questions.size() == 1) {
                qEnd = m.questionEnd;
                qd = 1;
            }
        } catch (DnsFormatException e) {
            // answer with the header alone
        }
        byte[] r = Arrays.copyOf(query, qEnd);
        int flags = u16(query, 2);
        int f = FLAG_QR | (flags & 0x7800) | (flags & FLAG_RD) | FLAG_RA | (rcode & 0xf);
        put16(r, 2, f);
        put16(r, 4, qd);
        put16(r, 6, 0);
        put16(r, 8, 0);
        put16(r, 10, 0);
        return r;
    }

    /** A NOERROR response answering this query's single question with the given addresses. */
    public byte[] addressResponse(List<InetAddress> addresses, long ttl) {
        var out = new ByteArrayOutputStream(questionEnd + addresses.size() * 28);
        out.write(bytes, 0, questionEnd);
        byte[] r;
        int count = 0;
        for (InetAddress a : addresses) {
            boolean v4 = a instanceof Inet4Address;
            u16(out, 0xc000 | HEADER_LENGTH); // pointer to the question's name
            u16(out, v4 ? TYPE_A : TYPE_AAAA);
            u16(out, CLASS_IN);
            u16(out, (int) (ttl >>> 16));
            u16(out, (int) ttl);
            byte[] raw = a.getAddress();
            u16(out, raw.length);
            out.write(raw, 0, raw.length);
            count++;
        }
        r = out.toByteArray();
        put16(r, 2, FLAG_QR | FLAG_RD | FLAG_RA);
        put16(r, 4, 1);
        put16(r, 6, count);
        put16(r, 8, 0);
        put16(r, 10, 0);
        return r;
    }

    /**
     * A copy of this response for a client: its id, its question bytes (same length: the names
     * differ at most in case), the TC bit cleared, every TTL capped at {@code maxTtl}.
     */
    public byte[] forClient(int clientId, byte[] clientQuestion, long maxTtl) {
        byte[] r = bytes.clone();
        put16(r, 0, clientId);
        if (clientQuestion != null && clientQuestion.length == questionEnd) {
            System.arraycopy(clientQuestion, HEADER_LENGTH, r, HEADER_LENGTH, questionEnd - HEADER_LENGTH);
        }
        put16(r, 2, u16(r, 2) & ~FLAG_TC);
        for (List<Record> section : List.of(answers, authorities, additionals)) {
            for (Record rec : section) {
                if (rec.type() != TYPE_OPT && rec.ttl() > maxTtl) {
                    put16(r, rec.ttlOffset(), (int) (maxTtl >>> 16));
                    put16(r, rec.ttlOffset() + 2, (int) maxTtl);
                }
            }
        }
        return r;
    }

    /** A header-and-question response with TC set, telling a UDP client to retry over TCP. */
    public static byte[] truncated(byte[] response) {
        try {
            DnsMessage m = parse(response, response.length);
            byte[] r = m.headerAndQuestion();
            put16(r, 2, u16(r, 2) | FLAG_TC);
            put16(r, 6, 0);
            put16(r, 8, 0);
            put16(r, 10, 0);
            return r;
        } catch (DnsFormatException e) {
            throw new IllegalArgumentException("not a DNS message: " + e.getMessage());
        }
    }

    static void writeName(ByteArrayOutputStream out, String name) {
        if (!name.isEmpty()) {
            for (String label : name.split("\\.")) {
                byte[] l = label.getBytes(StandardCharsets.US_ASCII);
                out.write(l.length);
                out.write(l, 0, l.length);
            }
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    /** Addresses of the A/AAAA answers (following no CNAMEs: they are in the same section). */
    public List<InetAddress> addresses() {
        var out = new ArrayList<InetAddress>();
        for (Record r : answers) {
            if (r.address() != null) {
                out.add(r.address());
            }
        }
        return out;
    }

    /** Whether an address is IPv4. */
    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
