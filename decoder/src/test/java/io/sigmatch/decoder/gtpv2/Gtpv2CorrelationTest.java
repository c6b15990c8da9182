package io.sigmatch.decoder.gtpv2;

import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.bytes;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.ie;
import static io.sigmatch.decoder.gtpv2.Gtpv2Bytes.message;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.CREATE_SESSION_REQUEST;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.MME;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.PGW;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.SECOND;
import static io.sigmatch.decoder.gtpv2.Gtpv2DecoderTest.SGW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.SignalingMessage;
import org.junit.jupiter.api.Test;

/** Pairing requests with answers and resolving the subscriber of messages that carry no IMSI (S11 attach to detach). */
class Gtpv2CorrelationTest {
    static final String IMSI = "001010123456789";
    static final String MSISDN = "8613800000001";

    final Counters counters = new Counters();
    final Gtpv2Decoder decoder = new Gtpv2Decoder(counters, new Gtpv2Config());
    final RecordingSink sink = new RecordingSink();
    long frame;

    /** 7.2.2: the SGW accepts and names its own S11 TEID 0x202 and the PGW's S5/S8 TEID 0x303. */
    static byte[] createSessionResponse(final int sequence, final int cause, final long mmeTeid, final long sgwTeid) {
        return message(0, 33, mmeTeid, sequence,
            ie(2, 0, bytes(cause, 0x00)),                                           // Cause
            ie(87, 0, bytes(0x8B, 0, 0, (int) (sgwTeid >> 8), (int) sgwTeid, 10, 0, 0, 2)),  // Sender F-TEID: S11/S4 SGW GTP-C, 10.0.0.2
            ie(87, 1, bytes(0x87, 0, 0, 0x03, 0x03, 10, 0, 0, 3)),                 // PGW S5/S8 F-TEID: PGW GTP-C 0x303, 10.0.0.3
            ie(93, 0, ie(73, 0, bytes(0x05)), ie(2, 0, bytes(0x10, 0x00))));      // Bearer Context: EBI 5, Cause
    }

    /** 7.2.7: handover or TAU: the new cell, addressed to the SGW's TEID; no IMSI. */
    static byte[] modifyBearerRequest(final int sequence, final long sgwTeid, final int tac) {
        return message(0, 34, sgwTeid, sequence,
            ie(86, 0, bytes(0x18, 0x64, 0xF0, 0x00, tac >> 8, tac, 0x64, 0xF0, 0x00, 0x00, 0x00, 0x01, 0x02)),
            ie(93, 0, ie(73, 0, bytes(0x05)),
                ie(87, 0, bytes(0x80, 0x12, 0x34, 0x56, 0x78, 192, 168, 1, 1))));  // S1-U eNodeB: user plane, not learned
    }

    static byte[] answer(final int type, final int sequence, final long teid, final int cause) {
        return message(0, type, teid, sequence, ie(2, 0, bytes(cause, 0x00)));
    }

    @Test
    void attachMoveAndDetachOnS11() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);                                   // seq 42, MME TEID 0x101
        decode(SGW, MME, SECOND / 10, createSessionResponse(42, 16, 0x101, 0x202));
        final SignalingMessage start = sink.lastProcedure();
        assertEquals("Create Session Request", start.messageName());
        assertEquals(EventKind.DATA_SESSION_START, start.event());
        assertEquals(Outcome.ACCEPTED, start.outcome());
        assertEquals(2, start.frame(), "completed at the answer");
        assertEquals(IMSI, Digits.toString(start.imsi()));
        assertEquals(0x1234, start.tac());
        assertEquals(0, start.resolved(), "everything came from the wire");

        decode(MME, SGW, 2 * SECOND, modifyBearerRequest(43, 0x202, 0x4321));
        final SignalingMessage mbrOnWire = sink.messages.get(sink.messages.size() - 1);
        assertFalse(mbrOnWire.has(SignalingMessage.IMSI), "onMessage shows only what the wire carried");
        decode(SGW, MME, 2 * SECOND + 1, answer(35, 43, 0x101, 16));
        final SignalingMessage move = sink.lastProcedure();
        assertEquals("Modify Bearer Request", move.messageName());
        assertEquals(EventKind.LOCATION_UPDATE, move.event());
        assertEquals(0x4321, move.tac());
        assertEquals(IMSI, Digits.toString(move.imsi()), "resolved through the SGW's TEID");
        assertEquals(MSISDN, Digits.toString(move.msisdn()));
        assertEquals("35349006987331", Digits.toString(move.imei()));
        assertEquals(SignalingMessage.IMSI | SignalingMessage.MSISDN | SignalingMessage.IMEI, move.resolved());
        assertTrue(move.onWire(SignalingMessage.TAC));

        decode(MME, SGW, 3 * SECOND, message(0, 36, 0x202, 44, ie(73, 0, bytes(0x05))));   // Delete Session Request, LBI 5
        decode(SGW, MME, 3 * SECOND + 1, answer(37, 44, 0x101, 16));
        final SignalingMessage end = sink.lastProcedure();
        assertEquals(EventKind.DATA_SESSION_END, end.event());
        assertEquals(IMSI, Digits.toString(end.imsi()));
        assertEquals(Outcome.ACCEPTED, end.outcome());
        assertEquals(1, decoder.teidTableSize(), "the S11 TEIDs are gone; the PGW's S5/S8 TEID waits for S5 or expiry");

        decode(MME, SGW, 4 * SECOND, modifyBearerRequest(45, 0x202, 0x1111));
        decode(SGW, MME, 4 * SECOND + 1, answer(35, 45, 0x101, 64));
        final SignalingMessage stale = sink.lastProcedure();
        assertFalse(stale.has(SignalingMessage.IMSI), "after the delete the TEID names nobody");
        assertEquals(Outcome.REJECTED, stale.outcome());
        assertEquals(4, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.PAIRED));
        assertEquals(0, decoder.pendingRequests());
    }

    @Test
    void aSecondPdnConnectionKeepsTheSharedS11Teids() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);
        decode(SGW, MME, 1, createSessionResponse(42, 16, 0x101, 0x202));
        // TS 23.401: the UE's second PDN connection uses the same S11 TEIDs (same CSR bytes, new sequence)
        final byte[] second = CREATE_SESSION_REQUEST.clone();
        second[10] = 0x2B;
        decode(MME, SGW, 2, second);
        decode(SGW, MME, 3, createSessionResponse(43, 16, 0x101, 0x202));
        decode(MME, SGW, 4, message(0, 36, 0x202, 44, ie(73, 0, bytes(0x06))));
        decode(SGW, MME, 5, answer(37, 44, 0x101, 16));
        decode(MME, SGW, 6, modifyBearerRequest(46, 0x202, 0x2222));
        decode(SGW, MME, 7, answer(35, 46, 0x101, 16));
        assertEquals(IMSI, Digits.toString(sink.lastProcedure().imsi()), "the other PDN connection still holds the TEID");
    }

    @Test
    void aRejectedCreateSessionForgetsWhatItsRequestTaught() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);
        assertEquals(1, decoder.teidTableSize(), "the MME's TEID is known as soon as the request is seen");
        decode(SGW, MME, 1, answer(33, 42, 0x101, 73));       // No resources available
        assertEquals(Outcome.REJECTED, sink.lastProcedure().outcome());
        assertEquals(0, decoder.teidTableSize());
    }

    @Test
    void unansweredRequestsCompleteAsUnknownAfterTheTimeout() {
        final Gtpv2Decoder short10s = new Gtpv2Decoder(counters, new Gtpv2Config().answerTimeoutNs(10 * SECOND));
        Gtpv2DecoderTest.decode(short10s, sink, Gtpv2DecoderTest.packet(1, 0, MME, SGW), CREATE_SESSION_REQUEST);
        short10s.advanceTime(10 * SECOND - 1, sink);
        assertTrue(sink.procedures.isEmpty());
        short10s.advanceTime(10 * SECOND, sink);
        final SignalingMessage p = sink.lastProcedure();
        assertEquals(Outcome.UNKNOWN, p.outcome());
        assertTrue(p.has(SignalingMessage.OUTCOME));
        assertEquals(1, p.frame(), "an unanswered request completes at its own frame");
        assertEquals(EventKind.DATA_SESSION_START, p.event());
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.TIMED_OUT));
        // the answer arriving after the time-out no longer pairs
        Gtpv2DecoderTest.decode(short10s, sink, Gtpv2DecoderTest.packet(2, 11 * SECOND, SGW, MME),
            createSessionResponse(42, 16, 0x101, 0x202));
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.ANSWER_WITHOUT_REQUEST));
    }

    @Test
    void flushCompletesEverythingStillWaiting() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);
        decode(MME, SGW, 1, modifyBearerRequest(50, 0x202, 1));
        decoder.flush(sink);
        assertEquals(2, sink.procedures.size());
        assertEquals("Create Session Request", sink.procedures.get(0).messageName(), "oldest first");
        assertFalse(sink.procedures.get(1).has(SignalingMessage.IMSI),
            "the MBR is addressed to the SGW's TEID 0x202, which no answer has taught yet");
        assertEquals(0, decoder.pendingRequests());
    }

    @Test
    void aRetransmittedRequestIsOneProcedure() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);
        decode(MME, SGW, 3 * SECOND, CREATE_SESSION_REQUEST);        // T3-RESPONSE expired: same sequence, resent
        decode(SGW, MME, 3 * SECOND + 1, createSessionResponse(42, 16, 0x101, 0x202));
        assertEquals(2, sink.messages.size() - 1, "every copy is a wire message");
        assertEquals(1, sink.procedures.size());
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.RETRANSMISSION));
    }

    @Test
    void theSequenceNumberAloneDoesNotPair() {
        decode(MME, SGW, 0, CREATE_SESSION_REQUEST);
        // the same sequence number between other endpoints
        decode(PGW, MME, 1, createSessionResponse(42, 16, 0x101, 0x202));
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.ANSWER_WITHOUT_REQUEST));
        // an answer of the wrong type
        decode(SGW, MME, 2, answer(35, 42, 0x101, 16));
        assertEquals(2, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.ANSWER_WITHOUT_REQUEST));
        // requests the other side numbered: the SGW's own request 42 is not the MME's
        decode(SGW, MME, 3, message(0, 95, 0x101, 42, ie(73, 0, bytes(5))));
        decode(SGW, MME, 4, createSessionResponse(42, 16, 0x101, 0x202));
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.PAIRED));
        assertEquals("Create Session Request", sink.lastProcedure().messageName());
    }

    @Test
    void anAnswerWithoutItsRequestStillCompletesAProcedure() {
        decode(SGW, MME, 0, createSessionResponse(42, 16, 0x101, 0x202));
        final SignalingMessage p = sink.lastProcedure();
        assertEquals("Create Session Response", p.messageName());
        assertEquals(EventKind.DATA_SESSION_START, p.event());
        assertEquals(Outcome.ACCEPTED, p.outcome());
    }

    @Test
    void aCommandIsAcceptedByTheRequestItTriggers() {
        // 7.2.5: MME -> SGW Bearer Resource Command, sequence 0x800018 (TS 29.274 7.6: commands set the MSB)
        decode(MME, SGW, 0, message(0, 68, 0x202, 0x800018, ie(73, 0, bytes(0x05))));
        // 7.2.3: the SGW's Create Bearer Request carries the command's sequence number
        decode(SGW, MME, 1, message(0, 95, 0x101, 0x800018, ie(73, 0, bytes(0x05))));
        final SignalingMessage command = sink.lastProcedure();
        assertEquals("Bearer Resource Command", command.messageName());
        assertEquals(Outcome.ACCEPTED, command.outcome());
        assertEquals(2, command.frame());
        decode(MME, SGW, 2, answer(96, 0x800018, 0x202, 16));
        assertEquals("Create Bearer Request", sink.lastProcedure().messageName());
        assertEquals(Outcome.ACCEPTED, sink.lastProcedure().outcome());
        // a failing command is answered by its failure indication
        decode(MME, SGW, 3, message(0, 68, 0x202, 0x800019, ie(73, 0, bytes(0x05))));
        decode(SGW, MME, 4, answer(69, 0x800019, 0x101, 89));          // Service denied
        assertEquals("Bearer Resource Command", sink.lastProcedure().messageName());
        assertEquals(Outcome.REJECTED, sink.lastProcedure().outcome());
    }

    @Test
    void aFullPendingTableDropsTheOldestAsUnknown() {
        final Gtpv2Decoder small = new Gtpv2Decoder(counters, new Gtpv2Config().pendingRequests(2));
        for (int i = 0; i < 3; i++) {
            Gtpv2DecoderTest.decode(small, sink, Gtpv2DecoderTest.packet(i + 1, i, MME, SGW),
                modifyBearerRequest(100 + i, 0x202, i));
        }
        assertEquals(1, sink.procedures.size());
        assertEquals(1, sink.lastProcedure().frame());
        assertEquals(Outcome.UNKNOWN, sink.lastProcedure().outcome());
        assertEquals(1, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.PENDING_EVICTED));
    }

    @Test
    void idleTeidsExpireByCaptureTime() {
        final long hour = 3600 * SECOND;
        final Gtpv2Decoder expiring = new Gtpv2Decoder(counters, new Gtpv2Config().teidIdleExpiryNs(hour));
        Gtpv2DecoderTest.decode(expiring, sink, Gtpv2DecoderTest.packet(1, 0, MME, SGW), CREATE_SESSION_REQUEST);
        Gtpv2DecoderTest.decode(expiring, sink, Gtpv2DecoderTest.packet(2, 1, SGW, MME),
            createSessionResponse(42, 16, 0x101, 0x202));
        assertEquals(3, expiring.teidTableSize());
        for (int i = 0; i < 1 << 12; i++) {
            expiring.advanceTime(hour + 2, sink);
        }
        assertEquals(0, expiring.teidTableSize(), "swept a few slots per call until all idle entries were gone");
        assertEquals(3, counters.get(Gtpv2Decoder.CORRELATE + Gtpv2Decoder.TEID_EXPIRED));
    }

    @Test
    void withoutAddressInTheKeyTeidsFromAnyNodeResolve() {
        final Gtpv2Decoder bare = new Gtpv2Decoder(counters, new Gtpv2Config().teidKeyIncludesAddress(false));
        Gtpv2DecoderTest.decode(bare, sink, Gtpv2DecoderTest.packet(1, 0, MME, SGW), CREATE_SESSION_REQUEST);
        Gtpv2DecoderTest.decode(bare, sink, Gtpv2DecoderTest.packet(2, 1, SGW, MME),
            createSessionResponse(42, 16, 0x101, 0x202));
        // the MBR reaches the SGW through another address than its F-TEID's
        Gtpv2DecoderTest.decode(bare, sink, Gtpv2DecoderTest.packet(3, 2, MME, 0x0A0000FE), modifyBearerRequest(43, 0x202, 1));
        Gtpv2DecoderTest.decode(bare, sink, Gtpv2DecoderTest.packet(4, 3, 0x0A0000FE, MME), answer(35, 43, 0x101, 16));
        assertEquals(IMSI, Digits.toString(sink.lastProcedure().imsi()));
    }

    void decode(final int src, final int dst, final long timeNs, final byte[] datagram) {
        Gtpv2DecoderTest.decode(decoder, sink, Gtpv2DecoderTest.packet(++frame, timeNs, src, dst), datagram);
    }
}
