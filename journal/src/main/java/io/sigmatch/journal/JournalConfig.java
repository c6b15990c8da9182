package io.sigmatch.journal;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * Settings of a {@link MatchJournal}, each a system property with a default (units in the names),
 * validated once by {@link #conclude()} when the journal opens.
 */
public final class JournalConfig {
    /** Chronicle roll cycle name (FAST_DAILY, FAST_HOURLY, ...) or {@code daily} / {@code hourly}. */
    public static final String ROLL_CYCLE_PROP = "sigmatch.journal.rollCycle";
    public static final String ROLL_CYCLE_DEFAULT = "daily";

    /**
     * Chronicle maps the queue file in blocks of this size; a larger block means fewer remaps (each a
     * stall) at the price of address space. Pre-sizing, with pre-touching below.
     */
    public static final String BLOCK_SIZE_BYTES_PROP = "sigmatch.journal.blockSizeBytes";
    public static final long BLOCK_SIZE_BYTES_DEFAULT = 64L << 20;

    /**
     * How far ahead of the write position a background thread touches the queue file's pages, so the
     * appender does not take the page fault (a first write to a page of a growing file can stall for
     * milliseconds, DESIGN §9). 0 turns pre-touching off.
     */
    public static final String PRETOUCH_AHEAD_BYTES_PROP = "sigmatch.journal.pretouchAheadBytes";
    public static final long PRETOUCH_AHEAD_BYTES_DEFAULT = 16L << 20;

    public static final String PRETOUCH_INTERVAL_MS_PROP = "sigmatch.journal.pretouchIntervalMs";
    public static final long PRETOUCH_INTERVAL_MS_DEFAULT = 10;

    /**
     * Whether an appender msyncs at the end of each batch. A record is in the page cache the moment
     * it is committed, which survives a kill -9 of the appliance; syncing also survives a power loss
     * and costs milliseconds per batch.
     */
    public static final String SYNC_ON_BATCH_PROP = "sigmatch.journal.syncOnBatch";
    public static final boolean SYNC_ON_BATCH_DEFAULT = false;

    private static final int PAGE_SIZE = 4096;

    private String rollCycleName = System.getProperty(ROLL_CYCLE_PROP, ROLL_CYCLE_DEFAULT);
    private long blockSizeBytes = Long.getLong(BLOCK_SIZE_BYTES_PROP, BLOCK_SIZE_BYTES_DEFAULT);
    private long pretouchAheadBytes = Long.getLong(PRETOUCH_AHEAD_BYTES_PROP, PRETOUCH_AHEAD_BYTES_DEFAULT);
    private long pretouchIntervalMs = Long.getLong(PRETOUCH_INTERVAL_MS_PROP, PRETOUCH_INTERVAL_MS_DEFAULT);
    private boolean syncOnBatch = Boolean.parseBoolean(
        System.getProperty(SYNC_ON_BATCH_PROP, Boolean.toString(SYNC_ON_BATCH_DEFAULT)));
    private RollCycle rollCycle;

    public JournalConfig rollCycle(final String name) {
        rollCycleName = name;
        return this;
    }

    public String rollCycleName() {
        return rollCycleName;
    }

    /** The roll cycle named; valid after {@link #conclude()}. */
    public RollCycle rollCycle() {
        return rollCycle;
    }

    public JournalConfig blockSizeBytes(final long bytes) {
        blockSizeBytes = bytes;
        return this;
    }

    public long blockSizeBytes() {
        return blockSizeBytes;
    }

    public JournalConfig pretouchAheadBytes(final long bytes) {
        pretouchAheadBytes = bytes;
        return this;
    }

    public long pretouchAheadBytes() {
        return pretouchAheadBytes;
    }

    public JournalConfig pretouchIntervalMs(final long ms) {
        pretouchIntervalMs = ms;
        return this;
    }

    public long pretouchIntervalMs() {
        return pretouchIntervalMs;
    }

    public JournalConfig syncOnBatch(final boolean sync) {
        syncOnBatch = sync;
        return this;
    }

    public boolean syncOnBatch() {
        return syncOnBatch;
    }

    /** Validates every setting; throws IllegalArgumentException naming the property at fault. */
    public JournalConfig conclude() {
        rollCycle = parseRollCycle(rollCycleName);
        if (blockSizeBytes < 64 * 1024 || blockSizeBytes > (1L << 30) || blockSizeBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException(BLOCK_SIZE_BYTES_PROP + " must be a multiple of 4096 in [64 KiB, 1 GiB]: "
                + blockSizeBytes);
        }
        if (pretouchAheadBytes < 0 || pretouchAheadBytes > (1L << 30)) {
            throw new IllegalArgumentException(PRETOUCH_AHEAD_BYTES_PROP + " must be in [0, 1 GiB]: " + pretouchAheadBytes);
        }
        if (pretouchIntervalMs < 1 || pretouchIntervalMs > 10_000) {
            throw new IllegalArgumentException(PRETOUCH_INTERVAL_MS_PROP + " must be in [1, 10000]: " + pretouchIntervalMs);
        }
        return this;
    }

    private static RollCycle parseRollCycle(final String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(ROLL_CYCLE_PROP + " is empty");
        }
        switch (name) {
            case "daily":
                return RollCycles.FAST_DAILY;
            case "hourly":
                return RollCycles.FAST_HOURLY;
            default:
                for (final RollCycles c : RollCycles.values()) {
                    if (c.name().equals(name)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(ROLL_CYCLE_PROP + ": unknown roll cycle " + name);
        }
    }
}
