package io.sigmatch.decoder.tshark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what tshark says (expected records) with what our decoder printed (actual records),
 * message by message and field by field, over a fixed list of keys.
 *
 * <p>Messages are aligned by frame, then by their order within the frame (piggybacked GTP messages,
 * bundled SCTP chunks). A frame where the two sides have a different number of messages yields one
 * {@code message} disagreement per unmatched message. For aligned messages every key present on
 * either side is one field compared; a key present on one side only, or with different values, is
 * a disagreement.
 */
public final class RecordComparison {
    /** One difference: which frame, which message within it, which key, and both values (null = absent). */
    public static final class Disagreement {
        public final long frame;
        public final int index;
        public final String key;
        public final Object expected;
        public final Object actual;

        Disagreement(final long frame, final int index, final String key, final Object expected, final Object actual) {
            this.frame = frame;
            this.index = index;
            this.key = key;
            this.expected = expected;
            this.actual = actual;
        }

        /** "frame\tkey", the form known-difference lists use. */
        public String where() {
            return frame + "\t" + key;
        }

        @Override
        public String toString() {
            return "frame " + frame + " #" + index + " " + key + ": tshark " + expected + ", ours " + actual;
        }
    }

    private final List<String> keys;
    private long messages;
    private long fields;
    private final List<Disagreement> disagreements = new ArrayList<>();

    /** @param keys the keys compared; others (ours only, like "event") are ignored */
    public RecordComparison(final List<String> keys) {
        this.keys = List.copyOf(keys);
    }

    public RecordComparison compare(final List<FieldRecord> expected, final List<FieldRecord> actual) {
        final Map<Long, List<FieldRecord>> byFrameExpected = byFrame(expected);
        final Map<Long, List<FieldRecord>> byFrameActual = byFrame(actual);
        final Set<Long> frames = new LinkedHashSet<>();
        frames.addAll(byFrameExpected.keySet());
        frames.addAll(byFrameActual.keySet());
        final List<Long> sorted = new ArrayList<>(frames);
        Collections.sort(sorted);
        for (final long frame : sorted) {
            final List<FieldRecord> e = byFrameExpected.getOrDefault(frame, List.of());
            final List<FieldRecord> a = byFrameActual.getOrDefault(frame, List.of());
            final int common = Math.min(e.size(), a.size());
            for (int i = 0; i < common; i++) {
                compareMessage(frame, i, e.get(i), a.get(i));
            }
            for (int i = common; i < e.size(); i++) {
                disagreements.add(new Disagreement(frame, i, "message", e.get(i).toJson(), null));
            }
            for (int i = common; i < a.size(); i++) {
                disagreements.add(new Disagreement(frame, i, "message", null, a.get(i).toJson()));
            }
        }
        return this;
    }

    private void compareMessage(final long frame, final int index, final FieldRecord e, final FieldRecord a) {
        messages++;
        for (final String key : keys) {
            final Object ev = e.get(key);
            final Object av = a.get(key);
            if (ev == null && av == null) {
                continue;
            }
            fields++;
            if (!Objects.equals(ev, av)) {
                disagreements.add(new Disagreement(frame, index, key, ev, av));
            }
        }
    }

    private static Map<Long, List<FieldRecord>> byFrame(final List<FieldRecord> records) {
        final Map<Long, List<FieldRecord>> out = new TreeMap<>();
        for (final FieldRecord r : records) {
            out.computeIfAbsent(r.frame(), f -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** Messages present on both sides and compared field by field. */
    public long messages() {
        return messages;
    }

    /** Fields compared (a key present on at least one side of an aligned message). */
    public long fields() {
        return fields;
    }

    public List<Disagreement> disagreements() {
        return Collections.unmodifiableList(disagreements);
    }

    /** The disagreements as "frame\tkey" strings, sorted, for matching against a known-differences list. */
    public List<String> where() {
        final List<String> out = new ArrayList<>();
        for (final Disagreement d : disagreements) {
            out.add(d.where());
        }
        Collections.sort(out);
        return out;
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder()
            .append(messages).append(" messages, ").append(fields).append(" fields, ")
            .append(disagreements.size()).append(" disagreements");
        for (int i = 0; i < disagreements.size() && i < 20; i++) {
            sb.append("\n  ").append(disagreements.get(i));
        }
        if (disagreements.size() > 20) {
            sb.append("\n  ...");
        }
        return sb.toString();
    }
}
