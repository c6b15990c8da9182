package io.sigmatch.perf.sbi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.sbi.SbiConfig;
import io.sigmatch.decoder.sbi.SbiDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode cost of an Nsmf_PDUSession_CreateSMContext exchange (TS 29.502 5.2.2.2) as the TCP
 * reassembly hands it over: the request HEADERS (HPACK through Netty's decoder), its
 * multipart/related body in one DATA frame (JSON part scanned for SUPI, GPSI, PEI, DNN, servingNetwork
 * and ueLocation), and the 201 response HEADERS that completes the procedure. The header blocks use
 * only the static table and literals without indexing, as Open5GS sends {@code :path}, so replaying
 * the same bytes leaves the dynamic table as it was. {@code -prof gc} shows what Netty's HPACK
 * decoder allocates per literal field (see HpackBlockDecoder): that is this decoder's garbage.
 *
 * <pre>
 *   perf/jmh.sh quick SbiDecode
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SbiDecodeBenchmark {
    private static final byte[] PREFACE = ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    private SbiDecoder decoder;
    private ByteBuf request;
    private ByteBuf body;
    private ByteBuf response;
    private final PacketInfo up = new PacketInfo();
    private final PacketInfo down = new PacketInfo();
    private BlackholeSink sink;

    @Setup
    public void setUp(final Blackhole blackhole) {
        decoder = new SbiDecoder(new Counters(), new SbiConfig());
        sink = new BlackholeSink(blackhole);
        final String boundary = "----Boundary-n1n2";
        final ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x83);                                            // :method POST (static 3)
        block.write(0x86);                                            // :scheme http (static 6)
        literal(block, 4, "/nsmf-pdusession/v1/sm-contexts");         // :path, literal without indexing
        literal(block, 1, "smf.5gc.mnc000.mcc460.3gppnetwork.org:7777"); // :authority
        literal(block, 31, "multipart/related; boundary=\"" + boundary + "\""); // content-type
        literal(block, 58, "AMF");                                    // user-agent
        literal(block, 19, "application/json,application/problem+json"); // accept
        request = Unpooled.directBuffer().writeBytes(frame(1, 0x04, 1, block.toByteArray()));
        final String json = "{\"supi\":\"imsi-460001234567890\",\"pei\":\"imeisv-8665070400405301\","
            + "\"gpsi\":\"msisdn-8613800138000\",\"pduSessionId\":5,\"dnn\":\"internet\","
            + "\"sNssai\":{\"sst\":1,\"sd\":\"010203\"},\"servingNfId\":\"2746064e-63d4-41f0-97a5-f7af6707dcda\","
            + "\"guami\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"amfId\":\"020040\"},"
            + "\"servingNetwork\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"requestType\":\"INITIAL_REQUEST\","
            + "\"n1SmMsg\":{\"contentId\":\"5gnas-sm\"},\"anType\":\"3GPP_ACCESS\",\"ratType\":\"NR\","
            + "\"ueLocation\":{\"nrLocation\":{\"tai\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"tac\":\"00a1b2\"},"
            + "\"ncgi\":{\"plmnId\":{\"mcc\":\"460\",\"mnc\":\"00\"},\"nrCellId\":\"0000c0e01\"},"
            + "\"ueLocationTimestamp\":\"2026-01-01T00:00:00.000000Z\"}},\"ueTimeZone\":\"+08:00\","
            + "\"smContextStatusUri\":\"http://amf:7777/namf-callback/v1/imsi-460001234567890/sm-context-status/5\"}";
        final byte[] multipart = concat(ascii("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n" + json
                + "\r\n--" + boundary + "\r\nContent-Id: 5gnas-sm\r\nContent-Type: application/vnd.3gpp.5gnas\r\n\r\n"),
            new byte[] {0x2e, 0x05, 0x01, (byte) 0xc1, (byte) 0xff, (byte) 0xff, (byte) 0x93, (byte) 0xa1},
            ascii("\r\n--" + boundary + "--\r\n"));
        body = Unpooled.directBuffer().writeBytes(frame(0, 0x01, 1, multipart));
        final ByteArrayOutputStream status = new ByteArrayOutputStream();
        literal(status, 8, "201");                                    // :status 201, literal without indexing
        response = Unpooled.directBuffer().writeBytes(frame(1, 0x05, 1, status.toByteArray()));
        up.srcLo = 0x0A000001;
        up.dstLo = 0x0A000002;
        up.srcPort = 40000;
        up.dstPort = 7777;
        down.srcLo = up.dstLo;
        down.dstLo = up.srcLo;
        down.srcPort = up.dstPort;
        down.dstPort = up.srcPort;
        final ByteBuf preface = Unpooled.wrappedBuffer(PREFACE);
        decoder.decode(up, preface, 0, PREFACE.length, sink);
    }

    /** Request HEADERS + multipart DATA + 201 response: one CreateSMContext procedure. */
    @Benchmark
    public void createSmContext() {
        up.timeNs++;
        down.timeNs = up.timeNs;
        decoder.decode(up, request, 0, request.readableBytes(), sink);
        decoder.decode(up, body, 0, body.readableBytes(), sink);
        decoder.decode(down, response, 0, response.readableBytes(), sink);
    }

    /** Header blocks only (request without a body, then its response): the HPACK and stream-table part. */
    @Benchmark
    public void requestHeadersOnly() {
        up.timeNs++;
        decoder.decode(up, request, 0, request.readableBytes(), sink);
        decoder.decode(down, response, 0, response.readableBytes(), sink);
    }

    private static void literal(final ByteArrayOutputStream out, final int nameIndex, final String value) {
        // RFC 7541 6.2.2: 0000 + 4-bit name index prefix; values here are shorter than 127 octets
        if (nameIndex < 15) {
            out.write(nameIndex);
        } else {
            out.write(15);
            out.write(nameIndex - 15);
        }
        final byte[] v = ascii(value);
        out.write(v.length);
        out.write(v, 0, v.length);
    }

    private static byte[] frame(final int type, final int flags, final int stream, final byte[] payload) {
        final byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Consumes what the decoder produces so nothing is optimised away. */
    private static final class BlackholeSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            blackhole.consume(message.imsi());
            blackhole.consume(message.nci());
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            blackhole.consume(procedure.event());
        }
    }
}
