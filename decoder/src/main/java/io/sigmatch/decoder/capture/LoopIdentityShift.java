package io.sigmatch.decoder.capture;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;

/**
 * Makes loop k of a looped replay (load tests: {@code sigmatch replay --loop N}) a different
 * population of subscribers: every identity a message carries (IMSI, MSISDN, IMEI, IMEISV) is
 * shifted by the loop number, on a copy of the decoded message, before it reaches the pipeline.
 *
 * <p>Why on decoded messages and not on the wire bytes: one rule covers every protocol (GTPv2 TBCD,
 * Diameter UTF-8 AVPs, SIP URIs, MAP/NAS BCD) without re-encoding each, no checksum or length
 * changes, and the decoder's correlation tables stay those of the capture (they hold unshifted
 * identities; what they resolve is shifted on the way out like the rest), so a loop is exactly the
 * capture again with other subscribers. Loop 0 is the capture unchanged.
 *
 * <p>What stays valid: the digit count never changes, and only the subscriber part moves.
 * <ul>
 * <li>IMSI (TS 23.003 2.2): MCC and MNC are the first 5 or 6 digits, so the first 6 stay; the
 * rest (the MSIN) becomes {@code (msin + k * 10^(m-3)) mod 10^m} for its m digits: the loop number
 * lands in the MSIN's top three digits, so up to 1000 loops give distinct IMSIs as long as the
 * capture's own IMSIs differ only below those digits. The PLMN (home network, roaming rules) is kept.</li>
 * <li>MSISDN (E.164): country code and national destination code stay; the last
 * {@code min(7, length - 4)} digits move the same way.</li>
 * <li>IMEI (14 digits TAC + SNR, TS 23.003 6.2.1; the check digit is not carried) and IMEISV (TAC
 * + SNR + SVN): the TAC (first 8, the device model) stays; the 6-digit SNR moves; the SVN stays.
 * A Luhn check digit computed from the shifted IMEI is valid by construction.</li>
 * </ul>
 */
public final class LoopIdentityShift implements MessageSink {
    private static final int IMSI_KEPT_DIGITS = 6;
    private static final int MSISDN_MOVED_DIGITS = 7;
    private static final int MSISDN_KEPT_MIN = 4;
    private static final int TAC_DIGITS = 8;
    private static final int SNR_DIGITS = 6;
    private static final int SPREAD_DIGITS = 3;

    private final MessageSink next;
    private final SignalingMessage copy = new SignalingMessage();
    private int loop;

    public LoopIdentityShift(final MessageSink next) {
        this.next = next;
    }

    /** The loop whose messages come next (0 = the capture as recorded). */
    public void loop(final int k) {
        if (k < 0) {
            throw new IllegalArgumentException("loop must not be negative: " + k);
        }
        loop = k;
    }

    @Override
    public void onMessage(final SignalingMessage message) {
        next.onMessage(loop == 0 ? message : shifted(message));
    }

    @Override
    public void onProcedure(final SignalingMessage procedure) {
        next.onProcedure(loop == 0 ? procedure : shifted(procedure));
    }

    private SignalingMessage shifted(final SignalingMessage m) {
        final SignalingMessage c = copy.copyFrom(m);
        final int present = c.present();
        if ((present & SignalingMessage.IMSI) != 0) {
            c.imsi(imsi(c.imsi(), loop));
        }
        if ((present & SignalingMessage.MSISDN) != 0) {
            c.msisdn(msisdn(c.msisdn(), loop));
        }
        if ((present & SignalingMessage.IMEI) != 0) {
            c.imei(device(c.imei(), loop, 0));
        }
        if ((present & SignalingMessage.IMEISV) != 0) {
            c.imeisv(device(c.imeisv(), loop, 2));
        }
        return c;
    }

    /** IMSI with its MSIN moved by loop k (see the class comment). */
    public static long imsi(final long packed, final int k) {
        final int n = Digits.length(packed);
        return shiftTail(packed, n - IMSI_KEPT_DIGITS, 0, k);
    }

    public static long msisdn(final long packed, final int k) {
        final int n = Digits.length(packed);
        return shiftTail(packed, Math.min(MSISDN_MOVED_DIGITS, n - MSISDN_KEPT_MIN), 0, k);
    }

    /** IMEI (trailing 0 digits) or IMEISV (trailing 2: the SVN): the SNR after the TAC moves. */
    public static long device(final long packed, final int k, final int trailingKept) {
        final int n = Digits.length(packed);
        if (n != TAC_DIGITS + SNR_DIGITS + trailingKept) {
            return shiftTail(packed, n - TAC_DIGITS - trailingKept, trailingKept, k);
        }
        return shiftTail(packed, SNR_DIGITS, trailingKept, k);
    }

    /**
     * Adds k * 10^(m-3) (or k when m <= 3) modulo 10^m to the m digits that end
     * {@code trailing} digits before the end; everything else, and the length, stays.
     */
    static long shiftTail(final long packed, final int m, final int trailing, final int k) {
        if (!Digits.isValid(packed) || m <= 0 || k == 0) {
            return packed;
        }
        final int n = Digits.length(packed);
        final long value = Digits.value(packed);
        final long low = pow10(trailing);
        final long field = pow10(m);
        final long part = value / low % field;
        final long step = m > SPREAD_DIGITS ? pow10(m - SPREAD_DIGITS) : 1;
        final long moved = Math.floorMod(part + (long) k * step, field);
        return Digits.pack(value - part * low + moved * low, n);
    }

    private static long pow10(final int e) {
        long p = 1;
        for (int i = 0; i < e; i++) {
            p *= 10;
        }
        return p;
    }
}
