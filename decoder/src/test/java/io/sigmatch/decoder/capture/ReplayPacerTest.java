package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.DecoderConfig;
import io.sigmatch.decoder.MessageSink;
import io.sigmatch.decoder.SignalingDecoder;
import io.sigmatch.decoder.SignalingJson;
import io.sigmatch.decoder.SignalingMessage;
import io.sigmatch.decoder.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Replay at the recorded pace, at a multiple of it, or as fast as possible (issue 3 "Replay"):
 * a frame is never released before (its capture time since the first frame) / speed of wall time,
 * and the decode is the same at every speed.
 */
class ReplayPacerTest {
    private static final long MS = 1_000_000L;
    private static final long[] CAPTURE_MS = {0, 50, 100, 200};

    /** Hands the frames to the pacer and returns the wall time (ns since the first) each came out. */
    private static long[] pace(final double speed, final long[] captureMs) {
        final long[] out = new long[captureMs.length];
        final long[] first = {0};
        final int[] n = {0};
        final ReplayPacer pacer = new ReplayPacer(f -> {
            final long now = System.nanoTime();
            if (n[0] == 0) {
                first[0] = now;
            }
            assertEquals(n[0] + 1, f.number, "frames come out in order, each once");
            out[n[0]++] = now - first[0];
        }, speed);
        final Frame frame = new Frame();
        for (int i = 0; i < captureMs.length; i++) {
            frame.number = i + 1;
            frame.timeNs = 1_700_000_000_000_000_000L + captureMs[i] * MS;
            pacer.onFrame(frame);
        }
        assertEquals(captureMs.length, n[0]);
        return out;
    }

    @Test
    void recordedPaceAndMultiplesOfIt() {
        for (final double speed : new double[] {1, 4}) {
            final long[] wall = pace(speed, CAPTURE_MS);
            for (int i = 0; i < wall.length; i++) {
                final long due = (long) (CAPTURE_MS[i] * MS / speed);
                assertTrue(wall[i] >= due, "speed " + speed + ": frame " + i + " out at " + wall[i] + " ns, due " + due);
            }
            // and not much later: a loaded machine gets a second of slack
            assertTrue(wall[wall.length - 1] < (long) (200 * MS / speed) + 1_000 * MS,
                "speed " + speed + ": last frame at " + wall[wall.length - 1] / MS + " ms");
        }
    }

    @Test
    void speedZeroDoesNotWait() {
        final long[] wall = pace(0, new long[] {0, 10_000, 20_000, 30_000}); // 30 s of capture
        assertTrue(wall[wall.length - 1] < 1_000 * MS, "as fast as possible: " + wall[wall.length - 1] / MS + " ms");
    }

    @Test
    void refusesSpeedsThatAreNotAMultiple() {
        for (final double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> new ReplayPacer(f -> { }, bad), "speed " + bad);
        }
    }

    /** 30.3 s of Diameter over SCTP (and S1AP, GTP) at speed 100 takes at least 303 ms and decodes as at speed 0. */
    @Test
    void everySpeedDecodesTheSame() throws IOException {
        final Path capture = Fixtures.corpus().resolve("diameter/magma-gx_gy_combined_03.pcapng");
        final List<String> fast = new ArrayList<>();
        final List<String> paced = new ArrayList<>();
        new SignalingDecoder(new Counters(), new DecoderConfig(), json(fast)).decodeFiles(List.of(capture), 0);
        final long start = System.nanoTime();
        final SignalingDecoder decoder = new SignalingDecoder(new Counters(), new DecoderConfig(), json(paced));
        decoder.decodeFiles(List.of(capture), 100);
        final long wallMs = (System.nanoTime() - start) / MS;
        assertTrue(wallMs >= 303, "30.33 s of capture at speed 100 took " + wallMs + " ms");
        assertTrue(fast.size() > 100);
        assertEquals(fast, paced, "the same messages at every speed");
    }

    private static MessageSink json(final List<String> lines) {
        return new MessageSink() {
            @Override
            public void onMessage(final SignalingMessage m) {
                lines.add(SignalingJson.appendTo(m, new StringBuilder(), true).toString());
            }
        };
    }
}
