package io.sigmatch.decoder.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The short fuzz run the build does for every fuzz target: Jazzer only replays its seed files in a
 * normal build, so this drives the same target method with seeded random mutants of the seeds for
 * a few seconds. Every input must finish within {@link #PER_INPUT_LIMIT_MS}; a failing or slow
 * input is written under {@code target/fuzz-findings/} (to be copied into the target's
 * {@code ...Inputs/} directory as a regression seed) and the seed and iteration are in the message.
 * The long coverage-guided runs use Jazzer itself (docs/hostile.md).
 */
public final class FuzzRun {
    public static final long SEED = Long.getLong("sigmatch.fuzz.seed", 0x5EED_2026L);
    /** Wall time of the short run per target; -Dsigmatch.fuzz.millis raises it for a longer local run. */
    public static final long MILLIS = Long.getLong("sigmatch.fuzz.millis", 3_000L);
    /** A per-input bound far above any legitimate input's cost, so a loop or quadratic blow-up fails. */
    public static final long PER_INPUT_LIMIT_MS = Long.getLong("sigmatch.fuzz.per_input_ms", 2_000L);
    private static final int MAX_LENGTH = 1 << 16;

    private FuzzRun() {
    }

    /** Runs target over mutants of seeds; returns the number of inputs tried. */
    public static long run(final String name, final List<byte[]> seeds, final Consumer<byte[]> target) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seeds for " + name);
        }
        export(name, seeds);
        final Random random = new Random(SEED ^ name.hashCode());
        long tried = 0;
        // the seeds first, without the time bound: they pay for class loading and JIT warm-up
        for (final byte[] seed : seeds) {
            target.accept(seed.clone());
            tried++;
        }
        final long deadline = System.nanoTime() + MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            final byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), seeds, random);
            once(name, input, target, tried++);
        }
        if (tried == seeds.size()) {
            throw new AssertionError(name + ": no mutant ran in " + MILLIS + " ms (the seeds alone took longer)");
        }
        System.out.println(name + ": " + tried + " inputs (seed " + SEED + ", " + seeds.size() + " seeds), no failure");
        return tried;
    }

    /** With -Dsigmatch.fuzz.export=DIR the seeds are written to DIR/name/, the corpus of a long Jazzer run. */
    private static void export(final String name, final List<byte[]> seeds) {
        final String dir = System.getProperty("sigmatch.fuzz.export");
        if (dir == null) {
            return;
        }
        try {
            final Path out = Files.createDirectories(Path.of(dir, name));
            for (int i = 0; i < seeds.size(); i++) {
                Files.write(out.resolve(String.format("seed-%03d", i)), seeds.get(i));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static volatile byte[] running;
    private static volatile long runningSinceNs;
    private static volatile String runningName;

    /**
     * Keeps an input that never returns (a loop): a post-hoc time check would never run, so a
     * daemon thread writes the stuck input out; the test's own timeout then fails it.
     */
    private static final Thread WATCHDOG = new Thread(() -> {
        byte[] kept = null;
        while (true) {
            try {
                Thread.sleep(250);
            } catch (final InterruptedException e) {
                return;
            }
            final byte[] input = running;
            if (input != null && input != kept && System.nanoTime() - runningSinceNs > PER_INPUT_LIMIT_MS * 5_000_000L) {
                kept = input;
                System.err.println(runningName + ": an input is still running after " + 5 * PER_INPUT_LIMIT_MS
                    + " ms; kept as " + keep(runningName, -1, input));
            }
        }
    }, "fuzz-watchdog");

    static {
        WATCHDOG.setDaemon(true);
        WATCHDOG.start();
    }

    private static void once(final String name, final byte[] input, final Consumer<byte[]> target, final long i) {
        final long start = System.nanoTime();
        runningName = name;
        runningSinceNs = start;
        running = input;
        try {
            target.accept(input.clone());
        } catch (final Throwable t) {
            throw new AssertionError(name + ": seed " + SEED + " input " + i + " failed; kept as " + keep(name, i, input), t);
        }
        running = null;
        final long ms = (System.nanoTime() - start) / 1_000_000L;
        if (ms > PER_INPUT_LIMIT_MS) {
            throw new AssertionError(name + ": seed " + SEED + " input " + i + " took " + ms + " ms; kept as "
                + keep(name, i, input));
        }
    }

    private static Path keep(final String name, final long i, final byte[] input) {
        try {
            final Path dir = Files.createDirectories(Path.of("target", "fuzz-findings"));
            return Files.write(dir.resolve(name + "-" + Long.toHexString(SEED) + "-" + i + ".bin"), input);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** libFuzzer-like mutations: flips, interesting bytes, cuts, inserts, duplicated runs, splices. */
    static byte[] mutate(final byte[] original, final List<byte[]> seeds, final Random random) {
        byte[] b = original.clone();
        final int rounds = 1 + random.nextInt(6);
        for (int r = 0; r < rounds; r++) {
            final int op = random.nextInt(8);
            if (b.length == 0) {
                b = new byte[] {(byte) random.nextInt(256)};
                continue;
            }
            final int at = random.nextInt(4) == 0 ? random.nextInt(Math.min(64, b.length)) : random.nextInt(b.length);
            switch (op) {
                case 0:
                    b[at] ^= (byte) (1 << random.nextInt(8));
                    break;
                case 1:
                    b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    break;
                case 2:
                    b[at] = (byte) random.nextInt(256);
                    break;
                case 3: // cut the tail
                    b = Arrays.copyOf(b, at);
                    break;
                case 4: { // delete a run
                    final int n = Math.min(b.length - at, 1 + random.nextInt(32));
                    final byte[] shorter = new byte[b.length - n];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + n, shorter, at, b.length - at - n);
                    b = shorter;
                    break;
                }
                case 5: { // insert random bytes
                    final byte[] run = new byte[1 + random.nextInt(32)];
                    random.nextBytes(run);
                    b = insert(b, at, run);
                    break;
                }
                case 6: { // duplicate a run (repeated records, retransmitted segments)
                    final int n = Math.min(b.length - at, 1 + random.nextInt(256));
                    b = insert(b, at, Arrays.copyOfRange(b, at, at + n));
                    break;
                }
                default: { // splice in part of another seed
                    final byte[] other = seeds.get(random.nextInt(seeds.size()));
                    if (other.length > 0) {
                        final int from = random.nextInt(other.length);
                        final int n = Math.min(other.length - from, 1 + random.nextInt(512));
                        b = insert(Arrays.copyOf(b, at), at, Arrays.copyOfRange(other, from, from + n));
                    }
                    break;
                }
            }
            if (b.length > MAX_LENGTH) {
                b = Arrays.copyOf(b, MAX_LENGTH);
            }
        }
        return b;
    }

    private static final byte[] INTERESTING = {0, 1, 2, 4, 8, 0x10, 0x20, 0x40, 0x7F, (byte) 0x80, (byte) 0xFE,
        (byte) 0xFF, '\n', '\r', ',', '#', '"', '{', '}', '[', ']', ':', '0', '9', '+', ' '};

    private static byte[] insert(final byte[] b, final int at, final byte[] run) {
        final byte[] grown = new byte[b.length + run.length];
        System.arraycopy(b, 0, grown, 0, at);
        System.arraycopy(run, 0, grown, at, run.length);
        System.arraycopy(b, at, grown, at + run.length, b.length - at);
        return grown;
    }

    /** The seed files of a Jazzer target ({@code <Class>Inputs/<method>/} on the test classpath). */
    public static List<byte[]> seedFiles(final Class<?> test, final String method) {
        final String dir = test.getSimpleName() + "Inputs/" + method;
        final java.net.URL url = test.getResource(dir);
        final List<byte[]> seeds = new ArrayList<>();
        if (url == null) {
            return seeds;
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            for (final Path f : (Iterable<Path>) files.sorted()::iterator) {
                seeds.add(Files.readAllBytes(f));
            }
        } catch (final IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return seeds;
    }
}
