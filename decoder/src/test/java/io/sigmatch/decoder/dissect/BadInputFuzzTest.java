package io.sigmatch.decoder.dissect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.PacketInfo;
import io.sigmatch.decoder.PayloadDecoder;
import io.sigmatch.decoder.capture.CaptureFileReader;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import io.sigmatch.decoder.testing.PcapWriter;
import io.sigmatch.decoder.testing.PcapngWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage, and valid captures with bytes flipped, cut and inserted, through the reader and the
 * dissector: whatever the input, nothing throws, no internal-error counter moves, and every payload
 * handed to a decoder lies inside its buffer. Seeded; the seed is in every failure message.
 */
class BadInputFuzzTest {
    private static final long SEED = Long.getLong("sigmatch.fuzz.seed", 0x5EED_2026L);
    private static final int MUTANTS_PER_CAPTURE = Integer.getInteger("sigmatch.fuzz.mutants", 150);

    @TempDir
    Path dir;

    /** Touches the first and last byte of every payload: out of range would throw inside decode. */
    private static final class BoundsCheckingDecoder implements PayloadDecoder {
        long payloads;

        @Override
        public void decode(final PacketInfo p, final ByteBuf b, final int off, final int len, final MessageSink s) {
            if (len > 0) {
                b.getByte(off);
                b.getByte(off + len - 1);
            }
            if (off < 0 || len < 0) {
                throw new IllegalStateException("negative range");
            }
            payloads++;
        }
    }

    private void run(final byte[] file, final String what) throws IOException {
        final Path path = Files.write(dir.resolve("fuzz.bin"), file);
        final Counters counters = new Counters(128); // small: one per input, and each Counters is direct memory
        final BoundsCheckingDecoder decoder = new BoundsCheckingDecoder();
        final ProtocolDispatch dispatch = new ProtocolDispatch();
        dispatch.contentSniffer((p, b, o, l) -> decoder);
        final Dissector dissector = new Dissector(counters, dispatch, m -> { }, new DissectorConfig());
        try (CaptureFileReader reader = CaptureFileReader.open(path, counters)) {
            reader.readAll(dissector);
        }
        dissector.finish();
        assertEquals(0, counters.get("capture.error.internal"), what);
        assertEquals(0, counters.get("dissect.error.internal"), what);
        assertEquals(0, counters.get("dissect.error.decoder_exception"), what);
    }

    @Test
    void randomBytes() throws IOException {
        final Random random = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            final byte[] b = new byte[random.nextInt(3000)];
            random.nextBytes(b);
            run(b, "seed " + SEED + " random file " + i);
        }
    }

    @Test
    void validHeadersFollowedByGarbage() throws IOException {
        final Random random = new Random(SEED + 1);
        final List<byte[]> headers = new ArrayList<>();
        for (final ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            headers.add(new PcapWriter(order, false, 65_535, 1).toByteArray());
            headers.add(new PcapWriter(order, true, 0, 113).toByteArray());
            headers.add(new PcapngWriter(order).interfaceDescription(1, 0, null, null).toByteArray());
            headers.add(new PcapngWriter(order).interfaceDescription(276, 0, 9, null).toByteArray());
        }
        for (int i = 0; i < 400; i++) {
            final byte[] header = headers.get(i % headers.size());
            final byte[] tail = new byte[random.nextInt(2000)];
            random.nextBytes(tail);
            final byte[] b = new byte[header.length + tail.length];
            System.arraycopy(header, 0, b, 0, header.length);
            System.arraycopy(tail, 0, b, header.length, tail.length);
            run(b, "seed " + (SEED + 1) + " header " + (i % headers.size()) + " garbage " + i);
        }
    }

    @Test
    void mutatedCaptures() throws IOException {
        final List<GeneratedCaptures.Capture> captures = new ArrayList<>(GeneratedCaptures.forReader());
        captures.addAll(GeneratedCaptures.forDissector());
        final Random random = new Random(SEED + 2);
        for (final GeneratedCaptures.Capture c : captures) {
            for (int m = 0; m < MUTANTS_PER_CAPTURE; m++) {
                run(mutate(c.bytes(), random), "seed " + (SEED + 2) + " " + c.name() + " mutant " + m);
            }
        }
    }

    /**
     * Each tunnel frame of {@link TunnelTest} (VXLAN, GRE forms, ERSPAN I/II/III, PPPoE, PPTP,
     * nesting) mutated on its own, many mutants per capture file, so flips land in the tunnel
     * headers rather than in the file header.
     */
    @Test
    void mutatedTunnelFrames() throws IOException {
        final Random random = new Random(SEED + 3);
        final List<byte[]> frames = TunnelTest.frames();
        for (int f = 0; f < frames.size(); f++) {
            final PcapWriter w = new PcapWriter(ByteOrder.BIG_ENDIAN, true, 65_535, 1);
            for (int m = 0; m < MUTANTS_PER_CAPTURE; m++) {
                w.packet(GeneratedCaptures.T0 + m, mutate(frames.get(f), random));
            }
            run(w.toByteArray(), "seed " + (SEED + 3) + " tunnel frame " + (f + 1));
        }
    }

    /** Flips bytes, often in the first 100 (headers), sometimes cuts or inserts a run. */
    private static byte[] mutate(final byte[] original, final Random random) {
        byte[] b = original.clone();
        final int flips = 1 + random.nextInt(12);
        for (int i = 0; i < flips; i++) {
            final int at = random.nextInt(4) == 0 ? random.nextInt(Math.min(100, b.length)) : random.nextInt(b.length);
            b[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256)
                : (byte) (b[at] ^ (1 << random.nextInt(8)));
        }
        if (random.nextInt(5) == 0) {
            b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
        }
        if (random.nextInt(5) == 0 && b.length > 0) {
            final int at = random.nextInt(b.length);
            final byte[] run = new byte[1 + random.nextInt(40)];
            random.nextBytes(run);
            final byte[] grown = new byte[b.length + run.length];
            System.arraycopy(b, 0, grown, 0, at);
            System.arraycopy(run, 0, grown, at, run.length);
            System.arraycopy(b, at, grown, at + run.length, b.length - at);
            b = grown;
        }
        return b;
    }
}
