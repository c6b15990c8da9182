package io.sigmatch.decoder.gtpv1;

import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of everything a decoder delivers (the decoder reuses its message objects). */
final class RecordingSink implements MessageSink {
    final List<SignalingMessage> messages = new ArrayList<>();
    final List<SignalingMessage> procedures = new ArrayList<>();

    @Override
    public void onMessage(final SignalingMessage message) {
        messages.add(new SignalingMessage().copyFrom(message));
    }

    @Override
    public void onProcedure(final SignalingMessage procedure) {
        procedures.add(new SignalingMessage().copyFrom(procedure));
    }

    SignalingMessage onlyMessage() {
        if (messages.size() != 1) {
            throw new AssertionError("expected one message, got " + messages.size());
        }
        return messages.get(0);
    }

    SignalingMessage lastProcedure() {
        if (procedures.isEmpty()) {
            throw new AssertionError("no procedure");
        }
        return procedures.get(procedures.size() - 1);
    }
}
