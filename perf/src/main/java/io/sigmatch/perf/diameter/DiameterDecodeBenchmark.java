package io.sigmatch.perf.diameter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.diameter.DiameterConfig;
import io.sigmatch.decoder.diameter.DiameterDecoder;
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
 * Decode cost of an S6a ULR and a Gx CCR-I (DESIGN §9 goal: 5 M messages/s per core, i.e. at most
 * 200 ns each), with request/answer pairing and the Session-Id table in the loop: each iteration
 * decodes the request and its answer, so the pending table and the session table are exercised and
 * emptied again. Run with {@code -prof gc} to see the allocation per operation (expected 0 B/op).
 *
 * <pre>
 *   java -cp perf/target/sigmatch-perf-*.jar:perf/target/lib/* org.openjdk.jmh.Main DiameterDecodeBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DiameterDecodeBenchmark {
    private static final int S6A = 16777251;
    private static final int GX = 16777238;

    private DiameterDecoder decoder;
    private ByteBuf ulr;
    private ByteBuf ula;
    private ByteBuf ccrI;
    private ByteBuf ccaI;
    private final PacketInfo up = new PacketInfo();
    private final PacketInfo down = new PacketInfo();
    private BlackholeSink sink;

    @Setup
    public void setUp(final Blackhole blackhole) {
        decoder = new DiameterDecoder(new Counters(), new DiameterConfig(), 86);
        sink = new BlackholeSink(blackhole);
        ulr = Unpooled.directBuffer().writeBytes(message(0xC0, 316, S6A, 7,
            avp(263, 0x40, 0, ascii("mme.example.org;1700000000;1;s6a")),
            avp(260, 0x40, 0, concat(avp(266, 0x40, 0, u32(10415)), avp(258, 0x40, 0, u32(S6A)))),
            avp(277, 0x40, 0, u32(1)),
            avp(264, 0x40, 0, ascii("mme.example.org")),
            avp(296, 0x40, 0, ascii("example.org")),
            avp(283, 0x40, 0, ascii("example.org")),
            avp(1, 0x40, 0, ascii("001010123456789")),
            avp(1401, 0xC0, 10415, concat(avp(1402, 0xC0, 10415, ascii("35349006987331")),
                avp(1403, 0xC0, 10415, ascii("05")))),
            avp(1032, 0x80, 10415, u32(1004)),
            avp(1405, 0xC0, 10415, u32(0x22)),
            avp(1407, 0xC0, 10415, new byte[] {0x00, (byte) 0xF1, 0x10})));
        ula = Unpooled.directBuffer().writeBytes(message(0x40, 316, S6A, 7,
            avp(263, 0x40, 0, ascii("mme.example.org;1700000000;1;s6a")),
            avp(268, 0x40, 0, u32(2001)),
            avp(264, 0x40, 0, ascii("hss.example.org")),
            avp(1400, 0xC0, 10415, avp(701, 0xC0, 10415, new byte[] {0x68, 0x31, 0x08, 0x00, 0x00, 0x00, (byte) 0xF1}))));
        ccrI = Unpooled.directBuffer().writeBytes(message(0xC0, 272, GX, 9,
            avp(263, 0x40, 0, ascii("pgw.example.org;1700000000;9;gx")),
            avp(258, 0x40, 0, u32(GX)),
            avp(264, 0x40, 0, ascii("pgw.example.org")),
            avp(416, 0x40, 0, u32(1)),
            avp(415, 0x40, 0, u32(0)),
            avp(443, 0x40, 0, concat(avp(450, 0x40, 0, u32(1)), avp(444, 0x40, 0, ascii("001010123456789")))),
            avp(443, 0x40, 0, concat(avp(450, 0x40, 0, u32(0)), avp(444, 0x40, 0, ascii("8613800000001")))),
            avp(458, 0, 0, concat(avp(459, 0, 0, u32(0)), avp(460, 0, 0, ascii("3534900698733105")))),
            avp(18, 0xC0, 10415, ascii("46000")),
            avp(1032, 0x80, 10415, u32(1004)),
            avp(22, 0xC0, 10415, new byte[] {(byte) 130, 0x64, (byte) 0xF0, 0x00, 0x12, 0x34,
                0x64, (byte) 0xF0, 0x00, 0x0A, (byte) 0xBC, (byte) 0xDE, 0x01}),
            avp(30, 0x40, 0, ascii("internet"))));
        ccaI = Unpooled.directBuffer().writeBytes(message(0x40, 272, GX, 9,
            avp(263, 0x40, 0, ascii("pgw.example.org;1700000000;9;gx")),
            avp(258, 0x40, 0, u32(GX)),
            avp(268, 0x40, 0, u32(2001)),
            avp(416, 0x40, 0, u32(1))));
        up.srcLo = 0x0A000001;
        up.dstLo = 0x0A000002;
        up.srcPort = 40000;
        up.dstPort = 3868;
        down.srcLo = up.dstLo;
        down.dstLo = up.srcLo;
        down.srcPort = up.dstPort;
        down.dstPort = up.srcPort;
    }

    /** ULR alone: decode only (after the first call each ULR is a retransmission of the pending one). */
    @Benchmark
    public void ulr() {
        up.timeNs++;
        decoder.decode(up, ulr, 0, ulr.readableBytes(), sink);
    }

    /** CCR-I alone, as {@link #ulr}. */
    @Benchmark
    public void ccrInitial() {
        up.timeNs++;
        decoder.decode(up, ccrI, 0, ccrI.readableBytes(), sink);
    }

    /** ULR then ULA: decode both, pair them, learn the session, complete the procedure. */
    @Benchmark
    public void ulrWithAnswer() {
        up.timeNs++;
        decoder.decode(up, ulr, 0, ulr.readableBytes(), sink);
        down.timeNs = up.timeNs;
        decoder.decode(down, ula, 0, ula.readableBytes(), sink);
    }

    /** CCR-I then CCA-I. */
    @Benchmark
    public void ccrInitialWithAnswer() {
        up.timeNs++;
        decoder.decode(up, ccrI, 0, ccrI.readableBytes(), sink);
        down.timeNs = up.timeNs;
        decoder.decode(down, ccaI, 0, ccaI.readableBytes(), sink);
    }

    private static final class BlackholeSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            blackhole.consume(message.present());
            blackhole.consume(message.imsi());
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            blackhole.consume(procedure.present());
            blackhole.consume(procedure.event());
        }
    }

    // ---- building the messages (RFC 6733 §3, §4.1) -------------------------------------------

    private static byte[] message(final int flags, final int code, final int application, final int id,
        final byte[]... avps) {
        final byte[] body = concat(avps);
        final int length = 20 + body.length;
        return concat(new byte[] {1, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, (byte) flags,
            (byte) (code >>> 16), (byte) (code >>> 8), (byte) code}, u32(application), u32(id), u32(id), body);
    }

    private static byte[] avp(final int code, final int flags, final int vendor, final byte[] data) {
        final boolean v = (flags & 0x80) != 0;
        final int length = (v ? 12 : 8) + data.length;
        return concat(u32(code), new byte[] {(byte) flags, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length},
            v ? u32(vendor) : new byte[0], data, new byte[(4 - (length & 3)) & 3]);
    }

    private static byte[] u32(final long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
