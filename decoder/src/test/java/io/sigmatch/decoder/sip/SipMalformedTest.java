package io.sigmatch.decoder.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.testing.Packets;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * One negative test per malformed case, each message written out line by line with what is wrong
 * marked; every one is counted under its reason and nothing else. Then a seeded mutation run over
 * the valid messages of {@link SipFrames} (no exception, every payload accounted for) and the steady
 * state of decoding and pairing, which allocates nothing.
 */
class SipMalformedTest {
    private final Counters counters = new Counters();
    private final SipDecoder decoder = new SipDecoder(counters, new SipConfig().maxLineBytes(256).maxHeaders(16)
        .maxFoldedLines(4), 86);
    private final CountingSink sink = new CountingSink();
    private final PacketInfo packet = new PacketInfo();

    private static final String VIA = "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1";
    private static final String FROM = "From: <tel:+8613800000001>;tag=1";
    private static final String TO = "To: <tel:10086>";
    private static final String CALL_ID = "Call-ID: bad@10.0.0.1";
    private static final String CSEQ = "CSeq: 1 INVITE";

    private static byte[] lines(final String... lines) {
        final StringBuilder sb = new StringBuilder();
        for (final String l : lines) {
            sb.append(l).append("\r\n");
        }
        return SipFrames.bytes(sb.toString());
    }

    private void expect(final String reason, final byte[] message) {
        packet.reset();
        packet.transport = PacketInfo.TRANSPORT_UDP;
        packet.frame = 1;
        final long before = counters.sum(SipDecoder.ERROR);
        decoder.decode(packet, Unpooled.wrappedBuffer(message), 0, message.length, sink);
        assertEquals(1, counters.get(SipDecoder.ERROR + reason), reason);
        assertEquals(before + 1, counters.sum(SipDecoder.ERROR), "only " + reason + " counted");
    }

    @Test
    void noEmptyLineAfterTheHeaders() {
        expect(SipDecoder.TRUNCATED, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Content-Length: 0"));                       // <- no CRLF CRLF: the header section never ends
    }

    @Test
    void contentLengthBeyondTheData() {
        expect(SipDecoder.CONTENT_OVERFLOW, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Content-Length: 100",                       // <- 100 octets announced
            "",
            "v=0"));                                     //    5 present
    }

    @Test
    void negativeContentLength() {
        expect(SipDecoder.BAD_CONTENT_LENGTH, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Content-Length: -5",                        // <- 20.14: 1*DIGIT, no sign
            ""));
    }

    @Test
    void hugeContentLength() {
        expect(SipDecoder.TOO_LONG, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Content-Length: 99999999999",               // <- beyond maxMessageBytes (and 2^31)
            ""));
    }

    @Test
    void headerLineOverTheLimit() {
        expect(SipDecoder.LINE_TOO_LONG, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Subject: " + "x".repeat(300),               // <- 309 octets, maxLineBytes 256
            "Content-Length: 0", ""));
    }

    @Test
    void badVersionInTheRequestLine() {
        expect(SipDecoder.BAD_START_LINE, lines(
            "INVITE tel:10086 SIP/3.0",                  // <- not SIP/2.0
            VIA, FROM, TO, CALL_ID, CSEQ, "Content-Length: 0", ""));
    }

    @Test
    void statusCodeOutOfRange() {
        expect(SipDecoder.BAD_START_LINE, lines(
            "SIP/2.0 999 Whatever",                      // <- 21: status codes are 100..699
            VIA, FROM, TO, CALL_ID, CSEQ, "Content-Length: 0", ""));
    }

    @Test
    void requestUriWithoutScheme() {
        expect(SipDecoder.BAD_START_LINE, lines(
            "INVITE 10086 SIP/2.0",                      // <- an absoluteURI has a scheme
            VIA, FROM, TO, CALL_ID, CSEQ, "Content-Length: 0", ""));
    }

    @Test
    void garbage() {
        final byte[] g = new byte[64];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) (0x80 + i);                    // <- no start line at all
        }
        g[40] = '\n';
        expect(SipDecoder.BAD_START_LINE, g);
    }

    @Test
    void endlessFolding() {
        expect(SipDecoder.FOLDING, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Subject: a",
            " b", " c", " d", " e",                      //    4 continuation lines: the limit
            " f",                                        // <- a fifth
            "Content-Length: 0", ""));
    }

    @Test
    void continuationBeforeAnyHeader() {
        expect(SipDecoder.FOLDING, lines(
            "INVITE tel:10086 SIP/2.0",
            " continued",                                // <- 7.3.1: nothing above it to continue
            VIA, FROM, TO, CALL_ID, CSEQ, "Content-Length: 0", ""));
    }

    @Test
    void headerWithoutColon() {
        expect(SipDecoder.BAD_HEADER, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "Subject without colon",                     // <- 7.3: name HCOLON value
            "Content-Length: 0", ""));
    }

    @Test
    void tooManyHeaders() {
        final String[] l = new String[30];
        l[0] = "INVITE tel:10086 SIP/2.0";
        l[1] = VIA;
        l[2] = FROM;
        l[3] = TO;
        l[4] = CALL_ID;
        l[5] = CSEQ;
        for (int i = 6; i < 28; i++) {
            l[i] = "X-Filler-" + i + ": " + i;          // <- 27 fields, maxHeaders 16
        }
        l[28] = "Content-Length: 0";
        l[29] = "";
        expect(SipDecoder.TOO_MANY_HEADERS, lines(l));
    }

    @Test
    void missingCallId() {
        expect(SipDecoder.MISSING_HEADER, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO,  // <- 8.1.1: no Call-ID
            CSEQ, "Content-Length: 0", ""));
    }

    @Test
    void cseqWithoutMethod() {
        expect(SipDecoder.BAD_CSEQ, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID,
            "CSeq: 12",                                  // <- 20.16: number LWS method
            "Content-Length: 0", ""));
    }

    @Test
    void trailingBytesAfterTheBody() {
        expect(SipDecoder.TRAILING, lines(
            "OPTIONS tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, "CSeq: 1 OPTIONS",
            "Content-Length: 0", "",
            "left over"));                               // <- 18.3: discarded, counted
        assertEquals(1, sink.messages, "the message itself is decoded");
    }

    @Test
    void badImeiUrnDropsOnlyTheImei() {
        expect(SipDecoder.BAD_IMEI, lines(
            "REGISTER sip:ims.example.org SIP/2.0", VIA, FROM, TO, CALL_ID, "CSeq: 1 REGISTER",
            "Contact: <sip:10.0.0.1>;+sip.instance=\"<urn:gsma:imei:3520-17614-1>\"",   // <- not 8-6-1 digits
            "Content-Length: 0", ""));
        assertEquals(1, sink.messages);
    }

    @Test
    void badAccessNetworkInfoDropsOnlyTheCell() {
        expect(SipDecoder.BAD_PANI, lines(
            "INVITE tel:10086 SIP/2.0", VIA, FROM, TO, CALL_ID, CSEQ,
            "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=4600012AB",  // <- too short for TAC + ECI
            "Content-Length: 0", ""));
        assertEquals(1, sink.messages);
    }

    @Test
    void smsBodyCutShort() {
        final byte[] head = lines(
            "MESSAGE tel:+8613800000002 SIP/2.0", VIA, FROM, "To: <tel:+8613800000002>", CALL_ID, "CSeq: 1 MESSAGE",
            "Content-Type: application/vnd.3gpp.sms",
            "Content-Length: 4", "");
        expect(SipDecoder.BAD_SMS, Packets.concat(head, new byte[] {
            0x00,                                        //    RP-MTI RP-DATA MS to network
            0x01,                                        //    RP-MR
            0x00,                                        //    RP-OA empty
            0x09}));                                     // <- RP-DA of 9 octets, none present
    }

    @Test
    void numberOfSixteenDigits() {
        expect(SipDecoder.BAD_NUMBER, lines(
            "INVITE tel:+1234567890123456 SIP/2.0",      // <- E.164: at most 15 digits
            VIA, "From: <sip:alice@example.org>;tag=1", "To: <sip:bob@example.org>", CALL_ID, CSEQ,
            "Content-Length: 0", ""));
    }

    @Test
    void streamFramingRefusesWhatCannotBeAMessage() {
        final byte[] negative = lines("INVITE tel:1 SIP/2.0", VIA, "Content-Length: -1", "", "");
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(negative), 0, negative.length));
        final byte[] huge = lines("INVITE tel:1 SIP/2.0", VIA, "l: 999999999", "", "");
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(huge), 0, huge.length));
        final byte[] noLine = SipFrames.bytes("\u0000\u0001binary");
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(noLine), 0, noLine.length));
        final byte[] longLine = SipFrames.bytes("INVITE " + "x".repeat(400));
        assertEquals(StreamDecoder.NOT_A_MESSAGE, decoder.messageLength(Unpooled.wrappedBuffer(longLine), 0, longLine.length),
            "a start line longer than maxLineBytes without its end");
    }

    // ---- mutation run and steady state ----------------------------------------------------------

    private static final String SPECIAL = "\r\n :;,<>\"@0+";

    private static byte[][] valid() {
        return new byte[][] {SipFrames.register(1, "z9hG4bKa"), SipFrames.hotlineInvite(), SipFrames.compactFoldedInvite(),
            SipFrames.forwardedResponse(181, "Call Is Being Forwarded"), SipFrames.forwardedResponse(302, "Moved"),
            SipFrames.divertedInvite(), SipFrames.smsMo(), SipFrames.smsMt(), SipFrames.tcpRegister()};
    }

    @Test
    void seededMutationsNeverThrowAndAreAllAccountedFor() {
        final long seed = Long.getLong("sigmatch.seed", System.nanoTime());
        final SplittableRandom random = new SplittableRandom(seed);
        final SipDecoder d = new SipDecoder(counters, new SipConfig(), 86);
        final byte[][] inputs = valid();
        final int rounds = 20_000;
        try {
            for (int i = 0; i < rounds; i++) {
                final byte[] m = inputs[random.nextInt(inputs.length)].clone();
                final int edits = 1 + random.nextInt(8);
                for (int e = 0; e < edits; e++) {
                    final int at = random.nextInt(m.length);
                    switch (random.nextInt(4)) {
                        case 0 -> m[at] = (byte) random.nextInt(256);
                        case 1 -> m[at] = (byte) SPECIAL.charAt(random.nextInt(SPECIAL.length()));
                        case 2 -> m[at] = (byte) ('0' + random.nextInt(10));
                        default -> m[at] = (byte) (m[at] ^ 0x20);
                    }
                }
                final int cut = random.nextInt(4) == 0 ? random.nextInt(m.length + 1) : m.length;
                final ByteBuf b = Unpooled.wrappedBuffer(m, 0, cut);
                packet.reset();
                packet.frame = i;
                packet.timeNs = i * 1_000_000L;
                packet.transport = (i & 1) == 0 ? PacketInfo.TRANSPORT_UDP : PacketInfo.TRANSPORT_TCP;
                d.decode(packet, b, 0, cut, sink);
                final int n = d.messageLength(b, 0, cut);
                assertTrue(n >= StreamDecoder.NOT_A_MESSAGE && n <= cut, "framed within the input: " + n);
                final int start = d.findMessageStart(b, 0, cut);
                assertTrue(start >= -1 && start < Math.max(cut, 1));
                d.advanceTime(packet.timeNs, sink);
            }
        } catch (final RuntimeException | AssertionError e) {
            throw new AssertionError("seed " + seed + " (rerun with -Dsigmatch.seed=" + seed + ")", e);
        }
        d.flush(sink);
        assertEquals(0, d.pendingRequests());
        assertTrue(sink.messages > 0 && counters.sum(SipDecoder.ERROR) > 0, "seed " + seed);
    }

    @Test
    void steadyStateDecodingAndPairingAllocatesNothing() {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final SipDecoder d = new SipDecoder(new Counters(), new SipConfig(), 86);
        final String alice = "\"Alice\" <sip:+8613800000001@" + SipFrames.DOMAIN + ">;tag=a1";
        final String hotline = "<tel:10086;phone-context=" + SipFrames.DOMAIN + ">";
        final ByteBuf[] messages = {
            Unpooled.wrappedBuffer(SipFrames.hotlineInvite()),
            Unpooled.wrappedBuffer(SipFrames.response(180, "Ringing", "z9hG4bKinv1", "call-1@" + SipFrames.UE, 10, "INVITE",
                alice, hotline)),
            Unpooled.wrappedBuffer(SipFrames.response(200, "OK", "z9hG4bKinv1", "call-1@" + SipFrames.UE, 10, "INVITE",
                alice, hotline)),
            Unpooled.wrappedBuffer(SipFrames.register(1, "z9hG4bKreg1")),
            Unpooled.wrappedBuffer(SipFrames.response(200, "OK", "z9hG4bKreg1", "reg-1@" + SipFrames.UE, 1, "REGISTER",
                "<sip:460001234567890@" + SipFrames.DOMAIN + ">;tag=reg1", "<sip:x@y>;tag=2")),
            Unpooled.wrappedBuffer(SipFrames.smsMo()),
            Unpooled.wrappedBuffer(SipFrames.compactFoldedInvite()),
            Unpooled.wrappedBuffer(SipFrames.forwardedResponse(302, "Moved")),
        };
        final long id = Thread.currentThread().getId();
        // two warm-up windows: the first also pays for one-time work (JIT, lazily loaded classes)
        run(d, messages, 15_000);
        run(d, messages, 15_000);
        final long before = threads.getThreadAllocatedBytes(id);
        run(d, messages, 20_000);
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertTrue(sink.procedures > 50_000, "procedures completed: " + sink.procedures);
        // a few KB can come from one-time work that lands in the window on a loaded machine (a late JIT
        // compilation or deoptimisation, a class loaded lazily); one object per message would be >= 2.5 MB
        assertTrue(allocated <= 8192, allocated + " bytes allocated over " + 20_000 * messages.length + " messages");
    }

    private void run(final SipDecoder d, final ByteBuf[] messages, final int rounds) {
        long time = packet.timeNs;
        packet.transport = PacketInfo.TRANSPORT_UDP;
        for (int r = 0; r < rounds; r++) {
            for (final ByteBuf m : messages) {
                packet.frame++;
                // a minute apart per round: the early-report table forgets the call, so each round is a new attempt
                packet.timeNs = time += 60_000_000_000L / messages.length;
                d.decode(packet, m, 0, m.readableBytes(), sink);
            }
            d.advanceTime(time, sink);
        }
    }

    private static final class CountingSink implements MessageSink {
        long messages;
        long procedures;
        long fields;

        @Override
        public void onMessage(final SignalingMessage message) {
            messages++;
            fields += message.present();
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            procedures++;
            fields += procedure.present();
        }
    }
}
