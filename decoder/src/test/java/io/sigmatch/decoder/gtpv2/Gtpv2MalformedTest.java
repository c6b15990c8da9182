package io.sigmatch.decoder.gtpv2;

import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.NO_TEID;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.P;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.bytes;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.concat;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.ie;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.message;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.CREATE_SESSION_REQUEST;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.MME;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.SGW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.SignalingMessage;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One test per malformed case: each is counted under its reason, never thrown, never read past the datagram. */
class Gtpv2MalformedTest {
    final Counters counters = new Counters();
    final Gtpv2Decoder decoder = new Gtpv2Decoder(counters, new Gtpv2Config());
    final RecordingSink sink = new RecordingSink();

    @Test
    void zeroLengthDatagram() {
        decode(new byte[0]);
        assertDropped(Gtpv2Decoder.TRUNCATED);
    }

    @Test
    void truncatedHeader() {
        // T=1 announces a 12-octet header; only 11 arrive
        decode(Arrays.copyOf(message(0, 32, 0, 1), 11));
        assertDropped(Gtpv2Decoder.TRUNCATED);
        // fewer than the 8 octets of a header without TEID
        decode(bytes(0x40, 0x01, 0x00));
        assertEquals(2, errors(Gtpv2Decoder.TRUNCATED));
    }

    @Test
    void badVersion() {
        // version 3 does not exist (TS 29.274 5.1: version 2)
        decode(bytes(0x68, 0x20, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00));
        assertDropped(Gtpv2Decoder.BAD_VERSION);
    }

    @Test
    void gtpv1SharesThePortAndIsNotAnError() {
        // TS 29.060 7.2.1: GTPv1-C Create PDP Context Request (flags 0x32: version 1, PT, S) on UDP 2123
        decode(bytes(0x32, 0x10, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00));
        assertEquals(1, counters.get(Gtpv2Decoder.SKIPPED_GTPV1));
        assertEquals(0, counters.sum(Gtpv2Decoder.ERROR));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void lengthBeyondTheDatagram() {
        final byte[] msg = message(0, 32, 0, 1, ie(82, 0, bytes(6)));
        msg[3] += 1;                                         // Message Length one more than what was sent
        decode(msg);
        assertDropped(Gtpv2Decoder.BAD_LENGTH);
    }

    @Test
    void lengthShorterThanTheHeader() {
        // T=1: the length must cover TEID, sequence and spare (8); 4 is too short
        decode(bytes(0x48, 0x20, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 1, 0));
        assertDropped(Gtpv2Decoder.BAD_LENGTH);
    }

    @Test
    void zeroMessageLength() {
        decode(bytes(0x40, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00));
        assertDropped(Gtpv2Decoder.BAD_LENGTH);
    }

    @Test
    void ieLengthBeyondTheMessage() {
        // an IMSI IE announcing 9 octets where the message has 8 left
        decode(message(0, 32, 0, 1, bytes(0x01, 0x00, 0x09, 0x00, 0x00, 0x01, 0x01, 0x21, 0x43, 0x65, 0x87, 0xF9)));
        assertDropped(Gtpv2Decoder.IE_OVERFLOW);
    }

    @Test
    void ieHeaderCutByTheMessageEnd() {
        decode(message(0, 32, 0, 1, ie(82, 0, bytes(6)), bytes(0x01, 0x00, 0x08)));
        assertDropped(Gtpv2Decoder.IE_OVERFLOW);
    }

    @Test
    void groupedIeOverflowingItsParent() {
        // a Bearer Context of 5 octets whose inner EBI claims 2 octets of data: past the group, not the message
        decode(message(0, 32, 0, 1, bytes(0x5D, 0x00, 0x05, 0x00, 0x49, 0x00, 0x02, 0x00, 0x05), ie(82, 0, bytes(6))));
        assertDropped(Gtpv2Decoder.IE_OVERFLOW);
    }

    @Test
    void groupedIesNestedTooDeep() {
        byte[] inner = ie(73, 0, bytes(5));
        for (int level = 0; level < 5; level++) {
            inner = ie(93, 0, inner);                       // Bearer Context in Bearer Context, five deep
        }
        decode(message(0, 32, 0, 1, inner));
        assertDropped(Gtpv2Decoder.DEPTH);
        // four deep is within the default limit
        byte[] ok = ie(73, 0, bytes(5));
        for (int level = 0; level < 4; level++) {
            ok = ie(93, 0, ok);
        }
        decode(message(0, 32, 0, 2, ok));
        assertEquals(1, sink.messages.size());
    }

    @Test
    void tooManyIes() {
        final Gtpv2Decoder strict = new Gtpv2Decoder(counters, new Gtpv2Config().maxIesPerMessage(3));
        final byte[] msg = message(0, 32, 0, 1, ie(3, 0, bytes(1)), ie(3, 0, bytes(1)), ie(3, 0, bytes(1)), ie(3, 0, bytes(1)));
        strict.decode(Gtpv2DecoderTest.packet(1, 0, MME, SGW), Unpooled.wrappedBuffer(msg), 0, msg.length, sink);
        assertDropped(Gtpv2Decoder.TOO_MANY_IES);
    }

    @Test
    void badTbcdInTheImsi() {
        // 0xA is no decimal digit (TS 29.274 8.3: TBCD digits 0-9, F only as filler)
        decode(message(0, 32, 0, 1, ie(1, 0, bytes(0x00, 0x01, 0xA1, 0x21, 0x43, 0x65, 0x87, 0xF9)), ie(82, 0, bytes(6))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_TBCD));
        final SignalingMessage m = sink.onlyMessage();
        assertFalse(m.has(SignalingMessage.IMSI), "the field is dropped");
        assertTrue(m.has(SignalingMessage.RAT), "the message is kept");
    }

    @Test
    void fillerInTheMiddleOfAnMsisdn() {
        decode(message(0, 32, 0, 1, ie(76, 0, bytes(0x68, 0xF1, 0x08))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_TBCD));
        assertFalse(sink.onlyMessage().has(SignalingMessage.MSISDN));
    }

    @Test
    void meiOfTheWrongLength() {
        // 14 digits: neither IMEI (15) nor IMEISV (16)
        decode(message(0, 32, 0, 1, ie(75, 0, bytes(0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_MEI));
        assertFalse(sink.onlyMessage().has(SignalingMessage.IMEI));
    }

    @Test
    void uliShorterThanItsFlags() {
        // TAI + ECGI announced (12 octets) but only the TAI is there
        decode(message(0, 34, 1, 1, ie(86, 0, bytes(0x18, 0x64, 0xF0, 0x00, 0x12, 0x34))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_IE));
        final SignalingMessage m = sink.onlyMessage();
        assertFalse(m.has(SignalingMessage.TAC));
        assertFalse(m.has(SignalingMessage.CELL_PLMN));
    }

    @Test
    void fteidShorterThanItsFlags() {
        // V4 and V6 announced, only the IPv4 address follows
        decode(message(0, 32, 0, 1, ie(87, 0, bytes(0xCA, 0, 0, 1, 1, 10, 0, 0, 1))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_IE));
        assertEquals(0, decoder.teidTableSize());
    }

    @Test
    void apnLabelRunningPastTheIe() {
        decode(message(0, 32, 0, 1, ie(71, 0, bytes(0x08, 'i', 'n', 't', 'e', 'r'))));
        assertEquals(1, errors(Gtpv2Decoder.BAD_APN));
        assertFalse(sink.onlyMessage().has(SignalingMessage.APN));
    }

    @Test
    void piggybackLoop() {
        // every message claims another follows: the second may not (5.5), the third is refused
        final byte[] one = message(P, 33, 1, 1, ie(2, 0, bytes(16, 0)));
        decode(concat(one, one, one, one));
        assertEquals(1, errors(Gtpv2Decoder.PIGGYBACK));
        assertEquals(2, sink.messages.size(), "the first message and the one piggybacked on it");
    }

    @Test
    void piggybackFlagWithNothingAfter() {
        decode(message(P, 33, 1, 1, ie(2, 0, bytes(16, 0))));
        assertEquals(1, errors(Gtpv2Decoder.PIGGYBACK));
        assertEquals(1, sink.messages.size());
    }

    @Test
    void trailingOctetsWithoutPiggybackFlag() {
        decode(concat(message(0, 1, NO_TEID, 1, ie(3, 0, bytes(1))), bytes(0x00, 0x00)));
        assertEquals(1, errors(Gtpv2Decoder.TRAILING));
        assertEquals(1, sink.messages.size(), "the message itself is fine");
    }

    @Test
    void garbage() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] junk = new byte[1500];
        for (int i = 0; i < 2000; i++) {
            random.nextBytes(junk);
            final int length = random.nextInt(junk.length + 1);
            final long before = sink.messages.size() + counters.sum(Gtpv2Decoder.ERROR)
                + counters.get(Gtpv2Decoder.SKIPPED_GTPV1);
            decode(Arrays.copyOf(junk, length));
            assertTrue(sink.messages.size() + counters.sum(Gtpv2Decoder.ERROR) + counters.get(Gtpv2Decoder.SKIPPED_GTPV1) > before,
                "every datagram is either delivered or counted; seed " + seed + " iteration " + i);
        }
        assertTrue(errors(Gtpv2Decoder.BAD_VERSION) > 1000, "random first octets are mostly not version 1 or 2");
    }

    /** Mutations of a valid message: any outcome is fine except an exception or a read outside the datagram. */
    @Test
    void mutatedMessagesNeverThrowNorReadOutside() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            final byte[] msg = CREATE_SESSION_REQUEST.clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                msg[random.nextInt(msg.length)] = (byte) random.nextInt(256);
            }
            final byte[] cut = Arrays.copyOf(msg, random.nextInt(msg.length + 1));
            // a buffer exactly as long as the datagram: reading past it throws IndexOutOfBoundsException
            final ByteBuf exact = Unpooled.wrappedBuffer(cut);
            try {
                decoder.decode(Gtpv2DecoderTest.packet(i, i, MME, SGW), exact, 0, cut.length, sink);
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i, e);
            }
        }
        decoder.flush(sink);
        assertEquals(0, decoder.pendingRequests());
    }

    private void decode(final byte[] datagram) {
        decoder.decode(Gtpv2DecoderTest.packet(1, 0, MME, SGW), Unpooled.wrappedBuffer(datagram), 0, datagram.length, sink);
    }

    private long errors(final String reason) {
        return counters.get(Gtpv2Decoder.ERROR + reason);
    }

    private void assertDropped(final String reason) {
        assertEquals(1, errors(reason), reason);
        assertEquals(1, counters.sum(Gtpv2Decoder.ERROR), "only " + reason);
        assertTrue(sink.messages.isEmpty(), "nothing delivered");
        assertEquals(0, counters.get(Gtpv2Decoder.MESSAGES));
    }
}
