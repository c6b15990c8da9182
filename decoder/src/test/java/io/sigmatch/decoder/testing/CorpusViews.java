package io.sigmatch.decoder.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * tshark's view of a capture, reduced to what the capture reader and the dissector must agree
 * with: every frame's number and time, and every outermost UDP payload.
 */
public final class CorpusViews {
    private static final String[] FIELDS = {
        "frame.number", "frame.time_epoch", "frame.protocols", "udp.srcport", "udp.dstport", "udp.length",
        "frame.interface_id"};
    /** Link-layer names tshark puts before the IP layer in frame.protocols. */
    private static final Set<String> LINK = Set.of("eth", "ethertype", "vlan", "ieee8021ad", "sll", "null", "raw");

    private CorpusViews() {
    }

    public static String relative(final Path file) {
        return Fixtures.corpus().relativize(file).toString().replace('\\', '/');
    }

    /**
     * "number\ttime_epoch\tinterface" per frame, as tshark shows them; the interface is empty for
     * pcap files (which have no interface blocks) and section-local for pcapng, as Wireshark 4.0
     * reports frame.interface_id.
     */
    public static List<String> tsharkFrames(final Path file) {
        final List<String> out = new ArrayList<>();
        for (final String[] row : Tshark.fields(file, FIELDS)) {
            out.add(row[0] + "\t" + row[1] + "\t" + row[6]);
        }
        return out;
    }

    /** "number\ttime_epoch\tinterface\tprotocols" per frame (time is empty for records without one). */
    public static List<String> tsharkFramesAndProtocols(final Path file) {
        final List<String> out = new ArrayList<>();
        for (final String[] row : Tshark.fields(file, FIELDS)) {
            out.add(row[0] + "\t" + row[1] + "\t" + row[6] + "\t" + row[2]);
        }
        return out;
    }

    /**
     * "frame\tsrcPort\tdstPort\tpayloadLength" for every frame whose outermost transport is UDP.
     *
     * <p>tshark also decodes UDP inside tunnels (GTP-U, VXLAN, GRE, IP-in-IP) and inside ICMP
     * errors, which the dissector does not open (yet). So a frame counts only when frame.protocols
     * reads link layers, then exactly one IP layer (IPv6 extension headers allowed), then "udp":
     * with occurrence=f, udp.* is then the outermost UDP header. A fragment that completes a
     * datagram shows "udp" at the frame that completes it, as the dissector reports it.
     */
    public static List<String> tsharkUdp(final Path file) {
        final List<String> out = new ArrayList<>();
        for (final String[] row : Tshark.fields(file, FIELDS)) {
            if (outermostTransportIsUdp(row[2]) && !row[5].isEmpty()) {
                out.add(row[0] + "\t" + row[3] + "\t" + row[4] + "\t" + (Integer.parseInt(row[5]) - 8));
            }
        }
        return out;
    }

    static boolean outermostTransportIsUdp(final String protocols) {
        final String[] t = protocols.split(":");
        int i = 0;
        while (i < t.length && LINK.contains(t[i])) {
            i++;
        }
        if (i == t.length || !(t[i].equals("ip") || t[i].equals("ipv6"))) {
            return false;
        }
        i++;
        while (i < t.length && t[i].startsWith("ipv6.")) {
            i++;
        }
        return i < t.length && t[i].equals("udp");
    }

    /** Line-by-line comparison that names the first difference instead of dumping both lists. */
    public static void assertSameLines(final List<String> expected, final List<String> actual, final String what) {
        final int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(what + ": line " + (i + 1) + " expected [" + expected.get(i) + "] but was [" + actual.get(i)
                    + "] (" + expected.size() + " expected lines, " + actual.size() + " actual)");
            }
        }
        if (expected.size() != actual.size()) {
            fail(what + ": " + expected.size() + " lines expected, " + actual.size() + " actual; first extra: "
                + (expected.size() > n ? "expected [" + expected.get(n) + "]" : "actual [" + actual.get(n) + "]"));
        }
    }
}
