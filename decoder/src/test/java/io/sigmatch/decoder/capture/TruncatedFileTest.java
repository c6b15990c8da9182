package io.sigmatch.decoder.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sigmatch.decoder.Counters;
import io.sigmatch.decoder.testing.FrameLog;
import io.sigmatch.decoder.testing.GeneratedCaptures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture cut at every byte offset (a copy interrupted, a disk full, a live file still being
 * written): the reader never throws, delivers exactly the records that are complete, and stops
 * with one counted reason unless the cut falls between records.
 */
class TruncatedFileTest {
    @TempDir
    Path dir;

    @Test
    void pcapCutAtEveryOffset() throws IOException {
        final byte[] whole = GeneratedCaptures.forReader().stream()
            .filter(c -> c.name().equals("pcap-le-usec.pcap")).findFirst().orElseThrow().bytes();
        final List<Integer> ends = new ArrayList<>();
        final ByteBuffer b = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 24; at < whole.length; ) {
            at += 16 + b.getInt(at + 8); // record header + captured length
            ends.add(at);
        }
        checkEveryCut(whole, ends, 24);
    }

    @Test
    void pcapngCutAtEveryOffset() throws IOException {
        final byte[] whole = GeneratedCaptures.forReader().stream()
            .filter(c -> c.name().endsWith(".pcapng")).findFirst().orElseThrow().bytes();
        // Walk the blocks: remember where each ends and which ones are delivered packets.
        final List<Integer> boundaries = new ArrayList<>();
        final List<Integer> packetEnds = new ArrayList<>();
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        for (int at = 0; at < whole.length; ) {
            final int type = ByteBuffer.wrap(whole).getInt(at);
            if (type == 0x0A0D0D0A) {
                order = ByteBuffer.wrap(whole).getInt(at + 8) == 0x1A2B3C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
            final ByteBuffer b = ByteBuffer.wrap(whole).order(order);
            final int blockType = b.getInt(at);
            at += b.getInt(at + 4);
            boundaries.add(at);
            if (blockType == 6 || blockType == 3 || blockType == 2) {
                packetEnds.add(at);
            }
        }
        final FrameLog full = FrameLog.read(Files.write(dir.resolve("whole.pcapng"), whole), new Counters());
        for (int cut = 0; cut <= whole.length; cut++) {
            final Counters counters = new Counters(128); // small: one per cut, and each Counters is direct memory
            final FrameLog log = FrameLog.read(Files.write(dir.resolve("cut.pcapng"), Arrays.copyOf(whole, cut)), counters);
            final int complete = countAtMost(packetEnds, cut);
            assertEquals(complete, log.frames.size(), "cut at " + cut);
            for (int i = 0; i < complete; i++) {
                assertArrayEquals(full.frames.get(i).bytes(), log.frames.get(i).bytes(), "cut at " + cut);
                assertEquals(full.frames.get(i).number(), log.frames.get(i).number(), "cut at " + cut);
            }
            if (boundaries.contains(cut)) {
                assertNull(log.stopReason, "cut at a block boundary " + cut);
            } else {
                assertNotNull(log.stopReason, "cut inside a block at " + cut);
            }
            assertEquals(log.stopReason == null ? 0 : 1, counters.sum("capture.error."), "cut at " + cut);
        }
    }

    private void checkEveryCut(final byte[] whole, final List<Integer> recordEnds, final int headerLength)
        throws IOException {
        final FrameLog full = FrameLog.read(Files.write(dir.resolve("whole.pcap"), whole), new Counters());
        assertEquals(recordEnds.size(), full.frames.size());
        for (int cut = 0; cut <= whole.length; cut++) {
            final Counters counters = new Counters(128); // small: one per cut, and each Counters is direct memory
            final FrameLog log = FrameLog.read(Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, cut)), counters);
            final int complete = countAtMost(recordEnds, cut);
            assertEquals(complete, log.frames.size(), "cut at " + cut);
            for (int i = 0; i < complete; i++) {
                assertArrayEquals(full.frames.get(i).bytes(), log.frames.get(i).bytes(), "cut at " + cut);
            }
            final String expected = cut < headerLength ? CaptureFileReader.TRUNCATED_FILE_HEADER
                : cut == headerLength || recordEnds.contains(cut) ? null : CaptureFileReader.TRUNCATED_RECORD;
            assertEquals(expected, log.stopReason, "cut at " + cut);
            assertEquals(expected == null ? 0 : 1, counters.sum("capture.error."), "cut at " + cut);
        }
    }

    private static int countAtMost(final List<Integer> ends, final int cut) {
        int n = 0;
        for (final int e : ends) {
            if (e <= cut) {
                n++;
            }
        }
        return n;
    }
}
