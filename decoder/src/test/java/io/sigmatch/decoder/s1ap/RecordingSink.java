package io.sigmatch.decoder.s1ap;

import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import java.util.ArrayList;
import java.util.List;

/** Keeps a copy of everything a decoder delivers (the decoder reuses its message objects). */
public final class RecordingSink implements MessageSink {
    public final List<SignalingMessage> messages = new ArrayList<>();
    public final List<SignalingMessage> procedures = new ArrayList<>();

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

    void clear() {
        messages.clear();
        procedures.clear();
    }
}
