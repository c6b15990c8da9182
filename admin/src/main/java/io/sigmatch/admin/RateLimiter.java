package io.sigmatch.admin;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per caller (token id, or remote address for calls that did not authenticate):
 * {@code perSecond} requests a second on average, bursts of up to {@code burst}. The admin plane
 * is a control plane: a caller beyond its rate gets 429 rather than a slower capture.
 */
final class RateLimiter {
    private final double perNanos;
    private final double burst;
    private final LongSupplier nanoClock;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long last;
    }

    RateLimiter(final double perSecond, final int burst, final LongSupplier nanoClock, final int maxKeys) {
        this.perNanos = perSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.maxKeys = maxKeys;
    }

    /** Takes one request from the caller's bucket; false when it is empty. */
    boolean tryAcquire(final String key) {
        if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
            // many distinct unauthenticated addresses: forget them all rather than grow without bound
            buckets.clear();
        }
        final Bucket b = buckets.computeIfAbsent(key, k -> {
            final Bucket nb = new Bucket();
            nb.tokens = burst;
            nb.last = nanoClock.getAsLong();
            return nb;
        });
        synchronized (b) {
            final long now = nanoClock.getAsLong();
            b.tokens = Math.min(burst, b.tokens + (now - b.last) * perNanos);
            b.last = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
