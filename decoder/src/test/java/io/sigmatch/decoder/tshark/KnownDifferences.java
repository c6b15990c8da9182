package io.sigmatch.decoder.tshark;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Places where we deliberately disagree with tshark, each with its reason, read from a TSV file of
 * {@code capture \t frame \t key \t reason} lines ({@code #} comments). A differential test
 * passes only when the disagreements it finds in a capture are exactly the ones listed for it: an
 * unlisted one is a bug, a listed one that no longer occurs is a stale entry.
 */
public final class KnownDifferences {
    private final List<String[]> entries = new ArrayList<>();

    public KnownDifferences(final List<String> lines) {
        for (final String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            final String[] f = line.split("\t");
            if (f.length < 4 || f[3].isBlank()) {
                throw new IllegalArgumentException("a known difference needs capture, frame, key and a reason: " + line);
            }
            entries.add(f);
        }
    }

    /** "frame\tkey" of every difference listed for the capture, sorted. */
    public List<String> forCapture(final String capture) {
        final List<String> out = new ArrayList<>();
        for (final String[] f : entries) {
            if (f[0].equals(capture)) {
                out.add(f[1] + "\t" + f[2]);
            }
        }
        Collections.sort(out);
        return out;
    }

    public int size() {
        return entries.size();
    }

    /** "capture frame key: reason" lines, for a test report. */
    public List<String> describe() {
        final List<String> out = new ArrayList<>();
        for (final String[] f : entries) {
            out.add(f[0] + " frame " + f[1] + " " + f[2] + ": " + f[3]);
        }
        return out;
    }
}
