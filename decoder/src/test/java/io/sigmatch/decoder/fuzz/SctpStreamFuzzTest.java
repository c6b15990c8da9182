package io.sigmatch.decoder.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sigmatch.decoder.testing.ByteWriter;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the SCTP dissector: chunk walking, DATA and I-DATA fragment
 * reassembly, association state. The input is a script of packets (direction, Diameter or an
 * unclaimed port, IPv4 or IPv6, a verification tag that may change, a delay sometimes past the
 * 30 s reassembly timeout) each with up to four chunks: DATA or I-DATA (flags U/B/E, a TSN step,
 * stream, SSN or message id, PPID 46 or another, the user data) or any other chunk type with its
 * value. {@link ReassemblyHarness} checks the fragment count and byte budget after every packet.
 */
class SctpStreamFuzzTest {
    private static final ReassemblyHarness H = new ReassemblyHarness();

    @FuzzTest(maxDuration = "30s")
    void packets(final byte[] script) {
        fuzzerTestOneInput(script);
    }

    public static void fuzzerTestOneInput(final byte[] input) {
        final ReassemblyHarness.Script s = new ReassemblyHarness.Script(input);
        final long[] tsn = {1_000, 0xFFFF_FFF0L};
        for (int op = 0; op < 128 && s.more(); op++) {
            final int control = s.u8();
            final int dir = control & 1;
            final int serverPort = (control & 2) != 0 ? 2905 : 3868;
            final int chunks = 1 + ((control >>> 2) & 3);
            final long delay = (control & 0x10) != 0 ? 31_000_000_000L : 1_000_000L;
            final long tag = (control & 0x20) != 0 ? 0xABCD_0000L + s.u8() : 0x1111_0000L + dir;
            final boolean v6 = (control & 0x40) != 0;
            final ByteWriter packet = new ByteWriter()
                .u16(dir == 0 ? 40_000 : serverPort) // source port
                .u16(dir == 0 ? serverPort : 40_000) // destination port
                .u32(tag) // verification tag
                .u32(0); // CRC32c (not verified)
            for (int c = 0; c < chunks && s.more(); c++) {
                final int chunk = s.u8();
                final int kind = chunk & 3;
                final int flags = (chunk >>> 2) & 7;
                final int stream = (chunk >>> 5) & 3;
                if (kind == 2) {
                    final int type = s.u8();
                    final byte[] value = s.take(s.u8());
                    packet.u8(type).u8(s.u8()).u16(4 + value.length).bytes(value).pad4();
                    continue;
                }
                tsn[dir] = (tsn[dir] + (byte) s.u8()) & 0xFFFF_FFFFL;
                final int ssn = s.u8();
                final int ppidSelector = s.u8();
                final long ppid = ppidSelector < 200 ? 46 : ppidSelector;
                final byte[] data = s.take(s.u16() & 0x03FF);
                if (kind == 1) {
                    packet.u8(64) // I-DATA (RFC 8260 2.1)
                        .u8(flags).u16(20 + data.length)
                        .u32(tsn[dir]).u16(stream).u16(0)
                        .u32(ssn) // message identifier
                        .u32((flags & 2) != 0 ? ppid : ppidSelector) // PPID on the first fragment, else the FSN
                        .bytes(data).pad4();
                } else {
                    packet.u8(0) // DATA (RFC 9260 3.3.1)
                        .u8(flags).u16(16 + data.length)
                        .u32(tsn[dir]).u16(stream).u16(ssn).u32(ppid)
                        .bytes(data).pad4();
                }
            }
            final byte[] sctp = packet.toByteArray();
            final byte[] ip = v6
                ? Packets.ipv6(dir == 0 ? "2001:db8::1" : "2001:db8::2", dir == 0 ? "2001:db8::2" : "2001:db8::1", 132, sctp)
                : Packets.ipv4(dir == 0 ? "10.0.0.1" : "10.0.0.2", dir == 0 ? "10.0.0.2" : "10.0.0.1", 132, sctp);
            H.packet(ip, delay);
        }
        H.finish();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("sctp-stream", seeds(), SctpStreamFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /** Real Diameter messages: in one DATA chunk, in three DATA fragments (in order and not), in I-DATA. */
    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(SctpStreamFuzzTest.class, "packets"));
        final List<byte[]> messages = ReassemblyHarness.messages("Diameter");
        for (int i = 0; i < messages.size(); i++) {
            final byte[] m = messages.get(i);
            final int third = Math.max(1, m.length / 3);
            final byte[][] parts = {Arrays.copyOfRange(m, 0, third), Arrays.copyOfRange(m, third, 2 * third),
                Arrays.copyOfRange(m, 2 * third, m.length)};
            final int[] fragmentFlags = {2, 0, 1}; // B, middle, E
            // whole, in one DATA chunk (B and E)
            final ReassemblyHarness.ScriptWriter whole = new ReassemblyHarness.ScriptWriter();
            whole.u8(i & 1).u8(0 | 3 << 2).u8(1).u8(i).u8(0).u16(m.length).bytes(m);
            seeds.add(whole.toByteArray());
            for (final int kind : new int[] {0, 1}) {
                for (final boolean reversed : new boolean[] {false, true}) {
                    final ReassemblyHarness.ScriptWriter w = new ReassemblyHarness.ScriptWriter();
                    for (int k = 0; k < 3; k++) {
                        final int f = reversed ? 2 - k : k;
                        final int step = reversed ? (k == 0 ? 2 : -1) : 1;
                        w.u8(0).u8(kind | fragmentFlags[f] << 2).u8(step & 0xFF).u8(i).u8(kind == 1 ? f : 0)
                            .u16(parts[f].length).bytes(parts[f]);
                    }
                    seeds.add(w.toByteArray());
                }
            }
        }
        // control chunks: INIT (1), ABORT (6), SHUTDOWN (7), a bundle of two DATA
        seeds.add(new ReassemblyHarness.ScriptWriter().u8(0).u8(2).u8(1).u8(16).bytes(new byte[16]).u8(0)
            .u8(0x01).u8(2).u8(6).u8(0).u8(0).toByteArray());
        return seeds;
    }
}
