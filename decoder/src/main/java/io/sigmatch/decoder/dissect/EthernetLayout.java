package io.sigmatch.decoder.dissect;

/**
 * Ethernet II (IEEE 802.3 clause 3.2.6 with an EtherType) and IEEE 802.1Q tags.
 *
 * <pre>
 *  0               6              12        14
 * +---------------+---------------+---------+----------
 * |  destination  |    source     |EtherType| payload
 * +---------------+---------------+---------+----------
 *
 * 802.1Q tag, inserted before the EtherType; tags stack (802.1ad QinQ):
 * +-----------------+-----------------------------+
 * | TPID 0x8100 /   | PCP(3) DEI(1) VLAN id (12)  |  then the next EtherType (or another TPID)
 * | 0x88a8 / 0x9100 |                             |
 * +-----------------+-----------------------------+
 * </pre>
 *
 * A value of 1500 or less where the EtherType belongs is an 802.3 length (LLC frame), not a type.
 */
final class EthernetLayout {
    static final int HEADER_LENGTH = 14;
    static final int ETHERTYPE_OFFSET = 12;
    static final int MAX_LENGTH_FIELD = 1500;

    static final int TAG_LENGTH = 4;
    static final int TAG_TCI_OFFSET = 0;
    static final int TAG_ETHERTYPE_OFFSET = 2;
    static final int VLAN_ID_MASK = 0x0FFF;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IEEE 802.1Q customer tag. */
    static final int ETHERTYPE_VLAN = 0x8100;
    /** IEEE 802.1ad service tag (QinQ outer tag). */
    static final int ETHERTYPE_QINQ = 0x88A8;
    /** Pre-standard QinQ outer tag still used by some switches. */
    static final int ETHERTYPE_QINQ_LEGACY = 0x9100;

    private EthernetLayout() {
    }
}
