package io.sigmatch.decoder.diameter;

import static io.sigmatch.decoder.diameter.DiameterBytes.M;
import static io.sigmatch.decoder.diameter.DiameterBytes.R;
import static io.sigmatch.decoder.diameter.DiameterBytes.avp;
import static io.sigmatch.decoder.diameter.DiameterBytes.avp3gpp;
import static io.sigmatch.decoder.diameter.DiameterBytes.bytes;
import static io.sigmatch.decoder.diameter.DiameterBytes.concat;
import static io.sigmatch.decoder.diameter.DiameterBytes.grouped3gpp;
import static io.sigmatch.decoder.diameter.DiameterBytes.message;
import static io.sigmatch.decoder.diameter.DiameterBytes.sessionId;
import static io.sigmatch.decoder.diameter.DiameterBytes.subscriptionId;
import static io.sigmatch.decoder.diameter.DiameterBytes.u32;
import static io.sigmatch.decoder.diameter.DiameterBytes.userName;
import static io.sigmatch.decoder.diameter.DiameterBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One test per malformed case: each is counted under its reason, never thrown, never read past the
 * payload (every buffer is exactly the input, so a read outside it throws and fails the test).
 */
class DiameterMalformedTest {
    final Counters counters = new Counters();
    DiameterDecoder decoder = new DiameterDecoder(counters, new DiameterConfig(), 86);
    final RecordingSink sink = new RecordingSink();
    final PacketInfo packet = new PacketInfo();

    static byte[] pur() {
        return DiameterSamples.pur(1, "s;1", DiameterSamples.IMSI);
    }

    @Test
    void emptyPayload() {
        decode(new byte[0]);
        assertDropped(DiameterDecoder.TRUNCATED);
    }

    @Test
    void headerCutShort() {
        decode(Arrays.copyOf(pur(), 19));                          // one octet short of the 20-octet header
        assertDropped(DiameterDecoder.TRUNCATED);
    }

    @Test
    void badVersion() {
        final byte[] m = pur();
        m[0] = 2;                                                   // RFC 6733 §3: version 1
        decode(m);
        assertDropped(DiameterDecoder.BAD_VERSION);
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(m), 0, m.length));
    }

    @Test
    void lengthNotAMultipleOfFour() {
        final byte[] m = concat(pur(), new byte[2]);
        m[3] += 2;                                                  // §3: Message Length is always a multiple of 4
        decode(m);
        assertDropped(DiameterDecoder.BAD_LENGTH);
    }

    @Test
    void lengthShorterThanTheHeader() {
        decode(bytes(1, 0, 0, 16, R, 0, 1, 0x41, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1));
        assertDropped(DiameterDecoder.BAD_LENGTH);
    }

    @Test
    void lengthBeyondTheLimit() {
        decoder = new DiameterDecoder(counters, new DiameterConfig().maxMessageBytes(64), 86);
        final byte[] m = pur();
        assertTrue(m.length > 64);
        decode(m);
        assertDropped(DiameterDecoder.TOO_LONG);
        // on a stream a length beyond the limit is not a message: the reassembler resynchronises
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(m), 0, 4));
        // 2^24 - 4, the largest the field allows, is refused without reading that far
        final byte[] huge = Arrays.copyOf(m, 20);
        huge[1] = (byte) 0xFF;
        huge[2] = (byte) 0xFF;
        huge[3] = (byte) 0xFC;
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(huge), 0, 20));
    }

    @Test
    void lengthBeyondThePayload() {
        final byte[] m = pur();
        m[3] += 4;
        decode(m);
        assertDropped(DiameterDecoder.TRUNCATED);
    }

    @Test
    void reservedFlagsOrErrorOnARequest() {
        final byte[] m = pur();
        m[4] |= 0x01;                                               // a reserved bit
        decode(m);
        final byte[] e = pur();
        e[4] |= DiameterBytes.E;                                    // §3: E is never set on a request
        decode(e);
        assertEquals(2, errors(DiameterDecoder.BAD_FLAGS));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void avpLengthShorterThanItsHeader() {
        // an AVP length of 7 (< 8), of 10 with the V flag (< 12), and of 0 — which would never advance
        for (final byte[] avp : new byte[][] {
            bytes(0, 0, 1, 0x07, M, 0, 0, 7),
            bytes(0, 0, 0x05, 0x7F, 0xC0, 0, 0, 10, 0, 0, 0x28, 0xAF),
            bytes(0, 0, 0, 0, 0, 0, 0, 0)}) {
            decode(message(R, 321, DiameterSamples.S6A, 1, 1, sessionId("s"), avp));
        }
        assertEquals(3, errors(DiameterDecoder.AVP_LENGTH));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void avpPastTheMessageEnd() {
        final byte[] m = message(R, 321, DiameterSamples.S6A, 1, 1, sessionId("s"), userName("001010123456789"));
        m[m.length - 24 + 7] = (byte) 200;                          // User-Name claims 200 octets
        decode(m);
        assertDropped(DiameterDecoder.AVP_OVERFLOW);
    }

    @Test
    void avpHeaderCutByTheMessageEnd() {
        // four octets after the last AVP: not room for an AVP header
        decode(message(R, 321, DiameterSamples.S6A, 1, 1, sessionId("s"), bytes(0, 0, 1, 1)));
        assertDropped(DiameterDecoder.AVP_OVERFLOW);
    }

    @Test
    void memberPastItsGroupedAvp() {
        final byte[] inner = avp3gpp(701, DiameterBytes.tbcd("8613800000001"));
        final byte[] group = grouped3gpp(1400, inner);
        group[12 + 7] += 8;                                          // the MSISDN runs 8 octets past Subscription-Data
        decode(message(R, 319, DiameterSamples.S6A, 1, 1, group, avp(264, utf8("hss.example.org"))));
        assertDropped(DiameterDecoder.AVP_OVERFLOW);
    }

    @Test
    void depthBomb() {
        // Subscription-Data inside Subscription-Data, 40 deep: the walk stops at maxAvpDepth (8)
        byte[] nested = avp3gpp(701, DiameterBytes.tbcd("8613800000001"));
        for (int i = 0; i < 40; i++) {
            nested = grouped3gpp(1400, nested);
        }
        decode(message(R, 319, DiameterSamples.S6A, 1, 1, nested));
        assertDropped(DiameterDecoder.DEPTH);
        // 8 deep is within the limit
        byte[] ok = avp3gpp(701, DiameterBytes.tbcd("8613800000001"));
        for (int i = 0; i < 8; i++) {
            ok = grouped3gpp(1400, ok);
        }
        decode(message(R, 319, DiameterSamples.S6A, 1, 1, ok));
        assertEquals(1, sink.messages.size());
        assertEquals("8613800000001", io.sigmatch.decoder.Digits.toString(sink.messages.get(0).msisdn()));
    }

    @Test
    void tooManyAvps() {
        decoder = new DiameterDecoder(counters, new DiameterConfig().maxAvpsPerMessage(16), 86);
        final byte[][] avps = new byte[17][];
        Arrays.fill(avps, avp(264, utf8("x")));
        decode(message(R, 280, 0, 1, 1, avps));
        assertDropped(DiameterDecoder.TOO_MANY_AVPS);
    }

    @Test
    void trailingOctetsAfterAMessage() {
        decode(concat(pur(), bytes(1, 2, 3, 4)));
        assertEquals(1, sink.messages.size(), "the message itself is delivered");
        assertEquals(1, errors(DiameterDecoder.TRAILING));
    }

    @Test
    void truncationAtEveryOffset() {
        for (final byte[] m : new byte[][] {DiameterDecoderTest.ULR, DiameterDecoderTest.CCR_I,
            DiameterSamples.ula(2, "s;2", DiameterSamples.MSISDN), DiameterSamples.gyCcr(3, "s;3",
                DiameterSamples.ULI_TAI_ECGI)}) {
            for (int cut = 0; cut < m.length; cut++) {
                decode(Arrays.copyOf(m, cut));
                final ByteBuf b = Unpooled.wrappedBuffer(Arrays.copyOf(m, cut));
                final int framed = decoder.messageLength(b, 0, cut);
                assertEquals(StreamDecoder.NEED_MORE, framed, "cut at " + cut + " is not yet a message");
            }
        }
        assertTrue(sink.messages.isEmpty(), "no cut message is delivered");
        assertEquals(counters.sum(DiameterDecoder.ERROR), errors(DiameterDecoder.TRUNCATED),
            "every cut is counted as truncated");
    }

    @Test
    void badValuesDropTheFieldNotTheMessage() {
        decode(message(R, 272, DiameterSamples.GX, 1, 1,
            sessionId("s"),
            subscriptionId(1, "00101ABC"),                              // IMSI with letters: bad_imsi
            avp3gpp(701, bytes(0x68, 0x3C)),                           // MSISDN with a nibble C: bad_msisdn
            DiameterSamples.terminalInformation("1234", "05"),         // IMEI of 4 digits: bad_imei
            avp3gpp(1407, bytes(0x6A, 0xF0, 0x00)),                    // Visited-PLMN-Id digit A: bad_plmn
            avp3gpp(22, bytes(200, 1, 2, 3, 4, 5, 6, 7)),              // unknown location type: bad_uli
            avp(416, u32(1)),
            avp(268, bytes(0, 0, 7)),                                  // Result-Code of 3 octets: bad_avp
            avp(30, bytes('i', 0x01, 'n'))));                          // APN with a control octet: bad_apn
        final SignalingMessage m = sink.onlyMessage();
        assertFalse(m.has(SignalingMessage.IMSI));
        assertFalse(m.has(SignalingMessage.MSISDN));
        assertFalse(m.has(SignalingMessage.IMEI));
        assertFalse(m.has(SignalingMessage.SERVING_PLMN));
        assertFalse(m.has(SignalingMessage.CELL_PLMN));
        assertFalse(m.has(SignalingMessage.APN));
        for (final String reason : new String[] {DiameterDecoder.BAD_IMSI, DiameterDecoder.BAD_MSISDN,
            DiameterDecoder.BAD_IMEI, DiameterDecoder.BAD_PLMN, DiameterDecoder.BAD_ULI, DiameterDecoder.BAD_AVP,
            DiameterDecoder.BAD_APN}) {
            assertEquals(1, errors(reason), reason);
        }
    }

    @Test
    void findMessageStartSkipsGarbage() {
        final byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x01);                         // version octets everywhere, no sane length
        final byte[] stream = concat(garbage, pur());
        final ByteBuf b = Unpooled.wrappedBuffer(stream);
        assertEquals(64, decoder.findMessageStart(b, 0, stream.length));
        assertEquals(-1, decoder.findMessageStart(b, 0, 64));
    }

    @Test
    void garbage() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            final byte[] b = new byte[random.nextInt(0, 200)];
            random.nextBytes(b);
            if (b.length > 0 && random.nextBoolean()) {
                b[0] = 1;
            }
            final long before = counters.sum(DiameterDecoder.ERROR) + counters.get(DiameterDecoder.MESSAGES);
            try {
                decode(b);
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i, e);
            }
            assertTrue(counters.sum(DiameterDecoder.ERROR) + counters.get(DiameterDecoder.MESSAGES) > before,
                "every payload is delivered or counted; seed " + seed + " iteration " + i);
        }
    }

    @Test
    void mutatedMessagesNeverThrowNorReadOutside() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[][] samples = {DiameterDecoderTest.ULR, DiameterDecoderTest.CCR_I,
            DiameterSamples.ula(2, "s;2", DiameterSamples.MSISDN), DiameterSamples.ofr(3, "s", DiameterSamples.MSISDN),
            DiameterSamples.cx(300, 4, "s", "x@y", "tel:+8613800000001")};
        for (int i = 0; i < 20_000; i++) {
            final byte[] m = samples[random.nextInt(samples.length)].clone();
            for (int k = random.nextInt(1, 6); k > 0; k--) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            try {
                decode(m);
                decoder.findMessageStart(Unpooled.wrappedBuffer(m), 0, m.length);
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i, e);
            }
        }
        decoder.flush(sink);
    }

    private void decode(final byte[] payload) {
        packet.frame++;
        packet.timeNs += 1_000_000;
        packet.srcLo = 0x0A000001;
        packet.dstLo = 0x0A000002;
        packet.srcPort = 40000;
        packet.dstPort = 3868;
        decoder.decode(packet, Unpooled.wrappedBuffer(payload), 0, payload.length, sink);
    }

    private long errors(final String reason) {
        return counters.get(DiameterDecoder.ERROR + reason);
    }

    private void assertDropped(final String reason) {
        assertTrue(sink.messages.isEmpty(), "nothing delivered");
        assertEquals(1, errors(reason), reason);
        assertEquals(1, counters.sum(DiameterDecoder.ERROR), "counted under one reason only");
    }
}
