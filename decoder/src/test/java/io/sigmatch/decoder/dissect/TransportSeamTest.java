package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/** TCP and SCTP are handed to a plugged-in TransportDissector, or counted when none is. */
class TransportSeamTest {
    /** Records each segment: transport, ports unset (the transport reads its own header), length. */
    private static final class Segments implements TransportDissector {
        final List<String> seen = new ArrayList<>();
        int advances;
        int flushes;

        @Override
        public void onSegment(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            seen.add(p.frame + "/" + p.transport + "/" + p.ipVersion + "/" + len + "/" + b.getUnsignedShort(off));
        }

        @Override
        public void advanceTime(final long nowNs, final MessageSink sink) {
            advances++;
        }

        @Override
        public void flush(final MessageSink sink) {
            flushes++;
        }
    }

    @Test
    void pluggedTransportsReceiveTheirSegments() {
        final DissectorHarness h = new DissectorHarness();
        final Segments tcp = new Segments();
        final Segments sctp = new Segments();
        h.dissector.tcp(tcp);
        h.dissector.sctp(sctp);
        final byte[] tcpSegment = new byte[20];
        tcpSegment[1] = (byte) 179; // source port 179, to see the transport header is at the offset
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_TCP, tcpSegment));
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", Packets.PROTO_SCTP, new byte[] {0x0b, 0x59, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        h.dissector.finish();
        assertEquals(List.of("1/6/4/20/179"), tcp.seen);
        assertEquals(List.of("2/132/6/12/2905"), sctp.seen);
        assertEquals(0, h.count("dissect.skipped.tcp") + h.count("dissect.skipped.sctp"));
        assertEquals(2, tcp.advances);
        assertEquals(1, tcp.flushes);
        assertEquals(1, sctp.flushes);
    }

    @Test
    void withoutATransportTheyAreCounted() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_TCP, new byte[20]));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_SCTP, new byte[12]));
        assertEquals(1, h.count("dissect.skipped.tcp"));
        assertEquals(1, h.count("dissect.skipped.sctp"));
    }
}
