package io.sigmatch.decoder.gtpv1;

import io.sigmatch.decoder.Outcome;

/**
 * The Cause IE (TS 29.060 7.7.1). Its two top bits say what kind of value it is:
 *
 * <pre>
 *   bits 8 7   values      meaning
 *      0 0     0 - 63      request (why it is sent: Request IMSI, MS refuses, Reactivation requested...)
 *      0 1    64 - 127     request, spare
 *      1 0   128 - 191     acceptance in a response (128 Request accepted, 129-130 new PDP type...)
 *      1 1   192 - 255     rejection in a response (192 Non-existent, 199 No resource available...)
 * </pre>
 *
 * So only a response's cause decides an outcome. (GTP' values 252-255 sit in the rejection range too.)
 */
public final class Gtpv1Cause {
    public static final int REQUEST_ACCEPTED = 128;
    public static final int FIRST_ACCEPTANCE = 128;
    public static final int FIRST_REJECTION = 192;
    public static final int NON_EXISTENT = 192;

    private Gtpv1Cause() {
    }

    /** The outcome a response's cause stands for; null for a request cause value. */
    public static Outcome outcomeOf(final int cause) {
        if (cause >= FIRST_REJECTION && cause <= 255) {
            return Outcome.REJECTED;
        }
        if (cause >= FIRST_ACCEPTANCE && cause < FIRST_REJECTION) {
            return Outcome.ACCEPTED;
        }
        return null;
    }
}
