package io.sigmatch.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Digits;
import io.sigmatch.decoder.Plmn;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.SystemNanoClock;
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
 * Journal append: one {@link MatchRecord} of a typical match (rule id, snapshot version, a 40-byte
 * payload, IMSI, MSISDN, IMEI, PLMN, TAC, ECI) through {@link MatchAppender#append} into a real
 * Chronicle Queue in a temporary directory, with the journal's default settings (64 MiB blocks,
 * pre-touch thread on). The JournalPretoucher runs beside it, as in the appliance.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JournalAppendBenchmark {
    private static final long T0 = 1_763_800_000_000_000_000L;

    private Path dir;
    private MatchJournal journal;
    private MatchAppender appender;
    private final MatchRecord record = new MatchRecord();
    private long sequence;

    /** On the benchmark thread: Chronicle appenders belong to the thread that made them. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("sigmatch-bench-journal");
        journal = MatchJournal.open(dir.resolve("journal"));
        appender = journal.newAppender(SystemNanoClock.INSTANCE);
        record.reset().timeNs(T0).ruleId("airport-welcome").snapshot("2026-11-22.1")
            .payload("{\"campaign\":\"C123\",\"template\":\"T9\"}")
            .imsi(Digits.parse("460001234567890")).msisdn(Digits.parse("8613800138000"))
            .imei(Digits.parse("35345678901234")).plmn(Plmn.of(460, 0, 2)).tac(0x2A3B).eci(0x1A2B3C4);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        appender.close();
        journal.close();
        BenchRules.deleteTree(dir);
    }

    @Benchmark
    public long append() {
        final long s = sequence++;
        record.matchId(T0 + s, MatchId.low(0, s, 0));
        return appender.append(record, System.nanoTime());
    }
}
