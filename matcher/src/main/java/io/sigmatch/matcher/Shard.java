package io.sigmatch.matcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import com.lmax.disruptor.EventHandler;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.TriggerType;
import io.sigmatch.matcher.state.SubscriberStates;
import io.sigmatch.matcher.state.TimerWheel;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;

/**
 * One match shard: the consumer of one ring and the single writer of its subscribers' state
 * ({@link SubscriberStates}, {@link TimerWheel}). Each event first fires the timers due by its capture
 * time, then runs the stages of DESIGN §2 over the rules its kind can fire, highest priority first:
 * filter (the rule's RAT/APN/PLMN filter), trigger (fired or not, on the state before the event; the
 * state then moves to after it), lookup (target lists, by the identities linked so far) and govern
 * (validity, quiet hours, caps), journal. A match is numbered by its place among the event's matches.
 * At the end of each batch the journal is synced when configured and the counts are published.
 */
final class Shard implements EventHandler<SubscriberEvent> {
    private final int id;
    // replaced together by a snapshot activation, on the shard thread only (see #activate)
    private RuleSet rules;
    private MatchCounters counters;
    private LookupStage lookup;
    private final AtomicReference<Generation> pending = new AtomicReference<>();
    private final MatchJournal journal;
    private final NanoClock clock;
    private final FilterStage filter = new FilterStage();
    private final TriggerStage trigger;
    private final GovernStage govern;
    private final JournalStage journalStage;
    private final SubscriberStates states;
    private final TimerWheel timers;
    private final boolean ownsState;
    private final TimerWheel.Handler onTimer = this::onTimer;
    // the current event's candidates: rule ordinal and area (-1 none), in priority order
    private int[] candidateRule = new int[0];
    private int[] candidateArea = new int[0];
    private long timerPublishNanos;
    private long reportedEvictions;
    private long reportedSlotEvictions;
    private long reportedRefused;
    /** In-memory state of a shard built without a pipeline (tests, benchmarks): small, owned, freed on shutdown. */
    static final int STANDALONE_STATE_CAPACITY = 1 << 12;
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable startFailure;
    private final java.util.function.IntConsumer onStart;

    Shard(final int id, final RuleSet rules, final MatchJournal journal, final NanoClock clock,
        final MatchCounters.Registry registry, final long latencyMaxNs) {
        this(id, rules, journal, clock, registry, latencyMaxNs, shard -> { });
    }

    Shard(final int id, final RuleSet rules, final MatchJournal journal, final NanoClock clock,
        final MatchCounters.Registry registry, final long latencyMaxNs, final java.util.function.IntConsumer onStart) {
        this(id, rules, journal, clock, registry, latencyMaxNs, onStart, standaloneStates(), standaloneTimers(), true);
    }

    Shard(final int id, final RuleSet rules, final MatchJournal journal, final NanoClock clock,
        final MatchCounters.Registry registry, final long latencyMaxNs, final java.util.function.IntConsumer onStart,
        final SubscriberStates states, final TimerWheel timers, final boolean ownsState) {
        this.id = id;
        this.onStart = onStart;
        this.rules = rules;
        this.journal = journal;
        this.clock = clock;
        this.counters = new MatchCounters(registry);
        this.lookup = new LookupStage(rules);
        this.journalStage = new JournalStage(rules, clock, latencyMaxNs);
        this.states = states;
        this.timers = timers;
        this.ownsState = ownsState;
        this.trigger = new TriggerStage(states, timers);
        this.govern = new GovernStage(states);
        useRules(rules);
    }

    private static SubscriberStates standaloneStates() {
        try {
            return SubscriberStates.open(null, STANDALONE_STATE_CAPACITY, 0, 1);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static TimerWheel standaloneTimers() {
        try {
            return TimerWheel.open(null, STANDALONE_STATE_CAPACITY);
        } catch (final java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void useRules(final RuleSet next) {
        trigger.rules(next);
        govern.rules(next);
        if (candidateRule.length < next.ruleCount()) {
            candidateRule = new int[next.ruleCount()];
            candidateArea = new int[next.ruleCount()];
        }
    }

    SubscriberStates states() {
        return states;
    }

    TimerWheel timers() {
        return timers;
    }

    int id() {
        return id;
    }

    JournalStage journalStage() {
        return journalStage;
    }

    MatchCounters counters() {
        return counters;
    }

    Throwable startFailure() {
        return startFailure;
    }

    /** On the shard thread: its own journal appender (Chronicle appenders are single-threaded). */
    @Override
    public void onStart() {
        try {
            onStart.accept(id);
            journalStage.appender(journal.newAppender(clock));
        } catch (final RuntimeException | Error e) {
            startFailure = e;
            throw e;
        } finally {
            started.countDown();
        }
    }

    /**
     * What a snapshot activation hands a shard: the next rule set with its stages built off the shard
     * thread, so the swap on the shard thread is a few reference writes between two events.
     */
    static final class Generation {
        final RuleSet rules;
        final MatchCounters counters;
        final LookupStage lookup;

        Generation(final RuleSet rules, final MatchCounters.Registry registry) {
            this.rules = rules;
            this.counters = new MatchCounters(registry);
            this.lookup = new LookupStage(rules);
        }
    }

    /**
     * Offers the next generation; the shard takes it before the next event it matches. Called by the
     * activating thread, which then waits until the shard has matched every event published so far.
     */
    void offer(final Generation next) {
        pending.set(next);
    }

    /** True while an offered generation has not been taken (the shard has seen no event since). */
    boolean offerPending() {
        return pending.get() != null;
    }

    private void takePending() {
        final Generation next = pending.getAndSet(null);
        if (next != null) {
            counters.flush();   // what the old generation counted belongs to the old rules' counters
            rules = next.rules;
            counters = next.counters;
            lookup = next.lookup;
            journalStage.rules(next.rules);
            useRules(next.rules);
        }
    }

    @Override
    public void onEvent(final SubscriberEvent e, final long sequence, final boolean endOfBatch) {
        try {
            if (pending.get() != null) {
                takePending();
            }
            match(e);
        } finally {
            if (endOfBatch) {
                endOfBatch();
            }
        }
    }

    void match(final SubscriberEvent e) {
        if (e.isTick()) {
            advance(e.timeNs(), e.publishNanos());
            return;
        }
        counters.add(MatchCounters.EVENTS);
        final int accepted = filter.accept(e);
        if (accepted != FilterStage.ACCEPTED) {
            counters.add(accepted == FilterStage.NO_EVENT_KIND
                ? MatchCounters.IGNORED_NO_EVENT_KIND : MatchCounters.IGNORED_NO_IDENTITY);
            return;
        }
        final long t = e.timeNs();
        // timers due by this event's capture time fire first, as they would have between the two packets
        advance(t, e.publishNanos());
        trigger.begin(e);
        final EventKind kind = e.event();
        final int candidates = rules.ruleCount(kind);
        int fired = 0;
        for (int i = 0; i < candidates; i++) {
            final Rule rule = rules.rule(kind, i);
            counters.rule(rule.ordinal(), MatchCounters.EVALUATED);
            final int verdict = trigger.fires(rule, e, filter.accepts(rule, e));
            if (verdict != TriggerStage.NOT_FIRED) {
                candidateRule[fired] = rule.ordinal();
                candidateArea[fired++] = verdict;
            }
        }
        trigger.commit(e);
        if (fired == 0) {
            return;
        }
        // lists and governance on the state after the event: the identities linked so far, caps as they stand
        final int r = trigger.record();
        lookup.begin(states.getLong(r, SubscriberStates.IMSI), states.getLong(r, SubscriberStates.MSISDN),
            states.getLong(r, SubscriberStates.IMEI));
        int ordinal = 0;
        for (int c = 0; c < fired; c++) {
            final Rule rule = rules.rule(candidateRule[c]);
            if (admit(rule, r, t)) {
                journalStage.append(rule, e, ordinal++, states.getLong(r, SubscriberStates.IMSI),
                    states.getLong(r, SubscriberStates.MSISDN), states.getLong(r, SubscriberStates.IMEI),
                    candidateArea[c], govern.deliverAfter());
                matched(rule);
            }
        }
    }

    /** Lists, then governance (validity, quiet hours, caps); counts the verdict; true when the match is journaled. */
    private boolean admit(final Rule rule, final int r, final long t) {
        final int ro = rule.ordinal();
        final int membership = lookup.verdict(rule);
        if (membership != LookupStage.INCLUDED) {
            counters.rule(ro, membership == LookupStage.EXCLUDED ? MatchCounters.SUPPRESSED_EXCLUDED
                : membership == LookupStage.EXCLUSION_UNVERIFIABLE ? MatchCounters.SUPPRESSED_EXCLUSION_UNVERIFIABLE
                : MatchCounters.NOT_INCLUDED);
            return false;
        }
        switch (govern.verdict(rule, r, t)) {
            case GovernStage.PASS:
                return true;
            case GovernStage.OUTSIDE_VALIDITY:
                counters.rule(ro, MatchCounters.SUPPRESSED_OUTSIDE_VALIDITY);
                return false;
            case GovernStage.QUIET_DROPPED:
                counters.rule(ro, MatchCounters.SUPPRESSED_QUIET_HOURS);
                return false;
            case GovernStage.CAPPED:
                counters.rule(ro, MatchCounters.SUPPRESSED_CAP);
                return false;
            default:
                counters.rule(ro, MatchCounters.SUPPRESSED_GLOBAL_CAP);
                return false;
        }
    }

    /** Counted once journaled (an append that throws is an error, not a match). */
    private void matched(final Rule rule) {
        counters.rule(rule.ordinal(), MatchCounters.MATCHED);
        if (govern.deliverAfter() != Long.MIN_VALUE) {
            counters.rule(rule.ordinal(), MatchCounters.DEFERRED);
        }
        counters.add(MatchCounters.MATCHES);
    }

    /** Capture time has reached t: the timers due fire, on this thread, in deadline order. */
    private void advance(final long t, final long publishNanos) {
        timerPublishNanos = publishNanos;
        timers.advance(t, onTimer);
    }

    private void onTimer(final TimerWheel wheel, final int timer) {
        counters.add(MatchCounters.TIMERS_FIRED);
        final Rule rule = rules.ruleByStableId(wheel.rule(timer));
        if (rule == null || !rule.trigger().timed()) {
            return; // the rule left the snapshot since the timer was armed
        }
        final int r = trigger.timerFires(wheel, timer, rule);
        if (r < 0) {
            return; // the stay or visit ended before the deadline
        }
        final long deadline = wheel.deadline(timer);
        final int area = rule.trigger() == TriggerType.AREA_DWELL ? rules.areas().indexOfStableId(wheel.area(timer)) : -1;
        lookup.begin(states.getLong(r, SubscriberStates.IMSI), states.getLong(r, SubscriberStates.MSISDN),
            states.getLong(r, SubscriberStates.IMEI));
        if (admit(rule, r, deadline)) {
            journalStage.appendTimer(rule, deadline, wheel.key(timer), states.getLong(r, SubscriberStates.IMSI),
                states.getLong(r, SubscriberStates.MSISDN), states.getLong(r, SubscriberStates.IMEI), area,
                govern.deliverAfter(), timerPublishNanos);
            matched(rule);
        }
    }

    void endOfBatch() {
        if (journalStage.appender() != null) {
            journalStage.endOfBatch();
        }
        final long evicted = states.evictions();
        final long slots = trigger.slotEvictions() + govern.capSlotEvictions();
        final long refused = trigger.timersRefused();
        counters.add(MatchCounters.STATE_EVICTED, evicted - reportedEvictions);
        counters.add(MatchCounters.STATE_SLOTS_EVICTED, slots - reportedSlotEvictions);
        counters.add(MatchCounters.TIMERS_REFUSED, refused - reportedRefused);
        reportedEvictions = evicted;
        reportedSlotEvictions = slots;
        reportedRefused = refused;
        counters.flush();
    }

    @Override
    public void onShutdown() {
        try {
            endOfBatch();
            CloseHelper.close(journalStage.appender());
        } finally {
            if (ownsState) {
                CloseHelper.closeAll(states, timers);
            }
            stopped.countDown();
        }
    }
}
