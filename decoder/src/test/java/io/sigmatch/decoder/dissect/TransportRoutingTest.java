package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.StreamDecoder;

/** TCP routes by port, SCTP by PPID before port; both register the decoder for time and flush. */
class TransportRoutingTest {
    private static final class Stream implements StreamDecoder {
        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int o, final int l, final MessageSink s) {
        }

        @Override
        public int messageLength(final ByteBuf b, final int o, final int a) {
            return NOT_A_MESSAGE;
        }

        @Override
        public int findMessageStart(final ByteBuf b, final int o, final int a) {
            return -1;
        }
    }

    private static final PayloadDecoder NOOP = (p, b, o, l, s) -> { };

    @Test
    void tcpByDestinationThenSource() {
        final ProtocolDispatch d = new ProtocolDispatch();
        final Stream diameter = new Stream();
        d.tcpPort(3868, diameter);
        assertSame(diameter, d.tcpDecoder(40000, 3868));
        assertSame(diameter, d.tcpDecoder(3868, 40000));
        assertNull(d.tcpDecoder(40000, 40001));
        assertNull(d.udpDecoder(40000, 3868), "a TCP route is not a UDP route");
        assertTrue(registered(d).contains(diameter));
    }

    @Test
    void sctpByPpidBeforePort() {
        final ProtocolDispatch d = new ProtocolDispatch();
        final PayloadDecoder s1ap = (p, b, o, l, s) -> { };
        d.sctpPpid(18, s1ap);
        d.sctpPort(36412, NOOP);
        assertSame(s1ap, d.sctpDecoder(18, 5000, 5001));
        assertSame(s1ap, d.sctpDecoder(18, 5000, 36412), "the PPID names the protocol");
        assertSame(NOOP, d.sctpDecoder(0, 36412, 5000), "PPID 0 (unspecified) falls back to the port");
        assertNull(d.sctpDecoder(0xFFFF_FFFFL, 1, 2), "an unknown large PPID and no port: unclaimed");
        assertTrue(registered(d).contains(s1ap));
    }

    @Test
    void refusesOutOfRange() {
        final ProtocolDispatch d = new ProtocolDispatch();
        assertThrows(IllegalArgumentException.class, () -> d.tcpPort(65536, new Stream()));
        assertThrows(IllegalArgumentException.class, () -> d.sctpPort(-1, NOOP));
        assertThrows(IllegalArgumentException.class, () -> d.sctpPpid(256, NOOP));
    }

    private static List<PayloadDecoder> registered(final ProtocolDispatch d) {
        final List<PayloadDecoder> out = new ArrayList<>();
        d.decoders().forEach(out::add);
        return out;
    }
}
