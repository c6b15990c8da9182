package io.sigmatch.tools;

import java.util.concurrent.atomic.AtomicLong;

import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Between the decoder and the pipeline: counts what is published (so the pipeline's occupancy is
 * published − matched) and stops intake at shutdown. Once {@link #close()} returns, no procedure is
 * being published and none will be: the pipeline can then be drained and closed. Procedures decoded
 * after that are counted in {@code pipeline.ignored.shutdown}, not lost silently.
 *
 * <p>One producing thread. The in-flight flag and the closed flag are both volatile, written
 * before the other is read on each side (Dekker), so close() never misses a publish in progress.
 */
final class IntakeGate implements MessageSink {
    private final MessageSink pipeline;
    private final AtomicCounter afterShutdown;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean publishing;
    private volatile boolean closed;

    IntakeGate(final MessageSink pipeline, final AtomicCounter afterShutdown) {
        this.pipeline = pipeline;
        this.afterShutdown = afterShutdown;
    }

    @Override
    public void onMessage(final SignalingMessage message) {
        pipeline.onMessage(message);
    }

    @Override
    public void onProcedure(final SignalingMessage procedure) {
        publishing = true;
        try {
            if (closed) {
                afterShutdown.increment();
                return;
            }
            pipeline.onProcedure(procedure);
            published.lazySet(published.get() + 1);
        } finally {
            publishing = false;
        }
    }

    long published() {
        return published.get();
    }

    /** Stops intake and waits (up to timeoutMs) for a publish in progress to finish; false on timeout. */
    boolean close(final long timeoutMs) {
        closed = true;
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (publishing) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        return true;
    }
}
