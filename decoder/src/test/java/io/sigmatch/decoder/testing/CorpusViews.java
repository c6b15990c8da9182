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
     * "frame\tsrcPort\tdstPort\tpayloadLength" for every frame whose transport, under the tunnels
     * the dissector opens, is UDP: the innermost UDP header reached through link layers (PPPoE
     * and PPP included), IP (IPv6 extension headers allowed), IP-in-IP, GRE (ERSPAN, PPP,
     * Ethernet, VLAN or IP inside) and VXLAN over UDP, in any nesting.
     *
     * <p>tshark also decodes UDP inside GTP-U and inside ICMP errors, which the dissector does not
     * open: there the walk stops at the first UDP (GTP-U's carrier) or finds none (ICMP). With
     * occurrence=a, udp.* list every UDP header outermost first, so the walk's count of UDP layers
     * picks the right one. A fragment that completes a datagram shows "udp" at the frame that
     * completes it, as the dissector reports it.
     */
    public static List<String> tsharkUdp(final Path file) {
        final List<String> out = new ArrayList<>();
        for (final String[] row : Tshark.allOccurrences(file, FIELDS)) {
            final int index = deliveredUdpIndex(row[2]);
            if (index < 0 || row[5].isEmpty()) {
                continue;
            }
            final String[] src = row[3].split(",");
            final String[] dst = row[4].split(",");
            final String[] length = row[5].split(",");
            if (index >= length.length) {
                continue; // a UDP layer tshark names without a length (malformed): nothing delivered
            }
            out.add(row[0] + "\t" + src[index] + "\t" + dst[index] + "\t" + (Integer.parseInt(length[index]) - 8));
        }
        return out;
    }

    /** Which UDP layer (0 = outermost) of frame.protocols the dissector delivers, or -1 for none. */
    static int deliveredUdpIndex(final String protocols) {
        final String[] t = protocols.split(":");
        int i = 0;
        int udp = 0;
        boolean link = true; // expecting link layers, then IP
        while (i < t.length) {
            if (link) {
                while (i < t.length && (LINK.contains(t[i]) || t[i].equals("pppoes") || t[i].equals("ppp"))) {
                    i++;
                }
                if (i == t.length || !(t[i].equals("ip") || t[i].equals("ipv6"))) {
                    return -1;
                }
                i++;
                link = false;
            }
            while (i < t.length && t[i].startsWith("ipv6.")) {
                i++;
            }
            if (i == t.length) {
                return -1;
            }
            switch (t[i]) {
                case "ip", "ipv6" -> i++; // IP-in-IP: another IP header follows directly
                case "gre" -> {
                    i++;
                    if (i < t.length && t[i].equals("erspan")) {
                        i++;
                    }
                    if (i < t.length && (t[i].equals("ip") || t[i].equals("ipv6"))) {
                        i++;
                    } else {
                        link = true;
                    }
                }
                case "udp" -> {
                    if (i + 1 < t.length && t[i + 1].equals("vxlan")) {
                        udp++;
                        i += 2;
                        link = true;
                    } else {
                        return udp;
                    }
                }
                default -> {
                    return -1;
                }
            }
        }
        return -1;
    }

    static boolean outermostTransportIsUdp(final String protocols) {
        return deliveredUdpIndex(protocols) == 0;
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
