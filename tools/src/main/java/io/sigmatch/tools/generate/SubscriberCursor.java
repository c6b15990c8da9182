package io.sigmatch.tools.generate;

import java.util.SplittableRandom;

/**
 * One subscriber's behaviour, generated lazily: the cursor holds the subscriber's present state and
 * the time of its next action; {@link TrafficGenerator} keeps the cursors in a priority queue by that
 * time and asks the earliest for its next step. Competing exponential clocks give the per-hour rates
 * (docs/generator.md, "Behaviour"); an area visit, a secondary PDN connection and a power-off have
 * their own scheduled ends.
 */
final class SubscriberCursor {
    static final long NEVER = Long.MAX_VALUE;

    final int index;
    final Population.Kind kind;
    /** Movement rate class: 0 static, 1 normal, 2 mobile. */
    final int mobility;
    final int mme;
    final int sgw;
    final SplittableRandom random;

    boolean on;
    /** The default PDN connection was set up before the capture started: its Create Session is not in it. */
    boolean defaultUncaptured;
    boolean secondaryOpen;
    /** Accepted sessions whose Create Session exchange is in the capture and not yet deleted. */
    int capturedSessions;
    /** Capture time of the last S11 message on this subscriber's TEIDs. */
    long lastS11Ns = Long.MIN_VALUE;
    /** Capture time of the last frame of this subscriber's latest exchange. */
    long busyUntilNs = Long.MIN_VALUE + 1_000_000L;
    int cell;
    int homeCell;
    int handsetGeneration;
    int attachCount;
    /** Area index of the visit in progress, or -1. */
    int visitingArea = -1;

    long nextRandomNs = NEVER;
    long areaLeaveNs = NEVER;
    long secondaryEndNs = NEVER;
    long powerOnNs = NEVER;
    long powerOffNs = NEVER;
    boolean changeHandsetAtPowerOn;

    /** The oracle's state for this subscriber, made on its first conveyed event. */
    Oracle.State oracle;

    private final Population population;

    SubscriberCursor(final Population population, final int index, final long seed) {
        this.population = population;
        this.index = index;
        this.kind = population.kind(index);
        this.random = new SplittableRandom(population.hash(index, 9) ^ seed);
        final int m = random.nextInt(100);
        this.mobility = m < 25 ? 0 : m < 80 ? 1 : 2;
        this.mme = (int) Long.remainderUnsigned(population.hash(index, 10), TrafficGenerator.MMES);
        this.sgw = (int) Long.remainderUnsigned(population.hash(index, 11), TrafficGenerator.SGWS);
    }

    String imsi() {
        return population.imsi(index);
    }

    String msisdn() {
        return population.msisdn(index);
    }

    String mei() {
        return population.mei(index, handsetGeneration);
    }

    String imeiBody() {
        return population.imeiBody(index, handsetGeneration);
    }

    long nextNs() {
        return Math.min(Math.min(nextRandomNs, areaLeaveNs), Math.min(Math.min(secondaryEndNs, powerOnNs), powerOffNs));
    }

    /** Per-hour rate of moving to another cell while on. */
    double moveRate() {
        return mobility == 0 ? 0.3 : mobility == 1 ? 1.5 : 5.0;
    }

    // ---- TEIDs a real MME and SGW would allocate: unique per node while the UE is attached --------

    long mmeTeid() {
        return 0x10000000L + index * 16L + (attachCount & 15);
    }

    long sgwTeid() {
        return 0x80000000L + index * 16L + (attachCount & 15);
    }

    long pgwTeid(final boolean secondary) {
        return 0xC0000000L + index * 32L + (attachCount & 15) * 2L + (secondary ? 1 : 0);
    }

    long s1uTeid(final boolean secondary) {
        return 0x40000000L + index * 32L + (attachCount & 15) * 2L + (secondary ? 1 : 0);
    }

    int ueIp(final boolean secondary) {
        return 100 << 24 | 64 << 16 | ((index * 2 + (secondary ? 1 : 0)) & 0x3FFFFF);
    }
}
