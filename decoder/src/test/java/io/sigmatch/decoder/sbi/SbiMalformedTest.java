package io.sigmatch.decoder.sbi;

import static io.sigmatch.decoder.sbi.SbiTestCaptures.ascii;
import static io.sigmatch.decoder.sbi.SbiTestCaptures.data;
import static io.sigmatch.decoder.sbi.SbiTestCaptures.frame;
import static io.sigmatch.decoder.testing.Packets.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.StreamDecoder;
import io.sigmatch.decoder.testing.ByteWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One test per malformed case, frames built byte by byte: each is counted under its reason, the
 * decoder goes on with the next frame, and nothing is thrown. Then a seeded mutation run over a
 * whole valid conversation.
 */
class SbiMalformedTest {
    private final Counters counters = new Counters();
    private SbiDecoder decoder = new SbiDecoder(counters, new SbiConfig());
    private final List<String> requests = new ArrayList<>();
    private final List<SignalingMessage> procedures = new ArrayList<>();
    private final MessageSink sink = new MessageSink() {
        @Override
        public void onMessage(final SignalingMessage m) {
            if (m.isRequest()) {
                requests.add(m.messageName() + (m.has(SignalingMessage.IMSI) ? " " + Digits.toString(m.imsi()) : ""));
            }
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            procedures.add(new SignalingMessage().copyFrom(p));
        }
    };
    private long frame;

    /** Client 10.0.0.1:40000 to server 10.0.0.2:7777 (fromClient) or back. */
    private void feed(final boolean fromClient, final byte[]... frames) {
        for (final byte[] f : frames) {
            final PacketInfo p = new PacketInfo();
            p.frame = ++frame;
            p.timeNs = frame * 1_000_000L;
            p.ipVersion = 4;
            p.transport = PacketInfo.TRANSPORT_TCP;
            p.srcLo = fromClient ? 0x0A000001L : 0x0A000002L;
            p.dstLo = fromClient ? 0x0A000002L : 0x0A000001L;
            p.srcPort = fromClient ? 40000 : 7777;
            p.dstPort = fromClient ? 7777 : 40000;
            decoder.decode(p, Unpooled.wrappedBuffer(f), 0, f.length, sink);
        }
    }

    private void openConnection() {
        feed(true, io.sigmatch.decoder.sbi.Http2Frame.PREFACE);
    }

    private long error(final String reason) {
        return counters.get(SbiDecoder.ERROR + reason);
    }

    /** A request HEADERS built by hand (RFC 7541 C.2 representations, no Huffman). */
    private static byte[] requestHeaders(final int stream, final boolean endStream, final String path) {
        final byte[] p = ascii(path);
        final byte[] ct = ascii("application/json");
        final byte[] block = new ByteWriter()
            .u8(0x83)                 // indexed field 3: :method POST
            .u8(0x86)                 // indexed field 6: :scheme http
            .u8(0x04).u8(p.length)    // literal without indexing, name index 4 (:path), value length (< 127)
            .bytes(p)
            .u8(0x0F).u8(0x10)        // literal without indexing, name index 31 (content-type): 15 + 16
            .u8(ct.length).bytes(ct)
            .toByteArray();
        return frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | (endStream ? Http2Frame.FLAG_END_STREAM : 0),
            stream, block);
    }

    @Test
    void aFrameLongerThanThePeerAllowsIsCounted() {
        openConnection();
        // DATA of 16385 octets: one more than SETTINGS_MAX_FRAME_SIZE's initial 16384 (RFC 9113 4.2)
        feed(true, frame(Http2Frame.DATA, 0, 1, new byte[16385]));
        assertEquals(1, error(SbiDecoder.FRAME_TOO_LONG));
        // and the framer refuses a length beyond the configured maximum outright
        final SbiDecoder small = new SbiDecoder(new Counters(), new SbiConfig().maxFrameBytes(16384));
        final byte[] header = {0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01}; // length 20480, DATA, stream 1
        assertEquals(StreamDecoder.NOT_A_MESSAGE, small.messageLength(Unpooled.wrappedBuffer(header), 0, 9));
        // the next, good request on the connection still decodes
        feed(true, requestHeaders(3, true, "/nudm-uecm/v1/imsi-460001234567890/registrations/amf-3gpp-access"));
        assertEquals(List.of("POST 460001234567890"), requests);
    }

    @Test
    void aContinuationWithoutHeadersIsCounted() {
        openConnection();
        feed(true, frame(Http2Frame.CONTINUATION, Http2Frame.FLAG_END_HEADERS, 1, new byte[] {(byte) 0x83}));
        assertEquals(1, error(SbiDecoder.CONTINUATION_WITHOUT_HEADERS));
        // a HEADERS without END_HEADERS interrupted by a DATA frame (RFC 9113 6.10)
        feed(true, frame(Http2Frame.HEADERS, 0, 3, new byte[] {(byte) 0x83}), data(3, true, new byte[] {1}));
        assertEquals(1, error(SbiDecoder.HEADERS_INTERRUPTED));
        assertTrue(requests.isEmpty());
    }

    @Test
    void anHpackIndexOutOfRangeIsCountedAsBadOnAKnownConnectionAndUnknownFromMidStream() {
        openConnection();
        // 0xFF 0x40: indexed field, 127 + 64 = index 191; the table holds 61 static entries and none added
        feed(true, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1, new byte[] {(byte) 0xFF, 0x40}));
        assertEquals(1, error(SbiDecoder.HPACK_BAD_INDEX));
        // the server side, first seen mid-stream (no preface between these endpoints): index 62 is an
        // entry added before we came
        final PacketInfo p = new PacketInfo();
        p.frame = ++frame;
        p.srcLo = 0x0A000009L;
        p.dstLo = 0x0A000008L;
        p.srcPort = 7777;
        p.dstPort = 41000;
        final byte[] f = frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1, new byte[] {(byte) 0xBE}); // index 62
        decoder.decode(p, Unpooled.wrappedBuffer(f), 0, f.length, sink);
        assertEquals(1, counters.get(SbiDecoder.PREFIX + "midstream.unknown_dynamic"));
        assertEquals(1, counters.get(SbiDecoder.PREFIX + "midstream"));
        assertEquals(1, error(SbiDecoder.HPACK_BAD_INDEX), "not an error of the wire");
    }

    @Test
    void huffmanGarbageIsCounted() {
        openConnection();
        final byte[] block = new ByteWriter()
            .u8(0x83)                 // :method POST
            .u8(0x04)                 // literal without indexing, name index 4 (:path)
            .u8(0x84)                 // H = 1, length 4
            .u32(0xFFFFFFFFL)         // 32 one bits: the EOS code (30 bits) inside a string, RFC 7541 5.2 error
            .toByteArray();
        feed(true, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1, block));
        assertEquals(1, error(SbiDecoder.HPACK_HUFFMAN));
        assertTrue(requests.isEmpty());
    }

    @Test
    void aHeaderListOverTheLimitIsCountedAndTheTableStaysInStep() {
        decoder = new SbiDecoder(counters, new SbiConfig().maxHeaderListBytes(256));
        openConnection();
        final byte[] big = new byte[300];
        java.util.Arrays.fill(big, (byte) 'a');
        final byte[] block = new ByteWriter()
            .u8(0x83)                 // :method POST
            .u8(0x40)                 // literal with incremental indexing, new name
            .u8(0x01).bytes(ascii("x"))            // name "x"
            .u8(0x7F).u8(0xAD).u8(0x01)             // value length 300: 127 + 45 + 1 * 128 (RFC 7541 5.1)
            .bytes(big)                            // 300 octets: the list is over 256 in all
            .toByteArray();
        feed(true, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1, block));
        assertEquals(1, error(SbiDecoder.HEADER_LIST_TOO_LONG));
        // the refused block still added "x: aaa..." as entry 62, so the next block's reference to 62 is valid
        final byte[] p = ascii("/nsmf-pdusession/v1/sm-contexts");
        final byte[] next = new ByteWriter().u8(0x83).u8(0x04).u8(p.length).bytes(p).toByteArray();
        feed(true, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, 3, next));
        assertEquals(List.of("Nsmf_PDUSession_CreateSMContext"), requests);
        assertEquals(0, error(SbiDecoder.HPACK_BAD_INDEX));
    }

    @Test
    void truncatedAndDeeplyNestedJsonAreCounted() {
        openConnection();
        feed(true, requestHeaders(1, false, "/nsmf-pdusession/v1/sm-contexts"),
            data(1, true, ascii("{\"dnn\":\"internet\",\"supi\":\"imsi-4600012")));  // the body ends inside a string
        assertEquals(1, error(SbiDecoder.JSON_TRUNCATED));
        final StringBuilder deep = new StringBuilder("{\"supi\":\"imsi-460001234567890\",\"a\":");
        for (int i = 0; i < 40; i++) {
            deep.append('[');                                                         // 41 levels: over 32
        }
        feed(true, requestHeaders(3, false, "/nsmf-pdusession/v1/sm-contexts"), data(3, true, ascii(deep.toString())));
        assertEquals(1, error(SbiDecoder.JSON_TOO_DEEP));
        feed(true, requestHeaders(5, false, "/nsmf-pdusession/v1/sm-contexts"), data(5, true, ascii("{\"supi\" 1}")));
        assertEquals(1, error(SbiDecoder.JSON_SYNTAX));
        // what was read before the scan stopped is kept; the cut string is not
        assertEquals(List.of("Nsmf_PDUSession_CreateSMContext", "Nsmf_PDUSession_CreateSMContext 460001234567890",
            "Nsmf_PDUSession_CreateSMContext"), requests);
    }

    @Test
    void badPaddingSettingsAndStreamZeroAreCounted() {
        openConnection();
        // DATA, PADDED, pad length 5 in a 3-octet payload (RFC 9113 6.1: PROTOCOL_ERROR)
        feed(true, frame(Http2Frame.DATA, Http2Frame.FLAG_PADDED, 1, new byte[] {5, 0, 0}));
        assertEquals(1, error(SbiDecoder.BAD_PADDING));
        // SETTINGS of 5 octets: not a multiple of 6
        feed(false, frame(Http2Frame.SETTINGS, 0, 0, new byte[5]));
        // SETTINGS_MAX_FRAME_SIZE 100: below 16384
        feed(false, frame(Http2Frame.SETTINGS, 0, 0, new ByteWriter().u16(5).u32(100).toByteArray()));
        assertEquals(2, error(SbiDecoder.BAD_SETTINGS));
        // DATA on stream 0
        feed(true, frame(Http2Frame.DATA, 0, 0, new byte[1]));
        assertEquals(1, error(SbiDecoder.BAD_STREAM_ID));
        // PING of 7 octets
        feed(true, frame(Http2Frame.PING, 0, 0, new byte[7]));
        assertEquals(1, error(SbiDecoder.BAD_FRAME_LENGTH));
    }

    @Test
    void registrationAndSessionEventsComeFromTheOperations() {
        openConnection();
        final byte[] uecm = ascii("{\"pei\":\"imei-866507040040537\",\"initialRegistrationInd\":true,"
            + "\"guami\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"amfId\":\"020040\"},\"ratType\":\"NR\"}");
        final byte[] put = concat(new byte[0]);
        feed(true, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1, new ByteWriter()
            .u8(0x42).u8(3).bytes(ascii("PUT"))     // literal with indexing, name index 2 (:method), "PUT"
            .u8(0x86)                               // :scheme http
            .u8(0x04).u8(64).bytes(ascii("/nudm-uecm/v1/imsi-460001234567890/registrations/amf-3gpp-access"))
            .toByteArray()), data(1, true, uecm));
        feed(false, frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, 1,
            new byte[] {(byte) 0x89}));            // indexed field 9: :status 204
        assertEquals(1, procedures.size());
        final SignalingMessage p = procedures.get(0);
        assertEquals(EventKind.POWER_ON, p.event());
        assertEquals(io.sigmatch.decoder.Outcome.ACCEPTED, p.outcome());
        assertEquals("86650704004053", Digits.toString(p.imei())); // imei-866507040040537 without its check digit
        assertEquals(io.sigmatch.decoder.Rat.NR, p.rat());
        assertEquals(46000, Digits.value(p.servingPlmn()));
        assertEquals(0, put.length);
    }

    /**
     * Seeded mutations of a whole conversation (the test captures' frames), framed as the TCP
     * reassembly frames them: never an exception, always bounded.
     */
    @Test
    void theConversationTheMutationsStartFromDecodes() {
        frameAndDecode(conversation());
        assertEquals(List.of("Nsmf_PDUSession_CreateSMContext 460001234567890", "Nudm_UECM_Registration 460001234567890"),
            requests);
    }

    @Test
    void mutatedConversationsNeverThrow() {
        final byte[] conversation = conversation();
        final long seed = Long.getLong("sigmatch.seed", 0x5B1L);
        final Random random = new Random(seed);
        for (int round = 0; round < 400; round++) {
            final byte[] m = conversation.clone();
            final int flips = 1 + random.nextInt(16);
            for (int i = 0; i < flips; i++) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            final int cut = random.nextInt(m.length);
            try {
                frameAndDecode(java.util.Arrays.copyOf(m, round % 3 == 0 ? cut : m.length));
            } catch (final RuntimeException e) {
                throw new AssertionError("seed " + seed + " round " + round + ": " + e, e);
            }
        }
        decoder.flush(sink);
        assertFalse(procedures.isEmpty(), "some mutated requests still decode");
    }

    /** What TcpReassembly does with one direction's bytes. */
    private void frameAndDecode(final byte[] stream) {
        final ByteBuf b = Unpooled.wrappedBuffer(stream);
        int at = 0;
        boolean resync = false;
        final PacketInfo p = new PacketInfo();
        p.srcLo = 0x0A000001L;
        p.dstLo = 0x0A000002L;
        p.srcPort = 40000;
        p.dstPort = 7777;
        for (int guard = 0; at < stream.length && guard < 100_000; guard++) {
            if (resync) {
                final int s = decoder.findMessageStart(b, at, stream.length - at);
                if (s < 0) {
                    return;
                }
                at += s;
                resync = false;
            }
            final int n = decoder.messageLength(b, at, stream.length - at);
            if (n == StreamDecoder.NEED_MORE) {
                return;
            }
            if (n < 0) {
                resync = true;
                at++;
                continue;
            }
            p.frame = ++frame;
            p.timeNs = frame * 1_000_000L;
            decoder.decode(p, b, at, n, sink);
            at += n;
        }
    }

    private static byte[] conversation() {
        final SbiTestCaptures.Encoder enc = new SbiTestCaptures.Encoder(8);
        final byte[] body = SbiTestCaptures.multipart(
            SbiTestCaptures.smContextCreateJson("460001234567890", "8613800138000", "imeisv-8665070400405301"));
        return concat(Http2Frame.PREFACE,
            SbiTestCaptures.settings(0x4, 1 << 20),
            enc.headers(1, false, SbiTestCaptures.request("POST", "/nsmf-pdusession/v1/sm-contexts",
                "multipart/related; boundary=\"" + SbiTestCaptures.BOUNDARY + "\"")),
            data(1, false, java.util.Arrays.copyOf(body, 200)),
            data(1, true, java.util.Arrays.copyOfRange(body, 200, body.length)),
            enc.headersContinued(3, false, SbiTestCaptures.request("PUT", "/nudm-uecm/v1/imsi-460001234567890"
                + "/registrations/amf-3gpp-access", "application/json"), 2),
            SbiTestCaptures.paddedData(3, true, ascii(SbiTestCaptures.uecmRegistrationJson(true, "460", "00")), 3));
    }
}
