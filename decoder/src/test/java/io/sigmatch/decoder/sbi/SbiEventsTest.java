package io.sigmatch.decoder.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The procedures (DESIGN §4 events, what the match pipeline receives through
 * {@link MessageSink#onProcedure}) the written captures must produce, through the whole decoding
 * stage as `sigmatch decode` and the appliance run it: the SBI ports and the preface detection,
 * TCP reassembly, HTTP/2, HPACK, pairing and the JSON bodies.
 */
class SbiEventsTest {
    private static List<String> procedures(final String capture) throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/sbi-captures"));
        final Path file = Files.write(dir.resolve(capture), SbiTestCaptures.all().get(capture));
        final List<String> out = new ArrayList<>();
        final StringBuilder json = new StringBuilder();
        final Counters counters = new Counters();
        final SignalingDecoder decoder = new SignalingDecoder(counters, new DecoderConfig(), new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage m) {
            }

            @Override
            public void onProcedure(final SignalingMessage p) {
                if (p.protocol() == Protocol.SBI) {
                    json.setLength(0);
                    // drop the time: the procedures are compared by what they say, at their frame
                    out.add(SignalingJson.appendTo(p, json, false).toString().replaceAll(",\"time\":\"[0-9.]+\"", ""));
                }
            }
        });
        decoder.decodeFile(file);
        decoder.finish();
        assertEquals(0, counters.get("dissect.error.decoder_exception"));
        return out;
    }

    @Test
    void smfAndUdm() throws IOException {
        assertEquals(List.of(
            "{\"frame\":12,\"proto\":\"sbi\",\"msg\":\"Nsmf_PDUSession_CreateSMContext\",\"event\":\"DATA_SESSION_START\","
                + "\"outcome\":\"accepted\",\"imsi\":\"460001234567890\",\"msisdn\":\"8613800138000\",\"imei\":\"86650704004053\","
                + "\"imeisv\":\"8665070400405301\",\"mcc\":460,\"mnc\":0,\"tac\":41394,\"nci\":790017,\"rat\":\"NR\",\"apn\":\"internet\"}",
            "{\"frame\":14,\"proto\":\"sbi\",\"msg\":\"Nudm_UECM_Registration\",\"event\":\"POWER_ON\",\"outcome\":\"accepted\","
                + "\"imsi\":\"460001234567890\",\"imei\":\"86650704004053\",\"mcc\":460,\"mnc\":0,\"rat\":\"NR\"}",
            // a US IMSI registered by an AMF of 460/00: roaming, refused with 403
            "{\"frame\":16,\"proto\":\"sbi\",\"msg\":\"Nudm_UECM_Registration\",\"event\":\"ROAMING_REGISTRATION\","
                + "\"outcome\":\"rejected\",\"imsi\":\"310410987654321\",\"imei\":\"86650704004053\",\"mcc\":460,\"mnc\":0,\"rat\":\"NR\"}",
            "{\"frame\":18,\"proto\":\"sbi\",\"msg\":\"GET\",\"outcome\":\"accepted\"}",
            // reset by the client (RST_STREAM CANCEL) before any answer: completed at the request's frame
            "{\"frame\":19,\"proto\":\"sbi\",\"msg\":\"Nsmf_PDUSession_CreateSMContext\",\"event\":\"DATA_SESSION_START\","
                + "\"outcome\":\"unknown\",\"imsi\":\"460001111111111\",\"msisdn\":\"8613900000001\",\"imei\":\"86650704004053\","
                + "\"mcc\":460,\"mnc\":0,\"tac\":41394,\"nci\":790017,\"rat\":\"NR\",\"apn\":\"internet\"}"),
            procedures("nsmf-uecm-7777.pcap"));
    }

    @Test
    void amfNotificationsAndAusf() throws IOException {
        final List<String> p = procedures("namf-ausf-huffman-29518.pcap");
        assertEquals(4, p.size(), p.toString());
        assertTrue(p.get(0).contains("\"msg\":\"Namf_EventExposure_Subscribe\""), p.get(0));
        // the first report of the notification: its SUPI and NR location (TAC 000102, NCI 00123abcd)
        assertTrue(p.get(1).contains("\"msg\":\"Namf_EventExposure_Notify\",\"event\":\"LOCATION_UPDATE\","
            + "\"outcome\":\"accepted\",\"imsi\":\"460001234567890\",\"mcc\":460,\"mnc\":0,\"tac\":258,\"nci\":19114957"), p.get(1));
        // null-scheme SUCI: the IMSI; a concealed one: none
        assertTrue(p.get(2).contains("\"imsi\":\"460001234567890\""), p.get(2));
        assertTrue(!p.get(3).contains("imsi") && p.get(3).contains("rejected"), p.get(3));
    }

    @Test
    void aConnectionOnAPortNobodyConfiguredIsFoundByItsPreface() throws IOException {
        assertEquals(List.of("{\"frame\":8,\"proto\":\"sbi\",\"msg\":\"Nudm_UECM_Registration\",\"event\":\"LOCATION_UPDATE\","
            + "\"outcome\":\"accepted\",\"imsi\":\"460001234567890\",\"imei\":\"86650704004053\",\"mcc\":460,\"mnc\":0,"
            + "\"rat\":\"NR\"}"), procedures("preface-on-odd-port-31000.pcap"));
    }

    @Test
    void fromMidStreamOnlyWhatWasDecodedExactlyIsUsed() throws IOException {
        // stream 3's :method and :path come before its first unknown reference (kept, body read);
        // its response and stream 5's request start with unknown references (dropped, counted)
        final List<String> p = procedures("midstream-8080.pcap");
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).contains("\"event\":\"DATA_SESSION_START\",\"outcome\":\"unknown\",\"imsi\":\"460001234567890\""),
            p.get(0));
    }
}
