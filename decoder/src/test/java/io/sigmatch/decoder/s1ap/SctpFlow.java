package io.sigmatch.decoder.s1ap;

import static io.sigmatch.decoder.s1ap.S1apBytes.dataChunk;
import static io.sigmatch.decoder.s1ap.S1apBytes.sctp;
import static io.sigmatch.decoder.testing.Packets.ETHERTYPE_IPV4;
import static io.sigmatch.decoder.testing.Packets.PROTO_SCTP;
import static io.sigmatch.decoder.testing.Packets.ethernet;
import static io.sigmatch.decoder.testing.Packets.ipv4;

import io.sigmatch.decoder.testing.PcapWriter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One SCTP association written to a pcap: RAN node 10.0.0.1 and core node 10.0.0.2 on the same
 * port, each PDU a DATA chunk of the given PPID, several PDUs in one call bundled in one packet.
 * Keeps every PDU with its direction for tests that decode without the pcap.
 */
public final class SctpFlow {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private static final long MS = 1_000_000L;

    public final PcapWriter w = new PcapWriter(ByteOrder.LITTLE_ENDIAN, true, 65_535, 1);
    public final List<byte[]> pdus = new ArrayList<>();
    public final List<Boolean> fromRanNode = new ArrayList<>();
    private final int ppid;
    private final int port;
    private long t = T0;
    private int tsn = 1;

    public SctpFlow(final int ppid, final int port) {
        this.ppid = ppid;
        this.port = port;
    }

    public void up(final byte[]... pdu) {
        send(true, pdu);
    }

    public void down(final byte[]... pdu) {
        send(false, pdu);
    }

    private void send(final boolean fromRan, final byte[]... list) {
        final List<byte[]> chunks = new ArrayList<>();
        for (final byte[] p : list) {
            chunks.add(dataChunk(tsn++, ppid, p));
            pdus.add(p);
            fromRanNode.add(fromRan);
        }
        final byte[] s = sctp(port, port, chunks.toArray(new byte[0][]));
        w.packet(t += MS, ethernet(ETHERTYPE_IPV4, fromRan ? ipv4("10.0.0.1", "10.0.0.2", PROTO_SCTP, s)
            : ipv4("10.0.0.2", "10.0.0.1", PROTO_SCTP, s)));
    }
}
