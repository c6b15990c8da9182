package io.sigmatch.decoder;

/**
 * Receives decoder output during the decoder's callback. The message object is reused for the
 * next call: read it or copy it, never keep it.
 *
 * <p>Two streams come out of a decoder. {@link #onMessage} sees every message on the wire with the
 * fields it carried (what `sigmatch decode` prints). {@link #onProcedure} sees each completed
 * procedure once — a request paired with its answer, identities merged from both and from the
 * correlation tables, outcome from the answer — which is the event the match pipeline acts on. A
 * request whose answer never comes is completed with outcome unknown when it expires.
 */
public interface MessageSink {
    void onMessage(SignalingMessage message);

    default void onProcedure(SignalingMessage procedure) {
    }
}
