package io.sigmatch.decoder.gtpv2;

import io.sigmatch.decoder.Outcome;

/**
 * The Cause IE (TS 29.274 8.4) and what its value says about the procedure. Table 8.4-1 splits
 * the value space by the kind of message that may carry it:
 *
 * <pre>
 *     0        reserved
 *     1 -  15  request / initial message (why a request is sent: Local Detach, ISR deactivation...)
 *    16 -  63  acceptance in a response / triggered message (16 Request accepted,
 *              17 Request accepted partially, 18-19 new PDN type; 20-63 spare for acceptance)
 *    64 - 239  rejection in a response / triggered message (64 Context Not Found ... 239)
 *   240 - 255  spare, for initial / request messages
 * </pre>
 *
 * So only an answer's cause decides an outcome, and only the two middle ranges mean anything there.
 */
public final class Gtpv2Cause {
    public static final int VALUE_OFFSET = 0;
    public static final int FLAGS_OFFSET = 1;
    public static final int MIN_LENGTH = 2;

    public static final int REQUEST_ACCEPTED = 16;
    public static final int FIRST_ACCEPTANCE = 16;
    public static final int LAST_ACCEPTANCE = 63;
    public static final int FIRST_REJECTION = 64;
    public static final int LAST_REJECTION = 239;
    public static final int CONTEXT_NOT_FOUND = 64;

    private Gtpv2Cause() {
    }

    /** The outcome an answer's cause value stands for; null for a value no answer may carry. */
    public static Outcome outcomeOf(final int cause) {
        if (cause >= FIRST_ACCEPTANCE && cause <= LAST_ACCEPTANCE) {
            return Outcome.ACCEPTED;
        }
        if (cause >= FIRST_REJECTION && cause <= LAST_REJECTION) {
            return Outcome.REJECTED;
        }
        return null;
    }
}
