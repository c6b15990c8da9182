package io.sigmatch.decoder.fuzz;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;

/**
 * Reads every field a decoder produced, so a field left in an impossible state (an identity that
 * is not a digit string, JSON that cannot be written) fails the fuzz run rather than a later stage.
 */
final class FuzzSink implements MessageSink {
    private final StringBuilder scratch = new StringBuilder(512);
    long messages;
    long procedures;

    @Override
    public void onMessage(final SignalingMessage message) {
        check(message);
        messages++;
    }

    @Override
    public void onProcedure(final SignalingMessage procedure) {
        check(procedure);
        procedures++;
    }

    private void check(final SignalingMessage m) {
        if (m.protocol() == null || m.messageName() == null) {
            throw new AssertionError("message without protocol or name");
        }
        for (final int field : new int[] {SignalingMessage.IMSI, SignalingMessage.MSISDN, SignalingMessage.IMEI,
            SignalingMessage.IMEISV, SignalingMessage.CALLED}) {
            if (m.has(field)) {
                final long v = field == SignalingMessage.IMSI ? m.imsi() : field == SignalingMessage.MSISDN ? m.msisdn()
                    : field == SignalingMessage.IMEI ? m.imei() : field == SignalingMessage.IMEISV ? m.imeisv() : m.called();
                if (!Digits.isValid(v)) {
                    throw new AssertionError("invalid digits marked present in " + m);
                }
            }
        }
        scratch.setLength(0);
        SignalingJson.appendTo(m, scratch, false);
    }
}
