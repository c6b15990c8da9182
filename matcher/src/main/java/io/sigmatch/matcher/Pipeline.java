package io.sigmatch.matcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventTranslatorOneArg;
import com.lmax.disruptor.RingBuffer;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.state.SubscriberStates;
import io.sigmatch.matcher.state.TimerWheel;
import org.agrona.CloseHelper;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The match pipeline of DESIGN §2: completed procedures in ({@link #onProcedure}), matches journaled
 * out. Events are partitioned by subscriber ({@link ShardRouter}) over N shards, each one Disruptor ring
 * and one thread ({@code sigmatch-shard-<n>}) running the match stages; every slot is preallocated and
 * refilled, so publishing and matching allocate nothing.
 *
 * <pre>
 *   Pipeline p = Pipeline.create(config, ruleSet, journal, counters);
 *   p.start();                      // shard threads up, each with its journal appender
 *   decoder.decode(..., p);         // p is the decoder's MessageSink: onProcedure publishes
 *   p.close();                      // drains every ring, stops the shards
 * </pre>
 *
 * <p>{@link #onProcedure} is for one producing thread; with several capture threads, configure
 * {@link PipelineConfig#multiProducer} and give each its own {@link #newPublisher()}. A full ring makes
 * the producer wait (back-pressure: a replay slows down rather than losing events). The pipeline does
 * not own the rule set or the journal: close them after the pipeline.
 */
public final class Pipeline implements MessageSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private static final long START_TIMEOUT_MS = 30_000;

    private final PipelineConfig config;
    private final Counters counters;
    private volatile RuleSet rules;
    private final MatchCounters.Registry registry;
    private final Shard[] shards;
    private final RingBuffer<SubscriberEvent>[] rings;
    private final BatchEventProcessor<SubscriberEvent>[] processors;
    private final CountingExceptionHandler[] exceptionHandlers;
    private final Thread[] threads;
    private final EventPublisher publisher;
    private final java.util.List<EventPublisher> publishers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final SubscriberStates[] states;
    private final TimerWheel[] timers;
    private final Histogram latency;
    private volatile int state;
    /** Procedures dropped because their shard's ring was full (live capture only, see dropWhenFull). */
    private final org.agrona.concurrent.status.AtomicCounter ringFullDrops;
    private volatile boolean dropWhenFull;

    private volatile Resume resume;
    private final org.agrona.concurrent.status.AtomicCounter resumedSkips;

    /** Procedures a restarted replay skipped because their matches are journaled already (see resumeFrom). */
    public static final String RESUMED_LABEL = "pipeline.ignored.resumed";

    /**
     * What a replay restarted after a crash has journaled already, by match id: the capture time,
     * source and publisher sequence of the triggering procedure (the high half and the upper 48 bits
     * of the low half of {@link io.sigmatch.journal.MatchId}).
     */
    @FunctionalInterface
    public interface Resume {
        boolean journaled(long timeNs, int sourceId, long sequence);
    }

    /** The counter of {@link #dropWhenFull}: {@code sigmatch_pipeline_intake_drops_total{reason="ring_full"}}. */
    public static final String RING_FULL_DROPS_LABEL = "pipeline.intake.drop.ring_full";

    private static final int CREATED = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    @SuppressWarnings("unchecked")
    private Pipeline(final PipelineConfig config, final RuleSet rules, final MatchJournal journal,
        final Counters counters) throws IOException {
        this.config = config;
        this.counters = counters;
        this.rules = rules;
        this.registry = new MatchCounters.Registry(counters, rules);
        final int n = config.shards();
        shards = new Shard[n];
        rings = new RingBuffer[n];
        processors = new BatchEventProcessor[n];
        exceptionHandlers = new CountingExceptionHandler[n];
        threads = new Thread[n];
        states = new SubscriberStates[n];
        timers = new TimerWheel[n];
        try {
            final Path dir = config.stateDir();
            if (dir != null) {
                createOwnerOnly(dir);
            }
            for (int i = 0; i < n; i++) {
                states[i] = SubscriberStates.open(dir == null ? null : dir.resolve("subscribers-" + i + "-of-" + n + ".state"),
                    config.stateSubscribersPerShard(), i, n);
                timers[i] = TimerWheel.open(dir == null ? null : dir.resolve("timers-" + i + "-of-" + n + ".state"),
                    config.stateTimersPerShard());
            }
        } catch (final IOException | RuntimeException e) {
            CloseHelper.quietCloseAll(states);
            CloseHelper.quietCloseAll(timers);
            throw e;
        }
        for (int i = 0; i < n; i++) {
            shards[i] = new Shard(i, rules, journal, config.nanoClock(), registry, config.latencyMaxNs(),
                config.onShardThreadStart(), states[i], timers[i], false);
            rings[i] = config.multiProducer()
                ? RingBuffer.createMultiProducer(SubscriberEvent::new, config.ringSize(), config.newWaitStrategy())
                : RingBuffer.createSingleProducer(SubscriberEvent::new, config.ringSize(), config.newWaitStrategy());
            processors[i] = new BatchEventProcessorBuilder().build(rings[i], rings[i].newBarrier(), shards[i]);
            exceptionHandlers[i] = new CountingExceptionHandler(i, registry.errors);
            processors[i].setExceptionHandler(exceptionHandlers[i]);
            rings[i].addGatingSequences(processors[i].getSequence());
            threads[i] = new Thread(processors[i], "sigmatch-shard-" + i);
        }
        publisher = new EventPublisher();
        publishers.add(publisher);
        latency = new Histogram(1, config.latencyMaxNs(), 3);
        ringFullDrops = counters.counter(RING_FULL_DROPS_LABEL);
        resumedSkips = counters.counter(RESUMED_LABEL);
    }

    /**
     * A pipeline over the rule set, appending matches to the journal and counting into counters
     * ({@code pipeline.*}, {@code rule.<id>.*}). Not started yet.
     */
    public static Pipeline create(final PipelineConfig config, final RuleSet rules, final MatchJournal journal,
        final Counters counters) {
        try {
            return new Pipeline(config.conclude(), rules, journal, counters);
        } catch (final IOException e) {
            throw new UncheckedIOException("subscriber state in " + config.stateDir() + ": " + e.getMessage(), e);
        }
    }

    /** Starts the shard threads; returns once each has opened its journal appender. */
    public synchronized void start() {
        if (state != CREATED) {
            throw new IllegalStateException(state == STARTED ? "already started" : "closed");
        }
        state = STARTED;
        for (final Thread t : threads) {
            t.start();
        }
        for (final Shard s : shards) {
            boolean up;
            try {
                up = s.started.await(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                up = false;
            }
            if (!up || s.startFailure() != null) {
                close();
                throw new IllegalStateException("match shard " + s.id() + " could not start", s.startFailure());
            }
        }
    }

    public int shards() {
        return shards.length;
    }

    /** The rule set events published from now on are matched against. */
    public RuleSet rules() {
        return rules;
    }

    /**
     * Makes next the rule set the pipeline matches against and returns the one it replaced (DESIGN §6,
     * issue 6 item 5). The pipeline does not pause: each shard takes the new set between two events,
     * so every event is matched wholly against one version, and none is lost or matched twice. Returns
     * once every shard has matched all events published before the call, so no shard uses the returned
     * set any more and the caller may close it ({@link io.sigmatch.admin}'s snapshot store does, after
     * keeping the version for roll-back). Events published by other threads during the call may go
     * either way. An idle shard takes the new set with its next event.
     *
     * @throws IllegalStateException when the pipeline is not running, or the shards did not catch up
     *     within the drain timeout (then the new set is already taken, or will be, by every shard;
     *     the caller must not close the returned set)
     */
    public synchronized RuleSet activate(final RuleSet next) {
        if (next == null) {
            throw new NullPointerException("next");
        }
        if (state == CLOSED) {
            throw new IllegalStateException("pipeline closed");
        }
        // counters registered off the shard threads; labels shared with the old set keep counting on
        final MatchCounters.Registry nextRegistry = new MatchCounters.Registry(counters, next);
        final RuleSet previous = rules;
        final long[] published = new long[shards.length];
        for (int i = 0; i < shards.length; i++) {
            shards[i].offer(new Shard.Generation(next, nextRegistry));
        }
        rules = next;
        for (int i = 0; i < shards.length; i++) {
            published[i] = rings[i].getCursor();
        }
        if (state != STARTED) {
            return previous;   // no shard thread yet: each takes the offer with its first event
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs());
        for (int i = 0; i < shards.length; i++) {
            while (processors[i].getSequence().get() < published[i]) {
                if (!processors[i].isRunning() || System.nanoTime() >= deadline) {
                    throw new IllegalStateException("match shard " + i + " did not catch up within "
                        + config.drainTimeoutMs() + " ms; the previous rule set may still be in use");
                }
                Thread.onSpinWait();
                Thread.yield();
            }
        }
        return previous;
    }

    /**
     * What a producer does when its procedure's shard ring is full. Off (the default, file replay):
     * it waits for a slot, so a replay loses nothing and runs at the pipeline's pace. On (live
     * capture, issue 11 item 2): the procedure is dropped and counted in {@link #RING_FULL_DROPS_LABEL}
     * and the producer goes on at once, so a slow stage never stalls the capture thread (which would
     * only move the loss into the kernel ring, uncounted by reason); the ring is preallocated, so an
     * overload costs no memory.
     */
    public void dropWhenFull(final boolean drop) {
        dropWhenFull = drop;
    }

    /**
     * A replay restarted after a crash (kill -9) reads its captures from the start again; match ids
     * are derived from the triggering procedure, so the same procedures get the same ids. A procedure
     * whose match is journaled already is numbered (so every later id stays what it was) but not
     * matched again, and counted in {@link #RESUMED_LABEL}: the restart journals what the crash lost
     * and nothing twice (issue 11 item 5). Set before {@link #start()}; null matches everything.
     * Stateful triggers would need the skipped procedures' effect on subscriber state: that is the
     * persisted trigger state's job, not this filter's.
     */
    public void resumeFrom(final Resume journaled) {
        resume = journaled;
    }

    /** Shard i's ring; tests look at the slots to see where events went. */
    RingBuffer<SubscriberEvent> ring(final int i) {
        return rings[i];
    }

    /** The shard the procedure's subscriber belongs to. */
    public int shardOf(final SignalingMessage procedure) {
        return ShardRouter.shardOf(ShardRouter.subscriberKey(procedure), shards.length);
    }

    /** Every wire message: its capture time drives the timers (see {@link EventPublisher#onMessage}). */
    @Override
    public void onMessage(final SignalingMessage message) {
        publisher.onMessage(message);
    }

    /** Publishes a completed procedure to its subscriber's shard; the procedure may be reused on return. */
    @Override
    public void onProcedure(final SignalingMessage procedure) {
        publisher.onProcedure(procedure);
    }

    /** A publisher for another producing thread; needs {@link PipelineConfig#multiProducer}. */
    public MessageSink newPublisher() {
        if (!config.multiProducer()) {
            throw new IllegalStateException(PipelineConfig.MULTI_PRODUCER_PROP + " is off: one producing thread only");
        }
        final EventPublisher p = new EventPublisher();
        publishers.add(p);
        return p;
    }

    /**
     * Capture-to-journal latency of every match so far, all shards together: nano clock at publish to
     * the commit of the match record. A copy; call it from any thread, it does not disturb the shards.
     */
    public synchronized Histogram latencyHistogram() {
        for (final Shard s : shards) {
            s.journalStage().drainLatency(latency);
        }
        return latency.copy();
    }

    /**
     * Stops the pipeline: waits (up to the drain timeout) until every published event has been matched,
     * then stops the shard threads, which close their journal appenders. Call it once the producers have
     * stopped publishing. Events left undrained at the timeout are counted in {@code pipeline.undrained}.
     */
    @Override
    public synchronized void close() {
        stop(true);
    }

    /**
     * Stops as an abrupt end of the process leaves things, for restart tests: like {@link #close()} but
     * without the end-of-input tick, so timers due by the last capture time stay armed for the next run.
     * The subscriber state and timer files need no flush either way — they are written in place, memory-
     * mapped, as each event is matched, which is why a kill -9 loses none of them.
     */
    public synchronized void halt() {
        stop(false);
    }

    private void stop(final boolean endOfInput) {
        if (state == CLOSED) {
            return;
        }
        final boolean wasStarted = state == STARTED;
        if (wasStarted && endOfInput) {
            finalTick();
        }
        state = CLOSED;
        if (!wasStarted) {
            closeState();
            return;
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.drainTimeoutMs());
        for (int i = 0; i < shards.length; i++) {
            while (processors[i].getSequence().get() < rings[i].getCursor() && processors[i].isRunning()
                && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            final long left = rings[i].getCursor() - processors[i].getSequence().get();
            if (left > 0) {
                registry.undrained.getAndAdd(left);
                LOG.warn("shard {}: {} events not matched before the drain timeout", i, left);
            }
            processors[i].halt();
        }
        for (int i = 0; i < shards.length; i++) {
            try {
                threads[i].join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 5_000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (threads[i].isAlive()) {
                LOG.error("shard {} thread did not stop", i);
            }
        }
        closeState();
    }

    /**
     * The end of the input: capture time has reached the last message seen, so the timers due by then
     * fire — on each shard's thread, before its appender closes — and later ones stay armed (persisted
     * with the state when it has a directory).
     */
    private void finalTick() {
        long last = Long.MIN_VALUE;
        for (final EventPublisher p : publishers) {
            last = Math.max(last, p.lastTimeNs);
        }
        if (last == Long.MIN_VALUE || !rules.hasTimedRules()) {
            return;
        }
        final long now = config.nanoClock().nanoTime();
        for (final RingBuffer<SubscriberEvent> ring : rings) {
            final long slot = ring.next();
            ring.get(slot).tick(last, now);
            ring.publish(slot);
        }
    }

    private void closeState() {
        for (int i = 0; i < shards.length; i++) {
            if (threads[i].isAlive()) {
                continue; // a shard that did not stop may still write: leave its mapping
            }
            CloseHelper.quietCloseAll(states[i], timers[i]);
        }
    }

    /** Subscriber identities are personal data: the state directory is the owner's alone (0700). */
    private static void createOwnerOnly(final Path dir) throws IOException {
        if (java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (final UnsupportedOperationException notPosix) {
            java.nio.file.Files.createDirectories(dir);
        }
    }

    /** Shard i's subscriber state (tests: what a restart finds). */
    SubscriberStates states(final int i) {
        return states[i];
    }

    /**
     * Copies procedures into ring slots for one producing thread, stamping publish time, the procedure's
     * sequence number in this publisher's stream (part of the match id) and the subscriber key.
     */
    private final class EventPublisher implements MessageSink, EventTranslatorOneArg<SubscriberEvent, SignalingMessage> {
        private final NanoClock clock = config.nanoClock();
        private long sequence = -1;
        private long publishNanos;
        private long subscriberKey;
        /** The latest capture time seen, and when the next tick is due (once per wheel tick of capture time). */
        private long lastTimeNs = Long.MIN_VALUE;
        private long nextTickNs = Long.MIN_VALUE;

        /**
         * Capture time moves on with every message, answered or not: once per {@link TimerWheel#TICK_NS}
         * of it every shard gets a tick, so a dwell timer fires when capture time passes its deadline,
         * not when its shard next sees an event.
         */
        @Override
        public void onMessage(final SignalingMessage message) {
            final long t = message.timeNs();
            if (t > lastTimeNs) {
                lastTimeNs = t;
            }
            if (t >= nextTickNs && state == STARTED) {
                nextTickNs = t + TimerWheel.TICK_NS;
                if (!rules.hasTimedRules()) {
                    return;
                }
                final long now = clock.nanoTime();
                for (final RingBuffer<SubscriberEvent> ring : rings) {
                    final long slot = ring.next();
                    ring.get(slot).tick(t, now);
                    ring.publish(slot);
                }
            }
        }

        @Override
        public void onProcedure(final SignalingMessage procedure) {
            if (state != STARTED) {
                throw new IllegalStateException(state == CREATED ? "pipeline not started" : "pipeline closed");
            }
            sequence++;
            if (procedure.timeNs() > lastTimeNs) {
                lastTimeNs = procedure.timeNs();
            }
            final Resume r = resume;
            if (r != null && r.journaled(procedure.timeNs(), procedure.sourceId(), sequence & 0xFFFF_FFFFL)) {
                resumedSkips.increment();
                return;
            }
            subscriberKey = ShardRouter.subscriberKey(procedure);
            final int shard = ShardRouter.shardOf(subscriberKey, shards.length);
            // stamped before claiming a slot: time spent waiting for a full ring counts as latency
            publishNanos = clock.nanoTime();
            if (!dropWhenFull) {
                rings[shard].publishEvent(this, procedure);
            } else if (!rings[shard].tryPublishEvent(this, procedure)) {
                ringFullDrops.increment();
            }
        }

        @Override
        public void translateTo(final SubscriberEvent event, final long slot, final SignalingMessage procedure) {
            event.copyFrom(procedure).stamp(publishNanos, sequence, subscriberKey);
        }
    }
}
