package io.sigmatch.matcher;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import com.lmax.disruptor.EventHandler;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.rules.Rule;
import io.sigmatch.matcher.rules.RuleSet;
import org.agrona.CloseHelper;
import org.agrona.concurrent.NanoClock;

/**
 * One match shard: the consumer of one ring and the single writer of its subscribers' state. Each event
 * runs the stages of DESIGN §2 in order — filter, lookup, trigger, govern, journal — over the rules its
 * kind can fire, highest priority first; a match is numbered by its place among the event's matches.
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
    private final TriggerStage trigger = new TriggerStage();
    private final GovernStage govern = new GovernStage();
    private final JournalStage journalStage;
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
        this.id = id;
        this.onStart = onStart;
        this.rules = rules;
        this.journal = journal;
        this.clock = clock;
        this.counters = new MatchCounters(registry);
        this.lookup = new LookupStage(rules);
        this.journalStage = new JournalStage(rules, clock, latencyMaxNs);
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
        counters.add(MatchCounters.EVENTS);
        final int accepted = filter.accept(e);
        if (accepted != FilterStage.ACCEPTED) {
            counters.add(accepted == FilterStage.NO_EVENT_KIND
                ? MatchCounters.IGNORED_NO_EVENT_KIND : MatchCounters.IGNORED_NO_IDENTITY);
            return;
        }
        final EventKind kind = e.event();
        final int candidates = rules.ruleCount(kind);
        lookup.begin(e);
        int ordinal = 0;
        for (int i = 0; i < candidates; i++) {
            final Rule rule = rules.rule(kind, i);
            final int r = rule.ordinal();
            counters.rule(r, MatchCounters.EVALUATED);
            if (!filter.accepts(rule, e)) {
                continue;
            }
            final int membership = lookup.verdict(rule);
            if (membership != LookupStage.INCLUDED) {
                if (membership == LookupStage.EXCLUDED) {
                    counters.rule(r, MatchCounters.SUPPRESSED_EXCLUDED);
                } else if (membership == LookupStage.EXCLUSION_UNVERIFIABLE) {
                    counters.rule(r, MatchCounters.SUPPRESSED_EXCLUSION_UNVERIFIABLE);
                }
                continue;
            }
            if (!trigger.fires(rule, e)) {
                continue;
            }
            if (govern.verdict(rule, e) != GovernStage.PASS) {
                counters.rule(r, MatchCounters.SUPPRESSED_OUTSIDE_VALIDITY);
                continue;
            }
            journalStage.append(rule, e, ordinal++);
            counters.rule(r, MatchCounters.MATCHED);
            counters.add(MatchCounters.MATCHES);
        }
    }

    void endOfBatch() {
        if (journalStage.appender() != null) {
            journalStage.endOfBatch();
        }
        counters.flush();
    }

    @Override
    public void onShutdown() {
        try {
            counters.flush();
            CloseHelper.close(journalStage.appender());
        } finally {
            stopped.countDown();
        }
    }
}
