package io.sigmatch.matcher;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.SignalingMessage;

/**
 * Which shard an event goes to: all events of one subscriber to the same shard, so that shard's
 * thread is the only writer of that subscriber's state (DESIGN §2).
 *
 * <p>The subscriber is named by the IMSI when the procedure carries one (directly or resolved by the
 * decoder's correlation tables), else by the MSISDN, else by the IMEI; an event with none of them goes
 * to shard 0 (it can match no list and is ignored by the filter stage). The IMSI comes first because
 * it is the identity the core network keys a subscriber by and the one correlation resolves for
 * messages that carry none. Known limit: a subscriber seen once with an IMSI and once with only an
 * MSISDN (a SIP event, say) is keyed twice and may land on two shards; the IMSI ↔ MSISDN links the
 * trigger state needs (issue 6) must be applied before the ring, in the publisher, to close that gap.
 */
public final class ShardRouter {
    private ShardRouter() {
    }

    /** The identity that names the subscriber of m, {@link Digits#NONE} when it carries none. */
    public static long subscriberKey(final SignalingMessage m) {
        if (m.has(SignalingMessage.IMSI) && valid(m.imsi())) {
            return m.imsi();
        }
        if (m.has(SignalingMessage.MSISDN) && valid(m.msisdn())) {
            return m.msisdn();
        }
        if (m.has(SignalingMessage.IMEI) && valid(m.imei())) {
            return m.imei();
        }
        return Digits.NONE;
    }

    private static boolean valid(final long packed) {
        return packed != Digits.NONE && Digits.isValid(packed);
    }

    /**
     * The shard of a subscriber key, in [0, shards). The key is mixed first (Stafford variant 13 of the
     * SplitMix64 finaliser): numbers allocated in blocks would otherwise fall unevenly on shards.
     */
    public static int shardOf(final long subscriberKey, final int shards) {
        long h = subscriberKey;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        return (int) ((h >>> 1) % shards);
    }
}
