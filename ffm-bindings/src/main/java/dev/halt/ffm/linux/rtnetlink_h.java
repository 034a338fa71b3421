// Generated in jextract's layout from <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>, <linux/veth.h>, <linux/if_addr.h>, <linux/if.h>; regenerate with jextract.sh at the repository root.
// Constants that the installed headers may predate are written by hand and marked with their source.
package dev.halt.ffm.linux;

/**
 * Netlink message types and flags, and the rtnetlink, if_link, veth and if_addr attributes halt uses to build namespaces.
 */
public final class rtnetlink_h {

    private rtnetlink_h() {}

    private static final int NLMSG_ALIGNTO = 4;
    /** {@snippet lang=c : #define NLMSG_ALIGNTO 4 } */
    public static int NLMSG_ALIGNTO() { return NLMSG_ALIGNTO; }
    private static final int NLMSG_NOOP = 1;
    /** {@snippet lang=c : #define NLMSG_NOOP 1 } */
    public static int NLMSG_NOOP() { return NLMSG_NOOP; }
    private static final int NLMSG_ERROR = 2;
    /** {@snippet lang=c : #define NLMSG_ERROR 2 } */
    public static int NLMSG_ERROR() { return NLMSG_ERROR; }
    private static final int NLMSG_DONE = 3;
    /** {@snippet lang=c : #define NLMSG_DONE 3 } */
    public static int NLMSG_DONE() { return NLMSG_DONE; }
    private static final int NLM_F_REQUEST = 1;
    /** {@snippet lang=c : #define NLM_F_REQUEST 1 } */
    public static int NLM_F_REQUEST() { return NLM_F_REQUEST; }
    private static final int NLM_F_MULTI = 2;
    /** {@snippet lang=c : #define NLM_F_MULTI 2 } */
    public static int NLM_F_MULTI() { return NLM_F_MULTI; }
    private static final int NLM_F_ACK = 4;
    /** {@snippet lang=c : #define NLM_F_ACK 4 } */
    public static int NLM_F_ACK() { return NLM_F_ACK; }
    private static final int NLM_F_ECHO = 8;
    /** {@snippet lang=c : #define NLM_F_ECHO 8 } */
    public static int NLM_F_ECHO() { return NLM_F_ECHO; }
    private static final int NLM_F_ROOT = 0x100;
    /** {@snippet lang=c : #define NLM_F_ROOT 0x100 } */
    public static int NLM_F_ROOT() { return NLM_F_ROOT; }
    private static final int NLM_F_MATCH = 0x200;
    /** {@snippet lang=c : #define NLM_F_MATCH 0x200 } */
    public static int NLM_F_MATCH() { return NLM_F_MATCH; }
    private static final int NLM_F_DUMP = 0x300;
    /** {@snippet lang=c : #define NLM_F_DUMP 0x300 } */
    public static int NLM_F_DUMP() { return NLM_F_DUMP; }
    private static final int NLM_F_REPLACE = 0x100;
    /** {@snippet lang=c : #define NLM_F_REPLACE 0x100 } */
    public static int NLM_F_REPLACE() { return NLM_F_REPLACE; }
    private static final int NLM_F_EXCL = 0x200;
    /** {@snippet lang=c : #define NLM_F_EXCL 0x200 } */
    public static int NLM_F_EXCL() { return NLM_F_EXCL; }
    private static final int NLM_F_CREATE = 0x400;
    /** {@snippet lang=c : #define NLM_F_CREATE 0x400 } */
    public static int NLM_F_CREATE() { return NLM_F_CREATE; }
    private static final int NLM_F_APPEND = 0x800;
    /** {@snippet lang=c : #define NLM_F_APPEND 0x800 } */
    public static int NLM_F_APPEND() { return NLM_F_APPEND; }
    private static final int NLM_F_CAPPED = 0x100;
    /** {@snippet lang=c : #define NLM_F_CAPPED 0x100 } Flag of an NLMSG_ERROR: the request's payload was left out. */
    public static int NLM_F_CAPPED() { return NLM_F_CAPPED; }
    private static final int NLM_F_ACK_TLVS = 0x200;
    /** {@snippet lang=c : #define NLM_F_ACK_TLVS 0x200 } Flag of an NLMSG_ERROR: extended-ack attributes follow. */
    public static int NLM_F_ACK_TLVS() { return NLM_F_ACK_TLVS; }
    private static final int NLMSGERR_ATTR_MSG = 1;
    /** {@snippet lang=c : NLMSGERR_ATTR_MSG = 1 } The extended ack's error text, a NUL-terminated string. */
    public static int NLMSGERR_ATTR_MSG() { return NLMSGERR_ATTR_MSG; }
    private static final int NLMSGERR_ATTR_OFFS = 2;
    /** {@snippet lang=c : NLMSGERR_ATTR_OFFS = 2 } The extended ack's offset of the offending attribute. */
    public static int NLMSGERR_ATTR_OFFS() { return NLMSGERR_ATTR_OFFS; }
    private static final int IFNAMSIZ = 16;
    /** {@snippet lang=c : #define IFNAMSIZ 16 } An interface name's buffer size, its terminating NUL included. */
    public static int IFNAMSIZ() { return IFNAMSIZ; }
    private static final int NLA_F_NESTED = 1 << 15;
    /** {@snippet lang=c : #define NLA_F_NESTED (1 << 15) } Type bit the kernel may set on a nested attribute. */
    public static int NLA_F_NESTED() { return NLA_F_NESTED; }
    private static final int NLA_F_NET_BYTEORDER = 1 << 14;
    /** {@snippet lang=c : #define NLA_F_NET_BYTEORDER (1 << 14) } Type bit of an attribute in network byte order. */
    public static int NLA_F_NET_BYTEORDER() { return NLA_F_NET_BYTEORDER; }
    private static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER);
    /** {@snippet lang=c : #define NLA_TYPE_MASK ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) } */
    public static int NLA_TYPE_MASK() { return NLA_TYPE_MASK; }
    private static final int RTA_ALIGNTO = 4;
    /** {@snippet lang=c : #define RTA_ALIGNTO 4 } */
    public static int RTA_ALIGNTO() { return RTA_ALIGNTO; }
    private static final int RTM_NEWLINK = 16;
    /** {@snippet lang=c : #define RTM_NEWLINK 16 } */
    public static int RTM_NEWLINK() { return RTM_NEWLINK; }
    private static final int RTM_DELLINK = 17;
    /** {@snippet lang=c : #define RTM_DELLINK 17 } */
    public static int RTM_DELLINK() { return RTM_DELLINK; }
    private static final int RTM_GETLINK = 18;
    /** {@snippet lang=c : #define RTM_GETLINK 18 } */
    public static int RTM_GETLINK() { return RTM_GETLINK; }
    private static final int RTM_SETLINK = 19;
    /** {@snippet lang=c : #define RTM_SETLINK 19 } */
    public static int RTM_SETLINK() { return RTM_SETLINK; }
    private static final int RTM_NEWADDR = 20;
    /** {@snippet lang=c : #define RTM_NEWADDR 20 } */
    public static int RTM_NEWADDR() { return RTM_NEWADDR; }
    private static final int RTM_DELADDR = 21;
    /** {@snippet lang=c : #define RTM_DELADDR 21 } */
    public static int RTM_DELADDR() { return RTM_DELADDR; }
    private static final int RTM_GETADDR = 22;
    /** {@snippet lang=c : #define RTM_GETADDR 22 } */
    public static int RTM_GETADDR() { return RTM_GETADDR; }
    private static final int RTM_NEWROUTE = 24;
    /** {@snippet lang=c : #define RTM_NEWROUTE 24 } */
    public static int RTM_NEWROUTE() { return RTM_NEWROUTE; }
    private static final int RTM_DELROUTE = 25;
    /** {@snippet lang=c : #define RTM_DELROUTE 25 } */
    public static int RTM_DELROUTE() { return RTM_DELROUTE; }
    private static final int RTM_GETROUTE = 26;
    /** {@snippet lang=c : #define RTM_GETROUTE 26 } */
    public static int RTM_GETROUTE() { return RTM_GETROUTE; }
    private static final int IFLA_UNSPEC = 0;
    /** {@snippet lang=c : #define IFLA_UNSPEC 0 } */
    public static int IFLA_UNSPEC() { return IFLA_UNSPEC; }
    private static final int IFLA_ADDRESS = 1;
    /** {@snippet lang=c : #define IFLA_ADDRESS 1 } */
    public static int IFLA_ADDRESS() { return IFLA_ADDRESS; }
    private static final int IFLA_BROADCAST = 2;
    /** {@snippet lang=c : #define IFLA_BROADCAST 2 } */
    public static int IFLA_BROADCAST() { return IFLA_BROADCAST; }
    private static final int IFLA_IFNAME = 3;
    /** {@snippet lang=c : #define IFLA_IFNAME 3 } */
    public static int IFLA_IFNAME() { return IFLA_IFNAME; }
    private static final int IFLA_MTU = 4;
    /** {@snippet lang=c : #define IFLA_MTU 4 } */
    public static int IFLA_MTU() { return IFLA_MTU; }
    private static final int IFLA_QDISC = 6;
    /** {@snippet lang=c : IFLA_QDISC = 6 } The link's queueing discipline: "noop" until the kernel has activated it. */
    public static int IFLA_QDISC() { return IFLA_QDISC; }
    private static final int IFLA_OPERSTATE = 16;
    /** {@snippet lang=c : IFLA_OPERSTATE = 16 } RFC 2863 operational state, a u8. */
    public static int IFLA_OPERSTATE() { return IFLA_OPERSTATE; }
    private static final int IF_OPER_UP = 6;
    /** {@snippet lang=c : IF_OPER_UP = 6 } */
    public static int IF_OPER_UP() { return IF_OPER_UP; }
    private static final int IFF_LOWER_UP = 0x10000;
    /** {@snippet lang=c : IFF_LOWER_UP = 1<<16 } The driver reports carrier. */
    public static int IFF_LOWER_UP() { return IFF_LOWER_UP; }
    private static final int IFLA_LINK = 5;
    /** {@snippet lang=c : #define IFLA_LINK 5 } */
    public static int IFLA_LINK() { return IFLA_LINK; }
    private static final int IFLA_LINKINFO = 18;
    /** {@snippet lang=c : #define IFLA_LINKINFO 18 } */
    public static int IFLA_LINKINFO() { return IFLA_LINKINFO; }
    private static final int IFLA_NET_NS_PID = 19;
    /** {@snippet lang=c : #define IFLA_NET_NS_PID 19 } */
    public static int IFLA_NET_NS_PID() { return IFLA_NET_NS_PID; }
    private static final int IFLA_NET_NS_FD = 28;
    /** {@snippet lang=c : #define IFLA_NET_NS_FD 28 } */
    public static int IFLA_NET_NS_FD() { return IFLA_NET_NS_FD; }
    private static final int IFLA_INFO_KIND = 1;
    /** {@snippet lang=c : #define IFLA_INFO_KIND 1 } */
    public static int IFLA_INFO_KIND() { return IFLA_INFO_KIND; }
    private static final int IFLA_INFO_DATA = 2;
    /** {@snippet lang=c : #define IFLA_INFO_DATA 2 } */
    public static int IFLA_INFO_DATA() { return IFLA_INFO_DATA; }
    private static final int VETH_INFO_PEER = 1;
    /** {@snippet lang=c : #define VETH_INFO_PEER 1 } */
    public static int VETH_INFO_PEER() { return VETH_INFO_PEER; }
    private static final int IFA_ADDRESS = 1;
    /** {@snippet lang=c : #define IFA_ADDRESS 1 } */
    public static int IFA_ADDRESS() { return IFA_ADDRESS; }
    private static final int IFA_LOCAL = 2;
    /** {@snippet lang=c : #define IFA_LOCAL 2 } */
    public static int IFA_LOCAL() { return IFA_LOCAL; }
    private static final int IFA_LABEL = 3;
    /** {@snippet lang=c : #define IFA_LABEL 3 } */
    public static int IFA_LABEL() { return IFA_LABEL; }
    private static final int IFA_FLAGS = 8;
    /** {@snippet lang=c : #define IFA_FLAGS 8 } */
    public static int IFA_FLAGS() { return IFA_FLAGS; }
    private static final int IFA_F_NODAD = 0x02;
    /** {@snippet lang=c : #define IFA_F_NODAD 0x02 } */
    public static int IFA_F_NODAD() { return IFA_F_NODAD; }
    private static final int IFA_F_PERMANENT = 0x80;
    /** {@snippet lang=c : #define IFA_F_PERMANENT 0x80 } */
    public static int IFA_F_PERMANENT() { return IFA_F_PERMANENT; }
    private static final int RTA_DST = 1;
    /** {@snippet lang=c : #define RTA_DST 1 } */
    public static int RTA_DST() { return RTA_DST; }
    private static final int RTA_SRC = 2;
    /** {@snippet lang=c : #define RTA_SRC 2 } */
    public static int RTA_SRC() { return RTA_SRC; }
    private static final int RTA_IIF = 3;
    /** {@snippet lang=c : #define RTA_IIF 3 } */
    public static int RTA_IIF() { return RTA_IIF; }
    private static final int RTA_OIF = 4;
    /** {@snippet lang=c : #define RTA_OIF 4 } */
    public static int RTA_OIF() { return RTA_OIF; }
    private static final int RTA_GATEWAY = 5;
    /** {@snippet lang=c : #define RTA_GATEWAY 5 } */
    public static int RTA_GATEWAY() { return RTA_GATEWAY; }
    private static final int RTA_PRIORITY = 6;
    /** {@snippet lang=c : #define RTA_PRIORITY 6 } */
    public static int RTA_PRIORITY() { return RTA_PRIORITY; }
    private static final int RTA_PREFSRC = 7;
    /** {@snippet lang=c : #define RTA_PREFSRC 7 } */
    public static int RTA_PREFSRC() { return RTA_PREFSRC; }
    private static final int RTA_TABLE = 15;
    /** {@snippet lang=c : #define RTA_TABLE 15 } */
    public static int RTA_TABLE() { return RTA_TABLE; }
    private static final int RT_TABLE_UNSPEC = 0;
    /** {@snippet lang=c : #define RT_TABLE_UNSPEC 0 } */
    public static int RT_TABLE_UNSPEC() { return RT_TABLE_UNSPEC; }
    private static final int RT_TABLE_MAIN = 254;
    /** {@snippet lang=c : #define RT_TABLE_MAIN 254 } */
    public static int RT_TABLE_MAIN() { return RT_TABLE_MAIN; }
    private static final int RT_TABLE_LOCAL = 255;
    /** {@snippet lang=c : #define RT_TABLE_LOCAL 255 } */
    public static int RT_TABLE_LOCAL() { return RT_TABLE_LOCAL; }
    private static final int RTPROT_KERNEL = 2;
    /** {@snippet lang=c : #define RTPROT_KERNEL 2 } */
    public static int RTPROT_KERNEL() { return RTPROT_KERNEL; }
    private static final int RTPROT_BOOT = 3;
    /** {@snippet lang=c : #define RTPROT_BOOT 3 } */
    public static int RTPROT_BOOT() { return RTPROT_BOOT; }
    private static final int RTPROT_STATIC = 4;
    /** {@snippet lang=c : #define RTPROT_STATIC 4 } */
    public static int RTPROT_STATIC() { return RTPROT_STATIC; }
    private static final int RT_SCOPE_UNIVERSE = 0;
    /** {@snippet lang=c : #define RT_SCOPE_UNIVERSE 0 } */
    public static int RT_SCOPE_UNIVERSE() { return RT_SCOPE_UNIVERSE; }
    private static final int RT_SCOPE_LINK = 253;
    /** {@snippet lang=c : #define RT_SCOPE_LINK 253 } */
    public static int RT_SCOPE_LINK() { return RT_SCOPE_LINK; }
    private static final int RT_SCOPE_HOST = 254;
    /** {@snippet lang=c : #define RT_SCOPE_HOST 254 } */
    public static int RT_SCOPE_HOST() { return RT_SCOPE_HOST; }
    private static final int RTN_UNICAST = 1;
    /** {@snippet lang=c : #define RTN_UNICAST 1 } */
    public static int RTN_UNICAST() { return RTN_UNICAST; }
    private static final int RTN_LOCAL = 2;
    /** {@snippet lang=c : #define RTN_LOCAL 2 } */
    public static int RTN_LOCAL() { return RTN_LOCAL; }
    private static final int IFF_UP = 1;
    /** {@snippet lang=c : #define IFF_UP 1 } */
    public static int IFF_UP() { return IFF_UP; }
    private static final int IFF_LOOPBACK = 8;
    /** {@snippet lang=c : #define IFF_LOOPBACK 8 } */
    public static int IFF_LOOPBACK() { return IFF_LOOPBACK; }
    private static final int IFF_RUNNING = 0x40;
    /** {@snippet lang=c : #define IFF_RUNNING 0x40 } */
    public static int IFF_RUNNING() { return IFF_RUNNING; }

}
