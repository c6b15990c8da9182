package io.sigmatch.perf;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.sip.SipConfig;
import io.sigmatch.decoder.sip.SipDecoder;
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
 * Decode cost of an IMS INVITE (DESIGN §9 goal: 2 M messages/s per core, at most 500 ns each): a
 * VoLTE MO INVITE as a UE sends it (12 headers, P-Asserted-Identity, P-Access-Network-Info, Contact
 * with +sip.instance, SDP body; 1 KB). {@code invite}: the same INVITE again and again — after the
 * first, each is a retransmission of the pending transaction, so this is parse + every field + the
 * transaction lookup. {@code inviteAndOk}: a new call per operation (the Call-ID is rewritten in
 * place), INVITE then its 200 OK: the CALL_ATTEMPT reported at the INVITE, the transaction held,
 * paired and completed — two messages per operation. Run with {@code -prof gc} (expected 0 B/op).
 *
 * <pre>
 *   perf/jmh.sh quick SipDecode
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SipDecodeBenchmark {
    private static final String DOMAIN = "ims.mnc000.mcc460.3gppnetwork.org";
    private static final String CALL_ID = "Call-ID: 00000000-a84b4c76e66710@10.45.0.2";

    private SipDecoder decoder;
    private ByteBuf invite;
    private ByteBuf ok;
    private int inviteCallId;
    private int okCallId;
    private long call;
    private final PacketInfo up = new PacketInfo();
    private final PacketInfo down = new PacketInfo();
    private BlackholeSink sink;

    @Setup
    public void setUp(final Blackhole blackhole) {
        decoder = new SipDecoder(new Counters(), new SipConfig(), 86);
        sink = new BlackholeSink(blackhole);
        final String sdp = "v=0\r\no=- 1 1 IN IP4 10.45.0.2\r\ns=-\r\nc=IN IP4 10.45.0.2\r\nt=0 0\r\n"
            + "m=audio 49152 RTP/AVP 104 110\r\na=rtpmap:104 AMR-WB/16000\r\na=rtpmap:110 telephone-event/16000\r\n"
            + "a=ptime:20\r\na=maxptime:240\r\n";
        final String inviteText = "INVITE tel:10086;phone-context=" + DOMAIN + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1c2d3e4f;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "Route: <sip:10.4.128.21:5060;lr>\r\n"
            + "From: <sip:+8613800000001@" + DOMAIN + ">;tag=4130282085\r\n"
            + "To: <tel:10086;phone-context=" + DOMAIN + ">\r\n"
            + CALL_ID + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:+8613800000001@10.45.0.2:5060>;+sip.instance=\"<urn:gsma:imei:35209900-176148-1>\";"
            + "+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mmtel\"\r\n"
            + "P-Asserted-Identity: <sip:+8613800000001@" + DOMAIN + ">\r\n"
            + "P-Access-Network-Info: 3GPP-E-UTRAN-FDD; utran-cell-id-3gpp=4600012AB0123456\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, UPDATE, PRACK, MESSAGE, OPTIONS\r\n"
            + "Supported: 100rel, timer, precondition\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
        final String okText = "SIP/2.0 200 OK\r\n"
            + "Via: SIP/2.0/UDP 10.45.0.2:5060;branch=z9hG4bK1c2d3e4f;rport=5060\r\n"
            + "From: <sip:+8613800000001@" + DOMAIN + ">;tag=4130282085\r\n"
            + "To: <tel:10086;phone-context=" + DOMAIN + ">;tag=99\r\n"
            + CALL_ID + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:10.4.128.40:5060>\r\n"
            + "Content-Length: 0\r\n\r\n";
        invite = Unpooled.directBuffer().writeBytes(inviteText.getBytes(StandardCharsets.US_ASCII));
        ok = Unpooled.directBuffer().writeBytes(okText.getBytes(StandardCharsets.US_ASCII));
        inviteCallId = inviteText.indexOf(CALL_ID) + "Call-ID: ".length();
        okCallId = okText.indexOf(CALL_ID) + "Call-ID: ".length();
        up.srcLo = 0x0A2D0002;
        up.dstLo = 0x0A048015;
        up.srcPort = 5060;
        up.dstPort = 5060;
        up.transport = PacketInfo.TRANSPORT_UDP;
        down.srcLo = up.dstLo;
        down.dstLo = up.srcLo;
        down.srcPort = 5060;
        down.dstPort = 5060;
        down.transport = PacketInfo.TRANSPORT_UDP;
    }

    /** The INVITE alone: after the first call a retransmission of the pending transaction. */
    @Benchmark
    public void invite() {
        up.timeNs++;
        decoder.decode(up, invite, 0, invite.readableBytes(), sink);
    }

    /** A new call each time: INVITE (CALL_ATTEMPT reported) and its 200 OK (paired, completed). */
    @Benchmark
    public void inviteAndOk() {
        final long c = ++call;
        for (int i = 0; i < 8; i++) {
            final byte hex = (byte) "0123456789abcdef".charAt((int) (c >>> (28 - 4 * i)) & 0xF);
            invite.setByte(inviteCallId + i, hex);
            ok.setByte(okCallId + i, hex);
        }
        up.timeNs += 1000;
        decoder.decode(up, invite, 0, invite.readableBytes(), sink);
        down.timeNs = up.timeNs + 500;
        decoder.decode(down, ok, 0, ok.readableBytes(), sink);
    }

    private static final class BlackholeSink implements MessageSink {
        private final Blackhole blackhole;

        BlackholeSink(final Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onMessage(final SignalingMessage message) {
            blackhole.consume(message.present());
            blackhole.consume(message.called());
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            blackhole.consume(procedure.present());
            blackhole.consume(procedure.event());
        }
    }
}
