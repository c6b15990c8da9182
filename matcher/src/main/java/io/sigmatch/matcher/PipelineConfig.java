package io.sigmatch.matcher;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * Settings of a {@link Pipeline}: each a system property with a default, units in the names, checked
 * once by {@link #conclude()} when the pipeline is created.
 */
public final class PipelineConfig {
    /** Match shards, each one Disruptor ring and one thread; 1 on a 2-core probe, more with more cores. */
    public static final String SHARDS_PROP = "sigmatch.pipeline.shards";
    public static final int SHARDS_DEFAULT = 1;
    public static final int MAX_SHARDS = 64;

    /** Slots per ring (a power of two). A slot is about 300 bytes; the default ring is ~5 MB. */
    public static final String RING_SIZE_PROP = "sigmatch.pipeline.ringSize";
    public static final int RING_SIZE_DEFAULT = 16_384;

    /**
     * How a shard thread waits for events: {@code busySpin} and {@code yielding} keep a core busy for the
     * lowest latency (a dedicated probe), {@code sleeping} spins, yields then parks briefly (the
     * default: low latency without owning a core), {@code blocking} sleeps on a lock (shared hosts).
     */
    public static final String WAIT_STRATEGY_PROP = "sigmatch.pipeline.waitStrategy";
    public static final String WAIT_STRATEGY_DEFAULT = "sleeping";

    /** Whether more than one thread publishes (several capture sources, {@link Pipeline#newPublisher()}). */
    public static final String MULTI_PRODUCER_PROP = "sigmatch.pipeline.multiProducer";
    public static final boolean MULTI_PRODUCER_DEFAULT = false;

    /** How long {@link Pipeline#close()} waits for the rings to drain before giving up on what is left. */
    public static final String DRAIN_TIMEOUT_MS_PROP = "sigmatch.pipeline.drainTimeoutMs";
    public static final long DRAIN_TIMEOUT_MS_DEFAULT = 30_000;

    /** Largest capture-to-journal latency the histograms resolve; larger values are recorded as this. */
    public static final String LATENCY_MAX_NS_PROP = "sigmatch.pipeline.latencyMaxNs";
    public static final long LATENCY_MAX_NS_DEFAULT = 60_000_000_000L;

    /**
     * Directory of the subscriber state and timer files, one pair per shard, memory-mapped so a restart
     * (kill -9 included) resumes with them; unset: state in direct memory, lost on exit (replays, tests).
     */
    public static final String STATE_DIR_PROP = "sigmatch.state.dir";

    /**
     * Subscriber slots per shard (a power of two; 3/4 usable, then the oldest nearby is evicted). A slot
     * is 448 bytes ({@link io.sigmatch.matcher.state.SubscriberStates}): the default is 29 MB a shard;
     * 100 M subscribers on one shard need 2^27 slots, a 60 GB mapped file.
     */
    public static final String STATE_SUBSCRIBERS_PROP = "sigmatch.state.subscribersPerShard";
    public static final int STATE_SUBSCRIBERS_DEFAULT = 1 << 16;

    /** Timer slots per shard (a power of two): dwell and roaming-duration timers armed and not yet due, 48 B each. */
    public static final String STATE_TIMERS_PROP = "sigmatch.state.timersPerShard";
    public static final int STATE_TIMERS_DEFAULT = 1 << 16;

    private int shards = Integer.getInteger(SHARDS_PROP, SHARDS_DEFAULT);
    private java.nio.file.Path stateDir = System.getProperty(STATE_DIR_PROP) == null ? null
        : java.nio.file.Path.of(System.getProperty(STATE_DIR_PROP));
    private int stateSubscribers = Integer.getInteger(STATE_SUBSCRIBERS_PROP, STATE_SUBSCRIBERS_DEFAULT);
    private int stateTimers = Integer.getInteger(STATE_TIMERS_PROP, STATE_TIMERS_DEFAULT);
    private int ringSize = Integer.getInteger(RING_SIZE_PROP, RING_SIZE_DEFAULT);
    private String waitStrategy = System.getProperty(WAIT_STRATEGY_PROP, WAIT_STRATEGY_DEFAULT);
    private boolean multiProducer = Boolean.parseBoolean(
        System.getProperty(MULTI_PRODUCER_PROP, Boolean.toString(MULTI_PRODUCER_DEFAULT)));
    private long drainTimeoutMs = Long.getLong(DRAIN_TIMEOUT_MS_PROP, DRAIN_TIMEOUT_MS_DEFAULT);
    private long latencyMaxNs = Long.getLong(LATENCY_MAX_NS_PROP, LATENCY_MAX_NS_DEFAULT);
    private NanoClock nanoClock = SystemNanoClock.INSTANCE;
    private java.util.function.IntConsumer onShardThreadStart = shard -> { };

    public PipelineConfig shards(final int shards) {
        this.shards = shards;
        return this;
    }

    public int shards() {
        return shards;
    }

    /** Where the subscriber state persists (created 0700 when absent); null keeps it in memory only. */
    public PipelineConfig stateDir(final java.nio.file.Path dir) {
        this.stateDir = dir;
        return this;
    }

    public java.nio.file.Path stateDir() {
        return stateDir;
    }

    public PipelineConfig stateSubscribersPerShard(final int slots) {
        this.stateSubscribers = slots;
        return this;
    }

    public int stateSubscribersPerShard() {
        return stateSubscribers;
    }

    public PipelineConfig stateTimersPerShard(final int slots) {
        this.stateTimers = slots;
        return this;
    }

    public int stateTimersPerShard() {
        return stateTimers;
    }

    public PipelineConfig ringSize(final int slots) {
        this.ringSize = slots;
        return this;
    }

    public int ringSize() {
        return ringSize;
    }

    public PipelineConfig waitStrategy(final String name) {
        this.waitStrategy = name;
        return this;
    }

    public String waitStrategy() {
        return waitStrategy;
    }

    public PipelineConfig multiProducer(final boolean multi) {
        this.multiProducer = multi;
        return this;
    }

    public boolean multiProducer() {
        return multiProducer;
    }

    public PipelineConfig drainTimeoutMs(final long ms) {
        this.drainTimeoutMs = ms;
        return this;
    }

    public long drainTimeoutMs() {
        return drainTimeoutMs;
    }

    public PipelineConfig latencyMaxNs(final long ns) {
        this.latencyMaxNs = ns;
        return this;
    }

    public long latencyMaxNs() {
        return latencyMaxNs;
    }

    /** The clock publish times and journal commits are read on; a stub in tests. */
    public PipelineConfig nanoClock(final NanoClock clock) {
        this.nanoClock = clock;
        return this;
    }

    public NanoClock nanoClock() {
        return nanoClock;
    }

    /**
     * Called on each shard thread as it starts, with the shard's number, before any event: where the
     * appliance pins the thread to a CPU. A hook that throws fails {@link Pipeline#start()}.
     */
    public PipelineConfig onShardThreadStart(final java.util.function.IntConsumer hook) {
        this.onShardThreadStart = java.util.Objects.requireNonNull(hook, "hook");
        return this;
    }

    public java.util.function.IntConsumer onShardThreadStart() {
        return onShardThreadStart;
    }

    /** Validates every setting; IllegalArgumentException names the property at fault. */
    public PipelineConfig conclude() {
        if (shards < 1 || shards > MAX_SHARDS) {
            throw new IllegalArgumentException(SHARDS_PROP + " must be in [1, " + MAX_SHARDS + "]: " + shards);
        }
        if (ringSize < 64 || ringSize > (1 << 22) || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException(RING_SIZE_PROP + " must be a power of two in [64, 4194304]: " + ringSize);
        }
        newWaitStrategy();
        if (stateSubscribers < 16 || stateSubscribers > (1 << 30) || Integer.bitCount(stateSubscribers) != 1) {
            throw new IllegalArgumentException(STATE_SUBSCRIBERS_PROP + " must be a power of two in [16, 2^30]: "
                + stateSubscribers);
        }
        if (stateTimers < 16 || stateTimers > (1 << 28) || Integer.bitCount(stateTimers) != 1) {
            throw new IllegalArgumentException(STATE_TIMERS_PROP + " must be a power of two in [16, 2^28]: " + stateTimers);
        }
        if (drainTimeoutMs < 0) {
            throw new IllegalArgumentException(DRAIN_TIMEOUT_MS_PROP + " must not be negative: " + drainTimeoutMs);
        }
        if (latencyMaxNs < 1_000) {
            throw new IllegalArgumentException(LATENCY_MAX_NS_PROP + " must be at least 1000: " + latencyMaxNs);
        }
        if (nanoClock == null) {
            throw new IllegalArgumentException("nanoClock must be set");
        }
        return this;
    }

    /** A wait strategy of the configured kind; one per ring, as some keep per-ring state. */
    WaitStrategy newWaitStrategy() {
        switch (waitStrategy == null ? "" : waitStrategy) {
            case "busySpin":
                return new BusySpinWaitStrategy();
            case "yielding":
                return new YieldingWaitStrategy();
            case "sleeping":
                return new SleepingWaitStrategy();
            case "blocking":
                return new BlockingWaitStrategy();
            default:
                throw new IllegalArgumentException(WAIT_STRATEGY_PROP
                    + " must be busySpin, yielding, sleeping or blocking: " + waitStrategy);
        }
    }
}
