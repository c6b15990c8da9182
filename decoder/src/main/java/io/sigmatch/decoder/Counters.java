package io.sigmatch.decoder;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Every count the appliance keeps (packets, messages by protocol, errors by protocol and reason,
 * matches and suppressions by rule) lives here as an Agrona counter: the owning thread increments
 * without locks or allocation, and the admin plane and the CLI summary read all of them at any
 * time without stopping anyone (the Aeron counters model).
 *
 * <p>Labels are dotted paths, {@code stage.subject.reason}: {@code decode.gtpv2.error.truncated},
 * {@code capture.packets}, {@code rule.airport-welcome.suppressed.cap}. Counters are created at
 * set-up; {@link #counter} returns the existing counter for a label already registered.
 */
public final class Counters {
    public static final int DEFAULT_MAX_COUNTERS = 8192;

    private final CountersManager manager;
    private final Map<String, AtomicCounter> byLabel = new HashMap<>();

    public Counters() {
        this(DEFAULT_MAX_COUNTERS);
    }

    public Counters(final int maxCounters) {
        final UnsafeBuffer meta = new UnsafeBuffer(
            ByteBuffer.allocateDirect(maxCounters * CountersManager.METADATA_LENGTH));
        final UnsafeBuffer values = new UnsafeBuffer(
            ByteBuffer.allocateDirect(maxCounters * CountersManager.COUNTER_LENGTH));
        manager = new CountersManager(meta, values);
    }

    /** The counter with this label, created on first use. Call at set-up, not per message. */
    public synchronized AtomicCounter counter(final String label) {
        return byLabel.computeIfAbsent(label, manager::newCounter);
    }

    /** Current value of a label, 0 when never registered. */
    public synchronized long get(final String label) {
        final AtomicCounter c = byLabel.get(label);
        return c == null ? 0 : c.get();
    }

    /** Visits every counter (label, value); safe to call from any thread while counting goes on. */
    public void forEach(final ObjLongConsumer<String> visitor) {
        manager.forEach((counterId, typeId, keyBuffer, label) -> visitor.accept(label, manager.getCounterValue(counterId)));
    }

    /** Sum of all counters whose label starts with prefix. */
    public long sum(final String prefix) {
        final long[] total = {0};
        forEach((label, value) -> {
            if (label.startsWith(prefix)) {
                total[0] += value;
            }
        });
        return total[0];
    }
}
