package io.sigmatch.decoder.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of IPv4 and IPv6 fragment reassembly. The input is a script of fragments:
 * version, one of four identifications, More Fragments, the upper protocol (UDP, TCP, SCTP, ESP),
 * a delay (sometimes past the 30 s timeout), the offset in 8-byte units and the data. Only eight
 * datagrams may be pending, so eviction is reached; {@link ReassemblyHarness} checks the limits
 * after every fragment and that nothing is left after the input.
 */
class IpFragmentFuzzTest {
    private static final ReassemblyHarness H = new ReassemblyHarness();
    private static final int[] PROTOCOLS = {17, 6, 132, 50};
    private static final long[] DELAYS = {1_000_000L, 0L, 31_000_000_000L, 500_000_000L};

    @FuzzTest(maxDuration = "30s")
    void fragments(final byte[] script) {
        fuzzerTestOneInput(script);
    }

    public static void fuzzerTestOneInput(final byte[] input) {
        final ReassemblyHarness.Script s = new ReassemblyHarness.Script(input);
        for (int op = 0; op < 256 && s.more(); op++) {
            final int control = s.u8();
            final boolean v6 = (control & 1) != 0;
            final int id = 0x4000 + ((control >>> 1) & 3);
            final boolean more = (control & 8) != 0;
            final int protocol = PROTOCOLS[(control >>> 4) & 3];
            final long delay = DELAYS[control >>> 6];
            final int offsetBytes = (s.u16() & 0x1FFF) << 3;
            final byte[] data = s.take(s.u16() & 0x07FF);
            final byte[] ip = v6
                ? Packets.ipv6("2001:db8::1", "2001:db8::2", 44, Packets.ipv6Fragment(protocol, offsetBytes, more, id, data))
                : Packets.ipv4("10.0.0.1", "10.0.0.2", protocol, id, more, offsetBytes, data);
            H.packet(ip, delay);
        }
        H.finish();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shortRun() {
        final long tried = FuzzRun.run("ip-fragments", seeds(), IpFragmentFuzzTest::fuzzerTestOneInput);
        assertTrue(tried > 0);
    }

    /** Real GTPv2 messages in UDP, cut in 64-byte fragments: in order, reversed, duplicated, overlapping. */
    static List<byte[]> seeds() {
        final List<byte[]> seeds = new ArrayList<>(FuzzRun.seedFiles(IpFragmentFuzzTest.class, "fragments"));
        final List<byte[]> messages = ReassemblyHarness.messages("Gtpv2");
        for (int i = 0; i < messages.size(); i++) {
            final byte[] udp = Packets.udp(2123, 2123, messages.get(i));
            for (int variant = 0; variant < 4; variant++) {
                final boolean v6 = (i + variant) % 2 == 1;
                final List<int[]> pieces = new ArrayList<>();
                for (int at = 0; at < udp.length; at += 64) {
                    pieces.add(new int[] {at, Math.min(64, udp.length - at)});
                }
                if (variant == 1) {
                    Collections.reverse(pieces);
                }
                final ReassemblyHarness.ScriptWriter w = new ReassemblyHarness.ScriptWriter();
                for (final int[] p : pieces) {
                    final boolean last = p[0] + p[1] >= udp.length;
                    final int control = (v6 ? 1 : 0) | (i & 3) << 1 | (last ? 0 : 8);
                    final int length = variant == 3 && !last ? p[1] + 8 : p[1]; // overlap the next fragment by 8 bytes
                    w.u8(control).u16(p[0] >>> 3).u16(Math.min(length, udp.length - p[0]))
                        .bytes(Arrays.copyOfRange(udp, p[0], Math.min(p[0] + length, udp.length)));
                    if (variant == 2) {
                        w.u8(control).u16(p[0] >>> 3).u16(p[1]).bytes(Arrays.copyOfRange(udp, p[0], p[0] + p[1]));
                    }
                }
                seeds.add(w.toByteArray());
            }
        }
        return seeds;
    }
}
