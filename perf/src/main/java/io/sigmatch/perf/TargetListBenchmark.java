package io.sigmatch.perf;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sigmatch.decoder.Digits;
import io.sigmatch.matcher.lists.IdentityKind;
import io.sigmatch.matcher.lists.TargetList;
import io.sigmatch.matcher.lists.TargetListBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * DESIGN §9 "target lookup, 100 M-entry list": independent membership lookups of random MSISDNs in a
 * {@link TargetList}. The list is spread over operator number blocks of 10^8 (86 13x xxxx xxxx) at
 * the density of DESIGN's reference (100 M entries over 30 blocks, 3.3 %); a smaller list keeps the
 * density by using fewer blocks. The queries are drawn the same way (about 3 % hit), read from an
 * array far larger than the caches, so no lookup finds its line cached by the previous one. Bytes
 * per entry are printed at set-up. Quick mode uses 10 M entries, full mode {@code -p entries=100000000}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {"-Xmx6g", "-Xms2g"})
public class TargetListBenchmark {
    private static final long BASE = 8613000000000L;
    private static final long BLOCK = 100_000_000L;
    private static final int QUERIES = 1 << 22;

    @Param({"10000000"})
    public long entries;

    private TargetList list;
    private long[] keys;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        final int blocks = (int) Math.max(1, Math.round(entries * 30.0 / 100_000_000L));
        final SplittableRandom random = new SplittableRandom(42);
        final TargetListBuilder builder = new TargetListBuilder(IdentityKind.MSISDN);
        for (long i = 0; i < entries; i++) {
            builder.add(Digits.pack(BASE + random.nextLong(blocks) * BLOCK + random.nextLong(BLOCK), 13));
        }
        final long start = System.nanoTime();
        list = builder.build("bench");
        System.err.printf("%nlist: %d entries asked, %d distinct, %d chunks, %d ranges, %d bytes = %.2f bytes/entry,"
                + " built in %d ms%n", entries, list.size(), list.chunks(), list.ranges(), list.memoryBytes(),
            (double) list.memoryBytes() / list.size(), (System.nanoTime() - start) / 1_000_000);
        keys = new long[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            keys[i] = Digits.pack(BASE + random.nextLong(blocks) * BLOCK + random.nextLong(BLOCK), 13);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        list.close();
    }

    @Benchmark
    public boolean lookup() {
        final int i = next;
        next = (i + 1) & (QUERIES - 1);
        return list.contains(keys[i]);
    }
}
