package io.sigmatch.decoder.capture;

/**
 * Capture time of one loop of a looped replay: frames are moved by the loop's offset, and each
 * loop starts {@link #LOOP_GAP_NS} of capture time after the previous one ended, so time only
 * moves forward and whatever a loop left pending expires before its twin from the next loop
 * comes. Put it after the {@link ReplayPacer} (one pacer per loop): the gap then costs no wall time.
 */
public final class LoopTimeShift implements FrameSink {
    /** Longer than fragment reassembly (30 s) and request pairing timeouts. */
    public static final long LOOP_GAP_NS = 60_000_000_000L;

    private final FrameSink next;
    private final long offsetNs;
    private long firstNs = Long.MAX_VALUE;
    private long lastNs = Long.MIN_VALUE;

    /** offsetNs: 0 for the first loop, then the previous loop's {@link #nextLoopOffsetNs()}. */
    public LoopTimeShift(final FrameSink next, final long offsetNs) {
        this.next = next;
        this.offsetNs = offsetNs;
    }

    /** Offset for the loop after this one: past this loop's last frame by the gap. */
    public long nextLoopOffsetNs() {
        return firstNs == Long.MAX_VALUE ? offsetNs + LOOP_GAP_NS : offsetNs + lastNs - firstNs + LOOP_GAP_NS;
    }

    @Override
    public void onFrame(final Frame frame) {
        final long t = frame.timeNs;
        firstNs = Math.min(firstNs, t);
        lastNs = Math.max(lastNs, t);
        frame.timeNs = t + offsetNs;
        try {
            next.onFrame(frame);
        } finally {
            frame.timeNs = t;
        }
    }
}
