package io.sigmatch.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(ChronicleChecks.class)
class ForwarderCursorTest {
    @TempDir
    Path tmp;

    @Test
    void absentCursorStartsBeforeTheFirstRecordAndCommitsSurviveReopening() throws IOException {
        final Path file = tmp.resolve("forward/crm.cursor");
        final ForwarderCursor c = ForwarderCursor.open(file);
        assertEquals(ForwarderCursor.NONE, c.index());
        assertFalse(Files.exists(file));
        // the directory is created owner-only: it sits beside the journal
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        c.commit(42);
        c.commit(0x4A1B_0000_0007L);
        assertEquals(0x4A1B_0000_0007L, c.index());
        assertEquals(2, c.commits());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertFalse(Files.exists(file.resolveSibling("crm.cursor.tmp")), "the temporary file is renamed, not left");
        assertEquals(0x4A1B_0000_0007L, ForwarderCursor.open(file).index());
        final String text = Files.readString(file);
        assertTrue(text.startsWith("sigmatch-cursor 1 " + 0x4A1B_0000_0007L + " "), text);
    }

    @Test
    void aCursorThatDoesNotParseIsRefusedNotTakenForTheStart() throws IOException {
        final Path file = tmp.resolve("c.cursor");
        ForwarderCursor.open(file).commit(1234);
        final String good = Files.readString(file);
        // one digit of the index changed: the checksum no longer matches
        Files.writeString(file, good.replace(" 1234 ", " 1235 "));
        assertTrue(assertThrows(IOException.class, () -> ForwarderCursor.open(file)).getMessage().contains("checksum"));
        Files.writeString(file, "");
        assertTrue(assertThrows(IOException.class, () -> ForwarderCursor.open(file)).getMessage().contains("not a forwarder cursor"));
        Files.writeString(file, good.replace("sigmatch-cursor 1 ", "sigmatch-cursor 9 "));
        assertTrue(assertThrows(IOException.class, () -> ForwarderCursor.open(file)).getMessage().contains("version 9"));
        Files.write(file, new byte[4096]);
        assertThrows(IOException.class, () -> ForwarderCursor.open(file));
        Files.writeString(file, "sigmatch-cursor 1 x y\n", StandardCharsets.US_ASCII);
        assertTrue(assertThrows(IOException.class, () -> ForwarderCursor.open(file)).getMessage().contains("does not parse"));
        assertThrows(IllegalArgumentException.class, () -> ForwarderCursor.open(tmp.resolve("d.cursor")).commit(-2));
    }

    @Test
    void lagCountsRecordsAfterAnIndexUpToTheHead() throws IOException {
        final Path dir = tmp.resolve("journal");
        final List<Long> indices = new ArrayList<>();
        try (MatchJournal journal = MatchJournal.open(dir, MatchJournalTest.testConfig());
             MatchAppender appender = journal.newAppender(SystemNanoClock.INSTANCE);
             MatchJournalReader reader = MatchJournalReader.open(dir)) {
            assertEquals(-1, reader.lastIndex());
            assertEquals(0, reader.countAfter(-1));
            for (int i = 0; i < 10; i++) {
                indices.add(appender.append(MatchJournalTest.record(i), System.nanoTime()));
            }
            assertEquals(indices.get(9), reader.lastIndex());
            assertEquals(10, reader.countAfter(-1));
            assertEquals(9, reader.countAfter(indices.get(0)));
            assertEquals(1, reader.countAfter(indices.get(8)));
            assertEquals(0, reader.countAfter(indices.get(9)));
            // records appended after the reader opened are counted too
            indices.add(appender.append(MatchJournalTest.record(10), System.nanoTime()));
            assertEquals(1, reader.countAfter(indices.get(9)));
        }
    }

    /** Across roll cycles, where Chronicle indices jump: the count is of records, not of index values. */
    @Test
    void lagCountsAcrossRollCycles() throws IOException {
        final Path dir = tmp.resolve("rolled");
        final long[] cycleStart = new long[3];
        final SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000_000_000L);
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir).rollCycle(RollCycles.FAST_DAILY)
            .timeProvider(clock).build()) {
            // three cycles of 4 records each, written with a clock advanced a day between cycles (the journal rolls daily)
            try (ExcerptAppender a = q.createAppender()) {
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < 4; i++) {
                        try (DocumentContext dc = a.writingDocument()) {
                            dc.wire().bytes().writeInt(i);
                        }
                        if (i == 0) {
                            cycleStart[c] = a.lastIndexAppended();
                        }
                    }
                    clock.advanceMillis(86_400_000L);
                }
            }
        }
        assertTrue(cycleStart[1] - cycleStart[0] > 4 && cycleStart[2] - cycleStart[1] > 4, "indices jump at each roll");
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            assertEquals(12, reader.countAfter(-1));
            assertEquals(8, reader.countAfter(cycleStart[0] + 3));
            assertEquals(4, reader.countAfter(cycleStart[1] + 3));
            assertEquals(7, reader.countAfter(cycleStart[1]));
        }
    }
}
