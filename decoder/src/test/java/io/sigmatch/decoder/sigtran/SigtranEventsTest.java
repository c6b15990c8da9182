package io.sigmatch.decoder.sigtran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The normalized events (DESIGN §4) the SIGTRAN decoder hands the match pipeline, through the
 * decoding stage as the appliance builds it ({@link SignalingDecoder}: SCTP PPID 3 registered):
 * one procedure per TCAP transaction, with its event, outcome and the subscriber both directions
 * named. The pipeline takes {@link MessageSink#onProcedure} from every decoder alike, so these are
 * the events rules match on.
 */
class SigtranEventsTest {
    @Test
    void mobilityProcedures() throws IOException {
        assertEquals(List.of(
                "map updateLocation LOCATION_UPDATE accepted imsi=460001234567890 msisdn=8613800138000",
                "map updateLocation ROAMING_REGISTRATION rejected imsi=460001234567890 msisdn=-",
                "map updateGprsLocation LOCATION_UPDATE accepted imsi=234150000000001 msisdn=-",
                "map purgeMS POWER_OFF accepted imsi=460001234567890 msisdn=-",
                "map cancelLocation NONE accepted imsi=460001234567890 msisdn=-",
                "map sendAuthenticationInfo NONE accepted imsi=460001234567890 msisdn=-"),
            procedures("map-mobility.pcap"));
    }

    @Test
    void smsProcedures() throws IOException {
        assertEquals(List.of(
                "map sendRoutingInfoForSM NONE accepted imsi=460001234567890 msisdn=8613800138000",
                "map mt-forwardSM SMS_MT accepted imsi=460001234567890 msisdn=-",
                "map mo-forwardSM SMS_MO rejected imsi=460001234567890 msisdn=8613800138000",
                // MAP v2 forwardSM (opcode 46) in each direction, told apart by the application context
                "map mo-forwardSM SMS_MT accepted imsi=234150000000001 msisdn=-",
                "map mo-forwardSM SMS_MO accepted imsi=- msisdn=8613800138001"),
            procedures("map-sms.pcap"));
    }

    @Test
    void supplementaryServicesHandsetAndLocation() throws IOException {
        assertEquals(List.of(
                "map registerSS CALL_FORWARDING_SET accepted imsi=460001234567890 msisdn=-",
                "map activateSS CALL_FORWARDING_SET accepted imsi=460001234567890 msisdn=-",
                "map eraseSS NONE accepted imsi=460001234567890 msisdn=-",
                "map deactivateSS NONE accepted imsi=460001234567890 msisdn=-",
                "map checkIMEI HANDSET_REPORTED accepted imsi=- msisdn=- imei=35693803564380",
                "map anyTimeInterrogation NONE accepted imsi=- msisdn=8613800138000 cell=460-00/4660/22136",
                "map provideSubscriberInfo NONE accepted imsi=460001234567890 msisdn=- cell=460-00/17185/-",
                "map noteMM-Event POWER_ON accepted imsi=460001234567890 msisdn=8613800138000 cell=460-00/4660/22136",
                "map sendRoutingInfo NONE accepted imsi=460001234567890 msisdn=8613800138000",
                "map insertSubscriberData NONE accepted imsi=234150000000001 msisdn=447700900555"),
            procedures("map-ss-imei-location.pcap"));
    }

    @Test
    void capCallAttempts() throws IOException {
        // InitialDP is a class 2 operation (TS 29.078: no result): its outcome stays unknown
        assertEquals(List.of(
                "cap initialDP CALL_ATTEMPT unknown imsi=460001234567890 msisdn=8613800138000 called=10086 cell=460-00/4660/22136",
                "cap initialDP CALL_ATTEMPT unknown imsi=234150000000001 msisdn=8613800138002 called=114"),
            procedures("cap-idp.pcap"));
    }

    @Test
    void badLimitsAreRefusedWithTheStage() {
        final DecoderConfig config = new DecoderConfig().sigtran(new SigtranConfig().maxBerDepth(1));
        assertThrows(IllegalArgumentException.class, () -> new SignalingDecoder(new Counters(), config, m -> { }));
    }

    private static List<String> procedures(final String capture) throws IOException {
        final Path dir = Files.createDirectories(Fixtures.repo().resolve("decoder/target/sigtran-events"));
        final Path file = Files.write(dir.resolve(capture), SigtranTestCaptures.all().get(capture));
        final List<String> out = new ArrayList<>();
        final SignalingDecoder decoder = new SignalingDecoder(new Counters(), new DecoderConfig().countryCode(86),
            new MessageSink() {
                @Override
                public void onMessage(final SignalingMessage message) {
                }

                @Override
                public void onProcedure(final SignalingMessage p) {
                    if (p.protocol() == Protocol.MAP || p.protocol() == Protocol.CAP) {
                        out.add(describe(p));
                    }
                }
            });
        decoder.decodeFile(file);
        decoder.finish();
        return out;
    }

    private static String describe(final SignalingMessage p) {
        final StringBuilder sb = new StringBuilder().append(p.protocol().jsonName).append(' ').append(p.messageName())
            .append(' ').append(p.event()).append(' ').append(p.outcome() == Outcome.UNKNOWN ? "unknown" : p.outcome().jsonName)
            .append(" imsi=").append(p.has(SignalingMessage.IMSI) ? Digits.toString(p.imsi()) : "-")
            .append(" msisdn=").append(p.has(SignalingMessage.MSISDN) ? Digits.toString(p.msisdn()) : "-");
        if (p.has(SignalingMessage.IMEI)) {
            sb.append(" imei=").append(Digits.toString(p.imei()));
        }
        if (p.has(SignalingMessage.CALLED)) {
            sb.append(" called=").append(Digits.toString(p.called()));
        }
        if (p.has(SignalingMessage.CELL_PLMN)) {
            sb.append(" cell=").append(io.sigmatch.decoder.Plmn.mcc(p.cellPlmn())).append('-')
                .append(String.format("%02d", io.sigmatch.decoder.Plmn.mnc(p.cellPlmn()))).append('/').append(p.lac())
                .append('/').append(p.has(SignalingMessage.CI) ? Integer.toString(p.ci()) : "-");
        }
        return sb.toString();
    }
}
