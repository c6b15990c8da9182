package io.sigmatch.decoder.capture;

import java.util.concurrent.locks.LockSupport;

/**
 * Replays frames at their recorded pace, or a multiple of it: frame n is released when wall time
 * since the first frame reaches (capture time since the first frame) / speed. Speed 0 means as
 * fast as possible. Matching never reads the wall clock, so every speed gives the same matches.
 */
public final class ReplayPacer implements FrameSink {
    private static final long MAX_PARK_NS = 100_000_000L;

    private final FrameSink next;
    private final double speed;
    private long firstCaptureNs = Long.MIN_VALUE;
    private long firstWallNs;

    public ReplayPacer(final FrameSink next, final double speed) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be 0 (as fast as possible) or a positive multiple: " + speed);
        }
        this.next = next;
        this.speed = speed;
    }

    @Override
    public void onFrame(final Frame frame) {
        if (speed > 0) {
            if (firstCaptureNs == Long.MIN_VALUE) {
                firstCaptureNs = frame.timeNs;
                firstWallNs = System.nanoTime();
            } else {
                final long due = firstWallNs + (long) ((frame.timeNs - firstCaptureNs) / speed);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(Math.min(wait, MAX_PARK_NS));
                }
            }
        }
        next.onFrame(frame);
    }
}
