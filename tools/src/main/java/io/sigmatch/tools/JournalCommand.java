package io.sigmatch.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchJson;
import io.sigmatch.journal.MatchRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** `sigmatch journal DIR`: the journaled matches as JSON Lines (DESIGN §12). */
@Command(name = "journal", mixinStandardHelpOptions = true,
    description = "Print the journaled matches as JSON Lines, one per match, oldest first.")
public final class JournalCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "journal directory")
    private Path dir;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no journal at " + dir);
        }
        final Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        print(dir, out);
        out.flush();
        return 0;
    }

    static long print(final Path dir, final Writer out) throws Exception {
        long n = 0;
        final StringBuilder line = new StringBuilder(512);
        final MatchRecord record = new MatchRecord();
        try (MatchJournalReader reader = MatchJournalReader.open(dir)) {
            while (reader.next(record)) {
                line.setLength(0);
                MatchJson.appendTo(record, line).append('\n');
                out.append(line);
                n++;
            }
        }
        return n;
    }
}
