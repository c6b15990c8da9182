package io.sigmatch.matcher.lists;

import java.util.SplittableRandom;

import io.sigmatch.decoder.Digits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A quick figure, not a benchmark (JMH in perf/ is the judge): independent random lookups in a large
 * list, the access pattern of DESIGN §9. Off by default (it needs ~2 GB and a minute):
 * {@code mvn -pl matcher -am test -Dtest=TargetListLookupMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsigmatch.perf=true -Dsigmatch.perf.entries=100000000 -Dsigmatch.perf.blocks=30}.
 */
@EnabledIfSystemProperty(named = "sigmatch.perf", matches = "true")
class TargetListLookupMeasurement {
    /** A method of its own so it is compiled as a whole, not only on-stack-replaced in the test. */
    private static int lookups(final TargetList list, final long[] keys) {
        int hits = 0;
        for (final long key : keys) {
            if (list.contains(key)) {
                hits++;
            }
        }
        return hits;
    }

    @Test
    void independentLookups() {
        final long entries = Long.getLong("sigmatch.perf.entries", 100_000_000L);
        final int blocks = Integer.getInteger("sigmatch.perf.blocks", 30);
        final SplittableRandom random = new SplittableRandom(42);
        final TargetListBuilder builder = new TargetListBuilder(IdentityKind.MSISDN);
        // an operator's MSISDN blocks of 10^8 numbers each (86 13x xxxx xxxx), the list spread over them
        final long base = 8613000000000L;
        long start = System.nanoTime();
        for (long i = 0; i < entries; i++) {
            builder.add(Digits.pack(base + random.nextLong(blocks) * 100_000_000L + random.nextLong(100_000_000L), 13));
        }
        System.out.printf("generated %d in %d ms%n", entries, (System.nanoTime() - start) / 1_000_000);
        start = System.nanoTime();
        try (TargetList list = builder.build("measure")) {
            System.out.printf("built in %d ms: %d distinct, %d chunks, %.2f bytes an entry%n",
                (System.nanoTime() - start) / 1_000_000, list.size(), list.chunks(),
                (double) list.memoryBytes() / list.size());
            final int queries = 1 << 24;
            final long[] keys = new long[queries];
            for (int i = 0; i < queries; i++) {
                keys[i] = Digits.pack(base + random.nextLong(blocks) * 100_000_000L + random.nextLong(100_000_000L), 13);
            }
            for (int round = 0; round < 8; round++) {
                start = System.nanoTime();
                final int hits = lookups(list, keys);
                final long ns = System.nanoTime() - start;
                System.out.printf("round %d: %.1f ns per lookup (%d hits of %d)%n", round, (double) ns / queries, hits, queries);
            }
        }
    }
}
