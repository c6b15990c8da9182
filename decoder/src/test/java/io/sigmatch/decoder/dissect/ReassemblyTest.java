package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.sigmatch.decoder.capture.LinkType;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.Packets;
import org.junit.jupiter.api.Test;

/**
 * IPv4 and IPv6 fragment reassembly through the dissector: order, duplicates, overlaps, limits
 * and the capture-time timeout, each drop counted by its reason.
 */
class ReassemblyTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = DissectorHarness.T0;

    private static byte[] udpDatagram(final int payloadLength, final int seed) {
        return Packets.udp(5000 + seed, 3868, Packets.payload(payloadLength, seed));
    }

    private static List<byte[]> v4(final int id, final byte[] udp) {
        return GeneratedCaptures.fragments4("10.0.0.1", "10.0.0.2", id, udp);
    }

    /** IPv6 fragments of a UDP datagram, 1232 data bytes each (RFC 8200 minimum MTU minus headers). */
    private static List<byte[]> v6(final long id, final byte[] udp) {
        final List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < udp.length; off += 1232) {
            final int end = Math.min(udp.length, off + 1232);
            out.add(Packets.ipv6("2001:db8::1", "2001:db8::2", 44,
                Packets.ipv6Fragment(Packets.PROTO_UDP, off, end < udp.length, id, Packets.slice(udp, off, end))));
        }
        return out;
    }

    private static void feed(final DissectorHarness h, final List<byte[]> packets) {
        for (final byte[] p : packets) {
            h.frame(LinkType.RAW, p);
        }
    }

    @Test
    void inOrderIpv4DatagramIsDeliveredAtTheFrameThatCompletesIt() {
        final DissectorHarness h = new DissectorHarness();
        final byte[] udp = udpDatagram(4000, 1);
        feed(h, v4(7, udp)); // 3 fragments: frames 1, 2, 3
        assertEquals(1, h.decoder.payloads.size());
        assertEquals(3, h.decoder.payloads.get(0).frame());
        assertArrayEquals(Packets.payload(4000, 1), h.decoder.payloads.get(0).bytes());
        assertEquals(3, h.count("dissect.frag.fragments"));
        assertEquals(1, h.count("dissect.frag.reassembled"));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void anyOrderGivesTheSameBytes() {
        final byte[] udp = udpDatagram(9000, 2); // 7 fragments
        final long seed = 20_261_122L;
        final Random random = new Random(seed);
        for (int round = 0; round < 50; round++) {
            final List<byte[]> fragments = new ArrayList<>(v4(round, udp));
            Collections.shuffle(fragments, random);
            final DissectorHarness h = new DissectorHarness();
            feed(h, fragments);
            assertEquals(1, h.decoder.payloads.size(), "seed " + seed + " round " + round);
            assertArrayEquals(Packets.payload(9000, 2), h.decoder.payloads.get(0).bytes(), "seed " + seed + " round " + round);
            assertEquals(7, h.decoder.payloads.get(0).frame());
        }
    }

    @Test
    void interleavedDatagramsStayApart() {
        final DissectorHarness h = new DissectorHarness();
        final List<byte[]> a = v4(1, udpDatagram(3000, 1));
        final List<byte[]> b = v4(2, udpDatagram(3000, 2)); // same addresses, other identification
        final List<byte[]> c = v6(1, udpDatagram(3000, 3)); // same identification number, IPv6
        feed(h, List.of(a.get(0), b.get(1), c.get(0), b.get(0), a.get(2), c.get(2), a.get(1), c.get(1), b.get(2)));
        assertEquals(3, h.decoder.payloads.size());
        assertArrayEquals(Packets.payload(3000, 1), h.decoder.payloads.get(0).bytes());
        assertArrayEquals(Packets.payload(3000, 3), h.decoder.payloads.get(1).bytes());
        assertArrayEquals(Packets.payload(3000, 2), h.decoder.payloads.get(2).bytes());
    }

    @Test
    void ipv4ProtocolAndVlanArePartOfTheKey() {
        final DissectorHarness h = new DissectorHarness();
        final byte[] udp = udpDatagram(2000, 1);
        final List<byte[]> f = v4(9, udp);
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, f.get(0), 0x8100, 10));
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, f.get(1), 0x8100, 20)); // other VLAN: not the same datagram
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(2, h.dissector.pendingFragmentedDatagrams());
        h.frame(LinkType.ETHERNET, Packets.ethernet(0x0800, f.get(1), 0x8100, 10));
        assertEquals(1, h.decoder.payloads.size());
    }

    @Test
    void duplicatesAreIgnoredAndADatagramSeenTwiceIsDeliveredOnce() {
        final DissectorHarness h = new DissectorHarness();
        final List<byte[]> f = v4(3, udpDatagram(4000, 4));
        feed(h, List.of(f.get(0), f.get(0), f.get(1), f.get(2))); // one repeat before completion
        feed(h, f); // the whole datagram again (a mirror that sees it twice)
        assertEquals(1, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.frag.duplicate"));
        assertEquals(3, h.count("dissect.frag.late_duplicate"));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void sameIdentificationAfterTheDuplicateWindowIsANewDatagram() {
        final DissectorHarness h = new DissectorHarness();
        final List<byte[]> f = v4(3, udpDatagram(2000, 4));
        h.frameAt(T0, LinkType.RAW, f.get(0));
        h.frameAt(T0 + MS, LinkType.RAW, f.get(1));
        h.frameAt(T0 + 2_000 * MS, LinkType.RAW, f.get(0)); // 2 s later: the 16-bit IPv4 id was reused
        h.frameAt(T0 + 2_001 * MS, LinkType.RAW, f.get(1));
        assertEquals(2, h.decoder.payloads.size());
    }

    @Test
    void ipv4OverlapKeepsTheBytesThatArrivedFirst() {
        final DissectorHarness h = new DissectorHarness();
        final byte[] udp = udpDatagram(2992, 5); // 3000 bytes of UDP
        final byte[] forged = udp.clone();
        java.util.Arrays.fill(forged, 1000, 2000, (byte) 0x66);
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 9, true, 0, Packets.slice(udp, 0, 1480)));
        // overlaps bytes 1000..1480 with other data, then brings 1480..2000
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 9, true, 1000, Packets.slice(forged, 1000, 2000)));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 9, false, 2000, Packets.slice(udp, 2000, 3000)));
        final byte[] expected = udp.clone();
        java.util.Arrays.fill(expected, 1480, 2000, (byte) 0x66);
        assertEquals(1, h.count("dissect.frag.overlap"));
        assertArrayEquals(Packets.slice(expected, 8, 3000), h.decoder.payloads.get(0).bytes());
    }

    @Test
    void ipv6OverlapDropsTheDatagram() {
        // RFC 5722: a node must discard a datagram whose fragments overlap.
        final DissectorHarness h = new DissectorHarness();
        final byte[] udp = udpDatagram(2992, 6);
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 44, Packets.ipv6Fragment(17, 0, true, 5, Packets.slice(udp, 0, 1504))));
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 44, Packets.ipv6Fragment(17, 1496, false, 5, Packets.slice(udp, 1496, 3000))));
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(1, h.count("dissect.frag.drop.overlap"));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void timeoutCountsInCaptureTime() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().reassemblyTimeoutNs(30_000 * MS));
        final List<byte[]> f = v4(4, udpDatagram(3000, 7));
        h.frameAt(T0, LinkType.RAW, f.get(0));
        h.frameAt(T0 + 29_000 * MS, LinkType.RAW, f.get(1)); // within 30 s of the first: kept
        assertEquals(1, h.dissector.pendingFragmentedDatagrams());
        h.frameAt(T0 + 30_001 * MS, LinkType.RAW, Packets.ipv4("10.9.9.9", "10.9.9.8", 17, Packets.udp(1, 2, new byte[1])));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams(), "expired by an unrelated packet's time");
        assertEquals(1, h.count("dissect.frag.drop.timeout"));
        h.frameAt(T0 + 30_002 * MS, LinkType.RAW, f.get(2)); // the last fragment alone cannot complete it
        assertEquals(1, h.decoder.payloads.size(), "only the unrelated datagram was delivered");
        assertEquals(1, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void wallClockDoesNotExpireAnything() throws InterruptedException {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().reassemblyTimeoutNs(1).reassemblyDuplicateWindowNs(0));
        final List<byte[]> f = v4(4, udpDatagram(2000, 7));
        h.frameAt(T0, LinkType.RAW, f.get(0));
        Thread.sleep(5);
        h.frameAt(T0, LinkType.RAW, f.get(1)); // same capture time: still within the 1 ns timeout
        assertEquals(1, h.decoder.payloads.size());
    }

    @Test
    void fullTableEvictsTheOldestDatagram() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().reassemblyMaxDatagrams(2));
        final List<byte[]> a = v4(1, udpDatagram(2000, 1));
        final List<byte[]> b = v4(2, udpDatagram(2000, 2));
        final List<byte[]> c = v4(3, udpDatagram(2000, 3));
        feed(h, List.of(a.get(0), b.get(0), c.get(0))); // c pushes a out
        assertEquals(1, h.count("dissect.frag.drop.evicted"));
        feed(h, List.of(b.get(1), c.get(1), a.get(1)));
        assertEquals(2, h.decoder.payloads.size()); // b and c complete; a's second half starts anew
        assertArrayEquals(Packets.payload(2000, 2), h.decoder.payloads.get(0).bytes());
        assertArrayEquals(Packets.payload(2000, 3), h.decoder.payloads.get(1).bytes());
    }

    @Test
    void byteBudgetEvictsTheOldestDatagram() {
        // 8 KiB budget = 4 chunks of 2 KiB; each 3008-byte datagram needs 2 once its first two
        // fragments (bytes 0..2960) are in.
        final DissectorHarness h = new DissectorHarness(new DissectorConfig()
            .reassemblyMaxDatagramBytes(8192).reassemblyBudgetBytes(8192));
        final List<byte[]> a = v4(1, udpDatagram(3000, 1));
        final List<byte[]> b = v4(2, udpDatagram(3000, 2));
        final List<byte[]> c = v4(3, udpDatagram(3000, 3));
        feed(h, List.of(a.get(0), a.get(1), b.get(0), b.get(1))); // all 4 chunks in use
        feed(h, List.of(c.get(0))); // needs a chunk: a, the oldest, gives way
        assertEquals(1, h.count("dissect.frag.drop.evicted"));
        feed(h, List.of(b.get(2), c.get(1), c.get(2), a.get(2)));
        assertEquals(2, h.decoder.payloads.size());
        assertArrayEquals(Packets.payload(3000, 2), h.decoder.payloads.get(0).bytes());
        assertArrayEquals(Packets.payload(3000, 3), h.decoder.payloads.get(1).bytes());
        assertEquals(1, h.dissector.pendingFragmentedDatagrams()); // a's last fragment, alone
    }

    @Test
    void datagramLargerThanTheLimit() {
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().reassemblyMaxDatagramBytes(4000));
        feed(h, v4(1, udpDatagram(4500, 1))); // fragments end at 1480, 2960, 4440, 4508
        assertEquals(0, h.decoder.payloads.size());
        assertEquals(2, h.count("dissect.frag.drop.too_big"), "each fragment reaching past 4000 bytes");
        assertEquals(0, h.dissector.pendingFragmentedDatagrams(), "the first two went with the datagram");
    }

    @Test
    void fragmentBeyondTheIpv4MaximumIsTooBig() {
        // offset 8184 * 8 = 65472 plus 100 bytes ends past 65535: the "ping of death" shape.
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 1, false, 65_472, new byte[100]));
        assertEquals(1, h.count("dissect.frag.drop.too_big"));
    }

    @Test
    void nonFinalFragmentMustBeAMultipleOfEightBytes() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 1, true, 0, new byte[1001]));
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 44, Packets.ipv6Fragment(17, 0, true, 1, new byte[12])));
        assertEquals(2, h.count("dissect.frag.drop.bad_length"));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void twoDifferentEndsAreInconsistent() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 1, false, 1480, new byte[100])); // ends at 1580
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 1, false, 1480, new byte[200])); // ends at 1680
        assertEquals(1, h.count("dissect.frag.drop.inconsistent"));
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 2, false, 1480, new byte[100])); // end 1580
        h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, 2, true, 1600, new byte[80])); // data past it
        assertEquals(2, h.count("dissect.frag.drop.inconsistent"));
    }

    @Test
    void unfinishedDatagramsAreCountedAtTheEnd() {
        final DissectorHarness h = new DissectorHarness();
        h.frame(LinkType.RAW, v4(1, udpDatagram(3000, 1)).get(0));
        h.frame(LinkType.RAW, v6(1, udpDatagram(3000, 1)).get(1));
        h.dissector.finish();
        assertEquals(2, h.count("dissect.frag.drop.incomplete_at_end"));
        assertEquals(0, h.dissector.pendingFragmentedDatagrams());
    }

    @Test
    void ipv6FragmentableExtensionHeadersAreWalkedAfterReassembly() {
        final DissectorHarness h = new DissectorHarness();
        final byte[] fragmentable = Packets.concat(
            Packets.ipv6Extension(17, new byte[] {1, 4, 0, 0, 0, 0}), // destination options, next UDP
            udpDatagram(2500, 9));
        final int cut = 1504;
        final byte[] hopByHop = Packets.ipv6Extension(44, new byte[] {1, 4, 0, 0, 0, 0}); // next = fragment
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 0, Packets.concat(hopByHop,
            Packets.ipv6Fragment(60, 0, true, 42, Packets.slice(fragmentable, 0, cut)))));
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 0, Packets.concat(hopByHop,
            Packets.ipv6Fragment(60, cut, false, 42, Packets.slice(fragmentable, cut, fragmentable.length)))));
        assertArrayEquals(Packets.payload(2500, 9), h.decoder.payloads.get(0).bytes());
        assertEquals(6, h.decoder.payloads.get(0).ipVersion());
    }

    @Test
    void fragmentHeaderInsideAReassembledDatagramIsRefused() {
        final DissectorHarness h = new DissectorHarness();
        final byte[] inner = Packets.ipv6Fragment(17, 0, true, 9, new byte[16]); // a fragment header as payload
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 44, Packets.ipv6Fragment(44, 0, true, 8, Packets.slice(inner, 0, 16))));
        h.frame(LinkType.RAW, Packets.ipv6("::1", "::2", 44, Packets.ipv6Fragment(44, 16, false, 8, Packets.slice(inner, 16, 24))));
        assertEquals(1, h.count("dissect.ipv6.error.nested_fragment"));
        assertEquals(0, h.decoder.payloads.size());
    }

    @Test
    void floodOfNeverCompletingFragmentsStaysBounded() {
        // 100 000 first fragments with distinct ids: memory is the preallocated pool, old ones go.
        final DissectorHarness h = new DissectorHarness(new DissectorConfig().reassemblyMaxDatagrams(64));
        final byte[] data = new byte[1480];
        for (int id = 0; id < 100_000; id++) {
            h.frame(LinkType.RAW, Packets.ipv4("10.0.0.1", "10.0.0.2", 17, id & 0xFFFF, true, 0, data));
        }
        assertEquals(64, h.dissector.pendingFragmentedDatagrams());
        assertEquals(100_000 - 64, h.count("dissect.frag.drop.evicted") + h.count("dissect.frag.drop.timeout"));
        // and a real datagram still gets through afterwards
        feed(h, v4(77, udpDatagram(2000, 5)));
        assertEquals(1, h.decoder.payloads.size());
    }
}
