package io.sigmatch.decoder.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.testing.Packets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SIP decoder on the messages of {@link SipFrames}: fields, numbers, events, pairing, stream framing. */
class SipDecoderTest {
    private final Counters counters = new Counters();
    private final SipDecoder decoder = new SipDecoder(counters, new SipConfig(), 86);
    private final RecordingSink sink = new RecordingSink();
    private final PacketInfo packet = udp();

    private static PacketInfo udp() {
        final PacketInfo p = new PacketInfo();
        p.srcLo = 0x0A2D0002;
        p.dstLo = 0x0A048015;
        p.srcPort = 5060;
        p.dstPort = 5060;
        p.transport = PacketInfo.TRANSPORT_UDP;
        return p;
    }

    private void decode(final byte[] sip) {
        packet.frame++;
        packet.timeNs += 1_000_000;
        decoder.decode(packet, Unpooled.wrappedBuffer(sip), 0, sip.length, sink);
    }

    private static long digits(final String s) {
        return Digits.parse(s);
    }

    @Test
    void registrationReportsTheImsiImeiAndCellAndCompletesAtTheFinalResponse() {
        decode(SipFrames.register(1, "z9hG4bKreg1"));
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(Protocol.SIP, m.protocol());
        assertEquals("REGISTER", m.messageName());
        assertEquals(EventKind.LOCATION_UPDATE, m.event());
        assertEquals(digits("460001234567890"), m.imsi(), "IMSI-derived public identity (TS 23.003 13.4B)");
        assertFalse(m.has(SignalingMessage.MSISDN), "an IMSI-derived identity is not a number");
        assertEquals(digits("35209900176148"), m.imei(), "urn:gsma:imei TAC + SNR");
        assertEquals(digits("3520990017614812"), m.imeisv(), "with ;svn=12");
        assertEquals(Plmn.of(460, 0, 2), m.cellPlmn());
        assertEquals(0x12AB, m.tac());
        assertEquals(0x0123456, m.eci());
        assertEquals(Rat.EUTRAN, m.rat());
        assertTrue(sink.procedures.isEmpty(), "a registration completes at its final response");

        final String aor = "<sip:460001234567890@" + SipFrames.DOMAIN + ">";
        decode(SipFrames.response(401, "Unauthorized", "z9hG4bKreg1", "reg-1@" + SipFrames.UE, 1, "REGISTER",
            aor + ";tag=reg1", aor + ";tag=p1"));
        assertEquals("401 (REGISTER)", sink.messages.get(1).messageName());
        final SignalingMessage rejected = sink.lastProcedure();
        assertEquals(EventKind.LOCATION_UPDATE, rejected.event());
        assertEquals(Outcome.REJECTED, rejected.outcome());
        assertEquals(0x0123456, rejected.eci(), "the request's cell");
        assertEquals(packet.frame, rejected.frame(), "completed at the response");
        decode(SipFrames.register(2, "z9hG4bKreg2"));
        decode(SipFrames.response(200, "OK", "z9hG4bKreg2", "reg-1@" + SipFrames.UE, 2, "REGISTER",
            aor + ";tag=reg1", aor + ";tag=p1"));
        assertEquals(Outcome.ACCEPTED, sink.lastProcedure().outcome());
        assertEquals(2, sink.procedures.size());
        assertEquals(0, decoder.pendingRequests());
    }

    @Test
    void hotlineInviteIsACallAttemptAtTheInviteItself() {
        decode(SipFrames.hotlineInvite());
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(EventKind.CALL_ATTEMPT, m.event());
        assertEquals(digits("10086"), m.called(), "a short code with a domain phone-context stays as dialled");
        assertEquals(digits("8613800000001"), m.calling(), "the first P-Asserted-Identity number");
        assertEquals(digits("8613800000001"), m.msisdn());
        assertEquals(Rat.NR, m.rat());
        assertEquals(0x0000A1, m.tac(), "24-bit 5GS TAC");
        assertEquals(0x123456789L, m.nci(), "36-bit NR cell identity");
        assertEquals(1, sink.procedures.size(), "reported without waiting for ringing or answer");
        assertEquals(EventKind.CALL_ATTEMPT, sink.procedures.get(0).event());
        assertEquals(Outcome.UNKNOWN, sink.procedures.get(0).outcome());

        decode(SipFrames.hotlineInvite()); // retransmitted
        assertEquals(1, sink.procedures.size());
        assertEquals(1, counters.get(SipDecoder.CORRELATE + SipDecoder.RETRANSMISSION));

        final String alice = "\"Alice\" <sip:+8613800000001@" + SipFrames.DOMAIN + ">;tag=a1";
        final String hotline = "<tel:10086;phone-context=" + SipFrames.DOMAIN + ">";
        decode(SipFrames.response(180, "Ringing", "z9hG4bKinv1", "call-1@" + SipFrames.UE, 10, "INVITE", alice, hotline));
        assertEquals(1, sink.procedures.size(), "a provisional response completes nothing");
        decode(SipFrames.response(200, "OK", "z9hG4bKinv1", "call-1@" + SipFrames.UE, 10, "INVITE", alice, hotline));
        final SignalingMessage done = sink.lastProcedure();
        assertEquals(2, sink.procedures.size());
        assertEquals(EventKind.NONE, done.event(), "the outcome completes the attempt already reported");
        assertEquals(Outcome.ACCEPTED, done.outcome());
        assertEquals(digits("10086"), done.called());
        assertEquals(1, counters.get(SipDecoder.CORRELATE + SipDecoder.PAIRED));
    }

    @Test
    void theSameInviteForwardedHopByHopIsOneAttempt() {
        final byte[] first = SipFrames.hotlineInvite();
        decode(first);
        // the P-CSCF's copy: its own Via on top, so its own transaction
        final String text = new String(first, java.nio.charset.StandardCharsets.ISO_8859_1)
            .replaceFirst("Via: ", "Via: SIP/2.0/UDP 10.4.128.21;branch=z9hG4bKp1\r\nVia: ");
        decode(SipFrames.bytes(text));
        assertEquals(2, sink.messages.size());
        assertEquals(1, sink.procedures.size());
        assertEquals(1, counters.get(SipDecoder.CORRELATE + SipDecoder.HOP_DUPLICATE));
        assertEquals(2, decoder.pendingRequests());
    }

    @Test
    void compactAndFoldedHeadersAndANationalNumber() {
        decode(SipFrames.compactFoldedInvite());
        final SignalingMessage m = sink.onlyMessage();
        assertEquals(EventKind.CALL_ATTEMPT, m.event());
        assertEquals(digits("8613900000002"), m.called(), "trunk prefix 0 dropped, country code put first");
        assertEquals(digits("8613800000001"), m.calling(), "from the folded P-Asserted-Identity");
        assertEquals(Rat.UTRAN, m.rat());
        assertEquals(0xABCD, m.lac());
        assertEquals(0x0123456, m.ci());
        assertEquals(Plmn.of(460, 1, 2), m.cellPlmn());
        assertEquals(2, decoder.lastMessage().foldedLines());
    }

    @Test
    void forwardingBy181And302AndTheDivertedLeg() {
        decode(SipFrames.forwardedInvite("z9hG4bKfwd1"));
        assertEquals(EventKind.CALL_ATTEMPT, sink.lastProcedure().event());
        assertEquals(digits("8613800000003"), sink.lastProcedure().msisdn());
        decode(SipFrames.forwardedResponse(181, "Call Is Being Forwarded"));
        SignalingMessage p = sink.lastProcedure();
        assertEquals(EventKind.CALL_FORWARDING_SET, p.event());
        assertEquals(digits("8613800000004"), p.msisdn(), "the Diversion names the subscriber whose forwarding applied");
        decode(SipFrames.forwardedResponse(302, "Moved Temporarily"));
        p = sink.lastProcedure();
        assertEquals(EventKind.CALL_FORWARDING_SET, p.event());
        assertEquals(Outcome.REJECTED, p.outcome());
        assertEquals(digits("8613800000004"), p.msisdn());
        assertEquals(digits("8613900000009"), p.called(), "the 302 Contact is where the call goes");
        assertEquals(digits("8613800000003"), p.calling());
        assertEquals(0, decoder.pendingRequests());

        decode(SipFrames.divertedInvite());
        final SignalingMessage m = sink.messages.get(sink.messages.size() - 1);
        assertEquals(EventKind.CALL_FORWARDING_SET, m.event());
        assertEquals(digits("8613800000004"), m.msisdn());
        assertEquals(digits("8613900000009"), m.called());
    }

    @Test
    void moAndMtSms() {
        decode(SipFrames.smsMo());
        SignalingMessage m = sink.onlyMessage();
        assertEquals(EventKind.SMS_MO, m.event(), "RP-DATA MS to network");
        assertEquals(digits("8613800000001"), m.msisdn(), "P-Preferred-Identity");
        assertEquals(digits("8613900000050"), m.called(), "TP-DA of the SMS-SUBMIT");
        assertEquals(Rat.EUTRAN, m.rat());
        assertEquals(EventKind.SMS_MO, sink.lastProcedure().event());
        sink.clear();
        decode(SipFrames.smsMt());
        m = sink.onlyMessage();
        assertEquals(EventKind.SMS_MT, m.event(), "no P-Access-Network-Info or P-Preferred-Identity: to the UE");
        assertEquals(digits("8613800000001"), m.msisdn(), "the recipient");
        assertEquals(digits("8610658123"), m.calling());
    }

    @Test
    void numberForms() {
        final SipUri u = new SipUri();
        final String[][] cases = {
            {"tel:+86-138-0000-0001", "8613800000001"},
            {"tel:013800000001;phone-context=ims.example.org", "8613800000001"},
            {"tel:13800000001", "8613800000001"},
            {"tel:0044201234567", "44201234567"},
            {"tel:1234;phone-context=+8610", "86101234"},
            {"tel:114", "114"},
            {"tel:*21*123#", null},
            {"sip:+8613800000001@ims.example.org", "8613800000001"},
            {"sip:13800000001@ims.example.org;user=phone", "8613800000001"},
            {"sip:alice@example.org", null},
            {"sip:460001234567890@ims.mnc000.mcc460.3gppnetwork.org", null},
            {"sip:+1-212-555-1212:secret@gw.example.com;user=phone", "12125551212"},
            {"urn:service:sos", null},
            {"tel:+1234567890123456", null},
        };
        // the decoder reads numbers against its current message's buffer
        for (final String[] c : cases) {
            final byte[] msg = SipFrames.message("", "OPTIONS " + c[0] + " SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKn",
                "From: <sip:x@y>;tag=1", "To: <sip:x@y>", "Call-ID: n@h", "CSeq: 1 OPTIONS");
            final ByteBuf b = Unpooled.wrappedBuffer(msg);
            sink.clear();
            decoder.decode(packet, b, 0, msg.length, sink);
            final SipMessage s = decoder.lastMessage();
            assertTrue(u.wrapUri(b, s.requestUriFrom(), s.requestUriEnd()), c[0]);
            final long n = decoder.number(u);
            assertEquals(c[1] == null ? Digits.NONE : digits(c[1]), n, c[0]);
        }
    }

    @Test
    void streamFramingByTheEmptyLineAndContentLength() {
        final byte[] invite = SipFrames.hotlineInvite();
        final ByteBuf b = Unpooled.wrappedBuffer(invite);
        assertEquals(invite.length, decoder.messageLength(b, 0, invite.length));
        assertEquals(StreamDecoder.NEED_MORE, decoder.messageLength(b, 0, invite.length - 1), "body incomplete");
        assertEquals(StreamDecoder.NEED_MORE, decoder.messageLength(b, 0, 40), "headers incomplete");
        final byte[] two = Packets.concat(SipFrames.bytes("\r\n\r\n"), invite, SipFrames.register(1, "z9hG4bKx"));
        final ByteBuf t = Unpooled.wrappedBuffer(two);
        assertEquals(4, decoder.messageLength(t, 0, two.length), "a CRLF keep-alive frames on its own");
        assertEquals(invite.length, decoder.messageLength(t, 4, two.length - 4));
        assertEquals(two.length - 4 - invite.length, decoder.messageLength(t, 4 + invite.length, two.length - 4 - invite.length));
        final byte[] junk = Packets.concat(SipFrames.bytes("\u0001\u0002garbage bytes\r\n"), invite);
        final ByteBuf j = Unpooled.wrappedBuffer(junk);
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(j, 0, junk.length));
        assertEquals(junk.length - invite.length, decoder.findMessageStart(j, 0, junk.length));
        final PacketInfo tcp = udp();
        tcp.transport = PacketInfo.TRANSPORT_TCP;
        decoder.decode(tcp, t, 0, 4, sink);
        assertEquals(1, counters.get(SipDecoder.KEEPALIVES));
        assertTrue(sink.messages.isEmpty());
        assertEquals(Arrays.asList(), sink.procedures);
    }

    @Test
    void anUnansweredRequestCompletesUnknownAfterTheTimeout() {
        decode(SipFrames.register(1, "z9hG4bKreg1"));
        decoder.advanceTime(packet.timeNs + SipConfig.ANSWER_TIMEOUT_NS_DEFAULT - 1, sink);
        assertTrue(sink.procedures.isEmpty());
        decoder.advanceTime(packet.timeNs + SipConfig.ANSWER_TIMEOUT_NS_DEFAULT, sink);
        assertEquals(Outcome.UNKNOWN, sink.lastProcedure().outcome());
        assertEquals(EventKind.LOCATION_UPDATE, sink.lastProcedure().event());
        assertEquals(1, counters.get(SipDecoder.CORRELATE + SipDecoder.TIMED_OUT));
    }
}
