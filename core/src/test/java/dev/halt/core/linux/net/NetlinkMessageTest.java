package dev.halt.core.linux.net;

import dev.halt.ffm.linux.Errno;
import dev.halt.ffm.linux.ifinfomsg;
import dev.halt.ffm.linux.nlmsghdr;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.halt.ffm.linux.rtnetlink_h.*;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.*;

/** The builder's bytes, checked by hand against the netlink wire format, and the parser's refusals. */
class NetlinkMessageTest {

    @Test
    void buildsHeaderFamilyHeaderAndPaddedAttributes() {
        try (var arena = Arena.ofConfined()) {
            var builder = new NetlinkMessage.Builder(arena, 256, RTM_NEWLINK(), NLM_F_REQUEST() | NLM_F_ACK());
            ifinfomsg.ifi_index(builder.struct(ifinfomsg.layout()), 7);
            builder.attributeString(IFLA_IFNAME(), "abcde"); // 4 + 6 = 10 bytes, padded to 12
            builder.attributeU32(IFLA_MTU(), 1500);
            var message = builder.finish(42);

            assertEquals(16 + 16 + 12 + 8, message.byteSize());
            assertEquals(message.byteSize(), message.get(JAVA_INT, 0), "nlmsg_len");
            assertEquals(RTM_NEWLINK(), message.get(JAVA_SHORT, 4));
            assertEquals(NLM_F_REQUEST() | NLM_F_ACK(), message.get(JAVA_SHORT, 6));
            assertEquals(42, message.get(JAVA_INT, 8), "nlmsg_seq");
            assertEquals(7, message.get(JAVA_INT, 16 + 4), "ifi_index");
            assertEquals(10, message.get(JAVA_SHORT, 32), "rta_len excludes the padding");
            assertEquals(IFLA_IFNAME(), message.get(JAVA_SHORT, 34));
            assertEquals("abcde", new String(message.asSlice(36, 5).toArray(JAVA_BYTE)));
            assertEquals(0, message.get(JAVA_BYTE, 41), "NUL terminator");
            assertEquals(8, message.get(JAVA_SHORT, 44), "next attribute starts aligned at 44");
            assertEquals(IFLA_MTU(), message.get(JAVA_SHORT, 46));
            assertEquals(1500, message.get(JAVA_INT, 48));
        }
    }

    @Test
    void nestedAttributesCoverTheirContents() throws Exception {
        try (var arena = Arena.ofConfined()) {
            var builder = new NetlinkMessage.Builder(arena, 256, RTM_NEWLINK(), NLM_F_REQUEST());
            builder.struct(ifinfomsg.layout());
            builder.beginNested(IFLA_LINKINFO());
            builder.attributeString(IFLA_INFO_KIND(), "veth");
            builder.beginNested(IFLA_INFO_DATA());
            builder.beginNested(VETH_INFO_PEER());
            builder.struct(ifinfomsg.layout());
            builder.attributeString(IFLA_IFNAME(), "peer0");
            builder.endNested().endNested().endNested();
            var message = builder.finish(1);

            // Read it back with the parser: the same tree must come out.
            var parsed = NetlinkMessage.parse(message);
            assertEquals(1, parsed.size());
            var top = parsed.getFirst().attributesAfter(ifinfomsg.sizeof());
            assertEquals(1, top.size());
            var linkinfo = top.getFirst();
            assertEquals(IFLA_LINKINFO(), linkinfo.type());
            assertEquals(message.byteSize() - 16 - 16 - 4, linkinfo.payload().byteSize(), "the nest spans to the end");
            var inLinkinfo = linkinfo.nested();
            assertEquals("veth", NetlinkMessage.find(inLinkinfo, IFLA_INFO_KIND()).orElseThrow().string());
            var data = NetlinkMessage.find(inLinkinfo, IFLA_INFO_DATA()).orElseThrow().nested();
            var peer = NetlinkMessage.find(data, VETH_INFO_PEER()).orElseThrow().payload();
            var peerAttributes = NetlinkMessage.attributes(peer.asSlice(ifinfomsg.sizeof()));
            assertEquals("peer0", NetlinkMessage.find(peerAttributes, IFLA_IFNAME()).orElseThrow().string());
        }
    }

    @Test
    void refusesUnbalancedNestsAndOverflow() {
        try (var arena = Arena.ofConfined()) {
            var open = new NetlinkMessage.Builder(arena, 64, RTM_NEWLINK(), 0).beginNested(IFLA_LINKINFO());
            assertThrows(IllegalStateException.class, () -> open.finish(1));
            var none = new NetlinkMessage.Builder(arena, 64, RTM_NEWLINK(), 0);
            assertThrows(IllegalStateException.class, none::endNested);
            var small = new NetlinkMessage.Builder(arena, 32, RTM_NEWLINK(), 0);
            assertThrows(IllegalStateException.class, () -> small.attribute(IFLA_IFNAME(), new byte[17]));
        }
    }

    private static MemorySegment datagram(Arena arena, int... words) {
        var segment = arena.allocate(words.length * 4L, 8);
        for (int i = 0; i < words.length; i++) segment.set(JAVA_INT, i * 4L, words[i]);
        return segment;
    }

    @Test
    void parsesSeveralMessagesOfOneDatagram() throws Exception {
        try (var arena = Arena.ofConfined()) {
            // Two messages: an ACK-shaped NLMSG_ERROR (16 + 4 bytes) and an NLMSG_DONE (16 + 4).
            var d = datagram(arena,
                20, NLMSG_ERROR() | (0 << 16), 5, 0, 0,
                20, NLMSG_DONE(), 6, 0, 0);
            List<NetlinkMessage> messages = NetlinkMessage.parse(d);
            assertEquals(2, messages.size());
            assertEquals(NLMSG_ERROR(), messages.get(0).type());
            assertEquals(5, messages.get(0).sequence());
            assertEquals(4, messages.get(0).payload().byteSize());
            assertEquals(NLMSG_DONE(), messages.get(1).type());
        }
    }

    @Test
    void refusesLengthsThatRunPastTheData() {
        try (var arena = Arena.ofConfined()) {
            // nlmsg_len claims 64 bytes, 20 arrived.
            assertThrows(NetlinkMessage.MalformedException.class,
                () -> NetlinkMessage.parse(datagram(arena, 64, NLMSG_DONE(), 1, 0, 0)));
            // nlmsg_len shorter than the header itself.
            assertThrows(NetlinkMessage.MalformedException.class,
                () -> NetlinkMessage.parse(datagram(arena, 8, NLMSG_DONE(), 1, 0, 0)));
            // A negative (huge unsigned) length.
            assertThrows(NetlinkMessage.MalformedException.class,
                () -> NetlinkMessage.parse(datagram(arena, -4, NLMSG_DONE(), 1, 0, 0)));
            // Bytes left over that cannot hold a header.
            var trailing = arena.allocate(22, 8);
            MemorySegment.copy(datagram(arena, 20, NLMSG_DONE(), 1, 0, 0), 0, trailing, 0, 20);
            assertThrows(NetlinkMessage.MalformedException.class, () -> NetlinkMessage.parse(trailing));
        }
    }

    @Test
    void refusesAttributeLengthsThatRunPastTheRegion() {
        try (var arena = Arena.ofConfined()) {
            var region = arena.allocate(8, 4);
            region.set(JAVA_SHORT, 0, (short) 40); // claims 40 bytes in an 8-byte region
            region.set(JAVA_SHORT, 2, (short) IFLA_IFNAME());
            assertThrows(NetlinkMessage.MalformedException.class, () -> NetlinkMessage.attributes(region));
            region.set(JAVA_SHORT, 0, (short) 2); // shorter than its own header
            assertThrows(NetlinkMessage.MalformedException.class, () -> NetlinkMessage.attributes(region));
            region.set(JAVA_SHORT, 0, (short) 0xfffc); // 65532 as u16, not -4
            assertThrows(NetlinkMessage.MalformedException.class, () -> NetlinkMessage.attributes(region));
        }
    }

    @Test
    void readsStringsWithoutTrustingANul() throws Exception {
        try (var arena = Arena.ofConfined()) {
            var region = arena.allocate(8, 4);
            region.set(JAVA_SHORT, 0, (short) 7);
            region.set(JAVA_SHORT, 2, (short) (IFLA_IFNAME() | NLA_F_NESTED()));
            region.setString(4, "lo"); // "lo\0"
            var attribute = NetlinkMessage.attributes(region).getFirst();
            assertEquals(IFLA_IFNAME(), attribute.type(), "the nested flag is masked off");
            assertEquals("lo", attribute.string());
            region.set(JAVA_BYTE, 6, (byte) 'x'); // no NUL inside the attribute: stop at its end
            assertEquals("lox", NetlinkMessage.attributes(region).getFirst().string());
            assertThrows(NetlinkMessage.MalformedException.class, attribute::u32, "3 bytes are not a u32");
        }
    }

    /** An NLMSG_ERROR payload: error, the request's header (and with {@code echo}, a 4-byte request body), then the TLVs. */
    private static NetlinkMessage error(Arena arena, int flags, boolean echo, String text) {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        int tlv = NetlinkMessage.alignAttribute(4 + bytes.length + 1);
        int body = echo ? 4 : 0;
        var payload = arena.allocate(4 + 16 + body + tlv, 8);
        payload.set(JAVA_INT, 0, -Errno.EEXIST);
        payload.set(JAVA_INT, 4, 16 + body); // the echoed request's nlmsg_len
        long at = 4 + 16 + body;
        payload.set(JAVA_SHORT, at, (short) (4 + bytes.length + 1));
        payload.set(JAVA_SHORT, at + 2, (short) NLMSGERR_ATTR_MSG());
        MemorySegment.copy(bytes, 0, payload, JAVA_BYTE, at + 4, bytes.length);
        return new NetlinkMessage(NLMSG_ERROR(), flags, 1, 0, payload);
    }

    @Test
    void findsTheExtendedAckTextCappedOrNot() {
        try (var arena = Arena.ofConfined()) {
            assertEquals("File exists here",
                Netlink.extendedAckMessage(error(arena, NLM_F_CAPPED() | NLM_F_ACK_TLVS(), false, "File exists here")));
            assertEquals("after the echoed request",
                Netlink.extendedAckMessage(error(arena, NLM_F_ACK_TLVS(), true, "after the echoed request")));
            assertEquals("", Netlink.extendedAckMessage(error(arena, NLM_F_CAPPED(), false, "no TLV flag, no text")));
            // An echoed length pointing past the payload yields no text rather than a read out of bounds.
            var lying = error(arena, NLM_F_ACK_TLVS(), true, "x");
            lying.payload().set(JAVA_INT, 4, 1 << 20);
            assertEquals("", Netlink.extendedAckMessage(lying));
        }
    }

    @Test
    void headerLayoutIsTheKernels() {
        assertEquals(16, nlmsghdr.sizeof());
        assertEquals(16, NetlinkMessage.HEADER);
        assertEquals(4, NetlinkMessage.ATTRIBUTE_HEADER);
        assertEquals(20, NetlinkMessage.alignMessage(17));
        assertEquals(20, NetlinkMessage.alignAttribute(20));
    }

    @Test
    void refusesInterfaceNamesTheKernelWould() {
        Netlink.checkName("halt0");
        Netlink.checkName("a23456789012345");
        for (var bad : List.of("", "a234567890123456", "a/b", "a b", ".", "..", "a:b")) {
            assertThrows(IllegalArgumentException.class, () -> Netlink.checkName(bad), bad);
        }
    }
}
