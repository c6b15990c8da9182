package io.sigmatch.decoder.gtpv1;

import static io.sigmatch.decoder.gtpv1.Gtpv1DecoderTest.CREATE_PDP_CONTEXT_REQUEST;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.GERAN_SUB;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.GGSN_IP;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.SGSN_IP;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.bytes;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.message;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.packet;
import static io.sigmatch.decoder.gtpv1.Gtpv1Frames.tlv;
import static io.sigmatch.decoder.testing.Packets.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One test per malformed case: each is counted under its reason, never thrown, never read past the
 * datagram; then random mutations of valid messages (no exception, bounded, and no allocation once
 * warm, measured with the JVM's per-thread allocation counter as Gtpv2AllocationTest does).
 */
class Gtpv1MalformedTest {
    final Counters counters = new Counters();
    final Gtpv1Decoder decoder = new Gtpv1Decoder(counters, new Gtpv1Config());
    final RecordingSink sink = new RecordingSink();

    @Test
    void zeroLengthDatagram() {
        decode(new byte[0]);
        assertDropped(Gtpv1Decoder.TRUNCATED);
    }

    @Test
    void truncatedHeader() {
        // flags 0x32 (v1, PT, S), type 16, then the datagram ends inside the Length field
        decode(bytes(0x32, 0x10, 0x00));
        assertDropped(Gtpv1Decoder.TRUNCATED);
    }

    @Test
    void versionOtherThanOne() {
        // 0x52: version 2 bits with PT set; the demux never sends it here, the decoder still refuses it
        decode(bytes(0x52, 0x10, 0x00, 0x04, 0, 0, 0, 0, 0, 1, 0, 0));
        assertDropped(Gtpv1Decoder.BAD_VERSION);
    }

    @Test
    void gtpPrimeIsSkippedNotAnError() {
        // 0x2E: version 1 with PT = 0 is GTP' (TS 32.295): another protocol on the wrong port
        decode(bytes(0x2E, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0, 1, 0, 0));
        assertEquals(1, counters.get(Gtpv1Decoder.SKIPPED_GTP_PRIME));
        assertEquals(0, counters.sum(Gtpv1Decoder.ERROR));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void lengthBeyondTheDatagram() {
        final byte[] msg = CREATE_PDP_CONTEXT_REQUEST.clone();
        msg[3] += 1;                                         // Length one more than what was sent
        decode(msg);
        assertDropped(Gtpv1Decoder.BAD_LENGTH);
    }

    @Test
    void lengthShorterThanTheOptionalFields() {
        // S set, so sequence/N-PDU/next type (4 octets) follow, but Length says 2
        decode(bytes(0x32, 0x01, 0x00, 0x02, 0, 0, 0, 0, 0, 1, 0, 0));
        assertDropped(Gtpv1Decoder.BAD_LENGTH);
    }

    @Test
    void ieLengthBeyondTheMessage() {
        // an APN TLV announcing 9 octets where the message has 3 left
        decode(message(16, 0, 1, bytes(0x83, 0x00, 0x09, 0x03, 'a', 'p')));
        assertDropped(Gtpv1Decoder.IE_OVERFLOW);
    }

    @Test
    void tvIeCutByTheMessageEnd() {
        // an IMSI (TV, 8 octets) of which only 4 arrive
        decode(message(16, 0, 1, bytes(0x02, 0x64, 0x00, 0x10, 0x32)));
        assertDropped(Gtpv1Decoder.IE_OVERFLOW);
    }

    @Test
    void tlvHeaderCutByTheMessageEnd() {
        decode(message(16, 0, 1, Gtpv1Frames.nsapi(5), bytes(0x85, 0x00)));
        assertDropped(Gtpv1Decoder.IE_OVERFLOW);
    }

    @Test
    void extensionHeaderOfLengthZero() {
        // E set, next type 0x02; the extension header's length octet is 0: it would never end
        decode(Gtpv1Frames.messageWithExtensions(16, 0, 1, bytes(0x00, 0xFF, 0xFF, 0x02), 0x02));
        assertDropped(Gtpv1Decoder.BAD_EXTENSION);
    }

    @Test
    void extensionHeaderLoop() {
        // every extension header names another after it: nine of them, one more than the limit
        final byte[] chain = new byte[9 * 4];
        for (int i = 0; i < 9; i++) {
            chain[i * 4] = 1;                                // length: one 4-octet unit
            chain[i * 4 + 3] = 0x02;                         // next extension header type: another one
        }
        decode(Gtpv1Frames.messageWithExtensions(16, 0, 1, chain, 0x02));
        assertDropped(Gtpv1Decoder.BAD_EXTENSION);
    }

    @Test
    void extensionHeaderPastTheMessage() {
        // length 2 units (8 octets) but the message ends after 4
        decode(Gtpv1Frames.messageWithExtensions(16, 0, 1, bytes(0x02, 0xFF, 0xFF, 0x00), 0x02));
        assertDropped(Gtpv1Decoder.BAD_EXTENSION);
    }

    @Test
    void oversizedMessage() {
        // a Private Extension (255) of 20 000 octets: a valid encoding, longer than maxMessageLength
        decode(message(16, 0, 1, tlv(255, new byte[20_000])));
        assertDropped(Gtpv1Decoder.OVERSIZED);
    }

    @Test
    void tooManyIes() {
        final Gtpv1Decoder strict = new Gtpv1Decoder(counters, new Gtpv1Config().maxIesPerMessage(3));
        final byte[] msg = message(1, 0, 1, Gtpv1Frames.recovery(1), Gtpv1Frames.recovery(1), Gtpv1Frames.recovery(1),
            Gtpv1Frames.recovery(1));
        strict.decode(packet(1, 0, SGSN_IP, GGSN_IP), Unpooled.wrappedBuffer(msg), 0, msg.length, sink);
        assertDropped(Gtpv1Decoder.TOO_MANY_IES);
    }

    @Test
    void unknownTvTypeStopsTheWalkButKeepsWhatCameBefore() {
        // IMSI, then TV type 6 (reserved in Table 37: no length known), then an APN never reached
        decode(message(16, 0, 1, Gtpv1Frames.imsi("460001234567890"), bytes(0x06, 0x01), Gtpv1Frames.apn("internet")));
        assertEquals(1, errors(Gtpv1Decoder.UNKNOWN_TV));
        final SignalingMessage m = sink.onlyMessage();
        assertTrue(m.has(SignalingMessage.IMSI));
        assertFalse(m.has(SignalingMessage.APN));
    }

    @Test
    void badImsiDigits() {
        // 0xA is no decimal digit (7.7.2: TBCD digits 0-9, F only as filler)
        decode(message(16, 0, 1, bytes(0x02, 0x64, 0x00, 0xA0, 0x32, 0x54, 0x76, 0x98, 0xF0), Gtpv1Frames.ratType(1)));
        assertEquals(1, errors(Gtpv1Decoder.BAD_TBCD));
        final SignalingMessage m = sink.onlyMessage();
        assertFalse(m.has(SignalingMessage.IMSI), "the field is dropped");
        assertTrue(m.has(SignalingMessage.RAT), "the message is kept");
    }

    @Test
    void fillerInTheMiddleOfAnMsisdn() {
        decode(message(16, 0, 1, tlv(134, bytes(0x91, 0x68, 0xF1, 0x08))));
        assertEquals(1, errors(Gtpv1Decoder.BAD_TBCD));
        assertFalse(sink.onlyMessage().has(SignalingMessage.MSISDN));
    }

    @Test
    void msisdnWithoutDigits() {
        // only the nature-of-address octet
        decode(message(16, 0, 1, tlv(134, bytes(0x91))));
        assertEquals(1, errors(Gtpv1Decoder.BAD_TBCD));
    }

    @Test
    void imeisvOfTheWrongLength() {
        // 14 digits: neither IMEI (15) nor IMEISV (16)
        decode(message(16, 0, 1, tlv(154, bytes(0x53, 0x43, 0x09, 0x60, 0x89, 0x37, 0x13))));
        assertEquals(1, errors(Gtpv1Decoder.BAD_IMEI));
        assertFalse(sink.onlyMessage().has(SignalingMessage.IMEI));
    }

    @Test
    void uliTooShortOrOfUnknownType() {
        // 7 octets where a CGI needs 8
        decode(message(16, 0, 1, tlv(152, bytes(0x00, 0x64, 0xF0, 0x00, 0x12, 0x34, 0xAB))));
        // Geographic Location Type 3 is not CGI, SAI or RAI
        decode(message(16, 0, 2, tlv(152, bytes(0x03, 0x64, 0xF0, 0x00, 0x12, 0x34, 0xAB, 0xCD))));
        assertEquals(2, errors(Gtpv1Decoder.BAD_IE));
        assertFalse(sink.messages.get(0).has(SignalingMessage.CI));
        assertFalse(sink.messages.get(1).has(SignalingMessage.LAC));
    }

    @Test
    void gsnAddressOfOddLength() {
        // 5 octets: neither IPv4 nor IPv6; the TEID-C then keys by the packet's source
        decode(message(16, 0, 1, Gtpv1Frames.teidControl(0x1234), tlv(133, bytes(10, 1, 0, 1, 0))));
        assertEquals(1, errors(Gtpv1Decoder.BAD_IE));
        assertEquals(1, decoder.teidTableSize());
    }

    @Test
    void apnLabelRunningPastTheIe() {
        decode(message(16, 0, 1, tlv(131, bytes(0x08, 'i', 'n', 't', 'e', 'r'))));
        assertEquals(1, errors(Gtpv1Decoder.BAD_APN));
        assertFalse(sink.onlyMessage().has(SignalingMessage.APN));
    }

    @Test
    void trailingOctets() {
        decode(concat(Gtpv1Frames.echoRequest(1), bytes(0x00, 0x00)));
        assertEquals(1, errors(Gtpv1Decoder.TRAILING));
        assertEquals(1, sink.messages.size(), "the message itself is fine");
    }

    /**
     * Random mutations (1-4 octets overwritten, then cut at a random length) of every valid message
     * the builder makes: any outcome but an exception or a read past the datagram, whose buffer is
     * exactly its length. Then the same mutations again, warm, allocate nothing.
     */
    @Test
    void mutationsNeverThrowNorAllocate() {
        final long seed = System.nanoTime();
        final byte[][] valid = {
            CREATE_PDP_CONTEXT_REQUEST,
            Gtpv1Frames.createPdpContextResponse(2, GERAN_SUB, 128, 10, 2, 0, 1),
            Gtpv1Frames.updatePdpContextRequest(3, GERAN_SUB, GERAN_SUB.sgsnTeidC(), Gtpv1Frames.rai("460", "00", 1, 2),
                Gtpv1Frames.uli(Gtpv1Ie.ULI_SAI, "460", "00", 1, 3), 1, 10, 1, 0, 1),
            Gtpv1Frames.updatePdpContextResponse(3, GERAN_SUB.sgsnTeidC(), GERAN_SUB, 128, 10, 2, 0, 1),
            Gtpv1Frames.deletePdpContextRequest(4, GERAN_SUB.ggsnTeidC()),
            Gtpv1Frames.deletePdpContextResponse(4, GERAN_SUB.sgsnTeidC(), 128),
            Gtpv1Frames.messageWithExtensions(16, 0, 5, bytes(0x01, 0xFF, 0xFF, 0x00), 0x02,
                Arrays.copyOfRange(CREATE_PDP_CONTEXT_REQUEST, 12, CREATE_PDP_CONTEXT_REQUEST.length)),
        };
        final int rounds = 50_000;
        // prepared up front so the measured loop allocates nothing of its own
        final ByteBuf[] mutated = new ByteBuf[rounds];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < rounds; i++) {
            final byte[] msg = valid[random.nextInt(valid.length)].clone();
            for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                msg[random.nextInt(msg.length)] = (byte) random.nextInt(256);
            }
            mutated[i] = Unpooled.wrappedBuffer(Arrays.copyOf(msg, random.nextInt(msg.length + 1)));
        }
        final Counting counting = new Counting();
        final PacketInfo toGgsn = packet(0, 0, SGSN_IP, GGSN_IP);
        final PacketInfo toSgsn = packet(0, 0, GGSN_IP, SGSN_IP);
        run(mutated, counting, toGgsn, toSgsn, seed);                 // cold: JIT, tables, counters
        final long handled = counting.messages + counters.sum(Gtpv1Decoder.ERROR) + counters.sum("decode.gtpv1.skipped.");
        assertTrue(handled >= rounds, "every datagram is delivered or counted; seed " + seed);

        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final long id = Thread.currentThread().getId();
        final long idle = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        final long before = threads.getThreadAllocatedBytes(id);
        run(mutated, counting, toGgsn, toSgsn, seed);                 // warm: measured
        final long allocated = threads.getThreadAllocatedBytes(id) - before - idle;
        // a one-off of a few hundred bytes (compilation switching code) does not scale with the count
        assertTrue(allocated < 2048, allocated + " bytes allocated over " + rounds + " mutated messages; seed " + seed);
        decoder.flush(counting);
        assertEquals(0, decoder.pendingRequests());
    }

    private void run(final ByteBuf[] datagrams, final Counting sink, final PacketInfo toGgsn, final PacketInfo toSgsn,
        final long seed) {
        for (int i = 0; i < datagrams.length; i++) {
            final PacketInfo p = (i & 1) == 0 ? toGgsn : toSgsn;
            p.frame++;
            p.timeNs += 1_000;
            try {
                decoder.decode(p, datagrams[i], 0, datagrams[i].capacity(), sink);
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " datagram " + i, e);
            }
            if ((i & 1023) == 0) {
                decoder.advanceTime(p.timeNs, sink);
            }
        }
    }

    private static final class Counting implements MessageSink {
        long messages;
        long fields;

        @Override
        public void onMessage(final SignalingMessage m) {
            messages++;
            fields += m.present();
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            fields += p.present();
        }
    }

    private void decode(final byte[] datagram) {
        decoder.decode(packet(1, 0, SGSN_IP, GGSN_IP), Unpooled.wrappedBuffer(datagram), 0, datagram.length, sink);
    }

    private long errors(final String reason) {
        return counters.get(Gtpv1Decoder.ERROR + reason);
    }

    private void assertDropped(final String reason) {
        assertEquals(1, errors(reason), reason);
        assertEquals(1, counters.sum(Gtpv1Decoder.ERROR), "only " + reason);
        assertTrue(sink.messages.isEmpty(), "nothing delivered");
        assertEquals(0, counters.get(Gtpv1Decoder.MESSAGES));
    }
}
