package io.sigmatch.perf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.EventKind;
import io.sigmatch.decoder.Outcome;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.decoder.Protocol;
import io.sigmatch.decoder.Rat;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.matcher.MatchStagesProbe;
import io.sigmatch.matcher.SubscriberEvent;
import io.sigmatch.matcher.rules.RuleSet;
import io.sigmatch.matcher.rules.RuleSnapshotParser;
import io.sigmatch.matcher.rules.SnapshotException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The match stages of DESIGN §2 per event — filter, lookup (target lists), trigger, govern — each
 * alone, and the whole chain on a real shard with journal appends to a Chronicle Queue in a temporary
 * directory ({@code shard}). The rules are {@link BenchRules}; the events cycle through a gold
 * subscriber moving in LTE (two rules match), an attach with a data session (one match) and a
 * location update of a subscriber on no list (one match).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatchStagesBenchmark {
    private static final long T0 = 1_763_800_000_000_000_000L;

    private Path dir;
    private RuleSet rules;
    private MatchJournal journal;
    private MatchStagesProbe probe;
    private SubscriberEvent[] events;
    private int next;
    private long sequence;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SnapshotException {
        dir = Files.createTempDirectory("sigmatch-bench-stages");
        rules = RuleSnapshotParser.load(BenchRules.write(dir.resolve("rules")));
        journal = MatchJournal.open(dir.resolve("journal"));
        probe = new MatchStagesProbe(rules, journal, new Counters());
        final long now = System.nanoTime();
        events = new SubscriberEvent[] {
            MatchStagesProbe.event(lte(procedure(EventKind.LOCATION_UPDATE, "460001000000001", Long.toString(BenchRules.GOLD_BASE))), now, 0),
            MatchStagesProbe.event(apn(lte(procedure(EventKind.DATA_SESSION_START, "460001000000002", "8613900000002")), "internet"), now, 1),
            MatchStagesProbe.event(lte(procedure(EventKind.LOCATION_UPDATE, "460001000000003", "8613900000003")), now, 2),
        };
        if (probe.lookup(events[0]) != 0 || probe.filter(events[0]) != 2) {
            throw new IllegalStateException("the gold event must pass both location rules");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        probe.close();
        journal.close();
        rules.close();
        BenchRules.deleteTree(dir);
    }

    private SubscriberEvent nextEvent() {
        final SubscriberEvent e = events[next];
        next = next == events.length - 1 ? 0 : next + 1;
        return e;
    }

    @Benchmark
    public int filter() {
        return probe.filter(nextEvent());
    }

    @Benchmark
    public int lookup() {
        return probe.lookup(nextEvent());
    }

    @Benchmark
    public int trigger() {
        return probe.trigger(nextEvent());
    }

    @Benchmark
    public int govern() {
        return probe.govern(nextEvent());
    }

    /** Every stage and the journal appends of the event's matches (4 matches per 3 events). */
    @Benchmark
    public void shard() {
        final long s = sequence++;
        probe.match(nextEvent(), s, (s & 63) == 63);
    }

    static SignalingMessage procedure(final EventKind kind, final String imsi, final String msisdn) {
        final SignalingMessage m = new SignalingMessage();
        m.reset().header(1, T0, 0).message(Protocol.GTPV2, 32, "Create Session Request", true).event(kind)
            .outcome(Outcome.ACCEPTED).imsi(Digits.parse(imsi)).msisdn(Digits.parse(msisdn));
        return m;
    }

    static SignalingMessage lte(final SignalingMessage m) {
        return m.cellPlmn(Plmn.of(460, 0, 2)).tac(0x2A3B).eci(0x1A2B3C4).rat(Rat.EUTRAN);
    }

    static SignalingMessage apn(final SignalingMessage m, final String apn) {
        m.clearApn();
        for (final byte b : apn.getBytes(StandardCharsets.US_ASCII)) {
            m.appendApn(b);
        }
        return m;
    }
}
