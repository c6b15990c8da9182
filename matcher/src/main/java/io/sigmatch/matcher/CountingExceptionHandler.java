package io.sigmatch.matcher;

import com.lmax.disruptor.ExceptionHandler;
import org.agrona.concurrent.status.AtomicCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces the Disruptor's default handler, which stops the shard on the first exception: one bad
 * event must never stop matching. The failure is counted ({@code pipeline.errors}) and logged, the
 * first few times and then at most once a second, naming the event (protocol, kind, frame) but no
 * identity. The shard moves on to the next event.
 */
final class CountingExceptionHandler implements ExceptionHandler<SubscriberEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CountingExceptionHandler.class);
    static final int ALWAYS_LOGGED = 10;
    static final long LOG_INTERVAL_NS = 1_000_000_000L;

    private final int shard;
    private final AtomicCounter errors;
    private long seen;
    private long lastLoggedNs;
    private long logged;

    CountingExceptionHandler(final int shard, final AtomicCounter errors) {
        this.shard = shard;
        this.errors = errors;
    }

    @Override
    public void handleEventException(final Throwable ex, final long sequence, final SubscriberEvent event) {
        errors.increment();
        seen++;
        final long now = System.nanoTime();
        if (seen <= ALWAYS_LOGGED || now - lastLoggedNs >= LOG_INTERVAL_NS) {
            lastLoggedNs = now;
            logged++;
            LOG.warn("shard {}: event {} failed ({} failures so far), moving on", shard, event, seen, ex);
        }
    }

    @Override
    public void handleOnStartException(final Throwable ex) {
        errors.increment();
        LOG.error("shard {} could not start", shard, ex);
    }

    @Override
    public void handleOnShutdownException(final Throwable ex) {
        errors.increment();
        LOG.error("shard {} did not shut down cleanly", shard, ex);
    }

    /** Failures seen and log lines written; for tests. */
    long seen() {
        return seen;
    }

    long logged() {
        return logged;
    }
}
