package io.sigmatch.matcher;

import java.nio.charset.StandardCharsets;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;

/** Completed procedures as a decoder would hand them over, for tests. */
final class Procedures {
    static final long T0 = 1_763_800_000_000_000_000L;

    private Procedures() {
    }

    /** A GTPv2 Create Session completing an attach, with the identities given (null = absent). */
    static SignalingMessage procedure(final SignalingMessage m, final EventKind kind, final long timeNs,
        final String imsi, final String msisdn, final String imei) {
        m.reset().header(1, timeNs, 0).message(Protocol.GTPV2, 32, "Create Session Request", true).event(kind)
            .outcome(Outcome.ACCEPTED);
        if (imsi != null) {
            m.imsi(Digits.parse(imsi));
        }
        if (msisdn != null) {
            m.msisdn(Digits.parse(msisdn));
        }
        if (imei != null) {
            m.imei(Digits.parse(imei));
        }
        return m;
    }

    static SignalingMessage lteCell(final SignalingMessage m) {
        return m.cellPlmn(Plmn.of(460, 0, 2)).tac(0x2A3B).eci(0x1A2B3C4).rat(Rat.EUTRAN);
    }

    static SignalingMessage apn(final SignalingMessage m, final String apn) {
        m.clearApn();
        for (final byte b : apn.getBytes(StandardCharsets.US_ASCII)) {
            m.appendApn(b);
        }
        return m;
    }
}
