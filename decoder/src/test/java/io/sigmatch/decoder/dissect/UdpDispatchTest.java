package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.capture.Frame;
import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import io.sigmatch.decoder.testing.RecordingDecoder;
import org.junit.jupiter.api.Test;

/** UDP (RFC 768) and which decoder gets the payload. */
class UdpDispatchTest {
    private final Counters counters = new Counters();
    private final ProtocolDispatch dispatch = new ProtocolDispatch();
    private final RecordingDecoder gtp = new RecordingDecoder();
    private final RecordingDecoder diameter = new RecordingDecoder();
    private final RecordingDecoder sniffed = new RecordingDecoder();
    private final Frame frame = new Frame();

    private Dissector dissector() {
        return new Dissector(counters, dispatch, m -> { }, new DissectorConfig().sourceId(3));
    }

    private void feed(final Dissector d, final long number, final byte[] ip) {
        frame.number = number;
        frame.timeNs = 1_000_000_000L * number;
        frame.interfaceId = 2;
        frame.linkType = LinkType.RAW;
        frame.buffer = Unpooled.wrappedBuffer(ip);
        frame.offset = 0;
        frame.capturedLength = ip.length;
        frame.originalLength = ip.length;
        d.onFrame(frame);
    }

    private static byte[] udp4(final int srcPort, final int dstPort, final byte[] payload) {
        return Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, Packets.udp(srcPort, dstPort, payload));
    }

    @Test
    void headerFieldByField() {
        dispatch.udpPort(2123, gtp);
        final Dissector d = dissector();
        feed(d, 7, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, new ByteWriter()
            .u16(33_000) // source port
            .u16(2123) // destination port: GTP-C
            .u16(11) // length: 8 header + 3 data
            .u16(0xABCD) // checksum: not verified
            .hex("48 20 00") // data
            .hex("ff ff") // beyond the UDP length (inside the IP payload): ignored
            .toByteArray()));
        final RecordingDecoder.Payload p = gtp.payloads.get(0);
        assertEquals(7, p.frame());
        assertEquals(7_000_000_000L, p.timeNs());
        assertEquals(3 << 16 | 2, p.sourceId());
        assertEquals(33_000, p.srcPort());
        assertEquals(2123, p.dstPort());
        assertArrayEquals(new byte[] {0x48, 0x20, 0x00}, p.bytes());
        assertEquals(1, counters.get("dissect.udp.datagrams"));
        assertEquals(1, counters.get("dissect.udp.claimed_by_port"));
    }

    @Test
    void destinationPortWinsOverSourcePort() {
        dispatch.udpPort(2123, gtp);
        dispatch.udpPort(3868, diameter);
        final Dissector d = dissector();
        feed(d, 1, udp4(3868, 2123, new byte[1])); // request to GTP port from a Diameter port
        feed(d, 2, udp4(2123, 3868, new byte[1])); // and the other way round
        feed(d, 3, udp4(2123, 50_000, new byte[1])); // answer to an ephemeral port: source decides
        assertEquals(List.of(1L, 3L), frames(gtp));
        assertEquals(List.of(2L), frames(diameter));
    }

    @Test
    void sniffersAreAskedOnlyWhenNoPortMatches() {
        dispatch.udpPort(2123, gtp);
        final List<Integer> asked = new ArrayList<>();
        dispatch.contentSniffer((p, b, off, len) -> {
            asked.add(p.dstPort);
            return null; // first sniffer declines
        });
        dispatch.contentSniffer((p, b, off, len) -> len > 0 && b.getByte(off) == 0x48 ? sniffed : null);
        final Dissector d = dissector();
        feed(d, 1, udp4(40_000, 2123, new byte[] {0x48}));
        feed(d, 2, udp4(40_000, 40_001, new byte[] {0x48})); // GTP-looking on odd ports
        feed(d, 3, udp4(40_000, 40_002, new byte[] {0x01})); // nobody's
        assertEquals(List.of(1L), frames(gtp));
        assertEquals(List.of(2L), frames(sniffed));
        assertEquals(List.of(40_001, 40_002), asked);
        assertEquals(1, counters.get("dissect.udp.claimed_by_content"));
        assertEquals(1, counters.get("dissect.udp.unclaimed"));
        assertTrue(registered(sniffed), "a decoder found by a sniffer joins decoders()");
    }

    @Test
    void emptyPayloadIsStillDelivered() {
        dispatch.udpPort(5060, gtp);
        feed(dissector(), 1, udp4(5060, 5060, new byte[0]));
        assertEquals(0, gtp.payloads.get(0).bytes().length);
    }

    @Test
    void lengthBelowTheHeader() {
        dispatch.udpPort(2123, gtp);
        feed(dissector(), 1, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, new ByteWriter()
            .u16(1).u16(2123).u16(7).u16(0).toByteArray())); // length 7 < 8
        assertEquals(1, counters.get("dissect.udp.error.bad_length"));
        assertEquals(0, gtp.payloads.size());
    }

    @Test
    void lengthBeyondTheIpPayload() {
        dispatch.udpPort(2123, gtp);
        feed(dissector(), 1, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, new ByteWriter()
            .u16(1).u16(2123).u16(20).u16(0).zeros(4).toByteArray())); // says 20, has 12
        assertEquals(1, counters.get("dissect.udp.error.truncated"));
    }

    @Test
    void headerCutShort() {
        dispatch.udpPort(2123, gtp);
        feed(dissector(), 1, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, new byte[7]));
        assertEquals(1, counters.get("dissect.udp.error.truncated"));
    }

    @Test
    void aThrowingDecoderCostsOnlyItsPayload() {
        dispatch.udpPort(2123, new PayloadDecoder() {
            @Override
            public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
                b.getByte(off + len + 1_000_000); // a decoder bug: reads far out of bounds
            }
        });
        dispatch.udpPort(3868, diameter);
        final Dissector d = dissector();
        feed(d, 1, udp4(1, 2123, new byte[4]));
        feed(d, 2, udp4(1, 3868, new byte[4]));
        assertEquals(1, counters.get("dissect.error.decoder_exception"));
        assertEquals(List.of(2L), frames(diameter));
    }

    @Test
    void portsAreCheckedAtSetUp() {
        assertThrows(IllegalArgumentException.class, () -> dispatch.udpPort(65_536, gtp));
        assertThrows(IllegalArgumentException.class, () -> dispatch.udpPort(-1, gtp));
        dispatch.udpPort(2123, gtp);
        dispatch.udpPort(2123, null); // removes the route
        feed(dissector(), 1, udp4(1, 2123, new byte[1]));
        assertEquals(0, gtp.payloads.size());
    }

    @Test
    void decodersListsEachOnce() {
        dispatch.udpPort(2123, gtp);
        dispatch.udpPort(2152, gtp);
        dispatch.udpPort(3868, diameter);
        final List<PayloadDecoder> all = new ArrayList<>();
        dispatch.decoders().forEach(all::add);
        assertEquals(List.of(gtp, diameter), all);
    }

    private boolean registered(final PayloadDecoder decoder) {
        for (final PayloadDecoder d : dispatch.decoders()) {
            if (d == decoder) {
                return true;
            }
        }
        return false;
    }

    private static List<Long> frames(final RecordingDecoder d) {
        final List<Long> out = new ArrayList<>();
        d.payloads.forEach(p -> out.add(p.frame()));
        return out;
    }
}
