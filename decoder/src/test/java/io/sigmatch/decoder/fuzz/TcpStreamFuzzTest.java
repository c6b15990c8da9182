package io.sigmatch.decoder.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of TCP reassembly (and the Diameter stream framing behind it). The input
 * is a script of segments on four flows (one IPv6, one on a port only the content sniffer claims):
 * direction, flags, sequence offset from the direction's initial number (the client's wraps past
 * 2^32 after 256 bytes; offsets with the top bit set go backwards), a delay (sometimes past the gap
 * or idle timeout) and the payload. The limits are small so budgets, held-segment caps and flow
 * eviction are reached; {@link ReassemblyHarness} checks them after every segment.
 */
class TcpStreamFuzzTest {
    private static final ReassemblyHarness H = new ReassemblyHarness();
    private static final long CLIENT_ISN = 0xFFFF_FF00L;
    private static final long SERVER_ISN = 7_000L;
    private static final int[] FLAGS = {0x10, 0x18, 0x02, 0x12, 0x11, 0x04, 0x14, -1};
    private static final long[] DELAYS = {1_000_000L, 0L, 4_000_000_000L, 130_000_000_000L};

    @FuzzTest(maxDuration = "30s")
    void segments(final byte[] script) {
        fuzzerTestOneInput(script);
    }

    public static void fuzzerTestOneInput(final byte[] input) {
        final ReassemblyHarness.Script s = new ReassemblyHarness.Script(input);
        for (int op = 0; op < 256 && s.more(); op++) {
            final int control = s.u8();
            final boolean reply = (control & 1) != 0;
            final int flow = (control >>> 1) & 3;
            final int kind = (control >>> 3) & 7;
            final int flags = FLAGS[kind] < 0 ? s.u8() : FLAGS[kind];
            final long delay = DELAYS[control >>> 6];
            final int offset = s.u16();
            final long isn = reply ? SERVER_ISN : CLIENT_ISN;
            final long seq = (offset & 0x8000) != 0 ? isn - (offset & 0x7FFF) : isn + offset;
            final byte[] payload = s.take(s.u16() & 0x0FFF);
            final int clientPort = 40_000 + flow;
            final int serverPort = flow == 3 ? 3870 : 3868;
            final byte[] segment = reply
                ? tcp(serverPort, clientPort, seq, CLIENT_ISN + 1, flags, payload)
                : tcp(clientPort, serverPort, seq, SERVER_ISN + 1, flags, payload);
            final String client = "10.0.0.1";
            final String server = "10.0.0.2";
            final byte[] ip = flow == 2
                ? Packets.ipv6(reply ? "2001:db8::2" : "2001:db8::1", reply ? "2001:db8::1" : "2001:db8::2", 6, segment)
                : Packets.ipv4(reply ? server : client, reply ? client : server, 6, segment);
            H.packet(ip, delay);
        }
        H.finish();
    }

    /** A TCP segment with a 20-byte header. */
    static byte[] tcp(final int srcPort, final int dstPort, final long seq, final long ack, final int flags,
        final byte[] payload) {
        return new ByteWriter()
            .u16(srcPort) // source port
            .u16(dstPort) // destination port
            .u32(seq & 0xFFFFFFFFL) // sequence number
            .u32(ack & 0xFFFFFFFFL) // acknowledgment number
            .u8(5 << 4) // data offset 5 words
            .u8(flags) // CWR ECE URG ACK PSH RST SYN FIN
            .u16(65_535) // window
            .u16(0) // checksum (not verified)
            .u16(0) // urgent pointer
            .bytes(payload).toByteArray();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("tcp-stream", seeds(), TcpStreamFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /** Handshakes and real Diameter messages: whole, cut in 100-byte segments, reordered, retransmitted. */
    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(TcpStreamFuzzTest.class, "segments"));
        final List<byte[]> messages = ReassemblyHarness.messages("Diameter");
        for (int i = 0; i < messages.size(); i++) {
            final byte[] m = messages.get(i);
            final byte[] answer = messages.get((i + 1) % messages.size());
            final int flow = i % 4;
            for (int variant = 0; variant < 3; variant++) {
                final ReassemblyHarness.ScriptWriter w = new ReassemblyHarness.ScriptWriter();
                op(w, false, flow, 2, 0, 0, new byte[0]); // SYN
                op(w, true, flow, 3, 0, 0, new byte[0]); // SYN-ACK
                final List<int[]> pieces = new ArrayList<>();
                for (int at = 0; at < m.length; at += 100) {
                    pieces.add(new int[] {at, Math.min(100, m.length - at)});
                }
                if (variant == 1) {
                    java.util.Collections.reverse(pieces);
                }
                for (final int[] p : pieces) {
                    op(w, false, flow, 1, 0, 1 + p[0], java.util.Arrays.copyOfRange(m, p[0], p[0] + p[1]));
                    if (variant == 2) {
                        op(w, false, flow, 1, 0, 1 + p[0], java.util.Arrays.copyOfRange(m, p[0], p[0] + p[1]));
                    }
                }
                op(w, true, flow, 1, 0, 1, answer);
                op(w, false, flow, 4, 0, 1 + m.length, new byte[0]); // FIN
                seeds.add(w.toByteArray());
            }
        }
        return seeds;
    }

    private static void op(final ReassemblyHarness.ScriptWriter w, final boolean reply, final int flow, final int kind,
        final int delay, final int offset, final byte[] payload) {
        w.u8((reply ? 1 : 0) | flow << 1 | kind << 3 | delay << 6).u16(offset).u16(payload.length).bytes(payload);
    }
}
