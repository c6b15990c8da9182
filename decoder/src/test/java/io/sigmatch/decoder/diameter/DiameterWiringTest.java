package io.sigmatch.decoder.diameter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingMessage;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The decoding stage registers Diameter on its well-known and configured ports with its limits. */
class DiameterWiringTest {
    @Test
    void wellKnownAndConfiguredPorts() {
        final DecoderConfig config = new DecoderConfig().ports("diameter=3869");
        assertEquals(List.of(3868, 3869), config.ports(Protocol.DIAMETER));
        final Counters counters = new Counters();
        new SignalingDecoder(counters, config, message -> { });
        final AtomicBoolean registered = new AtomicBoolean();
        counters.forEach((label, value) -> registered.compareAndSet(false, label.equals(DiameterDecoder.MESSAGES)));
        assertTrue(registered.get(), "the Diameter decoder's counters exist once the stage is built");
    }

    @Test
    void badDiameterLimitsAreRefusedWithTheStage() {
        final DecoderConfig config = new DecoderConfig().diameter(new DiameterConfig().maxAvpDepth(0));
        final MessageSink sink = new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage message) {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> new SignalingDecoder(new Counters(), config, sink));
    }
}
