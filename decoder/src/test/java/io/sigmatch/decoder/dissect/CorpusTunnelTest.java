package io.sigmatch.decoder.dissect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.testing.CorpusViews;
import io.sigmatch.decoder.testing.Fixtures;
import io.sigmatch.decoder.testing.Tshark;
import org.junit.jupiter.api.Test;

/**
 * The tunnels of the corpus's mirror-feed captures, counted per frame as tshark sees them (GRE,
 * ERSPAN by version, VXLAN, PPPoE) against the Dissector's {@code dissect.tunnel.*} counters, so
 * each frame is opened as far as Wireshark opens it. The innermost UDP payloads themselves are
 * checked by {@link CorpusUdpTest}. tshark's counts are committed in fixtures/dissect/corpus/TUNNELS.tsv.
 */
class CorpusTunnelTest {
    private static final String[] FILES = {
        "encapsulation/zeek-vxlan.pcap", "encapsulation/zeek-erspanII.pcap", "encapsulation/zeek-erspanIII.pcap",
        "encapsulation/zeek-gre-erspan3-dot1q.pcap", "encapsulation/arkime-gre-erspan-vxlan.pcap",
        "encapsulation/tcpdump-various_gre.pcap", "encapsulation/ndpi-gre_sip.pcapng", "sip/wiki-DTMFsipinfo.pcap"};

    @Test
    void tunnelsOpenedPerFrameAgreeWithTshark() throws IOException {
        final Path fixture = Fixtures.fixture("dissect/corpus/TUNNELS.tsv");
        if (Tshark.available()) {
            final List<String> fresh = new ArrayList<>();
            fresh.add("# file\tframes with GRE\tERSPAN II\tERSPAN III\tVXLAN\tPPPoE (tshark frame.protocols, outermost of each)");
            for (final String f : FILES) {
                fresh.add(tsharkCounts(f));
            }
            if (Fixtures.writeMode()) {
                Fixtures.writeLines(fixture, fresh);
            }
            CorpusViews.assertSameLines(fresh, Fixtures.readLines(fixture), "committed fixture vs tshark now");
        }
        final List<String> expected = new ArrayList<>();
        final List<String> ours = new ArrayList<>();
        for (final String line : Fixtures.readLines(fixture)) {
            if (!line.startsWith("#")) {
                expected.add(line);
                ours.add(ourCounts(line.substring(0, line.indexOf('\t'))));
            }
        }
        CorpusViews.assertSameLines(expected, ours, "tunnel counts");
    }

    private static String tsharkCounts(final String relative) {
        long gre = 0;
        long erspan2 = 0;
        long erspan3 = 0;
        long vxlan = 0;
        long pppoe = 0;
        for (final String[] row : Tshark.fields(Fixtures.corpus().resolve(relative), "frame.protocols", "erspan.version")) {
            final String p = ":" + row[0] + ":";
            gre += p.contains(":gre:") ? 1 : 0;
            erspan2 += p.contains(":erspan:") && row[1].equals("1") ? 1 : 0;
            erspan3 += p.contains(":erspan:") && row[1].equals("2") ? 1 : 0;
            vxlan += p.contains(":vxlan:") ? 1 : 0;
            pppoe += p.contains(":pppoes:") ? 1 : 0;
        }
        return relative + "\t" + gre + "\t" + erspan2 + "\t" + erspan3 + "\t" + vxlan + "\t" + pppoe;
    }

    private static String ourCounts(final String relative) throws IOException {
        final Counters counters = new Counters();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, new DissectorConfig());
        try (CaptureFileReader reader = CaptureFileReader.open(Fixtures.corpus().resolve(relative), counters)) {
            reader.readAll(dissector);
        }
        dissector.finish();
        return relative + "\t" + counters.get("dissect.tunnel.gre.packets") + "\t"
            + counters.get("dissect.tunnel.erspan2.packets") + "\t" + counters.get("dissect.tunnel.erspan3.packets")
            + "\t" + counters.get("dissect.tunnel.vxlan.packets") + "\t" + counters.get("dissect.tunnel.pppoe.packets");
    }
}
