package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import org.junit.jupiter.api.Test;

/** Identity shifting for looped replays: digits, lengths, PLMN and TAC kept; loops distinct. */
class LoopIdentityShiftTest {
    private static long d(final String digits) {
        return Digits.pack(Long.parseLong(digits), digits.length());
    }

    private static String s(final long packed) {
        return String.format("%0" + Digits.length(packed) + "d", Digits.value(packed));
    }

    @Test
    void imsiKeepsItsPlmnAndLengthAndMovesTheMsin() {
        assertEquals("001010124456789", s(LoopIdentityShift.imsi(d("001010123456789"), 1)));
        assertEquals("001010125456789", s(LoopIdentityShift.imsi(d("001010123456789"), 2)));
        assertEquals("001010123456789", s(LoopIdentityShift.imsi(d("001010123456789"), 0)));
        // The MSIN wraps within its 9 digits: the PLMN never changes.
        assertEquals("460001000000001", s(LoopIdentityShift.imsi(d("460001999000001"), 1)));
        // Leading zeros stay (a 15-digit test IMSI starting 001).
        assertEquals("001010001000000", s(LoopIdentityShift.imsi(d("001010000000000"), 1)));
    }

    @Test
    void msisdnKeepsCountryAndOperatorDigits() {
        assertEquals("8613800010002", s(LoopIdentityShift.msisdn(d("8613800000002"), 1)));
        assertEquals(13, Digits.length(LoopIdentityShift.msisdn(d("8613800000002"), 999)));
    }

    @Test
    void imeiKeepsItsTacAndImeisvItsSoftwareVersion() {
        // IMEI as carried: TAC 35349006 + SNR 987331 (14 digits, no check digit).
        assertEquals("35349006988331", s(LoopIdentityShift.device(d("35349006987331"), 1, 0)));
        // IMEISV 3534900698733142: TAC, SNR 987331, SVN 42.
        assertEquals("3534900698833142", s(LoopIdentityShift.device(d("3534900698733142"), 1, 2)));
    }

    @Test
    void aThousandLoopsGiveAThousandDistinctImsis() {
        final Set<Long> seen = new HashSet<>();
        for (int k = 0; k < 1000; k++) {
            seen.add(LoopIdentityShift.imsi(d("001010123456789"), k));
        }
        assertEquals(1000, seen.size());
    }

    @Test
    void forwardsAShiftedCopyAndLeavesTheDecodersMessageAlone() {
        final List<String> out = new ArrayList<>();
        final SignalingMessage[] forwarded = new SignalingMessage[1];
        final LoopIdentityShift shift = new LoopIdentityShift(new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage m) {
                forwarded[0] = m;
                out.add(s(m.imsi()) + " " + s(m.imei()) + " " + Integer.toBinaryString(m.present()));
            }
        });
        final SignalingMessage m = new SignalingMessage().imsi(d("001010123456789")).imei(d("35349006987331"));
        shift.onMessage(m);
        assertSame(m, forwarded[0], "loop 0 is the capture unchanged");
        shift.loop(3);
        shift.onMessage(m);
        assertNotSame(m, forwarded[0]);
        assertEquals("001010123456789", s(m.imsi()), "the decoder's message is not touched");
        assertEquals(List.of("001010123456789 35349006987331 101", "001010126456789 35349006990331 101"), out,
            "same fields present, no MSISDN invented");
    }
}
