package io.sigmatch.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigmatch.decoder.Counters;
import io.sigmatch.journal.JournalFormatException;
import io.sigmatch.journal.MatchJournalReader;
import io.sigmatch.journal.MatchRecord;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * What became of the matches downstream (issue 8 item 3): the platform posts, per match id, that the
 * subscriber was reached ({@code delivered}) and that they took the offer ({@code converted}), and the
 * appliance counts both per rule ({@code rule.<id>.delivered}, {@code rule.<id>.converted}) beside the
 * pipeline's {@code matched} and the forwarders' {@code forwarded} / {@code acknowledged}.
 *
 * <p>Idempotent per match id: an outcome already recorded for a match is answered as a duplicate and
 * not counted again, so the platform may resend a batch it is unsure of. The rule of a match is found
 * in the match journal (an index of match id to rule, read up to the journal's end when an id is not in
 * it yet); a match id the journal does not hold (never journaled, or removed by retention) is reported
 * back and not counted.
 *
 * <p>Persisted in {@code outcomes.log} (directory 0700, file 0600): one line per recorded outcome,
 * {@code <matchId> <delivered|converted> <rule>}, appended and fsync'd before the request is answered,
 * so the counts come back after a restart. A torn last line (a crash mid-append) is dropped on open.
 * The file holds match ids and rule ids only, no identity. Memory: a hash map entry per match read from
 * the journal and per outcome recorded (on the order of 100 bytes each).
 *
 * <p>Not thread-safe: the admin plane calls it from its one work thread.
 */
public final class Outcomes implements AutoCloseable {
    static final String FILE = "outcomes.log";
    private static final String HEADER = "# sigmatch outcomes 1\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LINE_ERRORS = 100;
    private static final int DELIVERED = 1;
    private static final int CONVERTED = 2;

    /** A match id as the map key. */
    private record Id(long high, long low) {
    }

    private final Path file;
    private final Path journalDir;
    private final Counters counters;
    private final FileChannel out;
    /** match id → rule, from the journal. */
    private final Map<Id, String> rules = new HashMap<>();
    /** match id → outcomes recorded (DELIVERED | CONVERTED) and its rule, from the file. */
    private final Map<Id, Integer> recorded = new HashMap<>();
    private final Map<Id, String> recordedRule = new HashMap<>();
    private final Map<String, AtomicCounter[]> perRule = new HashMap<>();
    private final MatchRecord record = new MatchRecord();
    /** The last journal index read into {@link #rules}, -1 before the first. */
    private long indexedUpTo = -1;
    private long recordedCount;

    private Outcomes(final Path dir, final Path journalDir, final Counters counters) throws IOException {
        OwnerOnlyFiles.createDirectories(dir);
        this.file = dir.resolve(FILE);
        this.journalDir = journalDir;
        this.counters = counters;
        load();
        out = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (out.size() == 0) {
            write(HEADER);
            out.force(true);
        }
    }

    /** Opens (creating) the outcomes in dir for the journal in journalDir, counting into counters. */
    public static Outcomes open(final Path dir, final Path journalDir, final Counters counters) throws IOException {
        return new Outcomes(dir, journalDir, counters);
    }

    private void load() throws IOException {
        final byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (final NoSuchFileException absent) {
            return;
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;       // a torn last line: never acknowledged to the platform, which will resend it
        }
        if (end < bytes.length) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
                ch.force(true);
            }
        }
        final String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        int n = 0;
        for (final String line : text.split("\n")) {
            n++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.split(" ");
            final Id id = f.length == 3 ? parseId(f[0]) : null;
            final int what = f.length == 3 ? outcome(f[1]) : 0;
            if (id == null || what == 0) {
                throw new IOException(file + ": line " + n + " is not <matchId> <delivered|converted> <rule>");
            }
            apply(id, what, f[2]);
        }
    }

    /** The counts of rule: delivered, converted; registered on first use. */
    private AtomicCounter[] counts(final String rule) {
        return perRule.computeIfAbsent(rule, r -> new AtomicCounter[] {
            counters.counter("rule." + r + ".delivered"), counters.counter("rule." + r + ".converted")});
    }

    private boolean apply(final Id id, final int what, final String rule) {
        final int had = recorded.getOrDefault(id, 0);
        if ((had & what) != 0) {
            return false;
        }
        recorded.put(id, had | what);
        recordedRule.putIfAbsent(id, rule);
        counts(rule)[what == DELIVERED ? 0 : 1].increment();
        recordedCount++;
        return true;
    }

    /** The result of one POST: counts and the lines that could not be taken. */
    record Result(int status, ObjectNode body) {
    }

    /**
     * Records the outcomes in body (JSON Lines, {@code {"matchId": "<32 hex>", "outcome": "delivered"|"converted"}}).
     * A line that does not parse or names no valid outcome fails the whole request (400, nothing recorded,
     * every bad line listed with its number); otherwise each outcome is recorded, durably, unless it is a
     * duplicate, and ids the journal does not hold are listed back (200).
     */
    Result record(final byte[] body) throws IOException {
        final String text = new String(body, StandardCharsets.UTF_8);
        final List<Id> ids = new ArrayList<>();
        final List<Integer> whats = new ArrayList<>();
        final List<Integer> lineNos = new ArrayList<>();
        final ObjectNode response = JSON.createObjectNode();
        final ArrayNode errors = JSON.createArrayNode();
        int lineNo = 0;
        int bad = 0;
        for (final String raw : text.split("\n", -1)) {
            lineNo++;
            final String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            final String why = parseLine(line, ids, whats);
            if (why != null) {
                bad++;
                if (errors.size() < MAX_LINE_ERRORS) {
                    errors.addObject().put("line", lineNo).put("error", why);
                }
            } else {
                lineNos.add(lineNo);
            }
        }
        if (bad > 0) {
            response.put("error", bad + " line(s) are not {\"matchId\": \"<32 hex digits>\", \"outcome\": \"delivered\"|"
                + "\"converted\"}; nothing was recorded");
            response.set("lines", errors);
            return new Result(400, response);
        }
        if (ids.isEmpty()) {
            response.put("error", "no outcomes in the body (JSON Lines, one {\"matchId\": ..., \"outcome\": ...} per line)");
            return new Result(400, response);
        }
        int accepted = 0;
        int duplicates = 0;
        final ArrayNode unknown = JSON.createArrayNode();
        final StringBuilder lines = new StringBuilder();
        boolean caughtUp = false;
        for (int i = 0; i < ids.size(); i++) {
            final Id id = ids.get(i);
            String rule = recordedRule.get(id);
            if (rule == null) {
                rule = rules.get(id);
            }
            if (rule == null && !caughtUp) {
                // once per request: a body of ids the journal never held costs one read to its end, not one each
                rule = ruleOf(id);
                caughtUp = true;
            }
            if (rule == null) {
                unknown.addObject().put("line", lineNos.get(i)).put("matchId", hex(id));
                continue;
            }
            if (apply(id, whats.get(i), rule)) {
                accepted++;
                lines.append(hex(id)).append(' ').append(whats.get(i) == DELIVERED ? "delivered" : "converted").append(' ')
                    .append(rule).append('\n');
            } else {
                duplicates++;
            }
        }
        if (lines.length() > 0) {
            write(lines.toString());
            out.force(false);
        }
        response.put("accepted", accepted).put("duplicates", duplicates).put("unknown", unknown.size());
        if (!unknown.isEmpty()) {
            response.put("note", "these match ids are not in the journal (never journaled here, or removed by retention)");
            response.set("unknownLines", unknown);
        }
        return new Result(200, response);
    }

    private static String parseLine(final String line, final List<Id> ids, final List<Integer> whats) {
        final JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
            return "not JSON: " + e.getOriginalMessage();
        }
        if (n == null || !n.isObject()) {
            return "not a JSON object";
        }
        for (final Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            final String k = it.next();
            if (!k.equals("matchId") && !k.equals("outcome")) {
                return "unknown key \"" + k + "\" (known: matchId, outcome)";
            }
        }
        final JsonNode m = n.get("matchId");
        final Id id = m != null && m.isTextual() ? parseId(m.asText()) : null;
        if (id == null) {
            return "matchId must be the match's 32 hex digits, as journaled";
        }
        final JsonNode o = n.get("outcome");
        final int what = o != null && o.isTextual() ? outcome(o.asText()) : 0;
        if (what == 0) {
            return "outcome must be \"delivered\" or \"converted\"";
        }
        ids.add(id);
        whats.add(what);
        return null;
    }

    private static int outcome(final String s) {
        return switch (s) {
            case "delivered" -> DELIVERED;
            case "converted" -> CONVERTED;
            default -> 0;
        };
    }

    private static Id parseId(final String s) {
        if (s.length() != 32) {
            return null;
        }
        for (int i = 0; i < 32; i++) {
            final char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return null;
            }
        }
        return new Id(Long.parseUnsignedLong(s.substring(0, 16), 16), Long.parseUnsignedLong(s.substring(16), 16));
    }

    private static String hex(final Id id) {
        return io.sigmatch.journal.MatchId.toString(id.high(), id.low());
    }

    /** The rule of a journaled match: from the index, else after reading the journal on to its end. */
    private String ruleOf(final Id id) throws IOException {
        final String known = rules.get(id);
        if (known != null) {
            return known;
        }
        if (!Files.isDirectory(journalDir)) {
            return null;
        }
        // a reader per catch-up (a Chronicle tailer belongs to one thread; this one is closed before returning)
        try (MatchJournalReader reader = MatchJournalReader.open(journalDir)) {
            if (indexedUpTo >= 0 && !(reader.moveToIndex(indexedUpTo) && reader.next(record))) {
                reader.toStart();   // retention removed where we were: what is left is read from its start
            }
            while (reader.next(record)) {
                rules.put(new Id(record.matchIdHigh(), record.matchIdLow()), record.ruleId().intern());
                indexedUpTo = reader.index();
            }
        } catch (final JournalFormatException e) {
            // a record this build cannot read: the ids after it stay unknown until it is fixed
        }
        return rules.get(id);
    }

    private void write(final String s) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Outcomes recorded (each match id and outcome once). */
    public long recorded() {
        return recordedCount;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
