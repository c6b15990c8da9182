package io.sigmatch.perf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.dissect.Dissector;
import io.sigmatch.decoder.dissect.ProtocolDispatch;
import io.sigmatch.decoder.gtpv1.Gtpv1Config;
import io.sigmatch.decoder.gtpv1.Gtpv1Decoder;
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
 * One GTPv1-C Create PDP Context Request through {@link Gtpv1Decoder#decode}, the real bytes of a
 * corpus capture, to a sink that reads the fields a match needs — the GTPv1 counterpart of
 * {@link Gtpv2DecodeBenchmark}. The decoder's request tracking runs too (the same request again is
 * a retransmission to it), so this is decode plus the per-request correlation step. Run with
 * {@code -prof gc} for bytes per op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Gtpv1DecodeBenchmark {
    private static final int CREATE_PDP_CONTEXT_REQUEST = 16;

    /**
     * wiki: the request of wiki-bb_2g_fail_1.pcap (IMSI, RAI, TEIDs, APN, PCO, GSN addresses,
     * MSISDN, QoS, RAT, MS Time Zone, IMEISV); zeek: the first of zeek-pdp_ctx_messages.pcapng;
     * wikiUli: the wiki request with a ULI of type CGI appended (no corpus capture has a ULI).
     */
    @Param({"wiki", "zeek", "wikiUli"})
    public String sample;

    private Gtpv1Decoder decoder;
    private ByteBuf buffer;
    private int length;
    private PacketInfo packet;
    private final FieldSink sink = new FieldSink();

    @Setup(Level.Trial)
    public void setUp(final Blackhole bh) throws IOException {
        final Grab grab = switch (sample) {
            case "wiki", "wikiUli" -> first(Gtpv2Samples.corpus("gtpv1/wiki-bb_2g_fail_1.pcap"));
            case "zeek" -> first(Gtpv2Samples.corpus("gtpv1/zeek-pdp_ctx_messages.pcapng"));
            default -> throw new IllegalArgumentException(sample);
        };
        byte[] bytes = grab.payload;
        if (sample.equals("wikiUli")) {
            bytes = withCgi(bytes);
        }
        packet = grab.packet;
        buffer = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        length = bytes.length;
        final Counters counters = new Counters();
        decoder = new Gtpv1Decoder(counters, new Gtpv1Config());
        sink.bh = bh;
        // the benchmark must measure a message decoded in full, not an error path
        final Check check = new Check();
        decoder.decode(packet, buffer, 0, length, check);
        if (counters.sum(Gtpv1Decoder.ERROR) != 0
            || (check.fields & (SignalingMessage.IMSI | SignalingMessage.APN)) != (SignalingMessage.IMSI | SignalingMessage.APN)) {
            throw new IllegalStateException(sample + ": request not decoded in full, fields " + Integer.toBinaryString(check.fields));
        }
        if (sample.equals("wikiUli") && (check.fields & SignalingMessage.CI) == 0) {
            throw new IllegalStateException("wikiUli: the ULI was not read");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        buffer.release();
    }

    @Benchmark
    public void createPdpContextRequest() {
        decoder.decode(packet, buffer, 0, length, sink);
    }

    /** TS 29.060 7.7.51: a ULI of type CGI (PLMN 419/02, LAC 0x1234, CI 0x5678) appended; Length adjusted. */
    static byte[] withCgi(final byte[] message) {
        final byte[] uli = {(byte) 152, 0, 8, 0, 0x14, (byte) 0xF9, 0x20, 0x12, 0x34, 0x56, 0x78};
        final byte[] out = Arrays.copyOf(message, message.length + uli.length);
        System.arraycopy(uli, 0, out, message.length, uli.length);
        final int length = out.length - 8;
        out[2] = (byte) (length >> 8);
        out[3] = (byte) length;
        return out;
    }

    private static Grab first(final Path capture) throws IOException {
        final Grab grab = new Grab();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        dispatch.udpPort(2123, grab);
        final Dissector dissector = new Dissector(new Counters(), dispatch, m -> { }, new DecoderConfig().conclude().dissector());
        try (InMemoryCapture c = InMemoryCapture.load(capture)) {
            c.replay(dissector, 0);
        }
        if (grab.payload == null) {
            throw new IOException(capture + ": no GTPv1-C Create PDP Context Request");
        }
        return grab;
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
            bh.consume(m.lac());
            bh.consume(m.ci());
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

    /** The first version-1 Create PDP Context Request on the GTP-C port. */
    private static final class Grab implements PayloadDecoder {
        byte[] payload;
        PacketInfo packet;

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            if (payload == null && len > 8 && (b.getByte(off) & 0xE0) == 0x20
                && (b.getByte(off + 1) & 0xFF) == CREATE_PDP_CONTEXT_REQUEST) {
                payload = new byte[len];
                b.getBytes(off, payload);
                packet = new PacketInfo().copyFrom(p);
            }
        }
    }
}
