package io.sigmatch.admin.forward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sigmatch.decoder.Digits;
import io.sigmatch.journal.JournalConfig;
import io.sigmatch.journal.MatchAppender;
import io.sigmatch.journal.MatchId;
import io.sigmatch.journal.MatchJournal;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.SystemNanoClock;

/** Journals with known matches for the forwarder tests. */
final class Journals {
    static final long T0 = 1_763_800_000_000_000_000L;

    private Journals() {
    }

    static JournalConfig config() {
        return new JournalConfig().blockSizeBytes(1 << 20).pretouchAheadBytes(0);
    }

    /** Match i: one second of capture time apart, rule r-(i%3), IMSI on even i, MSISDN only on odd i. */
    static MatchRecord record(final MatchRecord r, final int i) {
        r.reset().matchId(T0 + i * 1_000_000_000L, MatchId.low(1, i, 0)).timeNs(T0 + i * 1_000_000_000L)
            .ruleId("r-" + (i % 3)).snapshot("v1").payload("{\"campaign\":\"C" + i + "\"}");
        if (i % 2 == 0) {
            r.imsi(Digits.parse(String.format("46000%010d", i))).msisdn(Digits.parse(String.format("86138%08d", i)));
        } else {
            r.msisdn(Digits.parse(String.format("86139%08d", i)));
        }
        return r;
    }

    static void append(final MatchJournal journal, final int from, final int to) {
        try (MatchAppender a = journal.newAppender(SystemNanoClock.INSTANCE)) {
            final MatchRecord r = new MatchRecord();
            for (int i = from; i < to; i++) {
                a.append(record(r, i), System.nanoTime());
            }
        }
    }

    /** Every record of the journal as {@code sigmatch journal} prints it. */
    static List<String> lines(final Path dir) throws IOException {
        final List<String> out = new ArrayList<>();
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            final MatchRecord r = new MatchRecord();
            while (reader.next(r)) {
                out.add(MatchJson.toJson(r));
            }
        }
        return out;
    }
}
