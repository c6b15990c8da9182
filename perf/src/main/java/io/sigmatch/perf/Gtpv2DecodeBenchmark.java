package io.sigmatch.perf;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.gtpv2.Gtpv2Config;
import io.sigmatch.decoder.gtpv2.Gtpv2Decoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * DESIGN §9 "decode, GTPv2-C Create Session Request": one CSR through {@link Gtpv2Decoder#decode},
 * the real bytes of a corpus capture, to a sink that reads the fields a match needs. The decoder's
 * request tracking runs too (the same request again is a retransmission to it), so this is decode
 * plus the per-request correlation step. Run with {@code -prof gc} for bytes per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Gtpv2DecodeBenchmark {
    /**
     * ndpi: the CSR of ndpi-gtp_c.pcap (IMSI, MSISDN, MEI, ULI TAI+ECGI, F-TEIDs, APN, bearer
     * context); open5gs: the first CSR of open5gs-testepc.pcapng; fullUli: the ndpi CSR with a ULI
     * carrying CGI, SAI, RAI, TAI, ECGI and LAI.
     */
    @Param({"ndpi", "open5gs", "fullUli"})
    public String sample;

    private Gtpv2Decoder decoder;
    private ByteBuf buffer;
    private int length;
    private PacketInfo packet;
    private final FieldSink sink = new FieldSink();

    @Setup(Level.Trial)
    public void setUp(final Blackhole bh) throws IOException {
        final Gtpv2Samples.Sample s;
        byte[] bytes;
        switch (sample) {
            case "ndpi", "fullUli" -> s = Gtpv2Samples.first(Gtpv2Samples.corpus("gtpv2/ndpi-gtp_c.pcap"),
                Gtpv2Samples.CREATE_SESSION_REQUEST);
            case "open5gs" -> s = Gtpv2Samples.first(Gtpv2Samples.corpus("gtpv2/open5gs-testepc.pcapng"),
                Gtpv2Samples.CREATE_SESSION_REQUEST);
            default -> throw new IllegalArgumentException(sample);
        }
        bytes = s.payload();
        if (sample.equals("fullUli")) {
            bytes = Gtpv2Samples.withFullUli(bytes);
        }
        packet = s.packet();
        buffer = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        length = bytes.length;
        final Counters counters = new Counters();
        decoder = new Gtpv2Decoder(counters, new Gtpv2Config());
        sink.bh = bh;
        // the benchmark must measure a message decoded in full, not an error path
        final Check check = new Check();
        decoder.decode(packet, buffer, 0, length, check);
        if (check.fields == 0 || counters.sum("decode.gtpv2.error.") != 0
            || (check.fields & (SignalingMessage.IMSI | SignalingMessage.ECI | SignalingMessage.TAC)) == 0) {
            throw new IllegalStateException(sample + ": CSR not decoded in full, fields " + Integer.toBinaryString(check.fields));
        }
        if (sample.equals("fullUli") && (check.fields & (SignalingMessage.CI | SignalingMessage.SAC | SignalingMessage.LAC)) == 0) {
            throw new IllegalStateException("fullUli: the ULI's CGI/SAI/LAI were not read");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buffer.release();
    }

    @Benchmark
    public void createSessionRequest() {
        decoder.decode(packet, buffer, 0, length, sink);
    }

    /** Reads what the pipeline's translator copies: identities, location, RAT. */
    static final class FieldSink implements MessageSink {
        Blackhole bh;

        @Override
        public void onMessage(final SignalingMessage m) {
            bh.consume(m.present());
            bh.consume(m.imsi());
            bh.consume(m.msisdn());
            bh.consume(m.imei());
            bh.consume(m.cellPlmn());
            bh.consume(m.tac());
            bh.consume(m.eci());
            bh.consume(m.rat());
        }

        @Override
        public void onProcedure(final SignalingMessage m) {
            onMessage(m);
        }
    }

    private static final class Check implements MessageSink {
        int fields;

        @Override
        public void onMessage(final SignalingMessage m) {
            fields = m.present();
        }
    }
}
