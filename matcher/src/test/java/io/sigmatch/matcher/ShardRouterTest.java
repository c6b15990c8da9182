package io.sigmatch.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.SignalingMessage;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
    private final SignalingMessage m = new SignalingMessage();

    @Test
    void theImsiNamesTheSubscriberThenTheMsisdnThenTheImei() {
        Procedures.procedure(m, EventKind.POWER_ON, 1, "460001234567890", "8613800138000", "35345678901234");
        assertEquals(Digits.parse("460001234567890"), ShardRouter.subscriberKey(m));
        Procedures.procedure(m, EventKind.POWER_ON, 1, null, "8613800138000", "35345678901234");
        assertEquals(Digits.parse("8613800138000"), ShardRouter.subscriberKey(m));
        Procedures.procedure(m, EventKind.POWER_ON, 1, null, null, "35345678901234");
        assertEquals(Digits.parse("35345678901234"), ShardRouter.subscriberKey(m));
        Procedures.procedure(m, EventKind.POWER_ON, 1, null, null, null);
        assertEquals(Digits.NONE, ShardRouter.subscriberKey(m));
    }

    @Test
    void anInvalidImsiFallsBackToTheMsisdn() {
        Procedures.procedure(m, EventKind.POWER_ON, 1, null, "8613800138000", null);
        m.imsi(Digits.INVALID);
        assertEquals(Digits.parse("8613800138000"), ShardRouter.subscriberKey(m));
    }

    @Test
    void anEventWithoutIdentityGoesToShardZero() {
        assertEquals(0, ShardRouter.shardOf(Digits.NONE, 8));
    }

    @Test
    void consecutiveNumbersSpreadEvenlyOverShards() {
        // one operator block of MSISDNs: without mixing, a modulo would still spread them, but a
        // power-of-two mask on the packed value would not; the mixer must spread both ways
        for (final int shards : new int[] {2, 3, 4, 7, 16}) {
            final int[] perShard = new int[shards];
            final int n = 100_000;
            for (int i = 0; i < n; i++) {
                final int s = ShardRouter.shardOf(Digits.pack(8613800000000L + i * 64L, 13), shards);
                assertTrue(s >= 0 && s < shards);
                perShard[s]++;
            }
            for (final int count : perShard) {
                assertTrue(Math.abs(count - n / shards) < n / shards / 10, shards + " shards: " + java.util.Arrays.toString(perShard));
            }
        }
    }
}
