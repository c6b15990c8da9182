package io.sigmatch.perf.sigtran;

import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.sigtran.SigtranConfig;
import io.sigmatch.decoder.sigtran.SigtranDecoder;
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
 * Decode cost of a MAP updateLocation and a MAP mo-forwardSM, each a whole M3UA DATA → SCCP UDT →
 * TCAP → MAP message as it comes off SCTP (the bytes of the differential test's captures, built by
 * decoder/src/test/.../sigtran/SigtranBytes). The "WithEnd" variants decode the TCAP Begin and the
 * End that closes it, so the transaction table opens, pairs and empties again every iteration.
 * Run with {@code -prof gc} to see the allocation per operation (expected 0 B/op).
 *
 * <pre>
 *   perf/jmh.sh quick SigtranDecode
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigtranDecodeBenchmark {
    /** M3UA DATA (RC 7, OPC 100, DPC 200) / UDT HLR <- VLR / TCAP Begin, MAP v3 networkLocUp / updateLocation(imsi, msc, vlr). */
    static final String UL_BEGIN = "010001010000009400060008000000070210008200000064000000c8030200040900030f1b0c120600110468310900"
        + "0001000c1207001104683109000000015262504804000000116b1e281c060700118605010101a011600f80020780a109060704000001"
        + "0001036c28a126020101020102301e040864001032547698f0810891683109000000f1040891683109000000f10000";
    /** The HLR's End for it: returnResultLast updateLocation(hlr-Number). */
    static final String UL_END = "010001010000006000060008000000070210005000000064000000c8030200040900030f1b0c120700110468310900"
        + "0000010c12060011046831090000010020641e4904000000116c16a214020101300f020102300a040891683109000001f0";
    /** M3UA DATA / UDT SMSC <- MSC / TCAP Begin, shortMsgMO-Relay v3 / mo-forwardSM(SC address, msisdn, SMS-SUBMIT). */
    static final String MO_BEGIN = "010001010000009800060008000000070210008600000064000000c8030200040900030f1b0c120800110468310810"
        + "0005000c1208001104683109000000015662544804000000336b1e281c060700118605010101a011600f80020780a1090607040000010015"
        + "036c2ca12a02010102012e3022840891683108100005f0820891683108108300f0040c010505810180f600040268690000";
    /** The SMSC's End: an AARE and an empty returnResultLast. */
    static final String MO_END = "010001010000007c00060008000000070210006b00000064000000c8030200040900030f1b0c120800110468310900"
        + "0000010c1208001104683108100005003b64394904000000336b2a2828060700118605010101a01d611b80020780a1090607040000"
        + "01001503a203020100a305a1030201006c05a20302010100";

    private SigtranDecoder decoder;
    private ByteBuf ulBegin;
    private ByteBuf ulEnd;
    private ByteBuf moBegin;
    private ByteBuf moEnd;
    private final PacketInfo packet = new PacketInfo();
    private BlackholeSink sink;

    @Setup
    public void setUp(final Blackhole blackhole) {
        decoder = new SigtranDecoder(new Counters(), new SigtranConfig(), 86);
        sink = new BlackholeSink(blackhole);
        ulBegin = direct(UL_BEGIN);
        ulEnd = direct(UL_END);
        moBegin = direct(MO_BEGIN);
        moEnd = direct(MO_END);
        packet.sctpPpid = 3;
        packet.transport = PacketInfo.TRANSPORT_SCTP;
    }

    private static ByteBuf direct(final String hex) {
        final byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return Unpooled.directBuffer(b.length).writeBytes(b);
    }

    private void decode(final ByteBuf b) {
        packet.frame++;
        packet.timeNs += 1_000;
        decoder.decode(packet, b, 0, b.readableBytes(), sink);
    }

    @Benchmark
    public void updateLocationWithEnd() {
        decode(ulBegin);
        decode(ulEnd);
    }

    @Benchmark
    public void moForwardSmWithEnd() {
        decode(moBegin);
        decode(moEnd);
    }

    /** The Begin alone; the same transaction id again each time (counted as a duplicate Begin and re-opened). */
    @Benchmark
    public void updateLocationBegin() {
        decode(ulBegin);
    }

    private static final class BlackholeSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            blackhole.consume(message.imsi());
            blackhole.consume(message.event());
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            blackhole.consume(procedure.outcome());
        }
    }
}
