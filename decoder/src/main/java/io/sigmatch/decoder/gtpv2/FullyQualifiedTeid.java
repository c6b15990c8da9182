package io.sigmatch.decoder.gtpv2;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over the data of an F-TEID IE (TS 29.274 8.22): which interface of which node
 * allocated the TEID, the TEID (or GRE key) and the node's address(es).
 *
 * <pre>
 *   octet 5:      | V4 | V6 | Interface Type (6 bits) |
 *   octets 6-9:   TEID / GRE Key
 *   next 4:       IPv4 address   (when V4 = 1)
 *   next 16:      IPv6 address   (when V6 = 1)
 * </pre>
 *
 * Interface types (Table 8.22-1) that name GTP-C endpoints are the control-plane TEIDs a later
 * message carries in its header; {@link #isControlPlane} knows them.
 */
public final class FullyQualifiedTeid {
    public static final int FLAGS_OFFSET = 0;
    public static final int V4_FLAG = 0x80;
    public static final int V6_FLAG = 0x40;
    public static final int INTERFACE_TYPE_MASK = 0x3F;
    public static final int TEID_OFFSET = 1;
    public static final int ADDRESS_OFFSET = 5;
    public static final int MIN_LENGTH = 5;
    public static final int IPV4_LENGTH = 4;
    public static final int IPV6_LENGTH = 16;

    public static final int S5_S8_SGW_GTP_C = 6;
    public static final int S5_S8_PGW_GTP_C = 7;
    public static final int S11_MME_GTP_C = 10;
    public static final int S11_S4_SGW_GTP_C = 11;
    public static final int S10_MME_GTP_C = 12;
    public static final int S3_MME_GTP_C = 13;
    public static final int S3_SGSN_GTP_C = 14;
    public static final int S4_SGSN_GTP_C = 17;
    public static final int S16_SGSN_GTP_C = 18;
    public static final int SM_MBMS_GW_GTP_C = 24;
    public static final int SN_MBMS_GW_GTP_C = 25;
    public static final int SM_MME_GTP_C = 26;
    public static final int SN_SGSN_GTP_C = 27;
    public static final int S2B_EPDG_GTP_C = 30;
    public static final int S2B_PGW_GTP_C = 32;
    public static final int S2A_TWAN_GTP_C = 35;
    public static final int S2A_PGW_GTP_C = 36;
    public static final int N26_AMF_GTP_C = 40;

    private static final long CONTROL_PLANE_TYPES = bit(S5_S8_SGW_GTP_C) | bit(S5_S8_PGW_GTP_C) | bit(S11_MME_GTP_C)
        | bit(S11_S4_SGW_GTP_C) | bit(S10_MME_GTP_C) | bit(S3_MME_GTP_C) | bit(S3_SGSN_GTP_C) | bit(S4_SGSN_GTP_C)
        | bit(S16_SGSN_GTP_C) | bit(SM_MBMS_GW_GTP_C) | bit(SN_MBMS_GW_GTP_C) | bit(SM_MME_GTP_C) | bit(SN_SGSN_GTP_C)
        | bit(S2B_EPDG_GTP_C) | bit(S2B_PGW_GTP_C) | bit(S2A_TWAN_GTP_C) | bit(S2A_PGW_GTP_C) | bit(N26_AMF_GTP_C);

    private ByteBuf buffer;
    private int offset;
    private int flags;

    /** False when the IE is shorter than its flags require. */
    public boolean wrap(final ByteBuf buf, final int offset, final int length) {
        this.buffer = buf;
        this.offset = offset;
        this.flags = 0;
        if (length < MIN_LENGTH) {
            return false;
        }
        final int f = buf.getByte(offset + FLAGS_OFFSET) & 0xFF;
        final int needed = MIN_LENGTH + ((f & V4_FLAG) != 0 ? IPV4_LENGTH : 0) + ((f & V6_FLAG) != 0 ? IPV6_LENGTH : 0);
        if (needed > length) {
            return false;
        }
        this.flags = f;
        return true;
    }

    public int interfaceType() {
        return flags & INTERFACE_TYPE_MASK;
    }

    public long teid() {
        return buffer.getUnsignedInt(offset + TEID_OFFSET);
    }

    public boolean hasIpv4() {
        return (flags & V4_FLAG) != 0;
    }

    public boolean hasIpv6() {
        return (flags & V6_FLAG) != 0;
    }

    /** The IPv4 address as an unsigned 32-bit value (the form PacketInfo keeps in {@code lo}). */
    public long ipv4() {
        return buffer.getUnsignedInt(offset + ADDRESS_OFFSET);
    }

    /** First 8 octets of the IPv6 address, big-endian (PacketInfo's {@code hi}). */
    public long ipv6Hi() {
        return buffer.getLong(offset + ADDRESS_OFFSET + (hasIpv4() ? IPV4_LENGTH : 0));
    }

    /** Last 8 octets of the IPv6 address, big-endian (PacketInfo's {@code lo}). */
    public long ipv6Lo() {
        return buffer.getLong(offset + ADDRESS_OFFSET + (hasIpv4() ? IPV4_LENGTH : 0) + 8);
    }

    /** Table 8.22-1: the interface types that are GTP-C endpoints. */
    public static boolean isControlPlane(final int interfaceType) {
        return interfaceType < 64 && (CONTROL_PLANE_TYPES & bit(interfaceType)) != 0;
    }

    private static long bit(final int type) {
        return 1L << type;
    }
}
