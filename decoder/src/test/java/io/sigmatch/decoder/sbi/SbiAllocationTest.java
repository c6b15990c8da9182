package io.sigmatch.decoder.sbi;

import static io.sigmatch.decoder.sbi.SbiTestCaptures.ascii;
import static io.sigmatch.decoder.sbi.SbiTestCaptures.data;
import static io.sigmatch.decoder.sbi.SbiTestCaptures.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.testing.ByteWriter;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * What the SBI path allocates in steady state, with the JVM's per-thread allocation counter (the
 * harness of DiameterAllocationTest). Framing, the stream table, the multipart and JSON scans and
 * the events allocate nothing. Netty's HPACK decoder allocates a small sink object per header block
 * (so an exchange whose header blocks are all table references costs about 96 bytes, two blocks)
 * and, for every literal field, a new AsciiString and its array (see HpackBlockDecoder): an
 * exchange with a literal {@code :path} and content type costs that too. Both are measured and
 * bounded here so a change shows.
 */
class SbiAllocationTest {
    private static final int ROUNDS = 20_000;

    private static final class CountingSink implements MessageSink {
        long messages;
        long procedures;
        long imsis;

        @Override
        public void onMessage(final SignalingMessage m) {
            messages++;
            if (m.has(SignalingMessage.IMSI)) {
                imsis++;
            }
        }

        @Override
        public void onProcedure(final SignalingMessage p) {
            procedures++;
        }
    }

    private static PacketInfo packet(final long src, final int srcPort, final long dst, final int dstPort) {
        final PacketInfo p = new PacketInfo();
        p.srcLo = src;
        p.dstLo = dst;
        p.srcPort = srcPort;
        p.dstPort = dstPort;
        p.transport = PacketInfo.TRANSPORT_TCP;
        return p;
    }

    private static long bytesPerExchange(final byte[] requestBlock, final byte[] requestBody) {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        final SbiDecoder decoder = new SbiDecoder(new Counters(), new SbiConfig());
        final CountingSink sink = new CountingSink();
        final PacketInfo up = packet(0x0A000001, 40000, 0x0A000002, 7777);
        final PacketInfo down = packet(0x0A000002, 7777, 0x0A000001, 40000);
        final ByteBuf preface = Unpooled.wrappedBuffer(Http2Frame.PREFACE);
        decoder.decode(up, preface, 0, Http2Frame.PREFACE_LENGTH, sink);
        final ByteBuf headers = Unpooled.wrappedBuffer(frame(Http2Frame.HEADERS, Http2Frame.FLAG_END_HEADERS, 1,
            requestBlock));
        final ByteBuf body = Unpooled.wrappedBuffer(data(1, true, requestBody));
        // :status 204 (static index 9), END_STREAM
        final ByteBuf response = Unpooled.wrappedBuffer(frame(Http2Frame.HEADERS,
            Http2Frame.FLAG_END_HEADERS | Http2Frame.FLAG_END_STREAM, 1, new byte[] {(byte) 0x89}));
        final ByteBuf ping = Unpooled.wrappedBuffer(frame(Http2Frame.PING, 0, 0, new byte[8]));
        final long id = Thread.currentThread().getId();
        run(decoder, sink, up, down, headers, body, response, ping, 5_000);
        final long before = threads.getThreadAllocatedBytes(id);
        run(decoder, sink, up, down, headers, body, response, ping, ROUNDS);
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals((ROUNDS + 5_000) * 2L, sink.messages, "a request and a response per round");
        assertEquals(ROUNDS + 5_000, sink.procedures);
        assertEquals(ROUNDS + 5_000, sink.imsis, "the SUPI of every request");
        assertEquals(0, decoder.pendingRequests());
        return allocated / ROUNDS;
    }

    private static void run(final SbiDecoder decoder, final MessageSink sink, final PacketInfo up,
        final PacketInfo down, final ByteBuf headers, final ByteBuf body, final ByteBuf response, final ByteBuf ping,
        final int rounds) {
        for (int i = 0; i < rounds; i++) {
            up.timeNs += 1_000;
            down.timeNs = up.timeNs;
            up.frame++;
            decoder.decode(up, headers, 0, headers.readableBytes(), sink);
            decoder.decode(up, body, 0, body.readableBytes(), sink);
            decoder.decode(down, response, 0, response.readableBytes(), sink);
            decoder.decode(up, ping, 0, ping.readableBytes(), sink);
        }
    }

    @Test
    void anExchangeOfTableReferencesAllocatesNothing() {
        // :method POST, :scheme http, :path "/" (static 3, 6, 4); no content-type: a body that is JSON is read
        final long perExchange = bytesPerExchange(new byte[] {(byte) 0x83, (byte) 0x86, (byte) 0x84},
            ascii(SbiTestCaptures.smContextCreateJson("460001234567890", "8613800138000", "imeisv-8665070400405301")));
        System.out.println("SBI exchange, header blocks of table references only: " + perExchange + " B");
        // Netty's HpackDecoder makes one small sink object per header block (Http2HeadersSink, ~48 B):
        // two blocks per exchange. Nothing of ours allocates.
        assertTrue(perExchange <= 2 * 48, perExchange + " bytes per exchange");
    }

    @Test
    void literalFieldsCostWhatNettysHpackDecoderAllocates() {
        final byte[] path = ascii("/nsmf-pdusession/v1/sm-contexts/imsi-460001234567890");
        final byte[] ct = ascii("multipart/related; boundary=\"" + SbiTestCaptures.BOUNDARY + "\"");
        final byte[] block = new ByteWriter()
            .u8(0x83)                           // :method POST
            .u8(0x86)                           // :scheme http
            .u8(0x04).u8(path.length).bytes(path) // :path, literal without indexing (as Open5GS sends it)
            .u8(0x0F).u8(0x10).u8(ct.length).bytes(ct) // content-type, literal without indexing
            .toByteArray();
        final long perExchange = bytesPerExchange(block, SbiTestCaptures.multipart(
            SbiTestCaptures.smContextCreateJson("460001234567890", "8613800138000", "imeisv-8665070400405301")));
        System.out.println("SBI exchange with a literal :path and content-type: " + perExchange + " B (Netty HPACK)");
        assertTrue(perExchange < 512, perExchange + " bytes per exchange");
    }
}
