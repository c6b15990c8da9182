package io.sigmatch.decoder.sigtran;

import static io.sigmatch.decoder.sigtran.SigtranBytes.*;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.HLR;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.IMSI;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.MSISDN;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.SMSC;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.SSN_HLR;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.SSN_MSC;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.SSN_VLR;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.VLR;
import static io.sigmatch.decoder.sigtran.SigtranTestCaptures.udtMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.testing.ByteWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One test per malformed case, each counted under its reason, never thrown, never read past the
 * payload (every buffer is exactly the input, so a read outside it throws and fails the test);
 * then a seeded mutation run and the steady-state allocation check.
 */
class SigtranMalformedTest {
    final Counters counters = new Counters();
    SigtranDecoder decoder = new SigtranDecoder(counters, new SigtranConfig(), 86);
    final Sink sink = new Sink();
    final PacketInfo packet = new PacketInfo();

    /** A valid SendAuthenticationInfo Begin (MAP v3): the base the cases below break. */
    static byte[] sai() {
        return udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x01020304, dialogueRequest(mapAcn(14, 3), new byte[0]),
            invoke(1, 56, sequence(ctx(0, tbcd(IMSI)), integer(2)))));
    }

    /** M3UA DATA around raw SCCP bytes. */
    static byte[] data(final byte[] sccp) {
        return m3uaData(7, 100, 200, sccp);
    }

    /** M3UA DATA, UDT HLR <- VLR, around raw TCAP bytes. */
    static byte[] tcap(final byte[] tcap) {
        return data(udt(gt(SSN_HLR, HLR), gt(SSN_VLR, VLR), tcap));
    }

    @Test
    void theValidBaseDecodes() {
        decode(sai());
        assertEquals(1, sink.messages.size());
        assertEquals(0, counters.sum(SigtranDecoder.ERROR));
    }

    // ---- M3UA ------------------------------------------------------------------------------------

    @Test
    void m3uaShorterThanItsHeader() {
        decode(Arrays.copyOf(sai(), 7));                            // 7 of the 8 common-header octets
        assertDropped(SigtranDecoder.M3UA_TRUNCATED);
    }

    @Test
    void m3uaLengthBeyondThePayload() {
        final byte[] m = sai();
        decode(Arrays.copyOf(m, m.length - 4));                     // message length still counts the cut octets
        assertDropped(SigtranDecoder.M3UA_TRUNCATED);
    }

    @Test
    void m3uaLengthShorterThanItsHeader() {
        final byte[] m = sai();
        m[4] = m[5] = m[6] = 0;
        m[7] = 4;                                                   // RFC 4666 3.1: the length includes the 8-octet header
        decode(m);
        assertDropped(SigtranDecoder.M3UA_BAD_LENGTH);
    }

    @Test
    void m3uaUnknownVersion() {
        final byte[] m = sai();
        m[0] = 2;                                                   // RFC 4666 3.1.1: version 1
        decode(m);
        assertDropped(SigtranDecoder.M3UA_BAD_VERSION);
    }

    @Test
    void m3uaParameterLengthBelowItsHeader() {
        final byte[] m = m3ua(1, 1, new ByteWriter().u16(0x0006).u16(2).u32(7).toByteArray()); // RC length 2 < 4
        decode(m);
        assertDropped(SigtranDecoder.M3UA_BAD_PARAMETER);
    }

    @Test
    void m3uaParameterLengthBeyondTheMessage() {
        final byte[] m = m3ua(1, 1, new ByteWriter().u16(0x0210).u16(200).u32(100).u32(200).toByteArray());
        decode(m);                                                  // Protocol Data claims 200 octets, 12 follow
        assertDropped(SigtranDecoder.M3UA_BAD_PARAMETER);
    }

    @Test
    void m3uaDataWithoutProtocolData() {
        decode(m3ua(1, 1, new ByteWriter().u16(0x0006).u16(8).u32(7).toByteArray())); // DATA with only a routing context
        assertDropped(SigtranDecoder.M3UA_NO_DATA);
    }

    @Test
    void managementIsCountedNotDecoded() {
        decode(m3ua(3, 1, new byte[0]));                            // ASPUP
        decode(m3ua(3, 3, new ByteWriter().u16(0x0009).u16(8).u32(1).toByteArray())); // BEAT
        decode(m3ua(2, 3, new byte[0]));                            // DAUD
        decode(m3ua(0, 1, new byte[0]));                            // NTFY
        decode(m3ua(4, 1, new byte[0]));                            // ASPAC
        assertEquals(1, counters.get(SigtranDecoder.M3UA_MGMT + "ASPUP"));
        assertEquals(1, counters.get(SigtranDecoder.M3UA_MGMT + "BEAT"));
        assertEquals(1, counters.get(SigtranDecoder.M3UA_MGMT + "DAUD"));
        assertEquals(1, counters.get(SigtranDecoder.M3UA_MGMT + "NTFY"));
        assertEquals(1, counters.get(SigtranDecoder.M3UA_MGMT + "ASPAC"));
        assertTrue(sink.messages.isEmpty());
        assertEquals(0, counters.sum(SigtranDecoder.ERROR));
    }

    // ---- SCCP ------------------------------------------------------------------------------------

    @Test
    void sccpPointerPastTheMessage() {
        final byte[] u = udt(gt(SSN_HLR, HLR), gt(SSN_VLR, VLR), new byte[] {0x62, 0});
        u[4] = (byte) 0xF0;                                         // pointer to data: 240 octets on, the UDT is ~30
        decode(data(u));
        assertDropped(SigtranDecoder.SCCP_BAD_POINTER);
    }

    @Test
    void sccpZeroMandatoryPointer() {
        final byte[] u = udt(gt(SSN_HLR, HLR), gt(SSN_VLR, VLR), new byte[] {0x62, 0});
        u[2] = 0;                                                   // Q.713 2.3: a mandatory pointer is never 0
        decode(data(u));
        assertDropped(SigtranDecoder.SCCP_BAD_POINTER);
    }

    @Test
    void sccpAddressLongerThanTheMessage() {
        final byte[] u = udt(gt(SSN_HLR, HLR), gt(SSN_VLR, VLR), new byte[] {0x62, 0});
        u[5] = (byte) 0xFE;                                         // called party address length 254
        decode(data(u));
        assertDropped(SigtranDecoder.SCCP_BAD_POINTER);
    }

    @Test
    void sccpDataShorterThanItsLength() {
        final byte[] u = udt(gt(SSN_HLR, HLR), gt(SSN_VLR, VLR), new byte[] {0x62, 0});
        u[u.length - 3] = 40;                                       // data length 40, 2 octets follow
        decode(data(u));
        assertDropped(SigtranDecoder.SCCP_BAD_POINTER);
    }

    @Test
    void sccpSpareGlobalTitleIndicator() {
        final byte[] called = gt(SSN_HLR, HLR);
        called[0] = 0x16;                                           // address indicator: GTI 5 (spare in ITU)
        decode(data(udt(called, gt(SSN_VLR, VLR), new byte[] {0x62, 0})));
        assertDropped(SigtranDecoder.SCCP_BAD_ADDRESS);
    }

    @Test
    void sccpTruncatedFixedPart() {
        decode(data(bytes(0x11, 0x81, 0x0F, 4)));                   // XUDT cut after its first pointer
        assertDropped(SigtranDecoder.SCCP_TRUNCATED);
    }

    @Test
    void sccpOptionalPartWithoutEnd() {
        final byte[] x = xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[] {0x62, 0}, true, 1, 7);
        decode(data(Arrays.copyOf(x, x.length - 1)));               // no end-of-optional-parameters octet
        assertDropped(SigtranDecoder.SCCP_BAD_OPTIONAL);
    }

    // ---- XUDT segmentation -------------------------------------------------------------------------

    @Test
    void segmentWithoutItsFirst() {
        decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[] {1, 2, 3}, false, 0, 9))); // F = 0, none begun
        assertDropped(SigtranDecoder.XUDT_ORPHAN);
    }

    @Test
    void segmentsOutOfSequence() {
        decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[] {1, 2, 3}, true, 3, 9))); // 3 more to come
        decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[] {4, 5, 6}, false, 1, 9))); // 2 skipped
        assertDropped(SigtranDecoder.XUDT_OUT_OF_SEQUENCE);
        assertEquals(0, decoder.reassembliesInProgress(), "the broken reassembly is gone");
    }

    @Test
    void segmentFloodStaysWithinThePoolAndExpires() {
        // 200 first segments, each a new local reference, none ever completed: a flood
        for (int ref = 0; ref < 200; ref++) {
            decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[100], true, 2, ref)));
        }
        assertEquals(64, decoder.reassembliesInProgress(), "the pool's 64 slots, no more");
        assertEquals(200 - 64, counters.get(SigtranDecoder.ERROR + SigtranDecoder.XUDT_EVICTED));
        decoder.advanceTime(packet.timeNs + 11_000_000_000L, sink);  // past the 10 s reassembly timeout
        assertEquals(0, decoder.reassembliesInProgress());
        assertEquals(64, counters.get(SigtranDecoder.ERROR + SigtranDecoder.XUDT_EXPIRED));
        assertTrue(sink.messages.isEmpty());
        // and the pool works again afterwards: a two-segment message completes
        final byte[] whole = tcapBytes();
        for (final byte[] s : xudtSegments(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), whole, whole.length / 2 + 1, 4242)) {
            decode(data(s));
        }
        assertEquals(1, sink.messages.size());
    }

    @Test
    void reassembledMessageLongerThanAllowed() {
        decoder = new SigtranDecoder(counters, new SigtranConfig().reassemblyMaxBytes(256), 86);
        decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[200], true, 1, 1)));
        decode(data(xudt(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), new byte[200], false, 0, 1))); // 400 > 256
        assertDropped(SigtranDecoder.XUDT_TOO_LONG);
    }

    private static byte[] tcapBytes() {
        return begin(0x0A0B0C0D, new byte[0], invoke(1, 56, sequence(ctx(0, tbcd(IMSI)), integer(1))));
    }

    // ---- TCAP / BER --------------------------------------------------------------------------------

    @Test
    void berLengthBeyondItsContainer() {
        // Begin { otid, components { invoke claiming 100 octets inside a 9-octet component portion } }
        decode(tcap(bytes(0x62, 0x11, 0x48, 0x04, 1, 2, 3, 4, 0x6C, 0x09, 0xA1, 0x64, 0x02, 0x01, 0x01, 0x02, 0x01, 0x38,
            0x05)));
        assertEquals(1, counters.get(SigtranDecoder.ERROR + "ber_truncated"));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void indefiniteLengthWithoutEndOfContents() {
        // Begin (indefinite) { otid, components (indefinite) { invoke ... } } and no 00 00 anywhere
        decode(tcap(bytes(0x62, 0x80, 0x48, 0x04, 1, 2, 3, 4, 0x6C, 0x80, 0xA1, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01,
            0x38)));
        assertEquals(1, counters.get(SigtranDecoder.ERROR + "ber_no_eoc"));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void nestingDeeperThanTheLimit() {
        // an argument of 30 nested indefinite SEQUENCEs: deeper than maxBerDepth 12
        byte[] inner = integer(1);
        for (int i = 0; i < 30; i++) {
            inner = tlvIndefinite(0, true, 16, inner);
        }
        decode(tcap(begin(0x01020304, new byte[0], invoke(1, 56, inner))));
        assertEquals(1, counters.get(SigtranDecoder.ERROR + "ber_too_deep"));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void tooManyElements() {
        decoder = new SigtranDecoder(counters, new SigtranConfig().maxBerElements(64), 86);
        final byte[][] nulls = new byte[100][];
        Arrays.fill(nulls, bytes(0x05, 0x00));
        decode(tcap(tlvIndefinite(1, true, 2, otid(1), tlvIndefinite(1, true, 12,
            tlvIndefinite(2, true, 1, integer(1), integer(56), tlvIndefinite(0, true, 16, nulls))))));
        assertEquals(1, counters.get(SigtranDecoder.ERROR + "ber_too_many"));
        assertTrue(sink.messages.isEmpty());
    }

    @Test
    void lengthOfLengthTooLong() {
        decode(tcap(bytes(0x62, 0x85, 0, 0, 0, 0, 9, 0x48, 0x04, 1, 2, 3, 4)));  // 5 length octets
        assertDropped("ber_bad_length");
    }

    @Test
    void notATcapMessage() {
        decode(tcap(bytes(0x30, 0x03, 0x02, 0x01, 0x00)));          // a SEQUENCE, not [APPLICATION 1..7]
        assertDropped(SigtranDecoder.TCAP_NOT_TCAP);
    }

    @Test
    void transactionIdTooLong() {
        decode(tcap(bytes(0x62, 0x07, 0x48, 0x05, 1, 2, 3, 4, 5)));  // Q.773: otid is 1..4 octets
        assertDropped(SigtranDecoder.TCAP_BAD_TID);
    }

    @Test
    void beginWithoutOriginatingId() {
        decode(tcap(bytes(0x62, 0x02, 0x6C, 0x00)));                // Begin with components only
        assertDropped(SigtranDecoder.TCAP_NO_TID);
    }

    @Test
    void badImsiIsCountedAndTheMessageStillDelivered() {
        decode(tcap(begin(1, new byte[0], invoke(1, 56, sequence(ctx(0, bytes(0x12, 0xAB)), integer(1))))));
        assertEquals(1, counters.get(SigtranDecoder.ERROR + SigtranDecoder.BAD_IMSI));   // 2 octets, digit 0xA
        assertEquals(1, sink.messages.size());
        assertTrue(!sink.messages.get(0).has(SignalingMessage.IMSI));
    }

    @Test
    void endOfAnUnknownTransactionStillCompletesAlone() {
        decode(tcap(end(0x7777, new byte[0], resultLast(1, 45, sequence(octets(tbcd(IMSI)))))));
        assertEquals(1, counters.get(SigtranDecoder.CORRELATE + SigtranDecoder.UNKNOWN_TRANSACTION));
        assertEquals(1, sink.procedures);
    }

    // ---- mutation and steady state -------------------------------------------------------------------

    static List<byte[]> samples() {
        final List<byte[]> out = new ArrayList<>();
        out.add(sai());
        out.add(udtMessage(SSN_HLR, HLR, SSN_VLR, VLR, begin(0x11, dialogueRequest(mapAcn(1, 3), new byte[0]),
            invoke(1, 2, sequence(octets(tbcd(IMSI)), ctx(1, isdn(VLR)), octets(isdn(VLR)))))));
        out.add(udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, continueMessage(0x22, 0x11, dialogueResponse(mapAcn(1, 3)),
            invoke(2, 7, sequence(ctx(1, isdn(MSISDN)))))));
        out.add(udtMessage(SSN_VLR, VLR, SSN_HLR, HLR, end(0x11, new byte[0], resultLast(1, 2, sequence(octets(isdn(HLR)))))));
        out.add(udtMessage(SSN_MSC, SMSC, SSN_MSC, VLR, begin(0x33, dialogueRequest(mapAcn(21, 3), new byte[0]),
            invoke(1, 46, sequence(ctx(4, isdn(SMSC)), ctx(2, isdn(MSISDN)), octets(SigtranTestCaptures.smsSubmit()))))));
        out.add(udtMessage(146, "8613900000300", SSN_MSC, VLR, tlvIndefinite(1, true, 2, otid(0x44),
            tlvIndefinite(1, true, 12, invoke(1, 0, sequence(ctx(0, bytes(1)), ctx(3, SigtranTestCaptures.isupCalling(MSISDN)),
                tlv(2, false, 50, tbcd(IMSI)), tlv(2, true, 52, integer(0), SigtranTestCaptures.cgiChoice()),
                tlv(2, false, 56, concat(bytes(0x81), tbcd("10086")))))))));
        for (final byte[] s : xudtSegments(gt(SSN_MSC, VLR), gt(SSN_MSC, SMSC), tcapBytes(), 12, 77)) {
            out.add(data(s));
        }
        out.add(m3uaData(7, 1, 2, ludt(gt(SSN_HLR, HLR), gt(SSN_MSC, VLR), tcapBytes())));
        return out;
    }

    @Test
    void mutatedMessagesNeverThrowNorReadOutside() {
        final long seed = System.nanoTime();
        final SplittableRandom random = new SplittableRandom(seed);
        final List<byte[]> samples = samples();
        for (int i = 0; i < 20_000; i++) {
            final byte[] m = samples.get(random.nextInt(samples.size())).clone();
            for (int k = random.nextInt(1, 6); k > 0; k--) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            final byte[] input = random.nextInt(8) == 0 ? Arrays.copyOf(m, random.nextInt(m.length + 1)) : m;
            try {
                decode(input);
                if ((i & 1023) == 0) {
                    decoder.advanceTime(packet.timeNs, sink);
                }
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " iteration " + i, e);
            }
        }
        decoder.flush(sink);
        assertEquals(0, decoder.openTransactions());
    }

    @Test
    void steadyStateAllocatesNothing() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final ByteBuf[] messages = samples().stream().map(Unpooled::wrappedBuffer).toArray(ByteBuf[]::new);
        final CountingSink counting = new CountingSink();
        final long id = Thread.currentThread().getId();
        run(messages, counting, 20_000);
        final long before = threads.getThreadAllocatedBytes(id);
        run(messages, counting, 50_000);
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(counting.procedures > 50_000, "procedures completed: " + counting.procedures);
        assertTrue(counting.events > 0);
        assertTrue(allocated < 1024, allocated + " bytes allocated over " + 50_000 * messages.length + " messages");
    }

    private void run(final ByteBuf[] messages, final CountingSink counting, final int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (final ByteBuf b : messages) {
                packet.frame++;
                packet.timeNs += 1_000;
                packet.sctpPpid = 3;
                decoder.decode(packet, b, 0, b.readableBytes(), counting);
            }
            decoder.advanceTime(packet.timeNs, counting);
        }
    }

    private void decode(final byte[] payload) {
        packet.frame++;
        packet.timeNs += 1_000_000;
        packet.sctpPpid = 3;
        packet.srcLo = 0x0A000001;
        packet.dstLo = 0x0A000002;
        decoder.decode(packet, Unpooled.wrappedBuffer(payload), 0, payload.length, sink);
    }

    private void assertDropped(final String reason) {
        assertTrue(sink.messages.isEmpty(), "nothing delivered");
        assertEquals(1, counters.get(SigtranDecoder.ERROR + reason), reason);
        assertEquals(1, counters.sum(SigtranDecoder.ERROR), "counted under one reason only");
    }

    static final class Sink implements MessageSink {
        final List<SignalingMessage> messages = new ArrayList<>();
        int procedures;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages.add(new SignalingMessage().copyFrom(message));
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
        }
    }

    private static final class CountingSink implements MessageSink {
        long messages;
        long procedures;
        long events;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages++;
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            if (procedure.event() != EventKind.NONE) {
                events++;
            }
        }
    }
}
