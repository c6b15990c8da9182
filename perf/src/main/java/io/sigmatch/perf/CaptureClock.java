package io.sigmatch.perf;

import org.agrona.concurrent.NanoClock;

/**
 * The clock the pipeline stamps publish times and journal commits with, made to correct coordinated
 * omission: on the capture thread it answers the time the current frame was <em>meant</em> to arrive
 * (its slot in the offered-rate schedule), everywhere else the real {@link System#nanoTime()}. A
 * procedure is stamped as published when its frame should have come in, so time the capture thread
 * spent behind schedule — because the pipeline pushed back — is counted as latency, as a real probe's
 * packets would have waited in the NIC ring. With no capture thread set, it is the real clock.
 */
final class CaptureClock implements NanoClock {
    private volatile Thread captureThread;
    /** Written and read by the capture thread only. */
    private long intendedNs;

    void captureThread(final Thread t) {
        captureThread = t;
    }

    void intended(final long ns) {
        intendedNs = ns;
    }

    @Override
    public long nanoTime() {
        return Thread.currentThread() == captureThread ? intendedNs : System.nanoTime();
    }
}
