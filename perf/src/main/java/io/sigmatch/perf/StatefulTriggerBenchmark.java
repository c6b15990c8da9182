package io.sigmatch.perf;

import java.io.IOException;
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
 * The trigger stage with subscriber state (issue 6): one event of 1 024 subscribers moving between
 * three areas, against one rule of every stateful trigger (entry, dwell, frequent visitor, roaming in
 * and duration, handset change, forwarding then power-on): the record looked up, each rule judged,
 * timers armed, the state moved on. {@code shard} is the whole chain on a real shard with its journal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StatefulTriggerBenchmark {
    private static final long T0 = 1_795_320_000_000_000_000L;
    private static final int SUBSCRIBERS = 1024;
    private static final long[] CELLS = {1001, 9000, 2001, 3001, 2002, 9001};

    private Path dir;
    private RuleSet rules;
    private MatchJournal journal;
    private MatchStagesProbe probe;
    private final SignalingMessage m = new SignalingMessage();
    private final SubscriberEvent e = new SubscriberEvent();
    private long[] imsis;
    private long time = T0;
    private long i;

    @Setup(Level.Trial)
    public void setUp() throws IOException, SnapshotException {
        dir = Files.createTempDirectory("sigmatch-bench-stateful");
        Files.writeString(dir.resolve("regions.csv"), "prefix,region\n86134,GD\n86139,BJ\n");
        Files.writeString(dir.resolve("airport.csv"), "plmn,cell\n46000,1001\n");
        Files.writeString(dir.resolve("shops.csv"), "plmn,cell\n46000,2001\n46000,2002\n");
        Files.writeString(dir.resolve("station.csv"), "plmn,cell\n46000,3001\n46000,2002\n");
        final Path json = dir.resolve("rules.json");
        Files.writeString(json, "{\"version\": \"bench\", \"timezone\": \"Asia/Shanghai\","
            + " \"home\": {\"plmns\": [\"46000\"], \"region\": \"GD\", \"regionsFile\": \"regions.csv\"},"
            + " \"areas\": {\"airport\": {\"file\": \"airport.csv\"}, \"shops\": {\"file\": \"shops.csv\"},"
            + " \"station\": {\"file\": \"station.csv\"}}, \"rules\": ["
            + " {\"id\": \"entry\", \"trigger\": {\"type\": \"areaEntry\", \"area\": \"airport\", \"antiFlapMinutes\": 30}},"
            + " {\"id\": \"dwell\", \"trigger\": {\"type\": \"areaDwell\", \"area\": \"station\", \"minutes\": 15}},"
            + " {\"id\": \"regular\", \"trigger\": {\"type\": \"frequentVisitor\", \"area\": \"shops\", \"count\": 2, \"days\": 7}},"
            + " {\"id\": \"abroad\", \"trigger\": {\"type\": \"roamingIn\", \"scope\": \"any\"}},"
            + " {\"id\": \"long\", \"trigger\": {\"type\": \"roamingDuration\", \"scope\": \"any\", \"hours\": 2}},"
            + " {\"id\": \"phone\", \"trigger\": {\"type\": \"handsetChange\", \"by\": \"tac\"}},"
            + " {\"id\": \"fwd\", \"trigger\": {\"type\": \"forwardingThenPowerOn\", \"withinHours\": 24}}]}");
        rules = RuleSnapshotParser.load(json);
        journal = MatchJournal.open(dir.resolve("journal"));
        probe = new MatchStagesProbe(rules, journal, new Counters());
        imsis = new long[SUBSCRIBERS];
        for (int s = 0; s < SUBSCRIBERS; s++) {
            // one in eight an inbound roamer
            imsis[s] = Digits.parse(((s & 7) == 0 ? "45400" : "46000") + String.format("%010d", s));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        probe.close();
        journal.close();
        rules.close();
        BenchRules.deleteTree(dir);
    }

    /** The next event: subscriber i mod 1024, its next cell, an IMEI that changes now and then. */
    private SubscriberEvent next() {
        final long n = i++;
        time += 1_000_000;
        final int s = (int) (n & (SUBSCRIBERS - 1));
        final long round = n >>> 10;
        m.reset().header(1, time, 0).message(Protocol.GTPV2, 34, "Modify Bearer Request", true)
            .event(EventKind.LOCATION_UPDATE).outcome(Outcome.ACCEPTED).imsi(imsis[s])
            .imei(Digits.pack(35345678_000000L + (round / 16) * 1_000_000L + s, 14))
            .cellPlmn(Plmn.of(460, 0, 2)).tac(0x10).eci(CELLS[(int) ((round + s) % CELLS.length)]).rat(Rat.EUTRAN);
        return MatchStagesProbe.refill(e, m, n);
    }

    /** The trigger stage alone, with state (about 1 match per 6 events: entries, handsets, roamers). */
    @Benchmark
    public int trigger() {
        return probe.statefulTrigger(next());
    }

    /** Every stage and the journal appends, timers firing on capture time. */
    @Benchmark
    public void shard() {
        final long s = i;
        probe.match(next(), s, (s & 63) == 63);
    }
}
