package io.sigmatch.decoder.s1ap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The events S1AP + NAS-EPS yield and the subscriber they resolve to, over the captures the
 * differential test writes (the field values themselves are checked against tshark there).
 */
class S1apDecoderTest {
    @TempDir
    Path dir;

    /** "EVENT imsi-or-- msg" per procedure, in order. */
    private List<String> procedures(final String capture, final Counters counters) throws IOException {
        final Path file = Files.write(dir.resolve(capture), S1apTestCaptures.all().get(capture));
        final List<String> out = new ArrayList<>();
        final List<String> imsis = new ArrayList<>();
        final SignalingDecoder d = new SignalingDecoder(counters, new DecoderConfig(), new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage m) {
                if (m.has(SignalingMessage.IMSI)) {
                    imsis.add(Digits.toString(m.imsi()));
                }
            }

            @Override
            public void onProcedure(final SignalingMessage p) {
                assertEquals(Protocol.S1AP, p.protocol());
                out.add(p.event() + " " + (p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-") + " "
                    + p.messageName() + (p.has(SignalingMessage.ECI) ? " eci=" + p.eci() : ""));
            }
        });
        d.decodeFile(file);
        d.finish();
        assertFalse(imsis.contains("001019999999999"), "ciphertext is never read as an identity");
        return out;
    }

    @Test
    void attachWithImsiIdentityAndNullCipher() throws IOException {
        final Counters counters = new Counters();
        final List<String> p = procedures("s1ap-attach-imsi.pcap", counters);
        final String imsi = S1apTestCaptures.IMSI;
        final long eci = S1apTestCaptures.ECI;
        assertEquals(List.of(
            "POWER_ON " + imsi + " InitialUEMessage (Attach request) eci=" + eci,
            "HANDSET_REPORTED " + imsi + " UplinkNASTransport (Identity response) eci=" + eci,
            "HANDSET_REPORTED " + imsi + " UplinkNASTransport (Security mode complete) eci=" + eci), p);
        assertEquals(1, counters.get(S1apDecoder.NAS + S1apDecoder.CIPHERED), "ciphered before the SMC: counted");
        assertEquals(1, counters.get(S1apDecoder.CORRELATE + "released"));
        assertEquals(0, counters.sum(S1apDecoder.ERROR) + counters.sum(S1apDecoder.NAS_ERROR));
    }

    @Test
    void idleModeMobilityResolvesThroughTheGuti() throws IOException {
        final Counters counters = new Counters();
        final List<String> p = procedures("s1ap-idle-mobility.pcap", counters);
        final String imsi = S1apTestCaptures.IMSI;
        final long eci = S1apTestCaptures.ECI;
        assertEquals(List.of(
            // the TAU's subscriber is unknown until the Identity Response: completed then, with its cell
            "LOCATION_UPDATE " + imsi + " InitialUEMessage (Tracking area update request) eci=" + (eci + 1),
            // from idle: the S-TMSI names the GUTI the TAU connection tied to the IMSI
            "LOCATION_UPDATE " + imsi + " InitialUEMessage (Service request) eci=" + (eci + 2),
            "LOCATION_UPDATE " + imsi + " LocationReport eci=" + (eci + 3),
            "LOCATION_UPDATE " + imsi + " PathSwitchRequest eci=" + (eci + 4),
            "LOCATION_UPDATE " + imsi + " HandoverNotify eci=" + (eci + 5),
            "POWER_OFF " + imsi + " UplinkNASTransport (Detach request) eci=" + (eci + 5)), p);
        assertEquals(1, counters.get(S1apDecoder.CORRELATE + "event_deferred"));
        assertEquals(1, counters.get(S1apDecoder.CORRELATE + "event_deferred_completed"));
        assertTrue(counters.get(S1apDecoder.CORRELATE + "tmsi_resolved") >= 1);
    }

    @Test
    void eventRules() {
        assertEquals(EventKind.POWER_ON, S1apDecoder.eventOf(0, 12, 0x41, true, true, false));
        assertEquals(EventKind.LOCATION_UPDATE, S1apDecoder.eventOf(0, 12, -1, true, false, false),
            "an InitialUEMessage whose NAS is ciphered still reports the cell");
        assertEquals(EventKind.NONE, S1apDecoder.eventOf(0, 13, 0x53, true, false, false),
            "an uplink message in the known cell is no event");
        assertEquals(EventKind.LOCATION_UPDATE, S1apDecoder.eventOf(0, 13, 0x53, true, true, false));
        assertEquals(EventKind.NONE, S1apDecoder.eventOf(0, 11, -1, false, true, false), "downlink carries no cell");
    }
}
