package io.sigmatch.decoder.tshark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TsharkSupportTest {
    /** A cut-down PDML document as tshark 4.0 writes it: two GTPv2 layers in one frame, IEs as subtrees. */
    static final String PDML = String.join("\n",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<pdml version=\"0\" creator=\"wireshark/4.0.17\">",
        "<packet>",
        "  <proto name=\"geninfo\" showname=\"General information\">",
        "    <field name=\"num\" show=\"2\" showname=\"Number\" value=\"2\"/>",
        "    <field name=\"timestamp\" show=\"Oct 24, 2024\" value=\"1729757575.470744000\"/>",
        "  </proto>",
        "  <proto name=\"udp\"><field name=\"udp.dstport\" show=\"2123\" value=\"084b\"/></proto>",
        "  <proto name=\"gtpv2\">",
        "    <field name=\"gtpv2.message_type\" showname=\"Message Type: Echo Request (1)\" show=\"1\" value=\"01\"/>",
        "  </proto>",
        "  <proto name=\"gtpv2\">",
        "    <field name=\"gtpv2.message_type\" showname=\"Message Type: Create Session Response (33)\" show=\"33\"/>",
        "    <field name=\"\" show=\"International Mobile Subscriber Identity (IMSI) : 337839439415386\">",
        "      <field name=\"gtpv2.ie_type\" show=\"1\"/>",
        "      <field name=\"e212.imsi\" show=\"337839439415386\"/>",
        "    </field>",
        "    <field name=\"\" show=\"Bearer Context : [Grouped IE]\">",
        "      <field name=\"gtpv2.ie_type\" show=\"93\"/>",
        "      <field name=\"\" show=\"nested\"><field name=\"gtpv2.tai_tac\" show=\"0x2e18\"/></field>",
        "      <field name=\"text\" show=\"bad &#x01; byte &amp; more\"/>",
        "    </field>",
        "  </proto>",
        "</packet>",
        "</pdml>");

    @Test
    void pdmlKeepsLayersAndNesting() {
        final List<PdmlPacket> packets = TsharkPdml.parse(PDML);
        assertEquals(1, packets.size());
        final PdmlPacket p = packets.get(0);
        assertEquals(2, p.frame());
        assertEquals("1729757575.470744000", p.timeEpoch());
        assertEquals("udp:gtpv2:gtpv2", p.stack());
        final List<PdmlNode> gtp = p.protocols("gtpv2");
        assertEquals(2, gtp.size(), "the piggybacked message is its own layer");
        assertEquals("Message Type: Create Session Response (33)", gtp.get(1).child("gtpv2.message_type").showname());
        final List<PdmlNode> ies = gtp.get(1).children(n -> n.child("gtpv2.ie_type") != null);
        assertEquals(2, ies.size());
        assertEquals("337839439415386", ies.get(0).firstShow("e212.imsi"));
        assertNull(ies.get(0).first("gtpv2.tai_tac"), "the grouped IE's content is not the IMSI IE's");
        assertEquals(0x2e18, PdmlNode.number(ies.get(1).firstShow("gtpv2.tai_tac")));
        assertEquals("bad ? byte & more", ies.get(1).firstShow("text"), "control characters XML 1.0 forbids are replaced");
        assertEquals(1, gtp.get(1).descendants("gtpv2.tai_tac").size());
    }

    @Test
    void numbersInBothBases() {
        assertEquals(11800, PdmlNode.number("11800"));
        assertEquals(11800, PdmlNode.number("0x2e18"));
        assertEquals(0xFFFFFFFFL, PdmlNode.number("0xffffffff"));
    }

    @Test
    void recordsRoundTripThroughJson() {
        final FieldRecord r = new FieldRecord().put("frame", 7).put("msg", "Create \"Session\" \\ Request")
            .put("apn", "a\u0001b").put("eci", 268435455L).put("mnc", 0);
        final String json = r.toJson();
        assertEquals("{\"frame\":7,\"msg\":\"Create \\\"Session\\\" \\\\ Request\",\"apn\":\"a\\u0001b\",\"eci\":268435455,\"mnc\":0}", json);
        assertEquals(r, FieldRecord.parse(json));
        assertEquals(r, FieldRecord.parse(" { \"frame\" : 7 , \"msg\":\"Create \\\"Session\\\" \\\\ Request\",\"apn\":\"a\\u0001b\","
            + "\"eci\":268435455,\"mnc\":0 } "));
        assertEquals(7, FieldRecord.parse(json).frame());
        assertThrows(IllegalArgumentException.class, () -> FieldRecord.parse("{\"a\":[1]}"));
        assertThrows(IllegalArgumentException.class, () -> FieldRecord.parse("{\"a\":1} x"));
    }

    @Test
    void comparisonAlignsByFrameAndPosition() {
        final List<FieldRecord> tshark = List.of(
            new FieldRecord().put("frame", 1).put("msg", "A").put("imsi", "1"),
            new FieldRecord().put("frame", 2).put("msg", "B"),
            new FieldRecord().put("frame", 2).put("msg", "C").put("tac", 5),
            new FieldRecord().put("frame", 3).put("msg", "D"));
        final List<FieldRecord> ours = List.of(
            new FieldRecord().put("frame", 1).put("msg", "A").put("imsi", "1").put("event", "X"),
            new FieldRecord().put("frame", 2).put("msg", "B"),
            new FieldRecord().put("frame", 2).put("msg", "C").put("tac", 6).put("lac", 1),
            new FieldRecord().put("frame", 4).put("msg", "E"));
        final RecordComparison c = new RecordComparison(List.of("frame", "msg", "imsi", "tac", "lac")).compare(tshark, ours);
        assertEquals(3, c.messages());
        assertEquals(3 + 2 + 4, c.fields(), "event is not a compared key");
        assertEquals(List.of("2\tlac", "2\ttac", "3\tmessage", "4\tmessage"), c.where());
        assertTrue(c.toString().contains("frame 2 #1 tac: tshark 5, ours 6"));
    }

    @Test
    void knownDifferencesNeedAReason() {
        final KnownDifferences k = new KnownDifferences(List.of("# comment", "", "a.pcap\t3\teci\tspare bits", "b.pcap\t1\tmessage\tTCP"));
        assertEquals(List.of("3\teci"), k.forCapture("a.pcap"));
        assertEquals(2, k.size());
        assertThrows(IllegalArgumentException.class, () -> new KnownDifferences(List.of("a.pcap\t3\teci")));
    }
}
