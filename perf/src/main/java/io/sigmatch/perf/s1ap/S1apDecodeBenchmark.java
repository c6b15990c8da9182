package io.sigmatch.perf.s1ap;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.s1ap.S1apConfig;
import io.sigmatch.decoder.s1ap.S1apDecoder;
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
 * Decode cost of an S1AP InitialUEMessage carrying a plain Attach Request with the IMSI (the
 * power-on touchpoint): aligned-PER skeleton, five IEs, NAS-EPS with the EPS mobile identity and the
 * last visited TAI, a new UE connection in the id table (the previous one with the same eNB id is
 * replaced), the event to the sink. {@code uplinkResolved} is an UplinkNASTransport of that
 * connection whose subscriber comes from the table. Run with {@code -prof gc} (expected 0 B/op).
 *
 * <pre>
 *   perf/jmh.sh quick S1apDecode
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class S1apDecodeBenchmark {
    private S1apDecoder decoder;
    private ByteBuf initialUeAttach;
    private ByteBuf uplink;
    private final PacketInfo up = new PacketInfo();
    private BlackholeSink sink;

    @Setup
    public void setUp(final Blackhole blackhole) {
        decoder = new S1apDecoder(new Counters(), new S1apConfig());
        sink = new BlackholeSink(blackhole);
        final byte[] plmn = {0x00, (byte) 0xF1, 0x10};
        final byte[] attach = concat(
            bytes(0x07, 0x41, 0x71),                                           // plain EMM, Attach request, KSI|type
            bytes(0x08, 0x09, 0x10, 0x10, 0x10, 0x32, 0x54, 0x76, 0x98),       // EPS mobile identity: IMSI 001010123456789
            bytes(0x02, 0xE0, 0xE0),                                           // UE network capability
            bytes(0x00, 0x04, 0x02, 0x01, 0xD0, 0x11),                          // ESM container: PDN connectivity request
            bytes(0x52), plmn, bytes(0x00, 0x17),                              // last visited registered TAI
            bytes(0x5C, 0x0A, 0x00));                                          // DRX parameter
        initialUeAttach = Unpooled.directBuffer().writeBytes(pdu(12,
            ie(8, bytes(0x40, 0x01, 0x02)),                                    // eNB-UE-S1AP-ID 0x0102
            ie(26, concat(bytes(attach.length), attach)),                      // NAS-PDU
            ie(67, concat(bytes(0x00), plmn, bytes(0x00, 0x17))),              // TAI
            ie(100, concat(bytes(0x00), plmn, bytes(0x1A, 0x2D, 0x00, 0x10))), // EUTRAN-CGI
            ie(134, bytes(0x30))));                                            // RRC-Establishment-Cause
        final byte[] authResponse = bytes(0x07, 0x53, 0x08, 1, 2, 3, 4, 5, 6, 7, 8);
        uplink = Unpooled.directBuffer().writeBytes(pdu(13,
            ie(0, bytes(0xC0, 0xD4, 0x00, 0x12, 0x50)),                        // MME-UE-S1AP-ID
            ie(8, bytes(0x40, 0x01, 0x02)),                                    // eNB-UE-S1AP-ID
            ie(26, concat(bytes(authResponse.length), authResponse)),          // NAS-PDU: Authentication response
            ie(100, concat(bytes(0x00), plmn, bytes(0x1A, 0x2D, 0x00, 0x10))),
            ie(67, concat(bytes(0x00), plmn, bytes(0x00, 0x17)))));
        up.srcLo = 0x0A000001;
        up.dstLo = 0x0A000002;
        up.srcPort = 36412;
        up.dstPort = 36412;
        up.transport = PacketInfo.TRANSPORT_SCTP;
        up.sctpPpid = 18;
        decode(initialUeAttach);
    }

    @Benchmark
    public void initialUeAttach() {
        decode(initialUeAttach);
    }

    @Benchmark
    public void uplinkResolved() {
        decode(uplink);
    }

    private void decode(final ByteBuf b) {
        up.frame++;
        up.timeNs += 1_000;
        decoder.decode(up, b, 0, b.readableBytes(), sink);
    }

    private static byte[] pdu(final int code, final byte[]... ies) {
        final ByteArrayOutputStream v = new ByteArrayOutputStream();
        v.writeBytes(bytes(0x00, 0x00, ies.length));
        for (final byte[] ie : ies) {
            v.writeBytes(ie);
        }
        final byte[] value = v.toByteArray();
        return concat(bytes(0x00, code, 0x40, value.length), value);
    }

    private static byte[] ie(final int id, final byte[] value) {
        return concat(bytes(id >>> 8, id, 0x00, value.length), value);
    }

    private static byte[] bytes(final int... v) {
        final byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Consumes what a sink gets, so the JIT cannot drop the decode. */
    static final class BlackholeSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            blackhole.consume(message.imsi());
            blackhole.consume(message.eci());
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            blackhole.consume(procedure.event());
        }
    }
}
