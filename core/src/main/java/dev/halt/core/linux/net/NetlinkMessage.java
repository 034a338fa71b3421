package dev.halt.core.linux.net;

import dev.halt.ffm.linux.nlmsghdr;
import dev.halt.ffm.linux.rtattr;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import static dev.halt.ffm.linux.rtnetlink_h.NLA_TYPE_MASK;
import static dev.halt.ffm.linux.rtnetlink_h.NLMSG_ALIGNTO;
import static dev.halt.ffm.linux.rtnetlink_h.RTA_ALIGNTO;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One netlink message as it travels over an AF_NETLINK socket: a {@code struct nlmsghdr}, the
 * family header ({@code ifinfomsg}, {@code ifaddrmsg}, {@code rtmsg}) and a sequence of
 * {@code rtattr}s, each padded to four bytes, attributes possibly nested.
 *
 * <p>{@link Builder} writes a request into native memory through the bindings' layouts;
 * {@link #parse} and {@link #attributes} read what the kernel sends back and check every length
 * against the bytes actually received: a length field is never trusted to stay inside the buffer.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, MemorySegment payload) {

    /** The header's size, which every message length includes. */
    static final int HEADER = (int) nlmsghdr.sizeof();
    /** An attribute header's size. */
    static final int ATTRIBUTE_HEADER = (int) rtattr.sizeof();

    /** {@code NLMSG_ALIGN}. */
    static int alignMessage(long length) {
        return (int) ((length + NLMSG_ALIGNTO() - 1) & -NLMSG_ALIGNTO());
    }

    /** {@code RTA_ALIGN}. */
    static int alignAttribute(long length) {
        return (int) ((length + RTA_ALIGNTO() - 1) & -RTA_ALIGNTO());
    }

    /** A reply that breaks netlink's framing: a length that runs past the data, or is too short. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Splits one received datagram into its messages. The payload of each is a slice of
     * {@code datagram} ending at the message's own length.
     */
    public static List<NetlinkMessage> parse(MemorySegment datagram) throws MalformedException {
        var messages = new ArrayList<NetlinkMessage>();
        long offset = 0;
        long size = datagram.byteSize();
        while (size - offset >= HEADER) {
            var header = datagram.asSlice(offset, HEADER);
            long length = Integer.toUnsignedLong(nlmsghdr.nlmsg_len(header));
            if (length < HEADER || length > size - offset) {
                throw new MalformedException("message length " + length + " at offset " + offset
                    + " of a " + size + "-byte datagram");
            }
            messages.add(new NetlinkMessage(
                Short.toUnsignedInt(nlmsghdr.nlmsg_type(header)),
                Short.toUnsignedInt(nlmsghdr.nlmsg_flags(header)),
                nlmsghdr.nlmsg_seq(header),
                nlmsghdr.nlmsg_pid(header),
                datagram.asSlice(offset + HEADER, length - HEADER)));
            // The last message may omit its padding.
            offset = Math.min(size, offset + alignMessage(length));
        }
        if (offset != size) {
            throw new MalformedException((size - offset) + " trailing bytes after the last message");
        }
        return List.copyOf(messages);
    }

    /** One attribute: its type without the nested and byte-order flags, and its payload. */
    public record Attribute(int type, MemorySegment payload) {

        /** The payload as a native-order u32, checking that it has four bytes. */
        public int u32() throws MalformedException {
            if (payload.byteSize() < 4) {
                throw new MalformedException("attribute " + type + " has " + payload.byteSize() + " bytes, a u32 needs 4");
            }
            return payload.get(JAVA_INT, 0);
        }

        /** The payload up to its first NUL (or its end, when the kernel left the NUL out), as UTF-8. */
        public String string() {
            return NetlinkMessage.string(payload);
        }

        /** The attributes nested in this one. */
        public List<Attribute> nested() throws MalformedException {
            return attributes(payload);
        }
    }

    /** The attributes in {@code region}, which starts at the first attribute's header. */
    public static List<Attribute> attributes(MemorySegment region) throws MalformedException {
        var attributes = new ArrayList<Attribute>();
        long offset = 0;
        long size = region.byteSize();
        while (size - offset >= ATTRIBUTE_HEADER) {
            var header = region.asSlice(offset, ATTRIBUTE_HEADER);
            int length = Short.toUnsignedInt(rtattr.rta_len(header));
            if (length < ATTRIBUTE_HEADER || length > size - offset) {
                throw new MalformedException("attribute length " + length + " at offset " + offset
                    + " of a " + size + "-byte region");
            }
            int type = Short.toUnsignedInt(rtattr.rta_type(header)) & NLA_TYPE_MASK();
            attributes.add(new Attribute(type, region.asSlice(offset + ATTRIBUTE_HEADER, length - ATTRIBUTE_HEADER)));
            offset = Math.min(size, offset + alignAttribute(length));
        }
        return List.copyOf(attributes);
    }

    /** The first attribute of {@code type}, if any. */
    public static Optional<Attribute> find(List<Attribute> attributes, int type) {
        return attributes.stream().filter(a -> a.type() == type).findFirst();
    }

    /** The attributes after a family header of {@code headerSize} bytes in this message's payload. */
    public List<Attribute> attributesAfter(long headerSize) throws MalformedException {
        if (payload.byteSize() < headerSize) {
            throw new MalformedException("message type " + type + " has " + payload.byteSize()
                + " payload bytes, its header needs " + headerSize);
        }
        long start = Math.min(payload.byteSize(), alignMessage(headerSize));
        return attributes(payload.asSlice(start));
    }

    static String string(MemorySegment bytes) {
        long end = 0;
        long size = bytes.byteSize();
        while (end < size && bytes.get(JAVA_BYTE, end) != 0) end++;
        return new String(bytes.asSlice(0, end).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /**
     * Writes one request into a fixed buffer: the header first, then the family header, then
     * attributes, nests closed in order. The buffer's capacity bounds the message: a request that
     * would outgrow it fails rather than reallocating. Not thread-safe; one builder per request.
     */
    public static final class Builder {
        private final MemorySegment buffer;
        private final Deque<Long> openNests = new ArrayDeque<>();
        private long length;

        /** A request of {@code type} with {@code flags}, in a zeroed buffer of {@code capacity} bytes. */
        public Builder(SegmentAllocator allocator, int capacity, int type, int flags) {
            if (capacity < HEADER) throw new IllegalArgumentException("capacity " + capacity + " < " + HEADER);
            // Aligned for the widest field the layouts hold (u32).
            this.buffer = allocator.allocate(capacity, 8);
            this.buffer.fill((byte) 0);
            var header = buffer.asSlice(0, HEADER);
            nlmsghdr.nlmsg_type(header, (short) type);
            nlmsghdr.nlmsg_flags(header, (short) flags);
            this.length = HEADER;
        }

        private MemorySegment reserve(long size) {
            long start = alignMessage(length);
            if (start + size > buffer.byteSize()) {
                throw new IllegalStateException("netlink request outgrows its " + buffer.byteSize() + "-byte buffer");
            }
            length = start + size;
            return buffer.asSlice(start, size);
        }

        /**
         * Appends a zeroed struct of {@code layout} (the family header, or the {@code ifinfomsg}
         * that a veth peer's nest starts with) and returns it for the bindings' setters.
         */
        public MemorySegment struct(MemoryLayout layout) {
            return reserve(layout.byteSize());
        }

        /** Appends an attribute carrying {@code payload}'s bytes. */
        public Builder attribute(int type, byte[] payload) {
            var slot = reserve(ATTRIBUTE_HEADER + payload.length);
            rtattr.rta_len(slot, checkedLength(ATTRIBUTE_HEADER + payload.length));
            rtattr.rta_type(slot, (short) type);
            MemorySegment.copy(payload, 0, slot, JAVA_BYTE, ATTRIBUTE_HEADER, payload.length);
            return this;
        }

        /** Appends a native-order u32 attribute. */
        public Builder attributeU32(int type, int value) {
            var slot = reserve(ATTRIBUTE_HEADER + 4);
            rtattr.rta_len(slot, (short) (ATTRIBUTE_HEADER + 4));
            rtattr.rta_type(slot, (short) type);
            slot.set(JAVA_INT, ATTRIBUTE_HEADER, value);
            return this;
        }

        /** Appends a NUL-terminated string attribute. */
        public Builder attributeString(int type, String value) {
            var bytes = value.getBytes(StandardCharsets.UTF_8);
            var withNul = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, withNul, 0, bytes.length);
            return attribute(type, withNul);
        }

        /** Opens a nested attribute; everything appended until {@link #endNested} goes inside it. */
        public Builder beginNested(int type) {
            var slot = reserve(ATTRIBUTE_HEADER);
            rtattr.rta_type(slot, (short) type);
            openNests.push(slot.address() - buffer.address());
            return this;
        }

        /** Closes the innermost open nest, setting its length to cover what was appended. */
        public Builder endNested() {
            if (openNests.isEmpty()) throw new IllegalStateException("no nested attribute is open");
            long start = openNests.pop();
            rtattr.rta_len(buffer.asSlice(start, ATTRIBUTE_HEADER), checkedLength(length - start));
            return this;
        }

        private static short checkedLength(long length) {
            if (length > 0xffff) throw new IllegalStateException("attribute of " + length + " bytes exceeds rta_len");
            return (short) length;
        }

        /** Stamps the length and sequence number and returns the finished message. */
        public MemorySegment finish(int sequence) {
            if (!openNests.isEmpty()) throw new IllegalStateException(openNests.size() + " nested attribute(s) left open");
            var header = buffer.asSlice(0, HEADER);
            nlmsghdr.nlmsg_len(header, (int) length);
            nlmsghdr.nlmsg_seq(header, sequence);
            return buffer.asSlice(0, length);
        }
    }
}
