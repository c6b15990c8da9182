package io.sigmatch.decoder.capture.live;

/**
 * The TPACKET_V3 ring as linux/if_packet.h lays it out (Documentation/networking/packet_mmap.rst).
 * The ring is {@code tp_block_nr} blocks of {@code tp_block_size} bytes; the kernel fills a block
 * with packets and sets its status to TP_STATUS_USER; user space reads them in place and hands the
 * block back by writing TP_STATUS_KERNEL.
 *
 * <pre>
 * struct tpacket_block_desc                    struct tpacket3_hdr (one per packet)
 *  0 version                                    0 tp_next_offset (to the next packet in the block)
 *  4 offset_to_priv                             4 tp_sec
 *  8 block_status   (TP_STATUS_*)               8 tp_nsec
 * 12 num_pkts                                  12 tp_snaplen (bytes present)
 * 16 offset_to_first_pkt                       16 tp_len (bytes on the wire)
 * 20 blk_len                                   20 tp_status (TP_STATUS_VLAN_VALID, ...)
 * 24 seq_num (u64)                             24 tp_mac (offset of the link header from the packet header)
 * 32 ts_first_pkt, 44 ts_last_pkt              26 tp_net
 *                                              28 tp_rxhash, 32 tp_vlan_tci, 36 tp_vlan_tpid
 *                                              48 struct sockaddr_ll (TPACKET_ALIGN(sizeof hdr)): pkttype at +10
 *
 * struct tpacket_req3: block_size, block_nr, frame_size, frame_nr, retire_blk_tov (ms),
 *                      sizeof_priv, feature_req_word (7 x u32)
 * struct tpacket_stats_v3: tp_packets, tp_drops, tp_freeze_q_cnt (3 x u32; reading resets them)
 * </pre>
 */
final class TpacketLayout {
    static final int BLOCK_STATUS_OFFSET = 8;
    static final int BLOCK_NUM_PACKETS_OFFSET = 12;
    static final int BLOCK_FIRST_PACKET_OFFSET = 16;

    static final int PACKET_NEXT_OFFSET = 0;
    static final int PACKET_SEC_OFFSET = 4;
    static final int PACKET_NSEC_OFFSET = 8;
    static final int PACKET_SNAPLEN_OFFSET = 12;
    static final int PACKET_LEN_OFFSET = 16;
    static final int PACKET_STATUS_OFFSET = 20;
    static final int PACKET_MAC_OFFSET = 24;
    static final int PACKET_VLAN_TCI_OFFSET = 32;
    static final int PACKET_VLAN_TPID_OFFSET = 36;
    static final int PACKET_SLL_PKTTYPE_OFFSET = 48 + 10;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_LOSING = 1 << 2;
    static final int TP_STATUS_VLAN_VALID = 1 << 4;
    static final int TP_STATUS_VLAN_TPID_VALID = 1 << 6;

    static final int REQ3_LENGTH = 28;
    static final int STATS_V3_LENGTH = 12;
    static final int SOCKADDR_LL_LENGTH = 20;
    static final int PACKET_MREQ_LENGTH = 16;
    /** struct sock_fprog on LP64: u16 len, 6 bytes padding, pointer. */
    static final int SOCK_FPROG_LENGTH = 16;

    /** sll_pkttype PACKET_OUTGOING: sent by this host, not received. */
    static final int PACKET_OUTGOING = 4;

    private TpacketLayout() {
    }
}
